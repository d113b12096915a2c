import type { DaemonControl } from '../api/index.js';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { TendError, toTendError } from '../errors/index.js';
import type { LogChannel } from '../logs/index.js';
import type { LifecycleLog } from '../process/index.js';
import { applyReload, restartSupervisor, type ReloadReport, type Supervisor } from '../supervisor/index.js';
import { TEND_VERSION } from '../version.js';

// The daemon-level actions behind the API: read the config file, reload it by difference
// (SIGHUP), restart everything (supervisord's restart), shut down. Reloads and restarts run one
// at a time, in the order asked; shutdown waits for the one in progress (settled()).

export interface ControlOptions {
  readonly sup: Supervisor;
  readonly configPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly log: LifecycleLog;
  readonly mainLog: LogChannel | null;
  /** Starts the daemon's shutdown, as SIGTERM does. */
  readonly requestStop: (why: string) => void;
}

export interface Control extends DaemonControl {
  /** Resolves when no reload or restart is running or queued. */
  settled(): Promise<void>;
}

/** supervisord's CANT_REREAD text: `<reason> in section '<section>' (file: '<file>')`. */
const cantReread = (error: unknown): TendError => {
  const e = toTendError(error);
  const where = error instanceof ConfigError ? error.location : undefined;
  const reason = error instanceof ConfigError ? error.reason : e.message;
  const detail =
    where?.section === undefined ? reason : `${reason} in section '${where.section}' (file: '${where.file}')`;
  return new TendError('CANT_REREAD', `${e.message}; nothing was changed`, {
    cause: error,
    hint: e.hint,
    faultDetail: detail,
  });
};

export const createControl = (options: ControlOptions): Control => {
  const { sup, log } = options;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };
  const readConfig = (): Config => {
    try {
      const config = loadConfig(options.configPath, { env: options.env, cwd: options.cwd });
      for (const w of config.warnings) log('warn', `${w.file}:${w.line}: [${w.section}] ${w.message}`);
      return config;
    } catch (error) {
      throw cantReread(error);
    }
  };
  return {
    version: TEND_VERSION,
    pid: process.pid,
    mainLog: options.mainLog,
    readConfig,
    reload: () =>
      serial(async (): Promise<ReloadReport> => {
        const config = readConfig();
        const report = await applyReload(sup, config);
        log(
          'info',
          `reloaded ${config.file}: added [${report.added.join(', ')}], changed [${report.changed.join(', ')}], removed [${report.removed.join(', ')}], ${report.unchanged} unchanged`,
        );
        return report;
      }),
    restart: () => {
      const config = readConfig();
      log('warn', 'restart requested: stopping every program, then starting again from the config');
      void serial(async () => {
        await restartSupervisor(sup, config);
        log('info', `restarted from ${config.file}`);
      }).catch((error: unknown) => {
        log('critical', `restart failed: ${toTendError(error).message}`);
      });
    },
    shutdown: () => {
      options.requestStop('shutdown requested through the API');
    },
    settled: async () => {
      await chain;
    },
  };
};
