// Types for the parts of the unix-dgram addon (2.0.7) that tend uses; the package ships none.
declare module 'unix-dgram' {
  import type { EventEmitter } from 'node:events';

  export interface UnixDgramSocket extends EventEmitter {
    /** Binds synchronously; emits 'listening' or 'error' before returning. */
    bind(path: string): void;
    send(buf: Buffer, offset: number, length: number, path: string, callback?: (error?: Error) => void): void;
    close(): void;
    on(event: 'message', listener: (buf: Buffer, rinfo: { size: number; path: string | null }) => void): this;
    on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): this;
    on(event: 'listening' | 'congestion' | 'writable', listener: () => void): this;
  }

  export function createSocket(
    type: 'unix_dgram',
    listener?: (buf: Buffer, rinfo: { size: number; path: string | null }) => void,
  ): UnixDgramSocket;
}
