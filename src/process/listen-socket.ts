import { chmodSync, chownSync, closeSync, lstatSync, unlinkSync } from 'node:fs';
import type { ListenSocketConfig } from '../config/types.js';
import { loadNative } from './native.js';

// Listening sockets for socket activation (`socket =` of a [program:x]): part of the OS seam, as
// spawning is. Node itself cannot hold a listening socket without accepting on it (libuv accepts
// as soon as it listens), so the socket comes from tend's addon, which only binds and listens.

/** Why a socket could not be opened: errno name (EADDRINUSE, EACCES…) and the failing step. */
export class ListenFailure extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ListenFailure';
    this.code = code;
  }
}

// Linux's SOMAXCONN since 5.4; the kernel caps a bigger value at net.core.somaxconn anyway.
const SOMAXCONN = 4096;

const reason = (error: unknown): ListenFailure => {
  const e = error as { code?: string; syscall?: string; message?: string };
  const code = e.code ?? 'UNKNOWN';
  const words: Record<string, string> = {
    EADDRINUSE: 'the address is already in use',
    EACCES: 'permission denied',
    EADDRNOTAVAIL: 'the address is not one of this machine',
    ENOENT: 'its directory does not exist',
    ENOTFOUND: 'the host name does not resolve',
  };
  return new ListenFailure(
    `cannot listen (${e.syscall ?? 'listen'}: ${words[code] ?? e.message ?? code})`,
    code,
  );
};

/** Binds and listens; the fd is close-on-exec and is passed on only by the spawner's extraFds. */
export const openListenSocket = (spec: ListenSocketConfig): number => {
  const { addon, reason: why } = loadNative();
  if (addon === null)
    throw new ListenFailure(`cannot listen: tend's native addon is needed (${why})`, 'ENOSYS');
  let fd: number;
  try {
    fd = addon.listenSocket(spec.kind, spec.address, spec.port, spec.backlog ?? SOMAXCONN);
  } catch (error) {
    throw reason(error);
  }
  if (spec.kind === 'unix') {
    try {
      chmodSync(spec.address, spec.mode);
      if (spec.owner !== null) chownSync(spec.address, spec.owner.uid, spec.owner.gid);
    } catch (error) {
      closeListenSocket(fd, spec);
      throw reason(error);
    }
  }
  return fd;
};

/** Closes the daemon's socket; a unix socket's file goes with it (nobody can connect to it any more). */
export const closeListenSocket = (fd: number, spec: ListenSocketConfig): void => {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing holds it.
  }
  if (spec.kind !== 'unix') return;
  try {
    if (lstatSync(spec.address).isSocket()) unlinkSync(spec.address);
  } catch {
    // Gone already.
  }
};
