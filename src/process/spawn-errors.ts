import { pyRepr } from './pyrepr.js';

// A failed spawn in supervisord's words (process.py: spawn, _spawn_as_child), so operators and
// tools that grep for them find them: the step that failed and the errno name decide the text.

export interface SpawnErrorSubject {
  /** The program's name (not the namespec), as supervisord's %r of config.name. */
  readonly name: string;
  readonly argv0: string;
  readonly cwd: string | null;
  readonly uid: number | null;
}

const FORK_STEPS = new Set(['fork', 'pipe', 'pidfd_open', 'spawn']);

const forkFailure = (errno: string, name: string): string => {
  if (errno === 'EAGAIN') return `Too many processes in process table to spawn ${name}`;
  if (errno === 'EMFILE' || errno === 'ENFILE') return `too many open files to spawn ${name}`;
  return `unknown error during fork for ${name}: ${errno}`;
};

/**
 * `step` is where it failed: fork, pipe, pidfd_open, setsid, dup2, setrlimit, setgroups,
 * setgid, setuid, chdir, execve; or `spawn` when child_process only gave an errno (libuv does not
 * say which step): EAGAIN and EMFILE are then fork's, anything else exec's.
 */
export const spawnErrorMessage = (errno: string, step: string, subject: SpawnErrorSubject): string => {
  const name = pyRepr(subject.name);
  if (step === 'spawn' && !['EAGAIN', 'EMFILE', 'ENFILE'].includes(errno)) {
    return `couldn't exec ${subject.argv0}: ${errno}`;
  }
  if (FORK_STEPS.has(step)) return forkFailure(errno, name);
  switch (step) {
    case 'chdir':
      return `couldn't chdir to ${subject.cwd ?? '.'}: ${errno}`;
    case 'setgroups':
    case 'setgid':
    case 'setuid':
      return `couldn't setuid to ${subject.uid ?? '?'}: ${step} ${errno}`;
    case 'execve':
      return `couldn't exec ${subject.argv0}: ${errno}`;
    default:
      return `couldn't ${step} for ${name}: ${errno}`;
  }
};
