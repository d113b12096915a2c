import { rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ALERT_DRAIN_MS, superviseAlerts, type AlertService } from '../alerts/index.js';
import { createApi } from '../api/index.js';
import { loadConfig, warningText, type Config } from '../config/index.js';
import { isTendError, toExitCode, toTendError } from '../errors/index.js';
import { realClock, selectSpawner, type LifecycleLog, type Spawner } from '../process/index.js';
import { procSource } from '../stats/index.js';
import { Supervisor, beginRunning, cleanupAutoLogs, shutdown } from '../supervisor/index.js';
import { TEND_VERSION } from '../version.js';
import { createControl, type Control } from './control.js';
import { ChildRegistry, findLeftovers, recordingSpawner } from './children.js';
import { watchCritical } from './critical.js';
import { takeInitRole, type InitRole } from './init.js';
import { startGuardian, stopLeftovers } from './guardian.js';
import { claimUnixSocket, closeServer, listenInet, listenUnix, newServer } from './listen.js';
import { hostNotifier, type HostNotifier } from './host-notify.js';
import { claimPidfile } from './pidfile.js';
import { SignalInbox } from './signals.js';
import { createDaemonLog, type DaemonLog, type LogFormat } from './logger.js';
import { dropPrivileges } from './privileges.js';
import { applyMinimums } from './rlimits.js';
import { startWeb } from './web.js';

