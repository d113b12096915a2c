import { isUtf8 } from 'node:buffer';
import { LINE_MAX } from './bounds.js';

// log_timestamps and log_format = json: the per-line stage of a channel (DESIGN.md §3: per-line
// work only when asked for). Each formatter keeps the state a line needs across reads: whether
// the next byte starts a line, and (JSON) the line not yet ended. Output goes straight into the
// flush queue's slab through a FormatOut; the common case runs in the native addon (format.c),
// the rest, and everything where the addon is not there, here.

export type StreamName = 'stdout' | 'stderr';

/** Where formatted bytes go: [pos, end) of `buffer` is free; more() makes room (it may flush). */
export interface FormatOut {
  buffer: Buffer;
  pos: number;
  end: number;
  more(): void;
}

export interface LineFormatter {
  /** Formats `src` (valid only during the call), whose bytes arrived at `now` (ms since the epoch). */
  write(src: Buffer, now: number, out: FormatOut): void;
  /** The pipe ended: a line it left open is ended (stamped lines) or written (JSON, partial). */
  end(out: FormatOut): void;
  /** Output from a new child. */
  reset(pid: number): void;
}

/** format.c's exports, when the addon is loaded (src/process/native.ts). */
export interface NativeLineFormat {
  stampLines(src: Buffer, dst: Buffer, stamp: Buffer, state: Int32Array): void;
  jsonLines(src: Buffer, dst: Buffer, prefix: Buffer, state: Int32Array): void;
}

/**
 * Bytes of a line one JSON record holds at most; a longer line becomes several records, all but
 * the last flagged partial. Docker's json-file splits at 16 KiB too; a record whose encoding would
 * pass LINE_MAX (control characters take 6 bytes each) is split further, so rotation, which keeps
 * lines of up to LINE_MAX whole, never splits a record.
 */
export const JSON_PIECE_MAX = 16 * 1024;

const NEWLINE = 0x0a;
const NEWLINE_BUFFER = Buffer.from('\n');
// format.c's state slots and its reasons for stopping.
const FLAG = 0;
const SRC = 1;
const SRC_END = 2;
const DST = 3;
const DST_END = 4;
const MAX_LINE = 5;
const MAX_RECORD = 6;
const JSON_FULL = 1;

