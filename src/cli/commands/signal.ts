import type { Client } from '../client.js';
import type { Output } from '../output.js';
import {
  ExitStatus,
  errorCode,
  failureLine,
  perName,
  groupOf,
  namespecOf,
  type ResultBody,
} from '../results.js';

// `tend signal SIG NAME…`: supervisorctl's lines (`web: signalled`, `web: ERROR (bad signal
// name)`) and exit status (1 for a bad signal or name, 7 for a process that is not running).

export const signal = async (client: Client, args: readonly string[], io: Output): Promise<number> => {
  const [sig, ...names] = args;
  if (sig === undefined || names.length === 0) {
    io.err('Error: signal requires a signal name and a process name');
    return 1;
  }
  const exit = new ExitStatus();
  for (const name of names.includes('all') ? ['all'] : names) {
    try {
      const { results } = await client.call<{ results: ResultBody[] }>(
        'POST',
        `/api/v1/processes/${encodeURIComponent(name)}/signal`,
        { signal: sig },
      );
      for (const r of results) {
        if (r.ok) io.out(`${namespecOf(r)}: signalled`);
        else {
          failureLine(namespecOf(r), errorCode(r), r.error?.message ?? '', io);
          exit.fail(errorCode(r));
        }
      }
    } catch (error) {
      if (!perName(error)) throw error;
      const group = groupOf(name);
      const who = group !== null && error.code === 'BAD_NAME' ? group : name;
      if (who === group) io.err(`${group}: ERROR (no such group)`);
      else failureLine(name, error.code, error.message, io);
      exit.fail(error.code);
    }
  }
  return exit.value;
};
