import { readFileSync } from 'node:fs';
import type { ProcessInfo, TendProcessInfo } from '../../../src/supervisor/index.js';
import type { Daemon } from '../../helpers/daemon.js';

export type FullInfo = ProcessInfo & { readonly tend: TendProcessInfo };

/** One process with tend's fields, from GET /api/v1/processes/:name?tend=true. */
export const full = async (d: Daemon, name: string): Promise<FullInfo> => {
  const res = await d.api<FullInfo>('GET', `/api/v1/processes/${encodeURIComponent(name)}?tend=true`);
  if (res.status !== 200) throw new Error(`GET ${name}: ${res.status} ${res.text}`);
  return res.body;
};

/** What a program wrote to its AUTO stdout log so far. */
export const stdoutOf = async (d: Daemon, name: string): Promise<string> => {
  const info = await d.process(name);
  return info.stdout_logfile === '' ? '' : readFileSync(info.stdout_logfile, 'utf8');
};

/** Polls one process (with tend's fields) until `predicate` holds. */
export const waitForInfo = async (
  d: Daemon,
  name: string,
  what: string,
  predicate: (info: FullInfo) => boolean,
  timeoutMs = 20_000,
): Promise<FullInfo> => {
  const deadline = Date.now() + timeoutMs;
  let last = await full(d, name);
  while (!predicate(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await full(d, name);
  }
  return last;
};
