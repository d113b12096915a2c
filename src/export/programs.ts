import type { Config, GroupConfig, ProcessConfig } from '../config/index.js';

// The unit every target works on: one [program:x] (or [eventlistener:x], [fcgi-program:x]) with
// its numprocs processes, and the group it belongs to. Targets map programs, not processes:
// numprocs becomes a template unit, replicas or a count.

export interface ExportProgram {
  readonly program: string;
  readonly group: GroupConfig;
  /** Processes by process number. */
  readonly processes: readonly ProcessConfig[];
  /** The lowest-numbered process: its settings stand for all of them where a target has one spec. */
  readonly first: ProcessConfig;
  /** True when the processes differ in more than their names (a %(process_num)d in a value). */
  readonly varies: boolean;
}

/** Fields that always differ between the processes of one program. */
const PER_PROCESS = new Set(['name', 'processNum', 'source']);

const comparable = (p: ProcessConfig): string =>
  JSON.stringify(Object.entries(p).filter(([k]) => !PER_PROCESS.has(k)));

const toProgram = (group: GroupConfig, processes: ProcessConfig[]): ExportProgram => {
  const sorted = [...processes].sort((a, b) => a.processNum - b.processNum);
  const first = sorted[0] as ProcessConfig;
  const shape = comparable(first);
  return {
    program: first.program,
    group,
    processes: sorted,
    first,
    varies: sorted.some((p) => comparable(p) !== shape),
  };
};

/** Every program of the config, in the order supervisord starts groups (priority, name). */
export const exportPrograms = (config: Config): ExportProgram[] =>
  config.groups.flatMap((group) => {
    const byProgram = new Map<string, ProcessConfig[]>();
    for (const p of group.processes) byProgram.set(p.program, [...(byProgram.get(p.program) ?? []), p]);
    return [...byProgram.values()].map((processes) => toProgram(group, processes));
  });

/** True for a [group:x] section (several programs, or one program under another name). */
export const isExplicitGroup = (g: GroupConfig): boolean => g.origin === 'group';

/** The programs a depends_on name stands for: a program, or every program of a group. */
export const resolveDependency = (programs: readonly ExportProgram[], name: string): ExportProgram[] => {
  const byProgram = programs.filter((p) => p.program === name);
  return byProgram.length > 0 ? byProgram : programs.filter((p) => p.group.name === name);
};