export interface DaemonOptions {
  readonly configPath: string;
  readonly logFormat: LogFormat;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Reap orphans as a subreaper (PR_SET_CHILD_SUBREAPER); automatic as PID 1. */
  readonly subreaper?: boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

// `tend daemon`: load the config, claim the control socket, clean up after a crashed predecessor,
// start the guardian, serve the API, autostart programs, then react to signals until told to
// stop. Returns the exit code: 0 after a clean shutdown, 2 for a bad config, 1 otherwise; as a
// container's init also 3 when the stop was not clean (SIGKILL needed), and 4 when a critical
// program gave up (init.ts).
export const runDaemon = async (options: DaemonOptions): Promise<number> => {
  const inbox = new SignalInbox();
  try {
    return await runWith(options, inbox);
  } finally {
    inbox.close();
  }
};

const runWith = async (options: DaemonOptions, inbox: SignalInbox): Promise<number> => {
  let config: Config;
  try {
    config = loadConfig(options.configPath, { env: options.env, cwd: options.cwd });
  } catch (error) {
    const e = toTendError(error);
    process.stderr.write(`Error: ${e.message}\n${e.hint === undefined ? '' : `${e.hint}\n`}`);
    return toExitCode(isTendError(error) && e.code === 'CONFIG_INVALID' ? 'CONFIG_INVALID' : 'FAILED');
  }
  const s = config.supervisord;
  const daemonLog = createDaemonLog({
    format: options.logFormat,
    level: s.loglevel,
    stdout: !s.silent,
    file:
      s.logfile === null ? null : { path: s.logfile, maxbytes: s.logfileMaxbytes, backups: s.logfileBackups },
    syslogSocket: s.syslogSocket,
    toSyslog: s.logfileSyslog,
  });
  const log = daemonLog.log;
  try {
    return await serve(config, options, daemonLog, inbox);
  } catch (error) {
    const e = toTendError(error);
    log('critical', `${e.message}${e.hint === undefined ? '' : ` (${e.hint})`}`);
    daemonLog.close();
    // A config that loads but cannot be put to work (a socket's port in use) is still the config's fault.
    return toExitCode(e.code === 'CONFIG_INVALID' ? 'CONFIG_INVALID' : 'FAILED');
  }
};

const announceConfig = (config: Config, log: LifecycleLog): void => {
  for (const w of config.warnings) log('warn', warningText(w));
  if (!config.supervisord.nodaemon) {
    log(
      'info',
      'tend always stays in the foreground (nodaemon=false is ignored); run it under an init system',
    );
  }
  if (config.unixHttpServer !== null && config.unixHttpServer.username === null) {
    log(
      'info',
      `control socket ${config.unixHttpServer.file} is protected by its file mode ${config.unixHttpServer.chmod.toString(8)}`,
    );
  }
  if (config.inetHttpServer !== null && config.inetHttpServer.username === null) {
    log('critical', `Server 'inet_http_server' running without any HTTP authentication checking`);
  }
};

const serve = async (
  config: Config,
  options: DaemonOptions,
  daemonLog: DaemonLog,
  inbox: SignalInbox,
): Promise<number> => {
  const { log } = daemonLog;
  const s = config.supervisord;
  dropPrivileges(s.user, log);
  const refusal = await applyMinimums(s, log);
  if (refusal !== null) {
    // supervisord's usage(): the message on stderr, exit 2, before anything is claimed.
    process.stderr.write(`Error: ${refusal}\n`);
    log('critical', refusal);
    daemonLog.close();
    return toExitCode('CONFIG_INVALID');
  }
  announceConfig(config, log);
  if (config.unixHttpServer !== null) await claimUnixSocket(config.unixHttpServer.file);
  const releasePidfile = claimPidfile(s.pidfile);
  try {
    return await supervise(config, options, daemonLog, inbox);
  } finally {
    releasePidfile();
  }
};

// Stops what a crashed predecessor left running, then records every child from now on and starts
// the guardian that stops them if this daemon dies without cleaning up.
const takeOverChildren = async (pidfile: string, env: DaemonOptions['env'], log: LifecycleLog) => {
  const choice = selectSpawner(env);
  log(choice.degraded ? 'warn' : 'info', choice.note);
  const spawner = choice.spawner;
  const statePath = `${pidfile}.children`;
  await stopLeftovers(findLeftovers(statePath, spawner), spawner, log);
  const registry = new ChildRegistry(statePath);
  const guardian = startGuardian(statePath);
  return {
    spawner: recordingSpawner(spawner, registry),
    close: (): void => {
      registry.close();
      rmSync(statePath, { force: true });
      guardian.close();
    },
  };
};

const newSupervisor = (config: Config, options: DaemonOptions, spawner: Spawner, daemonLog: DaemonLog) =>
  new Supervisor(config, {
    spawner,
    clock: realClock,
    log: daemonLog.log,
    syslog: daemonLog.syslog,
    env: options.env,
    cwd: options.cwd,
    notifyDir: `${config.supervisord.pidfile}.notify`,
    procSource: procSource(),
  });

const supervise = async (
  config: Config,
  options: DaemonOptions,
  daemonLog: DaemonLog,
  inbox: SignalInbox,
): Promise<number> => {
  const { log } = daemonLog;
  const s = config.supervisord;
  const init = takeInitRole(options.subreaper === true, log);
  try {
    const children = await takeOverChildren(s.pidfile, options.env, log);
    if (!s.nocleanup) cleanupAutoLogs(s.childlogdir, s.identifier);
    const sup = newSupervisor(config, options, init.audit(children.spawner), daemonLog);
    const notifier = hostNotifier(options.env, sup, log);
    const alerts = superviseAlerts(sup, log);
    const plane = await startControlPlane(sup, config, options, daemonLog, { host: notifier, alerts });
    log('info', `tend ${TEND_VERSION} started with pid ${process.pid} (config ${config.file})`);
    // A stop that came during start-up is handled next: spawning everything first would only stop it.
    if (!inbox.stopPending()) beginRunning(sup);
    notifier.ready();
    const end = await waitForEnd(sup, plane, daemonLog, inbox);
    notifier.stopping();
    init.beginShutdown();
    await stopEverything(sup, plane, config, { init, alerts });
    children.close();
    notifier.close();
    const code = end.critical
      ? toExitCode('DAEMON_CRITICAL_FATAL')
      : init.active && !init.clean
        ? toExitCode('DAEMON_UNCLEAN_STOP')
        : 0;
    log('info', `tend stopped${code === 0 ? '' : ` (exit code ${code})`}`);
    daemonLog.close();
    return code;
  } finally {
    init.close();
  }
};

type Plane = Awaited<ReturnType<typeof startControlPlane>>;

// Until a stop signal, a shutdown request, or a critical program giving up (exit_on, critical).
const waitForEnd = async (
  sup: Supervisor,
  plane: Plane,
  daemonLog: DaemonLog,
  inbox: SignalInbox,
): Promise<{ why: string; critical: boolean }> => {
  const critical = watchCritical(sup);
  const end = await Promise.race([
    waitForStopSignal(sup, plane.control, daemonLog, inbox).then((why) => ({ why, critical: false })),
    plane.stopRequested.then((why) => ({ why, critical: false })),
    critical.fatal.then((why) => ({ why, critical: true })),
  ]);
  critical.close();
  daemonLog.log(end.critical ? 'critical' : 'warn', end.why);
  return end;
};

// Programs in reverse priority, then (as an init) orphans, then the control servers.
const stopEverything = async (
  sup: Supervisor,
  plane: Plane,
  config: Config,
  { init, alerts }: { init: InitRole; alerts: AlertService },
): Promise<void> => {
  await plane.control.settled();
  await shutdown(sup);
  await init.stopOrphans();
  // What the alerts hold (a critical program's FATAL, say) goes out before the daemon does.
  await alerts.close(ALERT_DRAIN_MS);
  sup.close();
  plane.closeWeb();
  for (const server of plane.servers) await closeServer(server);
  if (config.unixHttpServer !== null) rmSync(config.unixHttpServer.file, { force: true });
};

// Each listener asks for its own section's credentials, as supervisord's servers do.
const credentialsFor = (config: Config, unix: boolean): { username: string; password: string } | null => {
  const server = unix ? config.unixHttpServer : config.inetHttpServer;
  if (server?.username == null || server.password === null) return null;
  return { username: server.username, password: server.password };
};

const listenAll = async (
  primary: Server,
  handler: Handler | undefined,
  config: Config,
  log: LifecycleLog,
): Promise<Server[]> => {
  const servers: Server[] = [];
  if (config.unixHttpServer !== null) {
    const u = config.unixHttpServer;
    await listenUnix(primary, { path: u.file, mode: u.chmod, owner: u.chown });
    servers.push(primary);
    log('info', `control socket: ${u.file} (try: tend status -c ${config.file})`);
  }
  if (config.inetHttpServer !== null && handler !== undefined) {
    const inet = config.inetHttpServer;
    const server = servers.length === 0 ? primary : newServer(handler);
    await listenInet(server, inet.host, inet.port);
    servers.push(server);
    log('info', `HTTP server: http://${inet.host === '' ? '*' : inet.host}:${inet.port}`);
  }
  return servers;
};

// The API on every configured listener, and the daemon-level actions behind it. Resolves
// `stopRequested` when a client asks the daemon to shut down.
const startControlPlane = async (
  sup: Supervisor,
  config: Config,
  options: DaemonOptions,
  daemonLog: DaemonLog,
  { host, alerts }: { host: HostNotifier; alerts: AlertService },
): Promise<{ control: Control; servers: Server[]; stopRequested: Promise<string>; closeWeb: () => void }> => {
  const { log } = daemonLog;
  let requestStop: (why: string) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    requestStop = resolve;
  });
  const control = createControl({
    sup,
    configPath: options.configPath,
    env: options.env,
    cwd: options.cwd,
    log,
    mainLog: daemonLog.channel,
    requestStop: (why) => {
      requestStop(why);
    },
    host,
  });
  const servers = await serveApi(sup, { control, config, log, alerts });
  const web = await startWeb(config, sup, control, log).catch(async (error: unknown) => {
    for (const server of servers) await closeServer(server);
    throw error;
  });
  return {
    control,
    servers: web === null ? servers : [...servers, web.server],
    stopRequested,
    closeWeb: () => web?.close(),
  };
};

