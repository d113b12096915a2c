import { isStruct, type XmlRpcFault, type XmlRpcValue } from './values.js';

// Responses byte for byte as Python's xmlrpclib.dumps writes them (supervisord's xmlrpc_marshal),
// so clients that compare or log raw bodies see no difference. Three deliberate departures, each
// for a value Python would send broken or not at all: characters XML 1.0 forbids (control bytes
// in a log, lone surrogates) become U+FFFD instead of making the client's parser fail; a carriage
// return is written as &#13; so it survives the parser's line-end normalisation; integers are
// capped to ±(2^31-1) (capped_int) instead of raising OverflowError.

const MAXINT = 2 ** 31 - 1;
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const NEEDS_WORK = /[&<>\r]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export const escapeText = (text: string): string =>
  !NEEDS_WORK.test(text)
    ? text
    : text
        .replace(ILLEGAL, '\uFFFD')
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replaceAll('\r', '&#13;');

const cap = (n: number): number => Math.max(-MAXINT - 1, Math.min(MAXINT, n));

/** Python's repr() of a float, for the doubles tend never sends but a client might echo. */
const pyFloat = (n: number): string => {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n).replace(
    /e([+-]?)(\d+)$/,
    (_m, sign: string, digits: string) => `e${sign === '-' ? '-' : '+'}${digits.padStart(2, '0')}`,
  );
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const isoDate = (d: Date): string =>
  `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

const dump = (value: XmlRpcValue, out: string[]): void => {
  if (typeof value === 'string') out.push(`<value><string>${escapeText(value)}</string></value>\n`);
  else if (typeof value === 'boolean') out.push(`<value><boolean>${value ? 1 : 0}</boolean></value>\n`);
  else if (typeof value === 'number') {
    if (Number.isInteger(value)) out.push(`<value><int>${cap(value)}</int></value>\n`);
    else out.push(`<value><double>${pyFloat(value)}</double></value>\n`);
  } else if (value === null) {
    // xmlrpclib without allow_none cannot send None; supervisord's methods never return it.
    out.push('<value><nil/></value>\n');
  } else if (value instanceof Date) {
    out.push(`<value><dateTime.iso8601>${isoDate(value)}</dateTime.iso8601></value>\n`);
  } else if (Array.isArray(value)) {
    out.push('<value><array><data>\n');
    for (const item of value as readonly XmlRpcValue[]) dump(item, out);
    out.push('</data></array></value>\n');
  } else if (isStruct(value)) {
    out.push('<value><struct>\n');
    for (const [key, member] of Object.entries(value)) {
      out.push(`<member>\n<name>${escapeText(key)}</name>\n`);
      dump(member, out);
      out.push('</member>\n');
    }
    out.push('</struct></value>\n');
  }
};

const HEAD = "<?xml version='1.0'?>\n";

export const encodeResponse = (value: XmlRpcValue): string => {
  const out = [HEAD, '<methodResponse>\n<params>\n<param>\n'];
  dump(value, out);
  out.push('</param>\n</params>\n</methodResponse>\n');
  return out.join('');
};

export const encodeFault = (fault: XmlRpcFault): string => {
  const out = [HEAD, '<methodResponse>\n<fault>\n'];
  dump({ faultCode: fault.faultCode, faultString: fault.faultString }, out);
  out.push('</fault>\n</methodResponse>\n');
  return out.join('');
};

/** A methodCall as xmlrpclib.dumps(params, methodname) writes it (clients, tests, the bench). */
export const encodeCall = (method: string, params: readonly XmlRpcValue[]): string => {
  const out = [HEAD, `<methodCall>\n<methodName>${escapeText(method)}</methodName>\n<params>\n`];
  for (const param of params) {
    out.push('<param>\n');
    dump(param, out);
    out.push('</param>\n');
  }
  out.push('</params>\n</methodCall>\n');
  return out.join('');
};
