// One [program:x] / [eventlistener:x] / [fcgi-program:x] section → its processes
// (options.py _processes_from_section). Keys are read in supervisord's order with the names it
// offers at each point: process_num, numprocs and the program's own ENV_ names only exist inside
// the per-process loop, and they stay in the table for later processes, as in supervisord.
import { name as nameType } from '../datatypes.js';
import {
  configError,
  convertAt,
  expandAt,
  expanded,
  need,
  raw,
  read,
  type Located,
  type Reader,
} from '../reader.js';
import { PROGRAM_KEYS as K } from '../schema.js';
import { report } from '../sink.js';
import { shlexSplit } from '../shlex.js';
import { pyCompare, pyStrip } from '../pystr.js';
import { readerFor, type LoadState } from '../state.js';
import { optionNames } from '../ini.js';
import type { EventListenerConfig, FcgiConfig, ProcessConfig, ProgramKind, SectionSource } from '../types.js';
import { readChannel, redirectedStderr, type ChannelStatic } from './logs.js';
import { checkSharedSocket, readListenSocket } from './socket.js';
import { readTendKeys, type TendKeys } from './tend-keys.js';

export interface ProgramSection {
  readonly section: string;
  readonly group: string;
  readonly kind: ProgramKind;
  readonly globalEnvironment: Readonly<Record<string, string>>;
  readonly eventlistener?: EventListenerConfig;
  readonly fcgi?: FcgiConfig;
}

/** The section name after `program:` etc., validated as supervisord validates it. */
export const programName = (state: LoadState, section: string): string => {
  const r = readerFor(state, section);
  try {
    return nameType.convert(section.slice(section.indexOf(':') + 1), r.paths);
  } catch (error) {
    throw configError(r, {}, error instanceof Error ? error.message : String(error));
  }
};

type Shared = Pick<
  ProcessConfig,
  | 'priority'
  | 'autostart'
  | 'autorestart'
  | 'startsecs'
  | 'startretries'
  | 'stopsignal'
  | 'stopwaitsecs'
  | 'stopasgroup'
  | 'killasgroup'
  | 'exitcodes'
  | 'redirectStderr'
  | 'serverurl'
  | 'user'
  | 'umask'
>;

/** What supervisord reads once per section, before the per-process loop. */
interface Fixed {
  readonly shared: Shared;
  readonly tend: TendKeys;
  readonly numprocs: number;
  readonly numprocsStart: number;
  readonly environment: Located | undefined;
  readonly stdout: ChannelStatic;
  readonly stderr: ChannelStatic;
  readonly processName: Located | undefined;
  readonly template: string;
}

const readBehaviour = (r: Reader) => {
  const stopasgroup = need(r, K.stopasgroup);
  return {
    priority: need(r, K.priority),
    autostart: need(r, K.autostart),
    autorestart: need(r, K.autorestart),
    startsecs: need(r, K.startsecs),
    startretries: need(r, K.startretries),
    stopsignal: need(r, K.stopsignal),
    stopwaitsecs: need(r, K.stopwaitsecs),
    stopasgroup,
    killasgroup: need(r, { ...K.killasgroup, default: stopasgroup ? 'true' : 'false' }),
    exitcodes: need(r, K.exitcodes),
    redirectStderr: need(r, K.redirect_stderr),
  };
};

const channelStatic = (r: Reader, channel: 'stdout' | 'stderr'): ChannelStatic => ({
  captureMaxbytes: need(r, K[`${channel}_capture_maxbytes`]),
  eventsEnabled: need(r, K[`${channel}_events_enabled`]),
});

const readFixed = (r: Reader): Fixed => {
  const behaviour = readBehaviour(r);
  const numprocs = need(r, K.numprocs);
  const numprocsStart = need(r, K.numprocs_start);
  const environment = raw(r, 'environment');
  const stdout = channelStatic(r, 'stdout');
  const stderr = channelStatic(r, 'stderr');
  const url = expanded(r, 'serverurl')?.value ?? null;
  const serverurl = url !== null && pyStrip(url).toUpperCase() === 'AUTO' ? null : url;
  const user = read(r, K.user);
  const umask = read(r, K.umask);
  const processName = raw(r, 'process_name');
  const value = processName?.value ?? '%(program_name)s';
  const template = convertAt(r, { ...K.process_name, type: nameType }, { located: processName, value });
  const shared = { ...behaviour, serverurl, user, umask };
  const tend = readTendKeys(r);
  return { shared, tend, numprocs, numprocsStart, environment, stdout, stderr, processName, template };
};

const checkFixed = (r: Reader, f: Fixed, kind: ProgramKind): void => {
  // An event listener speaks on stdin/stdout; an fcgi-program reads its own `socket` (as fd 0).
  if (kind === 'eventlistener' && raw(r, 'socket') !== undefined) {
    report(
      r,
      configError(r, { key: 'socket', located: raw(r, 'socket') }, 'socket applies to [program:x] only'),
    );
  }
  if (f.numprocs > 1 && !f.template.includes('%(process_num)')) {
    const reason = '%(process_num) must be present within process_name when numprocs > 1';
    report(r, configError(r, { key: 'process_name', located: f.processName }, reason));
  }
  if (f.shared.stopasgroup && !f.shared.killasgroup) {
    const reason = 'Cannot set stopasgroup=true and killasgroup=false';
    report(r, configError(r, { key: 'killasgroup', located: raw(r, 'killasgroup') }, reason));
  }
};

