import { SaxesParser } from 'saxes';
import { TendError } from '../../errors/index.js';

// Parses a request body into a minimal element tree the way Python's ElementTree sees it: each
// element keeps its name, its children and `text` (the character data before its first child;
// null when there is none). Nothing from a DTD is ever read: a DOCTYPE aborts the parse, so no
// entity can be declared, let alone expanded (billion laughs), and saxes rejects references to
// undeclared entities. Nesting is capped, so a hostile body cannot exhaust the stack later.

export interface Element {
  readonly name: string;
  readonly children: Element[];
  text: string | null;
}

export const MAX_DEPTH = 64;

const refuse = (reason: string): TendError =>
  new TendError('VALIDATION', `malformed XML-RPC request: ${reason}`);

const ENCODINGS = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['us-ascii', 'utf-8'],
  ['ascii', 'utf-8'],
  ['iso-8859-1', 'latin1'],
  ['latin-1', 'latin1'],
  ['latin1', 'latin1'],
]);

/** The body as text: UTF-8 unless the XML declaration names Latin-1; bad bytes are refused. */
export const decodeBody = (body: Buffer): string => {
  const head = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    body.subarray(0, 256).toString('latin1'),
  );
  const declared = head?.[1]?.toLowerCase() ?? 'utf-8';
  const encoding = ENCODINGS.get(declared);
  if (encoding === undefined) throw refuse(`unsupported encoding ${declared}`);
  if (encoding === 'latin1') return body.toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw refuse('the body is not valid UTF-8');
  }
};

const appendText = (element: Element | undefined, text: string): void => {
  if (element === undefined || element.children.length > 0) return;
  element.text = (element.text ?? '') + text;
};

export const parseTree = (xml: string): Element => {
  const parser = new SaxesParser({ position: false });
  const stack: Element[] = [];
  let root: Element | undefined;
  parser.on('doctype', () => {
    throw refuse('a DOCTYPE is not allowed');
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) throw refuse(`elements nest deeper than ${MAX_DEPTH} levels`);
    const element: Element = { name: tag.name, children: [], text: null };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (text) => {
    appendText(stack.at(-1), text);
  });
  parser.on('cdata', (text) => {
    appendText(stack.at(-1), text);
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof TendError) throw error;
    throw refuse(error instanceof Error ? error.message : String(error));
  }
  if (root === undefined) throw refuse('no root element');
  return root;
};
