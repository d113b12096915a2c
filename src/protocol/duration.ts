// The one way tend reads a duration, for config keys (ready_timeout, stdout_logfile_maxage, …) and
// command-line options (--timeout) alike: a number with an optional unit, `500ms`, `30s`, `15m`,
// `2h`, `1d`; a bare number is seconds, so supervisord-style integers keep their meaning.

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 } as const;

export const DURATION_FORMS = 'a number of seconds, or with a unit: 500ms, 30s, 15m, 2h, 1d';

/** Seconds, or null when `text` is not a duration. */
export const parseDuration = (text: string): number | null => {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  if (m === null) return null;
  const unit = (m[2] ?? 's').toLowerCase() as keyof typeof UNIT_SECONDS;
  return Number(m[1]) * UNIT_SECONDS[unit];
};