const readEnvironment = (
  r: Reader,
  names: Map<string, string | number>,
  f: Fixed,
): Record<string, string> => {
  const located = f.environment;
  const at = { key: 'environment', located, label: 'environment', names };
  const value = located === undefined ? '' : expandAt(r, at, located.value);
  const env = convertAt(r, K.environment, { located, value });
  for (const [k, v] of Object.entries(env)) names.set(`ENV_${k}`, v);
  return env;
};

// A command shlex cannot split is not a parse error in supervisord: the spawn fails with
// "can't parse command ...". argv stays empty here and the process layer re-runs shlexSplit to
// report that same message at spawn time.
const splitCommand = (command: string): string[] => {
  try {
    return shlexSplit(command);
  } catch {
    return [];
  }
};

/** The section's keys as written, its own and those it inherits from [DEFAULT]. */
const sectionSource = (r: Reader): SectionSource => ({
  ...r.at,
  section: r.section,
  keys: optionNames(r.store, r.section).flatMap((key) => {
    const found = raw(r, key);
    if (found === undefined) return [];
    const own = r.store.sections.get(r.section)?.values.get(key);
    const inherited = own === undefined || own.inherited;
    return [{ key, value: found.value, file: found.file, line: found.line, inherited }];
  }),
});

interface Iteration {
  readonly state: LoadState;
  readonly r: Reader;
  readonly names: Map<string, string | number>;
  readonly f: Fixed;
  readonly p: ProgramSection;
  readonly program: string;
}

const makeProcess = (it: Iteration, processNum: number): ProcessConfig => {
  const { state, r, names, f, p } = it;
  names.set('process_num', processNum);
  names.set('numprocs', f.numprocs);
  for (const [k, v] of state.envNames) names.set(k, v);
  const environment = readEnvironment(r, names, f);
  const directory = expanded(r, 'directory')?.value ?? null;
  const stdout = readChannel({ state, r }, 'stdout', f.stdout);
  const stderrOwn = readChannel({ state, r }, 'stderr', f.stderr);
  const stderr = f.shared.redirectStderr ? redirectedStderr({ state, r }, stderrOwn) : stderrOwn;
  const command = expanded(r, 'command')?.value;
  if (command === undefined)
    throw configError(r, {}, `program section ${r.section} does not specify a command`);
  const name = expandAt(
    r,
    { key: 'process_name', located: f.processName, label: 'process_name' },
    f.template,
  );
  return {
    name,
    group: p.group,
    program: it.program,
    kind: p.kind,
    processNum,
    command,
    argv: splitCommand(command),
    directory,
    ...f.shared,
    ...f.tend,
    stdout,
    stderr,
    environment: { ...p.globalEnvironment, ...environment },
    socket: p.kind === 'program' ? readListenSocket(r, names) : null,
    surge: [],
    eventlistener: p.eventlistener ?? null,
    fcgi: p.fcgi ?? null,
    source: sectionSource(r),
  };
};

/** All processes of one program-type section, sorted by (priority, name) like supervisord. */
export const processesFromSection = (state: LoadState, p: ProgramSection): ProcessConfig[] => {
  const program = programName(state, p.section);
  const names = new Map<string, string | number>([
    ...state.envNames,
    ['here', state.here],
    ['program_name', program],
    ['host_node_name', state.hostname],
    ['group_name', p.group],
  ]);
  const r: Reader = { ...readerFor(state, p.section), names };
  const f = readFixed(r);
  checkFixed(r, f, p.kind);
  const it: Iteration = { state, r, names, f, p, program };
  const processes: ProcessConfig[] = [];
  for (let n = f.numprocsStart; n < f.numprocsStart + f.numprocs; n++) processes.push(makeProcess(it, n));
  checkSharedSocket(r, processes);
  const surge = surgeProcesses(it, processes);
  return processes
    .map((p) => (surge.length === 0 ? p : { ...p, surge }))
    .sort((a, b) => a.priority - b.priority || pyCompare(a.name, b.name));
};

// A rolling restart's extra instances get process numbers after the program's own, so that what
// %(process_num)s distinguishes (a health port) differs from every regular instance's.
const surgeProcesses = (it: Iteration, processes: readonly ProcessConfig[]): ProcessConfig[] => {
  const { f, program } = it;
  if (f.tend.restartStrategy !== 'rolling' || it.p.kind !== 'program') return [];
  const taken = new Set(processes.map((p) => p.name));
  const first = f.numprocsStart + f.numprocs;
  return Array.from({ length: f.tend.rollingMaxSurge }, (_, k) => {
    const base = `${program}-surge${k === 0 ? '' : String(k + 1)}`;
    const name = taken.has(base) ? `${base}-${String(first + k)}` : base;
    return { ...makeProcess(it, first + k), name };
  });
};
