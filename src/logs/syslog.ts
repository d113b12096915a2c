import { createRequire } from 'node:module';
import type { UnixDgramSocket } from 'unix-dgram';

// supervisord's *_syslog and `[supervisord] logfile = syslog` (loggers.py SyslogHandler, which
// calls Python's syslog.syslog, i.e. glibc's syslog(3) with its defaults). Checked against
// supervisord 4.2.5 writing to a socket bound at /dev/log in a private mount namespace: every
// message is one datagram `<14>Dec  2 09:39:13 supervisord: web hello`: facility user, severity
// info for every line of every stream and level, the RFC 3164 time in local time, the ident
// (the executable's name, so here `tend`) without a pid, then the process name and the line.
// The daemon's own lines keep supervisord's trailing newline.
//
// Unlike glibc, a syslog that is not there or falls behind never blocks the daemon: a datagram
// the socket refuses for now (the reader's queue is full) waits in a bounded queue and is sent
// again shortly; one the socket cannot take at all (no socket, wrong type) is dropped. Either
// trouble is reported once, and again when it is over, with how many messages were dropped.

export interface SyslogOptions {
  /** The local syslog socket ([supervisord] syslog_socket, default /dev/log). */
  readonly path: string;
  readonly ident?: string;
  /** Reports trouble and its end (the daemon log). */
  readonly report: (message: string) => void;
  readonly now?: () => number;
}

/** PRI of every message: facility user (1) × 8 + severity info (6), as supervisord sends. */
const PRI = 14;
/** Messages waiting while the reader catches up; past it the oldest are dropped. */
const QUEUE_MAX = 4096;
// A full queue of the reader takes as many as it frees in this time: short, and only while congested.
const RETRY_MS = 2;
/** A line longer than this goes in several messages (rsyslog's default limit is 8 KiB). */
export const SYSLOG_LINE_MAX = 8 * 1024;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** RFC 3164's TIMESTAMP in local time, as glibc writes it (`%h %e %T`): `Dec  2 09:39:13`. */
export const syslogTime = (ms: number): string => {
  const d = new Date(ms);
  const day = String(d.getDate()).padStart(2, ' ');
  return `${MONTHS[d.getMonth()] ?? ''} ${day} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
};

type Addon = typeof import('unix-dgram');
let addon: Addon | undefined;

// unix-dgram reports errno values negated, as numbers.
const TRANSIENT = new Set([-11, -105]); // EAGAIN, ENOBUFS
const ERRNO_NAMES: Record<number, string> = {
  [-2]: 'ENOENT',
  [-13]: 'EACCES',
  [-90]: 'EMSGSIZE',
  [-91]: 'EPROTOTYPE',
  [-111]: 'ECONNREFUSED',
};
const errorName = (error: Error): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? (ERRNO_NAMES[code] ?? `errno ${-code}`) : error.message;
};

export class SyslogSender {
  readonly path: string;
  readonly #ident: string;
  readonly #report: (message: string) => void;
  readonly #now: () => number;
  #socket: UnixDgramSocket | null = null;
  #queue: Buffer[] = [];
  #retry: NodeJS.Timeout | null = null;
  #trouble: string | null = null;
  #dropped = 0;
  #closed = false;

  constructor(options: SyslogOptions) {
    this.path = options.path;
    this.#ident = options.ident ?? 'tend';
    this.#report = options.report;
    this.#now = options.now ?? Date.now;
  }

  /** Sends one message (its text after `ident: `). */
  send(message: Buffer | string): void {
    if (this.#closed) return;
    const header = `<${PRI}>${syslogTime(this.#now())} ${this.#ident}: `;
    const body = typeof message === 'string' ? Buffer.from(message) : message;
    const datagram = Buffer.concat([Buffer.from(header), body]);
    if (this.#queue.length > 0 || this.#try(datagram) === 'later') this.#enqueue(datagram);
  }

  close(): void {
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#queue = [];
    try {
      this.#socket?.close();
    } catch {
      // Closing a socket that failed to open leaves nothing to do.
    }
    this.#socket = null;
  }

  #open(): UnixDgramSocket | null {
    if (this.#socket !== null) return this.#socket;
    try {
      addon ??= createRequire(import.meta.url)('unix-dgram') as Addon;
      this.#socket = addon.createSocket('unix_dgram');
      this.#socket.on('error', () => undefined);
      return this.#socket;
    } catch (error) {
      this.#trouble ??= `syslog: no unix datagram socket (${String(error)}); output to syslog is dropped`;
      return null;
    }
  }

  #try(datagram: Buffer): 'sent' | 'later' | 'dropped' {
    const socket = this.#open();
    if (socket === null) return this.#drop();
    let failure: Error | undefined;
    socket.send(datagram, 0, datagram.length, this.path, (error) => {
      failure = error;
    });
    if (failure === undefined) {
      this.#recovered();
      return 'sent';
    }
    const code = (failure as { code?: unknown }).code;
    if (code === 1 || (typeof code === 'number' && TRANSIENT.has(code))) {
      this.#troubled(`syslog socket ${this.path} is not keeping up; its messages wait in memory`);
      return 'later';
    }
    this.#troubled(
      `syslog socket ${this.path}: ${errorName(failure)}; output to syslog is dropped until it works`,
    );
    return this.#drop();
  }

  #drop(): 'dropped' {
    this.#dropped += 1;
    return 'dropped';
  }

  #enqueue(datagram: Buffer): void {
    if (this.#queue.length >= QUEUE_MAX) {
      this.#queue.shift();
      this.#dropped += 1;
    }
    this.#queue.push(datagram);
    this.#scheduleDrain();
  }

  #scheduleDrain(): void {
    if (this.#retry !== null) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#drain();
    }, RETRY_MS);
    this.#retry.unref();
  }

  #drain(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      if (this.#try(this.#queue[0] as Buffer) === 'later') {
        this.#scheduleDrain();
        return;
      }
      this.#queue.shift();
    }
  }

  #troubled(message: string): void {
    if (this.#trouble !== null) return;
    this.#trouble = message;
    this.#report(message);
  }

  #recovered(): void {
    if (this.#trouble === null) return;
    this.#report(`syslog socket ${this.path} works again (${this.#dropped} messages dropped meanwhile)`);
    this.#trouble = null;
    this.#dropped = 0;
  }
}

