import { decodeOutput } from './wire.js';

// One event listener's side of supervisord's protocol, as dispatchers.py PEventListenerDispatcher
// reads it from the listener's stdout: ACKNOWLEDGED until `READY\n`, READY until tend sends an
// event, BUSY until `RESULT <n>\n` and n bytes of result, then ACKNOWLEDGED again. Anything else
// (data while READY, a first line that is not READY, a result line whose length is not a number)
// is UNKNOWN: no more events. Pure: it is fed bytes and says what happened, in supervisord's
// order, and the pool decides what that means (logs, rebuffering).
//
// Where supervisord has no bound, tend sets one, so a listener that writes garbage cannot grow the
// daemon: a result line longer than MAX_RESULT_LINE, or a result longer than MAX_RESULT, is a bad
// result line (UNKNOWN, the event goes back to the pool), as an unparsable one is.

export type ListenerState = 'ACKNOWLEDGED' | 'READY' | 'BUSY' | 'UNKNOWN';

/** supervisord's numeric codes (states.py EventListenerStates). */
export const LISTENER_STATE_CODES: Readonly<Record<ListenerState, number>> = {
  READY: 10,
  BUSY: 20,
  ACKNOWLEDGED: 30,
  UNKNOWN: 40,
};

export const MAX_RESULT_LINE = 128;
export const MAX_RESULT = 64 * 1024;

export type Note<T> =
  | { readonly kind: 'state'; readonly from: ListenerState; readonly to: ListenerState }
  /** The result was OK: the event is done. */
  | { readonly kind: 'processed' }
  /** The result line was not `RESULT <n>`; the line as supervisord logs it. */
  | { readonly kind: 'badResult'; readonly line: string }
  /** The event goes back to the pool: the listener answered something other than OK, or broke the protocol. */
  | { readonly kind: 'rejected'; readonly event: T; readonly byResult: boolean };

const READY_TOKEN = Buffer.from('READY\n');
const RESULT_PREFIX_LENGTH = 'RESULT '.length;
const EMPTY = Buffer.alloc(0);

/** Python's int() of bytes: surrounding whitespace, a sign, digits with single underscores. */
export const pyInt = (bytes: Buffer): number | null => {
  const text = bytes.toString('latin1').trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) return null;
  return Number(text.replaceAll('_', ''));
};

export class ListenerProtocol<T> {
  #state: ListenerState = 'ACKNOWLEDGED';
  #event: T | null = null;
  #buffer: Buffer = EMPTY;
  #result: Buffer = EMPTY;
  #resultLength: number | null = null;
  #notes: Note<T>[] = [];

  get state(): ListenerState {
    return this.#state;
  }

  /** The event the listener is working on (BUSY). */
  get event(): T | null {
    return this.#event;
  }

  /** A new child: it starts ACKNOWLEDGED, with nothing buffered. */
  reset(): void {
    this.#state = 'ACKNOWLEDGED';
    this.#event = null;
    this.#buffer = EMPTY;
    this.#result = EMPTY;
    this.#resultLength = null;
  }

  /** tend wrote `event` to the listener: READY → BUSY. */
  sent(event: T): Note<T>[] {
    this.#event = event;
    this.#change('BUSY');
    return this.#take();
  }

  /** The child is gone: the event it was working on, which goes back to the pool. */
  exited(): T | null {
    const event = this.#event;
    this.#event = null;
    return event;
  }

  /** Bytes from the listener's stdout; returns what they meant. */
  feed(data: Buffer): Note<T>[] {
    if (data.length > 0)
      this.#buffer = this.#buffer.length === 0 ? Buffer.from(data) : Buffer.concat([this.#buffer, data]);
    while (this.#buffer.length > 0 && this.#step()) {
      // each step consumes input or changes state
    }
    return this.#take();
  }

  /** One step of handle_listener_state_change; false when it needs more input. */
  #step(): boolean {
    switch (this.#state) {
      case 'UNKNOWN':
        this.#buffer = EMPTY;
        return false;
      case 'ACKNOWLEDGED':
        return this.#acknowledged();
      case 'READY':
        this.#change('UNKNOWN');
        this.#buffer = EMPTY;
        this.#event = null;
        return false;
      case 'BUSY':
        return this.#resultLength === null ? this.#resultLine() : this.#resultBody();
    }
  }

  #acknowledged(): boolean {
    if (this.#buffer.length < READY_TOKEN.length) return false;
    if (this.#buffer.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
      this.#change('READY');
      this.#buffer = this.#buffer.subarray(READY_TOKEN.length);
    } else {
      this.#change('UNKNOWN');
      this.#buffer = EMPTY;
    }
    this.#event = null;
    return true;
  }

  #resultLine(): boolean {
    const pos = this.#buffer.indexOf(0x0a);
    if (pos === -1) {
      if (this.#buffer.length > MAX_RESULT_LINE) this.#badResult(this.#buffer);
      return false;
    }
    const line = this.#buffer.subarray(0, pos);
    this.#buffer = this.#buffer.subarray(pos + 1);
    const length = pos > MAX_RESULT_LINE ? null : pyInt(line.subarray(RESULT_PREFIX_LENGTH));
    if (length === null || length < 0 || length > MAX_RESULT) {
      this.#badResult(line);
      return false;
    }
    this.#resultLength = length;
    return true;
  }

  #resultBody(): boolean {
    const length = this.#resultLength ?? 0;
    const needed = length - this.#result.length;
    if (needed > 0) {
      this.#result = Buffer.concat([this.#result, this.#buffer.subarray(0, needed)]);
      this.#buffer = this.#buffer.subarray(needed);
    }
    if (this.#result.length < length) return false;
    const ok = this.#result.equals(OK);
    const event = this.#event;
    this.#event = null;
    this.#result = EMPTY;
    this.#resultLength = null;
    if (ok) this.#notes.push({ kind: 'processed' });
    else if (event !== null) this.#notes.push({ kind: 'rejected', event, byResult: true });
    this.#change('ACKNOWLEDGED');
    return true;
  }

  #badResult(line: Buffer): void {
    this.#notes.push({ kind: 'badResult', line: decodeOutput(line) });
    this.#change('UNKNOWN');
    this.#buffer = EMPTY;
    const event = this.#event;
    this.#event = null;
    if (event !== null) this.#notes.push({ kind: 'rejected', event, byResult: false });
  }

  #change(to: ListenerState): void {
    this.#notes.push({ kind: 'state', from: this.#state, to });
    this.#state = to;
  }

  #take(): Note<T>[] {
    const notes = this.#notes;
    this.#notes = [];
    return notes;
  }
}

const OK = Buffer.from('OK');
