import path from 'node:path';
import { TendError } from '../../errors/index.js';
import type { Findings } from '../report.js';
import { commandLine, environmentValue, programName, readsBack, renderIni, type Section } from './ini.js';
import { handlerFor, type AppState } from './pm2-keys.js';
import { instanceCount, interpreterFor, isRecord, stringRecord, words } from './pm2-values.js';

// `tend import pm2 FILE [--env NAME]`: each app of an ecosystem file becomes a [program:x]
// section; a namespace becomes a [group:x]. PM2's defaults that differ from supervisord's are
// written out (SIGINT, 1.6 s to stop, the whole process tree), so the programs stop as under PM2.

/** Options that make up the command line, read before the others. */
const COMMAND_KEYS = new Set([
  'name',
  'script',
  'exec',
  'args',
  'interpreter',
  'exec_interpreter',
  'interpreter_args',
  'interpreterArgs',
  'node_args',
  'cwd',
]);
/** PM2 option aliases (lib/API/schema.json). */
const ALIASES: Record<string, string> = {
  out: 'out_file',
  output: 'out_file',
  out_log: 'out_file',
  error: 'error_file',
  err: 'error_file',
  err_file: 'error_file',
  err_log: 'error_file',
  log: 'log_file',
  cron: 'cron_restart',
};

interface ImportOptions {
  readonly file: string;
  readonly envName: string | null;
  readonly findings: Findings;
}

const appsOf = (value: unknown, file: string): Record<string, unknown>[] => {
  const apps = Array.isArray(value)
    ? value
    : isRecord(value) && Array.isArray(value.apps)
      ? value.apps
      : isRecord(value) && value.script !== undefined
        ? [value]
        : null;
  if (apps === null || !apps.every(isRecord)) {
    throw new TendError(
      'CONFIG_INVALID',
      `${file}: not a PM2 ecosystem: expected { apps: [ { name, script, … } ] }`,
    );
  }
  return apps;
};

const argvOf = (app: Record<string, unknown>, dir: string, program: string, findings: Findings): string[] => {
  const raw = app.script ?? app.exec;
  const script = typeof raw === 'string' ? raw : '';
  if (script === '') throw new TendError('CONFIG_INVALID', `app ${program}: no script`);
  const interpreter = interpreterFor(script, app.interpreter ?? app.exec_interpreter);
  const looksLikeFile = interpreter !== null || script.includes('/') || path.extname(script) !== '';
  const target = looksLikeFile && !path.isAbsolute(script) ? path.resolve(dir, script) : script;
  if (interpreter === 'bun')
    findings.note(
      program,
      'script',
      'PM2 runs .ts files with bun (or node with type stripping): the command uses bun',
    );
  const flags = words(app.interpreter_args ?? app.interpreterArgs ?? app.node_args);
  return [...(interpreter === null ? [] : [interpreter, ...flags]), target, ...words(app.args)];
};

const environment = (
  app: Record<string, unknown>,
  o: ImportOptions,
  program: string,
): Record<string, string> => {
  const env = stringRecord(app.env);
  if (o.envName === null) return env;
  const extra = app[`env_${o.envName}`];
  if (extra === undefined)
    o.findings.warn(program, `env_${o.envName}`, 'not defined for this app: only env is used');
  return { ...env, ...stringRecord(extra) };
};

const applyOptions = (s: AppState): void => {
  for (const [raw, v] of Object.entries(s.app)) {
    const key = ALIASES[raw] ?? raw;
    if (COMMAND_KEYS.has(key) || key === 'env' || key.startsWith('env_')) continue;
    const handler = handlerFor(key);
    if (handler === undefined) s.findings.warn(s.program, raw, 'no equivalent in tend: left out');
    else handler(v, s, key);
  }
  const has = (k: string): boolean => s.entries.some(([e]) => e === k);
  if (!has('stopasgroup') && s.app.treekill !== false)
    s.entries.push(['stopasgroup', 'true'], ['killasgroup', 'true']);
  s.entries.push(['stopsignal', 'INT']);
  if (!has('stopwaitsecs')) s.entries.push(['stopwaitsecs', '2']);
};

const appSection = (app: Record<string, unknown>, o: ImportOptions, index: number): Section => {
  const dir = path.resolve(path.dirname(o.file), typeof app.cwd === 'string' ? app.cwd : '.');
  const script = app.script ?? app.exec;
  const fallback = path.parse(typeof script === 'string' ? script : `app${index}`).name;
  const program = programName(
    typeof app.name === 'string' && app.name !== '' ? app.name : fallback,
    o.findings,
  );
  const numprocs = app.instances === undefined ? 1 : (instanceCount(app.instances) ?? 1);
  const env = environment(app, o, program);
  const s: AppState = { program, app, numprocs, dir, findings: o.findings, entries: [], commented: [], env };
  const literal = (t: string): string => t.replaceAll('%', '%%');
  s.entries.push(
    ['command', literal(commandLine(argvOf(app, dir, program, o.findings)))],
    ['directory', literal(dir)],
  );
  if (numprocs > 1) {
    s.entries.push(['process_name', '%(program_name)s-%(process_num)d'], ['numprocs', String(numprocs)]);
    if (typeof app.instances !== 'number' || app.instances <= 0)
      o.findings.note(
        program,
        'instances',
        `${String(app.instances)} is ${numprocs} processes on this machine`,
      );
  }
  applyOptions(s);
  let envText = environmentValue(s.env, program, o.findings);
  if (numprocs > 1) {
    const name = typeof app.instance_var === 'string' ? app.instance_var : 'NODE_APP_INSTANCE';
    envText = [envText, `${name}="%(process_num)d"`].filter((x) => x !== '').join(',');
  }
  if (envText !== '') s.entries.push(['environment', envText]);
  const entries = s.entries.filter(([k, v]) => readsBack(v, program, k, o.findings));
  return { header: `program:${program}`, entries, trailing: s.commented };
};

const groupSections = (apps: readonly Record<string, unknown>[], sections: readonly Section[]): Section[] => {
  const byNamespace = new Map<string, string[]>();
  apps.forEach((app, i) => {
    if (typeof app.namespace !== 'string' || app.namespace === '') return;
    const name = sections[i]?.header.slice('program:'.length) ?? '';
    byNamespace.set(app.namespace, [...(byNamespace.get(app.namespace) ?? []), name]);
  });
  return [...byNamespace].map(([ns, names]) => ({
    header: `group:${ns.replace(/[:\s[\]]+/g, '-')}`,
    entries: [['programs', names.join(',')]],
    trailing: [],
  }));
};

export const importPm2 = (value: unknown, o: ImportOptions): string => {
  const apps = appsOf(value, o.file);
  if (isRecord(value) && value.deploy !== undefined)
    o.findings.warn(null, 'deploy', 'PM2 deploy has no equivalent in tend: left out');
  const sections = apps.map((app, i) => appSection(app, o, i));
  const env = o.envName === null ? '' : ` --env ${o.envName}`;
  const header = [
    `Generated by \`tend import pm2 ${path.basename(o.file)}${env}\` from ${o.file}.`,
    "tend runs this file; supervisord reads it too and ignores tend's own keys (ready, backoff, memory_limit…).",
  ];
  return renderIni(header, [...sections, ...groupSections(apps, sections)]);
};
