import { usageError } from './command.js';

// Option values checked on the client, before any request, so a typo is a usage error (exit 2)
// and not the API's validation message.

/** A parser for a whole number from 0 to `max`, e.g. `-n, --lines`. */
export const wholeNumber =
  (command: string, option: string, max: number) =>
  (text: string): number => {
    if (!/^\d+$/.test(text.trim()) || Number(text) > max) {
      throw usageError(command, `${option} must be a whole number from 0 to ${max}, got '${text}'`);
    }
    return Number(text);
  };
