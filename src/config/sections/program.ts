// One [program:x] / [eventlistener:x] / [fcgi-program:x] section → its processes
// (options.py _processes_from_section). Keys are read in supervisord's order with the names it
// offers at each point: process_num, numprocs and the program's own ENV_ names only exist inside
// the per-process loop, and they stay in the table for later processes, as in supervisord.
import { name as nameType } from '../datatypes.js';
import { expandAt, need, raw, read, configError, convertAt, expanded, type Reader } from '../reader.js';
import { PROGRAM_KEYS as K } from '../schema.js';
import { shlexSplit } from '../shlex.js';
import { pyCompare, pyStrip } from '../pystr.js';
import { readerFor, type LoadState } from '../state.js';
import type { EventListenerConfig, FcgiConfig, ProcessConfig, ProgramKind } from '../types.js';
import { readChannel, redirectedStderr } from './logs.js';

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

const readFixed = (r: Reader) => {
  const stopasgroup = need(r, K, 'stopasgroup');
  const fixed = {
    priority: need(r, K, 'priority'),
    autostart: need(r, K, 'autostart'),
    autorestart: need(r, K, 'autorestart'),
    startsecs: need(r, K, 'startsecs'),
    startretries: need(r, K, 'startretries'),
    stopsignal: need(r, K, 'stopsignal'),
    stopwaitsecs: need(r, K, 'stopwaitsecs'),
    stopasgroup,
    killasgroup: need(r, K, 'killasgroup', stopasgroup ? 'true' : 'false'),
    exitcodes: need(r, K, 'exitcodes'),
    redirectStderr: need(r, K, 'redirect_stderr'),
    numprocs: need(r, K, 'numprocs'),
    numprocsStart: need(r, K, 'numprocs_start'),
    environment: raw(r, 'environment'),
  };
  return { ...fixed, ...readFixedTail(r) };
};

const readFixedTail = (r: Reader) => {
  const stdout = {
    captureMaxbytes: need(r, K, 'stdout_capture_maxbytes'),
    eventsEnabled: need(r, K, 'stdout_events_enabled'),
  };
  const stderr = {
    captureMaxbytes: need(r, K, 'stderr_capture_maxbytes'),
    eventsEnabled: need(r, K, 'stderr_events_enabled'),
  };
  const url = expanded(r, 'serverurl')?.value ?? null;
  const serverurl = url !== null && pyStrip(url).toUpperCase() === 'AUTO' ? null : url;
  const user = read(r, K, 'user');
  const umask = read(r, K, 'umask');
  const processName = raw(r, 'process_name');
  const spec = { ...K.process_name, type: nameType };
  const template = convertAt(
    r,
    { key: 'process_name', located: processName },
    spec,
    processName?.value ?? '%(program_name)s',
  );
  return { stdout, stderr, serverurl, user, umask, processName, template };
};

type Fixed = ReturnType<typeof readFixed>;

const checkFixed = (r: Reader, f: Fixed): void => {
  if (f.numprocs > 1 && !f.template.includes('%(process_num)')) {
    throw configError(
      r,
      { key: 'process_name', located: f.processName },
      '%(process_num) must be present within process_name when numprocs > 1',
    );
  }
  if (f.stopasgroup && !f.killasgroup) {
    throw configError(
      r,
      { key: 'killasgroup', located: raw(r, 'killasgroup') },
      'Cannot set stopasgroup=true and killasgroup=false',
    );
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
  const env = convertAt(r, { key: 'environment', located }, K.environment, value);
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
  const stdout = readChannel(state, r, 'stdout', f.stdout);
  const stderrOwn = readChannel(state, r, 'stderr', f.stderr);
  const stderr = f.redirectStderr ? redirectedStderr(state, r, stderrOwn) : stderrOwn;
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
    umask: f.umask,
    user: f.user,
    priority: f.priority,
    autostart: f.autostart,
    autorestart: f.autorestart,
    startsecs: f.startsecs,
    startretries: f.startretries,
    exitcodes: f.exitcodes,
    stopsignal: f.stopsignal,
    stopwaitsecs: f.stopwaitsecs,
    stopasgroup: f.stopasgroup,
    killasgroup: f.killasgroup,
    redirectStderr: f.redirectStderr,
    stdout,
    stderr,
    environment: { ...p.globalEnvironment, ...environment },
    serverurl: f.serverurl,
    eventlistener: p.eventlistener ?? null,
    fcgi: p.fcgi ?? null,
    source: r.at,
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
  checkFixed(r, f);
  const it: Iteration = { state, r, names, f, p, program };
  const processes: ProcessConfig[] = [];
  for (let n = f.numprocsStart; n < f.numprocsStart + f.numprocs; n++) processes.push(makeProcess(it, n));
  return processes.sort((a, b) => a.priority - b.priority || pyCompare(a.name, b.name));
};