interface ApiParts {
  readonly control: Control;
  readonly config: Config;
  readonly log: LifecycleLog;
  readonly alerts: AlertService;
}

const serveApi = async (sup: Supervisor, { control, config, log, alerts }: ApiParts) => {
  let handler: Handler | undefined;
  const app = createApi({
    supervisor: sup,
    daemon: control,
    alerts,
    log,
    credentialsFor: (request) => credentialsFor(config, request.socket.remoteAddress === undefined),
    serverFactory: (h) => {
      handler = h;
      return newServer(h);
    },
  });
  await app.ready();
  return listenAll(app.server, handler, config, log);
};

// Resolves with what to log when a stop signal arrives; meanwhile SIGHUP reloads by difference
// and SIGUSR2 reopens the log files.
const waitForStopSignal = (
  sup: Supervisor,
  control: Control,
  daemonLog: DaemonLog,
  inbox: SignalInbox,
): Promise<string> =>
  new Promise((resolve) => {
    const { log } = daemonLog;
    let stopping = false;
    inbox.deliver((signal) => {
      if (signal === 'SIGHUP') {
        if (sup.state !== 'RUNNING') {
          log('warn', `received SIGHUP while ${sup.state.toLowerCase()}; ignored`);
          return;
        }
        log('info', 'received SIGHUP indicating reload request (applying the config by difference)');
        control.reload().catch((error: unknown) => {
          log('error', `reload failed: ${toTendError(error).message}`);
        });
      } else if (signal === 'SIGUSR2') {
        log('info', 'received SIGUSR2 indicating log reopen request');
        sup.reopenLogs();
        daemonLog.reopen();
      } else if (stopping) {
        log('warn', `received ${signal} while already shutting down`);
      } else {
        stopping = true;
        resolve(`received ${signal} indicating exit request`);
      }
    });
  });
