// The chaos table: one row per scenario and system, its verdict, its figure and its promise.
const pad = (s, n) => String(s).padEnd(n);

export const renderTable = (rows) => {
  const cols = [
    ['scenario', (r) => r.id],
    ['system', (r) => r.system],
    ['verdict', (r) => (r.skip ? 'skip' : r.pass ? 'pass' : 'FAIL')],
    ['figure', (r) => (r.skip ? `not run: ${r.skip}` : r.figure)],
    ['tend promises', (r) => (r.system === 'tend' ? (r.promise ?? '') : '')],
  ];
  const widths = cols.map(([h, f]) =>
    Math.min(90, Math.max(h.length, ...rows.map((r) => String(f(r)).length))),
  );
  const line = (cells) =>
    cells
      .map((c, i) => pad(c, widths[i]))
      .join(' | ')
      .trimEnd();
  return [
    line(cols.map(([h]) => h)),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map((r) => line(cols.map(([, f]) => f(r)))),
  ].join('\n');
};
