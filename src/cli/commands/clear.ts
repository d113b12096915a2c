import type { Client } from '../client.js';
import type { Output } from '../output.js';
import { ExitStatus, errorCode, perName, namespecOf, type ResultBody } from '../results.js';

// `tend clear NAME…|all`: empties the processes' log files (supervisorctl's lines and codes).

export const clear = async (client: Client, names: readonly string[], io: Output): Promise<number> => {
  if (names.length === 0) {
    io.err('Error: clear requires a process name');
    return 1;
  }
  const exit = new ExitStatus();
  for (const name of names.includes('all') ? ['all'] : names) {
    try {
      const { results } = await client.call<{ results: ResultBody[] }>(
        'DELETE',
        `/api/v1/processes/${encodeURIComponent(name)}/logs`,
      );
      for (const r of results) {
        if (r.ok) io.out(`${namespecOf(r)}: cleared`);
        else {
          io.err(`${namespecOf(r)}: ERROR (${errorCode(r) === 'BAD_NAME' ? 'no such process' : 'failed'})`);
          exit.fail(errorCode(r));
        }
      }
    } catch (error) {
      if (!perName(error)) throw error;
      io.err(`${name}: ERROR (${error.code === 'BAD_NAME' ? 'no such process' : 'failed'})`);
      exit.fail(error.code);
    }
  }
  return exit.value;
};