const NEWLINE = 0x0a;

// One stream's output as syslog lines: `NAME LINE` per line, a line that arrives in pieces sent
// once whole (supervisord sends each read's lines as they are cut, so a line split across reads
// becomes two messages there), a last line without a newline sent when the pipe ends.
/** What SyslogLines sends through (a SyslogSender). */
export interface SyslogTarget {
  send(message: Buffer | string): void;
}

export class SyslogLines {
  readonly #sender: SyslogTarget;
  readonly #prefix: Buffer;
  #partial: Buffer[] = [];
  #partialBytes = 0;

  constructor(sender: SyslogTarget, name: string) {
    this.#sender = sender;
    this.#prefix = Buffer.from(`${name} `);
  }

  push(chunk: Buffer): void {
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, at);
      if (nl < 0) break;
      this.#line(chunk.subarray(at, nl));
      at = nl + 1;
    }
    if (at < chunk.length) this.#hold(chunk.subarray(at));
  }

  end(): void {
    if (this.#partialBytes > 0) this.#line(Buffer.alloc(0));
  }

  // A line longer than SYSLOG_LINE_MAX is sent in pieces as it comes.
  #hold(bytes: Buffer): void {
    this.#partial.push(Buffer.from(bytes));
    this.#partialBytes += bytes.length;
    if (this.#partialBytes <= SYSLOG_LINE_MAX) return;
    let whole = Buffer.concat(this.#partial);
    while (whole.length > SYSLOG_LINE_MAX) {
      this.#sender.send(Buffer.concat([this.#prefix, whole.subarray(0, SYSLOG_LINE_MAX)]));
      whole = whole.subarray(SYSLOG_LINE_MAX);
    }
    this.#partial = whole.length === 0 ? [] : [whole];
    this.#partialBytes = whole.length;
  }

  #line(rest: Buffer): void {
    const parts = this.#partialBytes === 0 ? [rest] : [...this.#partial, rest];
    this.#partial = [];
    this.#partialBytes = 0;
    const line = parts.length === 1 ? rest : Buffer.concat(parts);
    for (let i = 0; i < line.length || i === 0; i += SYSLOG_LINE_MAX) {
      this.#sender.send(Buffer.concat([this.#prefix, line.subarray(i, i + SYSLOG_LINE_MAX)]));
    }
  }
}
