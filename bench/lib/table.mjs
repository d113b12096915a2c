// The results table: one row per figure, one column per system (median, and min–max when there
// was more than one repeat), then tend's ratio to each other system. In plain text or markdown.
import { summarize } from './stats.mjs';

const fmt = (v) => {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (Number.isInteger(v) && abs >= 100) return v.toLocaleString('en-US');
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
};

const cell = (figure, system) => {
  if (figure.only && !figure.only.includes(system)) return '—';
  const s = summarize(figure.values[system] ?? []);
  if (!s) {
    if (figure.na[system]) return 'n/a';
    if (figure.errors[system]) return 'FAILED';
    return '—';
  }
  const value = s.n > 1 && s.min !== s.max ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median);
  return figure.errors[system] ? `${value} [${figure.errors[system].length} failed]` : value;
};

const ratio = (figure, peer) => {
  const a = summarize(figure.values.tend ?? []);
  const b = summarize(figure.values[peer] ?? []);
  if (!a || !b || figure.integrity || b.median === 0) return '—';
  return `${fmt(a.median / b.median)}×`;
};

// { header: [...], rows: [[...]], notes: [...] }
export const buildTable = (results) => {
  // Columns for the systems that ran; the notes say why the others did not.
  const systems = Object.keys(results.systems).filter((s) => results.systems[s].ok);
  const peers = systems.includes('tend') ? systems.filter((s) => s !== 'tend') : [];
  const header = ['figure', '', ...systems, ...peers.map((p) => `tend/${p}`)];
  const shown = results.figures.filter((f) => !f.only || f.only.some((s) => systems.includes(s)));
  const rows = shown.map((f) => [
    `${f.case} ${f.label} (${f.unit})`,
    f.better === 'higher' ? '↑' : '↓',
    ...systems.map((s) => cell(f, s)),
    ...peers.map((p) => ratio(f, p)),
  ]);
  const notes = [];
  for (const [name, status] of Object.entries(results.systems)) {
    if (!status.ok) notes.push(`${name}: unavailable (${status.reason})`);
    else notes.push(`${name}: ${status.version}`);
  }
  if (results.host?.pageReportingHeld)
    notes.push(`host page reporting held (--hold-page-reporting): ${results.host.pageReportingHeld}`);
  // n/a reasons: one note per system and reason. Failures: one note per case, system and error.
  const na = new Map();
  const failed = new Set();
  for (const f of shown) {
    for (const [system, reason] of Object.entries(f.na)) {
      const key = `${system}: n/a (${reason})`;
      na.set(key, [...(na.get(key) ?? []), `${f.case} ${f.key}`]);
    }
    for (const [system, errors] of Object.entries(f.errors)) {
      for (const error of errors) failed.add(`${f.case} ${system} failed: ${error}`);
    }
  }
  for (const [key, where] of na) notes.push(`${key}: ${where.join(', ')}`);
  notes.push(...failed);
  return { header, rows, notes };
};

const pad = (s, width, right) => (right ? s.padStart(width) : s.padEnd(width));

export const renderText = ({ header, rows, notes }) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => pad(c, widths[i], i > 1)).join('  ');
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    'median (min–max) over the repeats; ↓ lower is better, ↑ higher is better; tend/x = ratio of medians',
    ...notes.map((n) => `* ${n}`),
  ].join('\n');
};

export const renderMarkdown = ({ header, rows, notes }) => {
  const esc = (s) => s.replace(/\|/g, '\\|');
  const line = (r) => `| ${r.map(esc).join(' | ')} |`;
  return [
    line(header),
    line(header.map((_, i) => (i > 1 ? '---:' : '---'))),
    ...rows.map(line),
    '',
    'Median (min–max) over the repeats; ↓ lower is better, ↑ higher is better; tend/x is the ratio of medians.',
    '',
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
};
