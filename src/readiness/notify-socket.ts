import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { UnixDgramSocket } from 'unix-dgram';
import { parseNotify, type NotifyUpdate } from './notify-message.js';

// One datagram socket per process that speaks sd_notify, all in one 0700 directory: the socket a
// message arrives on names its sender (unix-dgram gives no SCM_CREDENTIALS), and the directory
// keeps other users from writing to them. A program that runs as another user (user=) gets its
// socket chowned to it in a 0711 directory, so that it can reach the socket by name without being
// able to list the others (connecting needs write permission on the socket itself, 0600). unix-dgram silently truncates a bind path over 107
// bytes and cannot bind abstract names, so paths are checked here and a short directory under the
// system temp dir is used when the preferred one is too deep.

export const MAX_SOCKET_PATH = 107;

type Addon = typeof import('unix-dgram');
let addon: Addon | undefined;

// The native addon is loaded on first use, so a machine where it failed to build still runs every
// program that does not use sd_notify, and the error names the fix.
const createSocket: Addon['createSocket'] = (type, listener) => {
  try {
    addon ??= createRequire(import.meta.url)('unix-dgram') as Addon;
  } catch (error) {
    throw new Error(
      `sd_notify needs the unix-dgram addon, which did not load (${String(error)}); run: npm rebuild unix-dgram`,
      { cause: error },
    );
  }
  return addon.createSocket(type, listener);
};

export interface NotifyEndpoint {
  readonly path: string;
  /** Datagrams dropped for being over 4096 bytes. */
  readonly oversize: number;
  close(): void;
}

const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);

const privateDir = (dir: string): string => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  chmodSync(dir, 0o700);
  return dir;
};

const bindSocket = (file: string, onMessage: (buf: Buffer) => void): UnixDgramSocket => {
  rmSync(file, { force: true });
  const socket = createSocket('unix_dgram', onMessage);
  let failure: Error | undefined;
  socket.on('error', (error) => {
    failure ??= error;
  });
  socket.bind(file);
  if (failure !== undefined) {
    socket.close();
    throw new Error(`cannot bind notify socket ${file}: ${failure.message}`);
  }
  return socket;
};

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export class NotifyHub {
  readonly #preferred: string;
  #dir: string | null = null;
  #sharedDir: string | null = null;
  readonly #used = new Set<string>();
  readonly #open = new Set<NotifyEndpoint>();

  /** `preferredDir` is created (0700) on first use; it is removed again by close(). */
  constructor(preferredDir: string) {
    this.#preferred = preferredDir;
  }

  // Sockets of programs that run as another user go to a 0711 directory under the system temp
  // dir, which every user can reach; the preferred directory may sit below one that they cannot.
  #directory(file: string, shared: boolean): string {
    if (shared) {
      this.#sharedDir ??= mkdtempSync(path.join(tmpdir(), 'tend-notify-'));
      chmodSync(this.#sharedDir, 0o711);
      return this.#sharedDir;
    }
    if (this.#dir === null) {
      const fits = Buffer.byteLength(path.join(this.#preferred, file)) <= MAX_SOCKET_PATH;
      this.#dir = fits ? privateDir(this.#preferred) : mkdtempSync(path.join(tmpdir(), 'tend-notify-'));
    }
    return this.#dir;
  }

  #socketPath(name: string, shared: boolean): string {
    const dir = this.#directory(`${safeName(name)}.sock`, shared);
    let base = safeName(name);
    for (let n = 2; this.#used.has(path.join(dir, `${base}.sock`)); n++) base = `${safeName(name)}.${n}`;
    const full = path.join(dir, `${base}.sock`);
    if (Buffer.byteLength(full) > MAX_SOCKET_PATH) return this.#socketPath(String(this.#used.size), shared);
    this.#used.add(full);
    return full;
  }

  /**
   * Binds a socket for `name`, owned by `owner` when given (a program with user=); every valid
   * datagram becomes onUpdate, oversize ones are counted.
   */
  open(name: string, onUpdate: (update: NotifyUpdate) => void, owner: Owner | null = null): NotifyEndpoint {
    const file = this.#socketPath(name, owner !== null);
    let oversize = 0;
    const socket = bindSocket(file, (buf) => {
      const update = parseNotify(buf);
      if (update === null) oversize += 1;
      else onUpdate(update);
    });
    chmodSync(file, 0o600);
    if (owner !== null) chownSync(file, owner.uid, owner.gid);
    const endpoint: NotifyEndpoint = {
      path: file,
      get oversize() {
        return oversize;
      },
      close: () => {
        if (!this.#open.delete(endpoint)) return;
        this.#used.delete(file);
        socket.close();
        rmSync(file, { force: true });
      },
    };
    this.#open.add(endpoint);
    return endpoint;
  }

  close(): void {
    for (const endpoint of [...this.#open]) endpoint.close();
    for (const dir of [this.#dir, this.#sharedDir])
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    this.#dir = null;
    this.#sharedDir = null;
  }
}

/** Sends one datagram to an sd_notify socket (tend telling its own init system). */
export const sendDatagram = (socketPath: string, payload: Buffer): Promise<void> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('unix_dgram');
    socket.on('error', reject);
    socket.send(payload, 0, payload.length, socketPath, (error) => {
      socket.close();
      if (error === undefined) resolve();
      else reject(error);
    });
  });
