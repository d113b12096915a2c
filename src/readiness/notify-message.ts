// The sd_notify wire format (sd_notify(3)): one datagram of newline-separated KEY=VALUE lines.
// Parsing is pure; what each assignment does to the lifecycle is decided by the supervisor's
// wiring and the transition table.

/** systemd reads at most PIPE_BUF (4096 B) per message and drops anything longer; so does tend. */
export const NOTIFY_MAX_BYTES = 4096;

export interface NotifyUpdate {
  readonly ready: boolean;
  readonly reloading: boolean;
  readonly stopping: boolean;
  readonly status: string | null;
  readonly mainpid: number | null;
  readonly errno: number | null;
  /** WATCHDOG=1 is a ping; WATCHDOG=trigger asks for the watchdog action now. */
  readonly watchdog: 'ping' | 'trigger' | null;
  readonly watchdogUsec: number | null;
  readonly extendTimeoutUsec: number | null;
  /** Every assignment, for the record (X_ custom variables, MONOTONIC_USEC, …). */
  readonly assignments: ReadonlyMap<string, string>;
}

/** KEY=VALUE lines; a line without `=` is skipped, as systemd does. Later keys win. */
export const parseAssignments = (text: string): Map<string, string> => {
  const assignments = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    assignments.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return assignments;
};

const integer = (value: string | undefined): number | null => {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
};

/** A datagram's meaning, or null when it is oversize (and must be dropped). */
export const parseNotify = (datagram: Buffer): NotifyUpdate | null => {
  if (datagram.length > NOTIFY_MAX_BYTES) return null;
  const a = parseAssignments(datagram.toString('utf8'));
  const watchdog = a.get('WATCHDOG');
  return {
    ready: a.get('READY') === '1',
    reloading: a.get('RELOADING') === '1',
    stopping: a.get('STOPPING') === '1',
    status: a.get('STATUS') ?? null,
    mainpid: integer(a.get('MAINPID')),
    errno: integer(a.get('ERRNO')),
    watchdog: watchdog === '1' ? 'ping' : watchdog === 'trigger' ? 'trigger' : null,
    watchdogUsec: integer(a.get('WATCHDOG_USEC')),
    extendTimeoutUsec: integer(a.get('EXTEND_TIMEOUT_USEC')),
    assignments: a,
  };
};

/** Encodes assignments for sending (tend telling its own init system). */
export const formatNotify = (assignments: Readonly<Record<string, string | number>>): Buffer =>
  Buffer.from(
    Object.entries(assignments)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('\n'),
  );