const isoTime = (ms: number): string => new Date(ms).toISOString();
// Bytes a record cannot copy as they are (control bytes but the newline, '"', '\\', non-ASCII),
// in a latin1 string of the output.
// eslint-disable-next-line no-control-regex -- the control bytes are the point
const NEEDS_CARE = /[\x00-\x09\x0b-\x1f"\\\x80-\xff]/;

/** Copies `src` into `out`, asking for room as often as it takes. */
const put = (src: Buffer, out: FormatOut): void => {
  let at = 0;
  while (at < src.length) {
    if (out.pos === out.end) out.more();
    const n = Math.min(src.length - at, out.end - out.pos);
    out.buffer.set(at === 0 && n === src.length ? src : src.subarray(at, at + n), out.pos);
    out.pos += n;
    at += n;
  }
};

// log_timestamps: `2026-12-02T09:35:14.123Z ` before the first byte of every line. A line that
// arrives in several reads gets the time of its first read, once.
export class StampFormat implements LineFormatter {
  readonly #native: NativeLineFormat | null;
  readonly #state = new Int32Array(7);
  #atLineStart = true;
  #stampMs = Number.NaN;
  #stamp = Buffer.alloc(0);

  constructor(native: NativeLineFormat | null) {
    this.#native = native;
  }

  write(src: Buffer, now: number, out: FormatOut): void {
    if (src.length === 0) return;
    if (now !== this.#stampMs) {
      this.#stampMs = now;
      this.#stamp = Buffer.from(`${isoTime(now)} `);
    }
    if (this.#native === null) this.#writeJs(src, out);
    else this.#writeNative(this.#native, src, out);
  }

  end(out: FormatOut): void {
    if (this.#atLineStart) return;
    // The next child's first line starts a line of its own, with its own stamp.
    put(NEWLINE_BUFFER, out);
    this.#atLineStart = true;
  }

  reset(): void {
    this.#atLineStart = true;
  }

  #writeNative(native: NativeLineFormat, src: Buffer, out: FormatOut): void {
    const state = this.#state;
    state[SRC] = 0;
    state[SRC_END] = src.length;
    while (state[SRC] < src.length) {
      if (out.end - out.pos <= this.#stamp.length) out.more();
      state[FLAG] = this.#atLineStart ? 1 : 0;
      state[DST] = out.pos;
      state[DST_END] = out.end;
      native.stampLines(src, out.buffer, this.#stamp, state);
      this.#atLineStart = state[FLAG] === 1;
      out.pos = state[DST];
      if (state[SRC] < src.length) out.more();
    }
  }

  // The whole read in one string replace (latin1 keeps every byte as it is), where it fits the
  // room there is; else line by line.
  #writeJs(src: Buffer, out: FormatOut): void {
    const stamp = this.#stamp.toString('latin1');
    const text = src.toString('latin1');
    const ended = text.endsWith('\n');
    const body = (ended ? text.slice(0, -1) : text).replaceAll('\n', `\n${stamp}`);
    const stamped = `${this.#atLineStart ? stamp : ''}${body}${ended ? '\n' : ''}`;
    if (stamped.length > out.end - out.pos) out.more();
    if (stamped.length > out.end - out.pos) {
      this.#writeLines(src, out);
      return;
    }
    out.pos += out.buffer.write(stamped, out.pos, 'latin1');
    this.#atLineStart = ended;
  }

  #writeLines(src: Buffer, out: FormatOut): void {
    let at = 0;
    while (at < src.length) {
      if (this.#atLineStart) {
        if (out.end - out.pos < this.#stamp.length) out.more();
        out.buffer.set(this.#stamp, out.pos);
        out.pos += this.#stamp.length;
        this.#atLineStart = false;
      }
      const nl = src.indexOf(NEWLINE, at);
      const lineEnd = nl < 0 ? src.length : nl + 1;
      put(src.subarray(at, lineEnd), out);
      at = lineEnd;
      this.#atLineStart = nl >= 0;
    }
  }
}

const longestLine = (src: Buffer, from: number, to: number): number => {
  let longest = 0;
  for (let at = from; at < to;) {
    const nl = src.indexOf(NEWLINE, at);
    longest = Math.max(longest, nl - at);
    at = nl + 1;
  }
  return longest;
};

/** Where a piece of at most `max` bytes from `from` may end without cutting a UTF-8 character. */
const pieceEnd = (line: Buffer, from: number, max: number): number => {
  const to = from + max;
  if (to >= line.length) return line.length;
  let cut = to;
  // Back over continuation bytes (10xxxxxx) to the start of the character `to` falls in.
  while (cut > to - 3 && cut > from + 1 && ((line[cut] as number) & 0xc0) === 0x80) cut--;
  return ((line[cut] as number) & 0xc0) === 0x80 ? to : cut;
};

// log_format = json: {"time","stream","program","pid","line"} per line, `"partial":true` on a
// piece no newline follows (a split long line, or the unended last line of a child), and
// `"invalid_utf8":true,"line_base64":…` with the exact bytes where the line is not UTF-8 (its
// `line` then has U+FFFD where bytes were invalid). Concatenating `line_base64 ?? line` of the
// records, with a newline after every record that is not partial, gives the output back.
export class JsonFormat implements LineFormatter {
  readonly #native: NativeLineFormat | null;
  readonly #state = new Int32Array(7);
  readonly #middle: string;
  #pid = 0;
  #prefixMs = Number.NaN;
  #prefix = Buffer.alloc(0);
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #pendingTime = 0;

  constructor(options: { stream: StreamName; program: string; native: NativeLineFormat | null }) {
    this.#native = options.native;
    this.#middle = `","stream":"${options.stream}","program":${JSON.stringify(options.program)},"pid":`;
    this.#state[MAX_LINE] = JSON_PIECE_MAX;
    this.#state[MAX_RECORD] = LINE_MAX;
  }

  reset(pid: number): void {
    this.#pid = pid;
    this.#prefixMs = Number.NaN;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  write(src: Buffer, now: number, out: FormatOut): void {
    let at = 0;
    while (at < src.length) {
      if (this.#pendingBytes === 0) {
        at =
          this.#native === null
            ? this.#runPlain(src, at, now, out)
            : this.#runNative(this.#native, src, at, now, out);
        if (at >= src.length) break;
      }
      at = this.#step(src, at, now, out);
    }
  }

  end(out: FormatOut): void {
    if (this.#pendingBytes === 0) return;
    const line = this.#takePending();
    this.#emit(line, { time: this.#pendingTime, ended: false }, out);
  }

  #head(time: number): string {
    return `{"time":"${isoTime(time)}${this.#middle}${this.#pid},"line":`;
  }

  // Encodes complete lines in C until one needs this side; returns where it stopped.
  #runNative(native: NativeLineFormat, src: Buffer, from: number, now: number, out: FormatOut): number {
    if (now !== this.#prefixMs) {
      this.#prefixMs = now;
      this.#prefix = Buffer.from(this.#head(now));
    }
    const state = this.#state;
    state[SRC] = from;
    state[SRC_END] = src.length;
    let stuckAt = -1;
    for (;;) {
      state[DST] = out.pos;
      state[DST_END] = out.end;
      native.jsonLines(src, out.buffer, this.#prefix, state);
      out.pos = state[DST];
      // A record larger than all the room there is: the JavaScript path writes it in pieces.
      if (state[FLAG] !== JSON_FULL || state[SRC] === stuckAt) return state[SRC];
      stuckAt = state[SRC];
      out.more();
    }
  }

  // Without the addon: the complete lines before the first byte that needs care (an escape, or
  // UTF-8 to check) become records in one string replace, the same bytes format.c writes.
  #runPlain(src: Buffer, from: number, now: number, out: FormatOut): number {
    const lastEnd = src.lastIndexOf(NEWLINE) + 1;
    if (lastEnd <= from) return from;
    const text = src.toString('latin1', from, lastEnd);
    const care = text.search(NEEDS_CARE);
    const plain = (care < 0 ? text : text.slice(0, care)).lastIndexOf('\n') + 1;
    if (plain === 0 || longestLine(src, from, from + plain) > JSON_PIECE_MAX) return from;
    const head = `${this.#head(now)}"`;
    const records = `${head}${text.slice(0, plain - 1).replaceAll('\n', `"}\n${head}`)}"}\n`;
    if (records.length > out.end - out.pos) out.more();
    if (records.length > out.end - out.pos) return from;
    out.pos += out.buffer.write(records, out.pos, 'latin1');
    return from + plain;
  }

  // One line (or the start of one, which waits for its end): returns where the next begins.
  #step(src: Buffer, at: number, now: number, out: FormatOut): number {
    const nl = src.indexOf(NEWLINE, at);
    if (nl < 0) {
      this.#hold(src.subarray(at), now, out);
      return src.length;
    }
    const time = this.#pendingBytes === 0 ? now : this.#pendingTime;
    const rest = src.subarray(at, nl);
    const line = this.#pendingBytes === 0 ? rest : Buffer.concat([this.#takePending(), rest]);
    this.#emit(line, { time, ended: true }, out);
    return nl + 1;
  }

  // A line without its end yet: kept (copied, `bytes` is a view of the read buffer), and written
  // in pieces as soon as it passes JSON_PIECE_MAX.
  #hold(bytes: Buffer, now: number, out: FormatOut): void {
    if (this.#pendingBytes === 0) this.#pendingTime = now;
    this.#pending.push(Buffer.from(bytes));
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes < JSON_PIECE_MAX) return;
    let line = this.#takePending();
    while (line.length >= JSON_PIECE_MAX) {
      const cut = pieceEnd(line, 0, JSON_PIECE_MAX);
      this.#emit(line.subarray(0, cut), { time: this.#pendingTime, ended: false }, out);
      line = line.subarray(cut);
    }
    if (line.length > 0) {
      this.#pending = [line];
      this.#pendingBytes = line.length;
    }
  }

  #takePending(): Buffer {
    const line = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }

  // Writes `line` as records of at most JSON_PIECE_MAX bytes of it and LINE_MAX bytes each.
  #emit(line: Buffer, how: { time: number; ended: boolean }, out: FormatOut): void {
    const head = this.#head(how.time);
    let at = 0;
    do {
      let max = JSON_PIECE_MAX;
      for (;;) {
        const cut = pieceEnd(line, at, max);
        const last = cut === line.length;
        const record = this.#record(head, line.subarray(at, cut), !(last && how.ended));
        if (record.length <= LINE_MAX || max <= 64) {
          put(record, out);
          at = cut;
          break;
        }
        max = Math.floor(max / 2);
      }
    } while (at < line.length);
  }

  #record(head: string, piece: Buffer, partial: boolean): Buffer {
    const valid = isUtf8(piece);
    const flags =
      (partial ? ',"partial":true' : '') +
      (valid ? '' : `,"invalid_utf8":true,"line_base64":"${piece.toString('base64')}"`);
    return Buffer.from(`${head}${JSON.stringify(piece.toString('utf8'))}${flags}}\n`);
  }
}
