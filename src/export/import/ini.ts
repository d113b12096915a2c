import type { Findings } from '../report.js';

// Writing supervisord's dialect: values go through Python's % expansion (a literal % is %%),
// its config parser cuts an inline comment at " ;" or " #", commands are split like a POSIX
// shell (shlex), and environment values are quoted tokens that cannot escape their own quote.

export interface Section {
  readonly header: string;
  /** Values as written in the file (a literal % already doubled). */
  readonly entries: readonly (readonly [key: string, value: string])[];
  /** Comment lines after the keys. */
  readonly trailing: readonly string[];
}

/** Whether the config parser reads the value back whole; else a warning, and it is left out. */
export const readsBack = (v: string, program: string, key: string, findings: Findings): boolean => {
  if (!/[\r\n]/.test(v) && !/\s[;#]/.test(v)) return true;
  findings.warn(
    program,
    key,
    `${JSON.stringify(v)} has a line break or an inline comment marker (" ;" or " #"), which the config parser cuts: left out`,
  );
  return false;
};

/** One word for shlex: bare when safe, else single-quoted ('\'' for a quote). */
export const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;

export const commandLine = (argv: readonly string[]): string => argv.map(shellWord).join(' ');

/** KEY="value" pairs for `environment` (% doubled); a value with both quote kinds cannot be written. */
export const environmentValue = (
  env: Readonly<Record<string, string>>,
  program: string,
  findings: Findings,
): string => {
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
      findings.warn(program, 'environment', `${k} is not a variable name supervisord can read: left out`);
      continue;
    }
    const quote = v.includes('"') ? "'" : '"';
    if ((v.includes('"') && v.includes("'")) || /^['"]|['"]$/.test(v)) {
      findings.warn(program, 'environment', `${k}'s value has quotes supervisord cannot keep: left out`);
      continue;
    }
    pairs.push(`${k}=${quote}${v.replaceAll('%', '%%')}${quote}`);
  }
  return pairs.join(',');
};

/** The daemon's own sections, beside the file, so the config runs as it is: tend daemon -c FILE. */
const DAEMON_SECTIONS = `
[supervisord]
logfile = %(here)s/tend.log
pidfile = %(here)s/tend.pid

[unix_http_server]
file = %(here)s/tend.sock

[supervisorctl]
serverurl = unix://%(here)s/tend.sock`;

export const renderIni = (header: readonly string[], sections: readonly Section[]): string => {
  const out = [...header.map((h) => `; ${h}`), DAEMON_SECTIONS.slice(1)];
  for (const s of sections) {
    out.push('', `[${s.header}]`);
    for (const [k, v] of s.entries) out.push(`${k} = ${v}`);
    out.push(...s.trailing.map((c) => `; ${c}`));
  }
  return `${out.join('\n')}\n`;
};

/** A section name supervisord accepts (no ':' and no whitespace); the change is reported. */
export const programName = (name: string, findings: Findings): string => {
  const mapped = name.replace(/[:\s[\]]+/g, '-') || 'app';
  if (mapped !== name)
    findings.note(mapped, 'name', `'${name}' is not a valid program name: it is '${mapped}'`);
  return mapped;
};
