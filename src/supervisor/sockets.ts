import { ConfigError } from '../config/index.js';
import type { ListenSocketConfig, ProcessConfig } from '../config/types.js';
import { closeListenSocket, ListenFailure, openListenSocket, type Clock } from '../process/index.js';

// The listening sockets of `socket =` programs (docs/zero-downtime.md). A socket is opened before
// the first process that needs it is created and stays open while any process entry of that
// address exists: restarts, a reload that changes the program, and a rolling restart's extra
// instances all reuse it, so the kernel queues connections while no instance accepts. The last
// user letting go closes it one tick later, so a reload that replaces every entry in one
// synchronous step keeps the same socket.

export interface SocketOps {
  readonly open: (spec: ListenSocketConfig) => number;
  readonly close: (fd: number, spec: ListenSocketConfig) => void;
}

const REAL_OPS: SocketOps = { open: openListenSocket, close: closeListenSocket };

interface Held {
  readonly spec: ListenSocketConfig;
  readonly fd: number;
  users: number;
}

/** The socket passed to one process: its fd in the daemon and LISTEN_FDNAMES. */
export interface SocketGrant {
  readonly fd: number;
  readonly name: string;
  /** Lets go of the socket (once); the socket closes when nobody holds it. */
  readonly release: () => void;
}

// A port in use or a path that cannot be bound is a config error at the `socket` line.
const configErrorOf = (config: ProcessConfig, error: ListenFailure): ConfigError => {
  const written = config.source.keys.find((k) => k.key === 'socket');
  const at = written ?? config.source;
  return new ConfigError(
    {
      file: at.file,
      line: at.line,
      section: config.source.section,
      key: 'socket',
      value: config.socket?.url,
    },
    error.message,
  );
};

export class SocketTable {
  readonly #held = new Map<string, Held>();
  readonly #ops: SocketOps;
  readonly #clock: Clock;

  constructor(clock: Clock, ops: SocketOps = REAL_OPS) {
    this.#clock = clock;
    this.#ops = ops;
  }

  /** Opens every socket `configs` need that is not open yet; a ConfigError names the first failure. */
  ensure(configs: readonly ProcessConfig[]): void {
    for (const config of configs) {
      const spec = config.socket;
      if (spec === null || this.#held.has(spec.url)) continue;
      try {
        const held: Held = { spec, fd: this.#ops.open(spec), users: 0 };
        this.#held.set(spec.url, held);
        // Opened ahead of the entries that use it; if none comes, it does not stay open.
        this.#clock.setTimer(0, () => {
          this.#closeIfUnused(held);
        });
      } catch (error) {
        if (error instanceof ListenFailure) throw configErrorOf(config, error);
        throw error;
      }
    }
  }

  /** The socket of one process entry, or null when its program has none. */
  grant(config: ProcessConfig): SocketGrant | null {
    if (config.socket === null) return null;
    this.ensure([config]);
    const held = this.#held.get(config.socket.url);
    if (held === undefined) return null;
    held.users += 1;
    let released = false;
    return {
      fd: held.fd,
      name: config.program,
      release: () => {
        if (released) return;
        released = true;
        held.users -= 1;
        this.#clock.setTimer(0, () => {
          this.#closeIfUnused(held);
        });
      },
    };
  }

  #closeIfUnused(held: Held): void {
    if (held.users > 0 || this.#held.get(held.spec.url) !== held) return;
    this.#held.delete(held.spec.url);
    this.#ops.close(held.fd, held.spec);
  }

  /** The open sockets' addresses (tend status, tests). */
  urls(): string[] {
    return [...this.#held.keys()];
  }

  /** Closes every socket (the daemon is ending). */
  closeAll(): void {
    for (const held of this.#held.values()) this.#ops.close(held.fd, held.spec);
    this.#held.clear();
  }
}
