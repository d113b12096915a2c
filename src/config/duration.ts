// Durations as tend takes them (`30s`, `15m`, `1d`, `1.5h`, `250ms`). Kept small here for the log
// reader's --since; the config keys that take durations share the same units.

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `30s`, `15m`, `1d`…, or null when the text is not a duration. */
export const parseDurationMs = (text: string): number | null => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i.exec(text);
  if (m === null) return null;
  const ms = Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? NaN);
  return Number.isFinite(ms) ? ms : null;
};
