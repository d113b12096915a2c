import { TendError } from '../../errors/index.js';
import { decodeBody, parseTree, type Element } from './tree.js';
import { struct, type XmlRpcCall, type XmlRpcFault, type XmlRpcValue } from './values.js';

// supervisord's request decoder (xmlrpc.py supervisor_xmlrpc_handler.loads), element by element:
// int, i4, boolean, string, double, dateTime.iso8601, base64, array/data, struct, a bare
// <value>text</value> as a string, and a missing <params> as no parameters. Like supervisord,
// any element the dialect does not know stands for its own text (so <nil/> is null). What
// supervisord cannot unmarshal is a 400 here too, as a TendError VALIDATION.

const bad = (what: string): TendError => new TendError('VALIDATION', `malformed XML-RPC request: ${what}`);

const INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const FLOAT = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;
const DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Python's int(text), for the integers a client may send. */
const parseInt = (text: string | null): number => {
  if (text === null || !INT.test(text)) throw bad(`not an integer: ${String(text)}`);
  const value = Number(text.trim().replaceAll('_', ''));
  if (!Number.isSafeInteger(value)) throw bad(`integer out of range: ${text}`);
  return value;
};

/** Python's float(text). */
const parseFloat = (text: string | null): number => {
  const t = (text ?? '').trim();
  const special = SPECIAL_FLOAT.exec(t);
  if (special !== null) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT.test(t)) throw bad(`not a double: ${String(text)}`);
  return Number(t.replaceAll('_', ''));
};

const parseDate = (text: string | null): Date => {
  const m = DATE.exec((text ?? '').trim());
  if (m === null) throw bad(`not a dateTime.iso8601: ${String(text)}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 61) {
    throw bad(`not a valid date: ${String(text)}`);
  }
  return date;
};

const parseBase64 = (text: string | null): string => {
  const compact = (text ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw bad('bad base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    throw bad('base64 data is not UTF-8 text');
  }
};

const first = (element: Element): Element => {
  const child = element.children[0];
  if (child === undefined) throw bad(`<${element.name}> is empty`);
  return child;
};

const member = (element: Element): readonly [string, XmlRpcValue] => {
  const [key, value] = element.children;
  if (element.children.length !== 2 || key === undefined || value === undefined) {
    throw bad('a struct member needs a name and a value');
  }
  return [key.text ?? '', convert(value)];
};

/** The value an element stands for once its children are converted (iterparse's elem.text). */
export const convert = (element: Element): XmlRpcValue => {
  switch (element.name) {
    case 'int':
    case 'i4':
      return parseInt(element.text);
    case 'boolean':
      return element.text === '1';
    case 'string':
      return element.text ?? '';
    case 'double':
      return parseFloat(element.text);
    case 'dateTime.iso8601':
      return parseDate(element.text);
    case 'base64':
      return parseBase64(element.text);
    case 'array':
    case 'param':
      return convert(first(element));
    case 'data':
      return element.children.map(convert);
    case 'struct':
      return struct(element.children.map(member));
    case 'value':
      return element.children.length > 0 ? convert(first(element)) : (element.text ?? '');
    default:
      return element.text;
  }
};

/**
 * Calls `visit` on every element after its descendants, in document order: iterparse's "end"
 * events. A plain recursion (the depth is capped by the parser): a generator per element, each
 * resumed through every level above it, cost a `system.multicall` of 500 calls ~7,500 generator
 * objects.
 */
const postOrder = (element: Element, visit: (element: Element) => void): void => {
  for (const child of element.children) postOrder(child, visit);
  visit(element);
};

/** The first element, in postOrder's order, that `wanted` accepts. */
const firstInPostOrder = (element: Element, wanted: (element: Element) => boolean): Element | null => {
  for (const child of element.children) {
    const found = firstInPostOrder(child, wanted);
    if (found !== null) return found;
  }
  return wanted(element) ? element : null;
};

export const decodeCall = (body: Buffer): XmlRpcCall => {
  const root = parseTree(decodeBody(body));
  // The last of each wins, as it does for supervisord's iterparse loop.
  const call: { method: string | null; params: XmlRpcValue[] } = { method: null, params: [] };
  postOrder(root, (element) => {
    if (element.name === 'methodName') call.method = element.text;
    else if (element.name === 'params') call.params = element.children.map(convert);
  });
  const { method, params } = call;
  if (method === null || method === '') throw bad('no method name');
  return { method, params };
};

export type XmlRpcResponse =
  { readonly fault: XmlRpcFault } | { readonly fault: null; readonly value: XmlRpcValue };

const asFault = (value: XmlRpcValue): XmlRpcFault => {
  const v = value as Record<string, XmlRpcValue>;
  if (typeof v.faultCode !== 'number' || typeof v.faultString !== 'string') throw bad('malformed fault');
  return { faultCode: v.faultCode, faultString: v.faultString };
};

/** A methodResponse, as a client reads it (tests and tools use this). */
export const decodeResponse = (body: Buffer): XmlRpcResponse => {
  const found = firstInPostOrder(
    parseTree(decodeBody(body)),
    (element) => element.name === 'fault' || element.name === 'params',
  );
  if (found === null) throw bad('neither params nor fault');
  if (found.name === 'fault') return { fault: asFault(convert(first(found))) };
  return { fault: null, value: convert(first(found)) };
};
