// Compact human units for the process table, `describe` and `top`.

/** `12.4M`: binary units, one decimal below 100. */
export const formatBytes = (bytes: number): string => {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)}${units[unit] ?? ''}`;
};

/** `45s`, `5m12s`, `3h05m`, `2d03h`. */
export const formatDuration = (seconds: number): string => {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor(s / 3600) % 24)}h`;
};

/** `0.3%`, `104%` (a tree on several cores can pass 100). */
export const formatPercent = (percent: number): string =>
  `${percent >= 100 ? percent.toFixed(0) : percent.toFixed(1)}%`;

/** Local `YYYY-MM-DD HH:MM:SS` of an epoch time in ms. */
export const formatTime = (ms: number): string => {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
