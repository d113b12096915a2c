// `tend check --json`: the document a CI gate reads. Produced by daemon/check.ts from the config
// loader, printed by the CLI; the same shape whether the file is valid or not.

export interface CheckProblem {
  readonly file: string;
  readonly line: number;
  /** The section, or null for a problem of the file itself (a syntax error). */
  readonly section: string | null;
  readonly key: string | null;
  /** The whole message, `file:line: [section] key = "value": reason`. */
  readonly message: string;
}

export interface CheckedLog {
  /** What happens to the stream, e.g. `/var/log/web.log (rotate at 50MB, keep 10)`. */
  readonly text: string;
  readonly path: string | null;
}

export interface CheckedProcess {
  readonly namespec: string;
  readonly name: string;
  readonly group: string;
  readonly groupPriority: number;
  readonly priority: number;
  readonly autostart: boolean;
  readonly command: string;
  readonly directory: string | null;
  readonly user: string | null;
  readonly stdout: CheckedLog;
  readonly stderr: CheckedLog;
  /** memory_limit in bytes (null when off), and the samples in a row that restart. */
  readonly memoryLimit: { readonly bytes: number; readonly checks: number } | null;
  /** cron_restart, its zone (null: the daemon's) and its next three firings (ISO 8601, UTC). */
  readonly cronRestart: {
    readonly expression: string;
    readonly timezone: string | null;
    readonly next: readonly string[];
  } | null;
  readonly file: string;
  readonly line: number;
}

/** An [alert:x] as clients are shown it (tend check, tend alert list). */
export interface AlertSummary {
  readonly name: string;
  readonly via: 'webhook' | 'mail';
  /** Where it sends, without secrets (a webhook's origin, a mail server and its recipients). */
  readonly target: string;
  readonly events: readonly string[];
  readonly programs: readonly string[];
  readonly batchSeconds: number;
}

/** An [alert:x] as the daemon would run it. */
export interface CheckedAlert extends AlertSummary {
  readonly file: string;
  readonly line: number;
}

export interface CheckReport {
  /** No errors (warnings allowed). */
  readonly valid: boolean;
  /** The main file, absolute. */
  readonly file: string;
  /** Every file read, main first, then includes. */
  readonly files: readonly string[];
  /** Sorted by file (in the order read), then line. */
  readonly errors: readonly CheckProblem[];
  readonly warnings: readonly CheckProblem[];
  readonly groups: number;
  /** Empty when the file is not valid: values would be guesses. */
  readonly processes: readonly CheckedProcess[];
  /**
   * What the daemon would do about minfds/minprocs on this machine: raise a soft limit (info),
   * or refuse to start unless it may raise the hard limit too (warning).
   */
  readonly limits: readonly { readonly level: 'info' | 'warning'; readonly text: string }[];
  /** The [alert:x] sections; empty when the file is not valid. */
  readonly alerts: readonly CheckedAlert[];
}
