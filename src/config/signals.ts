// datatypes.signal_number, answering with a canonical name instead of a number: names in any case
// with or without SIG, or numbers, as long as the platform has that signal.
import { constants } from 'node:os';
import { PyValueError, pyInt, pyRepr, pyStrip } from './pystr.js';
import type { SignalName } from './types.js';

// Python accepts these spellings too; Node's table lacks the realtime bounds and SIGCLD.
const LINUX_EXTRA: Record<string, number> = { SIGRTMIN: 34, SIGRTMAX: 64 };
const ALIASES: Record<string, string> = {
  SIGIOT: 'SIGABRT',
  SIGPOLL: 'SIGIO',
  SIGCLD: 'SIGCHLD',
  SIGUNUSED: 'SIGSYS',
};

const buildTable = (): Map<string, number> => {
  const table = new Map<string, number>(Object.entries(constants.signals));
  if (process.platform === 'linux') {
    for (const [name, num] of Object.entries(LINUX_EXTRA)) table.set(name, num);
  }
  const chld = table.get('SIGCHLD');
  if (chld !== undefined) table.set('SIGCLD', chld);
  return table;
};

const BY_NAME = buildTable();

const BY_NUMBER = new Map<number, string>(
  [...BY_NAME].filter(([n]) => ALIASES[n] === undefined).map(([n, num]) => [num, n.slice(3)]),
);

/** The number of a canonical signal name ('TERM' → 15), for the layer that sends signals. */
export const signalNumber = (name: SignalName): number | undefined => BY_NAME.get(`SIG${name}`);

// Signal 0 and Python's SIG_DFL/SIG_IGN constants pass supervisord's check but cannot stop a
// process, so tend rejects them.
export const signalName = (value: string): SignalName => {
  let num: number | undefined;
  try {
    num = pyInt(value);
  } catch {
    const upper = pyStrip(value).toUpperCase();
    num = BY_NAME.get(upper.startsWith('SIG') ? upper : `SIG${upper}`);
    if (num === undefined) throw new PyValueError(`value ${pyRepr(value)} is not a valid signal name`);
  }
  const name = BY_NUMBER.get(num);
  if (name === undefined) throw new PyValueError(`value ${pyRepr(value)} is not a valid signal number`);
  return name;
};
