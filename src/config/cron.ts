// cron_restart and cron_timezone: expressions are checked with the library that runs them
// (croner), so a schedule that loads is one the daemon can follow. The config keeps only text;
// the supervisor builds its own schedule from it.
import { Cron } from 'croner';
import { PyValueError, pyRepr, pyStrip } from './pystr.js';
import type { CronRestartConfig } from './types.js';

const schedule = (expression: string, timezone: string | null): Cron =>
  new Cron(expression, { paused: true, ...(timezone === null ? {} : { timezone }) });

/** A 5-field (minute first) or 6-field (second first) cron expression, or a nickname (@daily). */
export const cronExpression = (raw: string): string => {
  const text = pyStrip(raw).replace(/\s+/g, ' ');
  const fields = text.split(' ').length;
  if (text === '' || (!text.startsWith('@') && (fields < 5 || fields > 6))) {
    throw new PyValueError(`not a cron expression of 5 or 6 fields: ${pyRepr(raw)}`);
  }
  try {
    if (schedule(text, null).nextRun(new Date()) === null) throw new Error('it never fires');
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    throw new PyValueError(`not a usable cron expression: ${pyRepr(raw)} (${why})`);
  }
  return text;
};

/** An IANA time zone name (Europe/Berlin, UTC), as Intl knows them. */
export const timeZoneName = (raw: string): string => {
  const text = pyStrip(raw);
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    throw new PyValueError(`not a time zone: ${pyRepr(raw)}`);
  }
};

/** The next `count` firings of a schedule after `from` (epoch ms), for `tend check` and status. */
export const nextFirings = (config: CronRestartConfig, from: number, count: number): number[] =>
  schedule(config.expression, config.timezone)
    .nextRuns(count, new Date(from))
    .map((d) => d.getTime());
