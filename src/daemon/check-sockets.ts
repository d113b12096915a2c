import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { Config, ProcessConfig } from '../config/index.js';
import type { CheckProblem } from '../protocol/check-report.js';
import { closeListenSocket, openListenSocket } from '../process/index.js';

// `tend check` and `socket =`: can the daemon listen there? A tcp address is tried (bound and
// closed at once); a unix path is not bound (that would replace a running daemon's socket file),
// only its directory is checked. A warning, not an error: the daemon of this very config may be
// the one holding the port.

const unixProblem = (file: string): string | null => {
  const dir = path.dirname(file);
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    accessSync(dir, constants.W_OK | constants.X_OK);
    return null;
  } catch (error) {
    return `cannot create ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
};

const tcpProblem = (p: ProcessConfig): string | null => {
  if (p.socket === null) return null;
  try {
    closeListenSocket(openListenSocket(p.socket), p.socket);
    return null;
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)} (a running daemon of this config holds its own socket)`;
  }
};

export const socketWarnings = (config: Config): CheckProblem[] => {
  const seen = new Set<string>();
  return config.groups.flatMap((g) =>
    g.processes.flatMap((p) => {
      if (p.socket === null || seen.has(p.socket.url)) return [];
      seen.add(p.socket.url);
      const problem = p.socket.kind === 'unix' ? unixProblem(p.socket.address) : tcpProblem(p);
      if (problem === null) return [];
      const at = p.source.keys.find((k) => k.key === 'socket') ?? p.source;
      const message = `${at.file}:${at.line}: [${p.source.section}] socket = ${p.socket.url}: ${problem}`;
      return [{ file: at.file, line: at.line, section: p.source.section, key: 'socket', message }];
    }),
  );
};
