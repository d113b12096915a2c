// Just enough XML-RPC for the bench: serialise a call with scalar parameters, parse a response
// (struct, array, string, int, boolean, double, nil) and turn a <fault> into an error.
import { UnixHttpClient } from './unixhttp.mjs';

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescapeXml = (s) =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e) => {
    if (e[0] !== '#') return ENTITIES[e];
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });

const serialiseParam = (value) => {
  if (typeof value === 'boolean') return `<boolean>${value ? 1 : 0}</boolean>`;
  if (Number.isInteger(value)) return `<int>${value}</int>`;
  if (typeof value === 'number') return `<double>${value}</double>`;
  return `<string>${escapeXml(String(value))}</string>`;
};

export const serialiseCall = (method, params = []) =>
  `<?xml version="1.0"?><methodCall><methodName>${escapeXml(method)}</methodName><params>` +
  params.map((p) => `<param><value>${serialiseParam(p)}</value></param>`).join('') +
  '</params></methodCall>';

// Tokens: {tag, close, empty} for elements, {text} for character data (whitespace kept).
const tokenize = (xml) => {
  const tokens = [];
  const re = /<\?[^>]*\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    if (m[2]) tokens.push({ tag: m[2], close: m[1] === '/', empty: m[3] === '/' });
    else if (m[4] !== undefined) tokens.push({ text: m[4] });
  }
  return tokens;
};

class Parser {
  constructor(xml) {
    this.tokens = tokenize(xml);
    this.i = 0;
  }

  skipSpace() {
    while (this.tokens[this.i]?.text !== undefined && this.tokens[this.i].text.trim() === '') this.i++;
  }

  open(tag) {
    this.skipSpace();
    const t = this.tokens[this.i];
    if (!t || t.tag !== tag || t.close) throw new Error(`XML-RPC: expected <${tag}>`);
    this.i++;
    return t.empty;
  }

  close(tag) {
    this.skipSpace();
    const t = this.tokens[this.i];
    if (!t || t.tag !== tag || !t.close) throw new Error(`XML-RPC: expected </${tag}>`);
    this.i++;
  }

  peekTag() {
    this.skipSpace();
    const t = this.tokens[this.i];
    return t && t.tag && !t.close ? t.tag : undefined;
  }

  text(tag) {
    let s = '';
    while (this.tokens[this.i]?.text !== undefined) s += this.tokens[this.i++].text;
    this.close(tag);
    return unescapeXml(s);
  }

  value() {
    if (this.open('value')) return '';
    // A <value> without a type element is a string.
    if (this.tokens[this.i]?.text !== undefined && this.tokens[this.i + 1]?.close) return this.text('value');
    const type = this.peekTag();
    if (type === undefined) {
      this.close('value');
      return '';
    }
    let result;
    const empty = this.open(type);
    switch (type) {
      case 'struct':
        result = {};
        while (!empty && this.peekTag() === 'member') {
          this.open('member');
          this.open('name');
          const name = this.text('name');
          result[name] = this.value();
          this.close('member');
        }
        break;
      case 'array':
        result = [];
        if (!empty && !this.open('data')) {
          while (this.peekTag() === 'value') result.push(this.value());
          this.close('data');
        }
        break;
      case 'nil':
        result = null;
        break;
      default: {
        const raw = empty ? '' : this.text(type);
        if (type === 'int' || type === 'i4' || type === 'i8' || type === 'double') result = Number(raw);
        else if (type === 'boolean') result = raw.trim() === '1';
        else result = raw;
        return this.finishValue(result);
      }
    }
    if (!empty) this.close(type);
    return this.finishValue(result);
  }

  finishValue(result) {
    this.close('value');
    return result;
  }
}

export class XmlRpcFault extends Error {
  constructor({ faultCode, faultString }) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
    this.faultCode = faultCode;
  }
}

// The value of a <methodResponse>, or throws XmlRpcFault.
export const parseResponse = (xml) => {
  const p = new Parser(xml);
  p.open('methodResponse');
  if (p.peekTag() === 'fault') {
    p.open('fault');
    throw new XmlRpcFault(p.value());
  }
  p.open('params');
  p.open('param');
  return p.value();
};

export class XmlRpcClient {
  constructor(socketPath) {
    this.http = new UnixHttpClient(socketPath);
  }

  async call(method, ...params) {
    return parseResponse(await this.callRaw(method, ...params));
  }

  // The response text, checked only for being a whole answer that is not a fault: for loops that
  // measure the server, where parsing every answer in JavaScript would measure this client.
  async callRaw(method, ...params) {
    const body = serialiseCall(method, params);
    const xml = await this.http.request('POST', '/RPC2', { body, headers: { 'Content-Type': 'text/xml' } });
    if (!xml.includes('</methodResponse>') || xml.includes('<fault>')) {
      throw new Error(`XML-RPC ${method}: not a complete answer: ${xml.slice(0, 200)}`);
    }
    return xml;
  }

  close() {
    this.http.close();
  }
}
