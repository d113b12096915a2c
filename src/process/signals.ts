import { constants } from 'node:os';

const byNumber = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) {
  if (!byNumber.has(number)) byNumber.set(number, name.slice(3));
}

/**
 * A signal as supervisord's signal_number accepts it (`HUP`, `sighup`, `SIGHUP`, `1`) → the
 * canonical name without SIG, or undefined when the OS has no such signal.
 */
export const parseSignal = (value: string): string | undefined => {
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return byNumber.get(Number(text));
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper.slice(3) : upper;
  return Object.hasOwn(constants.signals, `SIG${name}`) ? name : undefined;
};
