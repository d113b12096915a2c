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

/** `--since`: a duration back from now (30s, 10m, 2h, 1d) or a time (ISO 8601); sent as written. */
export const sinceValue =
  (command: string) =>
  (text: string): string => {
    const value = text.trim();
    if (
      /^\d+(\.\d+)?(ms|s|m|h|d)$/i.test(value) ||
      (/^\d{4}-\d\d-\d\d/.test(value) && !Number.isNaN(Date.parse(value)))
    )
      return value;
    throw usageError(
      command,
      `--since takes a duration (30s, 10m, 2h, 1d) or an ISO 8601 time, got '${text}'`,
    );
  };

/** `--grep RE`: a JavaScript regular expression, compiled here (it never runs in the daemon). */
export const pattern =
  (command: string) =>
  (text: string): RegExp => {
    try {
      return new RegExp(text);
    } catch (error) {
      throw usageError(command, `--grep: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
