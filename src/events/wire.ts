import type { EventType } from './names.js';
import type { ProcessStateEvent, TendEvent } from './types.js';

// supervisord's event-listener wire format (events.py payload(), process.py _eventEnvelope), byte
// for byte: a header line `ver:3.0 server:ID serial:N pool:NAME poolserial:N eventname:TYPE
// len:N` and the payload, whose length counts characters (a Python 3 str), not bytes. tend's own
// events use the same shape: `key:value` tokens on the first line (values never contain spaces
// or colons, so childutils.get_headers parses them), free text after a newline.

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Python's repr() of a bytes object: b'…' with \\x escapes, as `'Undecodable: %r' % data` shows it. */
export const pyBytesRepr = (bytes: Uint8Array): string => {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}${quote}`;
};

/** Output bytes as supervisord puts them in a payload: UTF-8 text, or `Undecodable: b'…'`. */
export const decodeOutput = (bytes: Uint8Array): string => {
  try {
    return UTF8.decode(bytes);
  } catch {
    return `Undecodable: ${pyBytesRepr(bytes)}`;
  }
};

/** Python's len() of a str: code points, not UTF-16 units. */
export const pyLength = (text: string): number => {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
};

const stateExtras = (e: ProcessStateEvent): string => {
  switch (e.to) {
    case 'STARTING':
    case 'BACKOFF':
      return ` tries:${e.tries}`;
    case 'EXITED':
      return ` expected:${e.expected ? 1 : 0} pid:${e.pid}`;
    case 'RUNNING':
    case 'STOPPING':
    case 'STOPPED':
      return ` pid:${e.pid}`;
    default:
      return '';
  }
};

const who = (e: { readonly name: string; readonly group: string }): string =>
  `processname:${e.name} groupname:${e.group}`;

/** tend's own events, in the same `key:value … \n text` shape. */
const tendPayload = (e: TendEvent): string => {
  switch (e.type) {
    case 'PROCESS_HEALTH_HEALTHY':
      return `${who(e)} pid:${e.pid}\n${e.check}`;
    case 'PROCESS_HEALTH_UNHEALTHY':
      return `${who(e)} pid:${e.pid} failures:${e.failures}\n${e.check}\n${e.detail ?? ''}`;
    case 'PROCESS_READY':
      return `${who(e)} pid:${e.pid} via:${e.via} startup_ms:${e.startupMs}\n${e.ready}`;
    case 'PROCESS_RESTART':
      return `${who(e)} pid:${e.pid} reason:${e.reason} delay_ms:${e.delayMs ?? -1}\n${e.detail}`;
    case 'PROCESS_FLAP_GUARD':
      return `${who(e)} restarts:${e.restarts} limit:${e.limit} window:${e.windowSecs}`;
    case 'ROLLOUT_STARTED':
    case 'ROLLOUT_STEP':
    case 'ROLLOUT_SUCCEEDED':
    case 'ROLLOUT_FAILED':
    case 'ROLLOUT_ABORTED':
      return `groupname:${e.group} program:${e.program} rollout:${e.rollout} cause:${e.cause} done:${e.done} total:${e.total}\n${e.detail}`;
    case 'LOG_BYTES_DROPPED':
      return `${who(e)} channel:${e.channel} phase:${e.phase} recovered:${e.recovered ? 1 : 0} dropped:${e.droppedBytes} dropped_lines:${e.droppedLines}\n${e.path}\n${e.error ?? ''}`;
    case 'ALERT_SENT':
    case 'ALERT_FAILED':
      return `alert:${e.alert} via:${e.via} events:${e.events} attempts:${e.attempts}\n${e.programs.join(' ')}\n${e.error ?? ''}`;
    default:
      return '';
  }
};

/** The payload supervisord writes for an event (tend's own events: see tendPayload). */
export const payloadOf = (e: TendEvent): string => {
  switch (e.type) {
    case 'PROCESS_LOG_STDOUT':
    case 'PROCESS_LOG_STDERR':
      return `${who(e)} pid:${e.pid} channel:${e.channel}\n${e.data}`;
    case 'PROCESS_COMMUNICATION_STDOUT':
    case 'PROCESS_COMMUNICATION_STDERR':
      return `${who(e)} pid:${e.pid}\n${e.data}`;
    case 'REMOTE_COMMUNICATION':
      return `type:${e.remoteType}\n${e.data}`;
    case 'SUPERVISOR_STATE_CHANGE_RUNNING':
    case 'SUPERVISOR_STATE_CHANGE_STOPPING':
      return '';
    case 'PROCESS_GROUP_ADDED':
    case 'PROCESS_GROUP_REMOVED':
      return `groupname:${e.group}\n`;
    case 'TICK_5':
    case 'TICK_60':
    case 'TICK_3600':
      return `when:${e.when}`;
    default:
      return e.type.startsWith('PROCESS_STATE_')
        ? `${who(e as ProcessStateEvent)} from_state:${(e as ProcessStateEvent).from}${stateExtras(e as ProcessStateEvent)}`
        : tendPayload(e);
  }
};

export interface Envelope {
  readonly server: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  readonly type: EventType;
  readonly payload: string;
}

/** The header line and payload, as supervisord writes them to a listener's stdin (UTF-8). */
export const envelope = (e: Envelope): string =>
  `ver:3.0 server:${e.server} serial:${e.serial} pool:${e.pool} poolserial:${e.poolSerial} ` +
  `eventname:${e.type} len:${pyLength(e.payload)}\n${e.payload}`;
