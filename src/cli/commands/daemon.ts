import { TendError } from '../../errors/index.js';
import type { Client } from '../client.js';
import type { Output } from '../output.js';
import { perName } from '../results.js';

// The daemon as a whole: pid, version, reload (supervisorctl's: restart everything from the
// config file, same daemon), shutdown; supervisorctl's lines and exit codes.

interface DaemonInfo {
  readonly pid: number;
  readonly version: string;
}

interface ProcessInfo {
  readonly pid: number;
}

/** `tend pid`: the daemon's pid; `pid NAME…` each process's (0 and exit 7 when not running). */
export const pid = async (client: Client, names: readonly string[], io: Output): Promise<number> => {
  if (names.length === 0) {
    io.out(String((await client.call<DaemonInfo>('GET', '/api/v1/daemon')).pid));
    return 0;
  }
  if (names.includes('all')) {
    for (const p of await client.call<ProcessInfo[]>('GET', '/api/v1/processes')) io.out(String(p.pid));
    return 0;
  }
  let exit = 0;
  for (const name of names) {
    try {
      const info = await client.call<ProcessInfo>('GET', `/api/v1/processes/${encodeURIComponent(name)}`);
      io.out(String(info.pid));
      if (info.pid === 0) exit = 7;
    } catch (error) {
      if (!perName(error) || error.code !== 'BAD_NAME') throw error;
      io.err(`No such process ${name}`);
      exit = 1;
    }
  }
  return exit;
};

/** `tend version`: the version of the tend daemon (tend --version is this client's). */
export const version = async (client: Client, io: Output): Promise<number> => {
  io.out((await client.call<DaemonInfo>('GET', '/api/v1/daemon')).version);
  return 0;
};

export const reload = async (client: Client, io: Output): Promise<number> => {
  try {
    await client.call('POST', '/api/v1/daemon/restart');
    io.out('Restarted supervisord');
    return 0;
  } catch (error) {
    if (!(error instanceof TendError) || !['SHUTDOWN_STATE', 'CANT_REREAD'].includes(error.code)) throw error;
    io.err(error.code === 'SHUTDOWN_STATE' ? 'ERROR: already shutting down' : `ERROR: ${error.message}`);
    return 1;
  }
};

export const shutdown = async (client: Client, io: Output): Promise<number> => {
  try {
    await client.call('POST', '/api/v1/daemon/shutdown');
    io.out('Shut down');
    return 0;
  } catch (error) {
    if (!(error instanceof TendError)) throw error;
    if (error.code === 'SHUTDOWN_STATE') {
      io.err('ERROR: already shutting down');
      return 0;
    }
    if (error.code !== 'UNREACHABLE') throw error;
    io.err(`ERROR: ${error.message} (already shut down?)`);
    return 1;
  }
};
