import type { DaemonControl } from '../api/index.js';
import { ConfigError, loadConfig, warningText, type Config } from '../config/index.js';
import { TendError, toTendError } from '../errors/index.js';
import type { LogChannel } from '../logs/index.js';
import type { LifecycleLog } from '../process/index.js';
import { applyReload, restartSupervisor, type ReloadReport, type Supervisor } from '../supervisor/index.js';
import { TEND_VERSION } from '../version.js';
import { daemonSettingsChanged, driftWarning } from './settings-drift.js';

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
  /** Told around every reload and restart (a host systemd hears RELOADING=1, then READY=1). */
  readonly host: { reloading(): void; ready(): void };
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

/** Runs jobs one after another; `idle` resolves when none is running or queued. */
const serialQueue = () => {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run: <T>(work: () => Promise<T>): Promise<T> => {
      const next = chain.then(work);
      chain = next.catch(() => undefined);
      return next;
    },
    idle: async (): Promise<void> => {
      await chain;
    },
  };
};

// The host hears READY=1 after a reload or restart even when it failed: the daemon keeps running.
const announced = async <T>(host: ControlOptions['host'], work: () => Promise<T>): Promise<T> => {
  host.reloading();
  try {
    return await work();
  } finally {
    host.ready();
  }
};

const reloadReport = (file: string, r: ReloadReport): string =>
  `reloaded ${file}: added [${r.added.join(', ')}], changed [${r.changed.join(', ')}], removed [${r.removed.join(', ')}], ${r.unchanged} unchanged${r.rolling.length === 0 ? '' : `; rolling [${r.rolling.join(', ')}]`}`;

/** Checks the file now (a bad one throws), restarts after whatever reload or restart runs. */
const restartInOrder = (
  options: ControlOptions,
  queue: ReturnType<typeof serialQueue>,
  config: Config,
): void => {
  const { sup, log } = options;
  log('warn', 'restart requested: stopping every program, then starting again from the config');
  queue
    .run(() => announced(options.host, () => restartSupervisor(sup, config)))
    .then(
      () => {
        log('info', `restarted from ${config.file}`);
      },
      (error: unknown) => {
        log('critical', `restart failed: ${toTendError(error).message}`);
      },
    );
};

export const createControl = (options: ControlOptions): Control => {
  const { sup, log } = options;
  const queue = serialQueue();
  // What the daemon's own settings (main log, servers, pid file) were taken from.
  const booted = sup.config;
  const readConfig = (): Config => {
    try {
      const config = loadConfig(options.configPath, { env: options.env, cwd: options.cwd });
      for (const w of config.warnings) log('warn', warningText(w));
      const drift = daemonSettingsChanged(booted, config);
      if (drift.length > 0) log('warn', driftWarning(config.file, drift));
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
      queue.run(() =>
        announced(options.host, async () => {
          const config = readConfig();
          const report = await applyReload(sup, config);
          log('info', reloadReport(config.file, report));
          return report;
        }),
      ),
    restart: () => {
      restartInOrder(options, queue, readConfig());
    },
    shutdown: () => {
      options.requestStop('shutdown requested through the API');
    },
    settled: queue.idle,
  };
};
