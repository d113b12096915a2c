import type { Config } from '../config/types.js';
import type { LogChannel } from '../logs/index.js';
import type { ReloadReport } from '../supervisor/index.js';

/**
 * What the API needs from the daemon that runs it: daemon-level actions the supervisor service
 * cannot do by itself (read the config file, stop or restart the whole daemon) and the daemon's
 * own log. The daemon implements it; tests pass a fake.
 */
export interface DaemonControl {
  /** tend's own version. */
  readonly version: string;
  readonly pid: number;
  /** The daemon's log ([supervisord] logfile) as a channel; null when it has none. */
  readonly mainLog: LogChannel | null;
  /** Reads the config file again; a bad file throws CANT_REREAD and changes nothing. */
  readConfig(): Config;
  /** tend's reload (SIGHUP): apply the config file by difference. */
  reload(): Promise<ReloadReport>;
  /**
   * supervisord's restart: stop everything, read the config again, start again, same pid. The
   * file is read before anything stops (a bad one throws CANT_REREAD); the rest runs after.
   */
  restart(): void;
  /** Stops every program and the daemon, as SIGTERM does; returns at once. */
  shutdown(): void;
}
