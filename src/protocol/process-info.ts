// The JSON API's answers about processes, as both the daemon and the CLI see them.

/** getProcessInfo's struct: supervisord's field names and order, times in epoch seconds. */
export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly state: number;
  readonly statename: string;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly logfile: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
  readonly pid: number;
  readonly description: string;
}

/**
 * CPU and memory of a program's whole process tree (the process and every descendant), from one
 * sampling pass over /proc.
 */
export interface ProcessStats {
  /**
   * Share of one CPU between the last two passes (a tree on several cores can pass 100); null
   * until the process has been seen by two passes.
   */
  readonly cpuPercent: number | null;
  /** CPU time of the tree, user + system, including descendants already reaped by it. */
  readonly cpuSeconds: number;
  /** Sum of the resident set sizes of the tree's processes. */
  readonly rssBytes: number;
  /** How many processes the tree has. */
  readonly pids: number;
  /** Epoch ms of the pass. */
  readonly sampledAt: number;
}

/** One state change, newest last. */
export interface StateChange {
  /** Epoch ms. */
  readonly time: number;
  readonly from: string;
  readonly to: string;
  readonly pid: number;
  /** spawnerr at the time, when there is one. */
  readonly note: string;
}

/** One exit of the process's child, newest last. */
export interface ExitRecord {
  /** Epoch ms. */
  readonly time: number;
  readonly pid: number;
  /** supervisord's exitstatus: the exit code, or -1 after a signal. */
  readonly status: number;
  /** `exit status 3`, `terminated by SIGKILL`. */
  readonly message: string;
  /** Whether the code is in exitcodes (a signal never is). */
  readonly expected: boolean;
  /** How long that child ran, in ms. */
  readonly ranMs: number;
}

/** GET /api/v1/processes/NAME/history: the bounded memory the daemon keeps per process. */
export interface ProcessHistory {
  readonly states: readonly StateChange[];
  readonly exits: readonly ExitRecord[];
  /** Automatic restarts (crash, backoff retry, health or watchdog) since the process was added. */
  readonly restarts: number;
}

/** One key of a process's section as written, and where (the section or [DEFAULT]). */
export interface ConfigKeyRecord {
  readonly key: string;
  readonly value: string;
  readonly file: string;
  readonly line: number;
  /** Written in [DEFAULT], not in the section itself. */
  readonly inherited: boolean;
}

/** GET /api/v1/processes/NAME/config: the section a process comes from, key by key. */
export interface ProcessConfigSource {
  readonly section: string;
  readonly file: string;
  readonly line: number;
  readonly keys: readonly ConfigKeyRecord[];
}
