import type { Readable } from 'node:stream';
import type { GroupConfig, LogConfig, ProcessConfig, SupervisordConfig } from '../config/types.js';
import {
  FlushQueue,
  LogChannel,
  type ChannelOptions,
  SyslogLines,
  type FileHealth,
  type LineFormatName,
  type StreamName,
  type SyslogSender,
} from '../logs/index.js';
import { ManagedProcess, type ProcessDeps } from '../process/index.js';
import { createAutoLog } from './autolog.js';
import { EntryReadiness, type ReadinessDeps } from './entry-readiness.js';
import { ListenerLink } from './listener-link.js';
import type { ListenerPool } from './listener-pool.js';
import { listenerHooks, outputHooks } from './output-events.js';
import { makeNamespec } from '../protocol/names.js';
import type { SocketGrant, SocketTable } from './sockets.js';

// A process as the supervisor holds it: the lifecycle plus the two log channels its output goes
// to. Channels belong to the entry, not to a child, so restarts keep writing to the same files.

export interface ProcessEntry {
  readonly proc: ManagedProcess;
  readonly stdout: LogChannel;
  readonly stderr: LogChannel;
  readonly readiness: EntryReadiness;
  /** The listener protocol, for a process of an [eventlistener:x] pool. */
  readonly listener: ListenerLink | null;
  /** The program's listening socket, held while the entry exists (socket activation). */
  readonly socket: SocketGrant | null;
}

export interface ActiveGroup {
  readonly config: GroupConfig;
  /** In config order (already sorted by process priority). */
  readonly processes: Map<string, ProcessEntry>;
}

export interface EntryFactory {
  readonly supervisord: SupervisordConfig;
  readonly queue: FlushQueue;
  readonly processDeps: Omit<ProcessDeps, 'onSpawn' | 'onExit'>;
  readonly onHealth: (config: ProcessConfig, stream: StreamName, event: FileHealth) => void;
  readonly readiness: ReadinessDeps;
  /** The pool of an event listener's group, as it is now. */
  readonly pool: (group: string) => ListenerPool | undefined;
  /** The local syslog, for *_syslog (made on first use). */
  readonly syslog: () => SyslogSender;
  readonly sockets: SocketTable;
}

const lineFormatOf = (config: ProcessConfig): LineFormatName =>
  config.logFormat === 'json' ? 'json' : config.logTimestamps ? 'stamped' : 'raw';

const logPath = (
  factory: EntryFactory,
  config: ProcessConfig,
  stream: StreamName,
  log: LogConfig,
): string | null => {
  switch (log.target.kind) {
    case 'none':
      return null;
    case 'file':
      return log.target.path;
    case 'auto':
      return createAutoLog(
        factory.supervisord.childlogdir,
        config.name,
        stream,
        factory.supervisord.identifier,
      );
  }
};

type OutputHooks = Pick<ChannelOptions, 'onOutput' | 'capture'>;

const channel = (
  factory: EntryFactory,
  config: ProcessConfig,
  stream: StreamName,
  hooks: OutputHooks,
): LogChannel => {
  const log = config[stream];
  // redirect_stderr sends fd 2 into the stdout pipe: the stderr channel has nothing to write.
  const path = stream === 'stderr' && config.redirectStderr ? null : logPath(factory, config, stream, log);
  return new LogChannel(
    {
      owner: makeNamespec(config.group, config.name),
      stream,
      file:
        path === null
          ? null
          : { path, maxbytes: log.maxbytes, backups: log.backups, maxageMs: log.maxage * 1000 },
      stripAnsi: factory.supervisord.stripAnsi,
      lineFormat: lineFormatOf(config),
      // supervisord tags syslog lines with the process name (dispatchers.py _init_normallog).
      syslog: log.syslog ? new SyslogLines(factory.syslog(), config.name) : null,
      ...hooks,
      onHealth: (_owner, s, event) => {
        factory.onHealth(config, s, event);
      },
    },
    factory.queue,
  );
};

// An output pipe as the spawner gave it: its bare descriptor (the native spawner, with
// rawOutput), else its stream; null when there is none.
const pipeOf = (fd: number | undefined, stream: Readable | null): Readable | number | null =>
  fd !== undefined && fd >= 0 ? fd : stream;

export const createEntry = (factory: EntryFactory, config: ProcessConfig): ProcessEntry => {
  const events = { bus: factory.processDeps.bus, config, pid: () => proc.pid };
  const listener =
    config.kind === 'eventlistener'
      ? new ListenerLink({ log: factory.processDeps.log, pool: () => factory.pool(config.group) })
      : null;
  const stdout = channel(
    factory,
    config,
    'stdout',
    listener === null ? outputHooks(events, 'stdout') : listenerHooks(listener),
  );
  const stderr = channel(factory, config, 'stderr', outputHooks(events, 'stderr'));
  const readiness = new EntryReadiness(config, factory.readiness, makeNamespec(config.group, config.name));
  const socket = factory.sockets.grant(config);
  const proc: ManagedProcess = new ManagedProcess(config, {
    ...factory.processDeps,
    extraEnv: readiness.extraEnv,
    listenSocket: socket,
    onSpawn: (_proc, child) => {
      listener?.spawned();
      const out = pipeOf(child.stdoutFd, child.stdout);
      const err = pipeOf(child.stderrFd, child.stderr);
      if (out !== null) child.holdExit(stdout.attach(out, child.pid));
      if (err !== null) child.holdExit(stderr.attach(err, child.pid));
      readiness.onSpawn();
    },
    // The pipes have reached their end: what they held is written, and the files' descriptors
    // are let go until the next child writes (a stopped program holds none).
    onExit: () => {
      stdout.release();
      stderr.release();
      listener?.exited();
    },
  });
  readiness.attach(proc);
  listener?.attach(proc);
  return { proc, stdout, stderr, readiness, listener, socket };
};

export const createGroup = (factory: EntryFactory, config: GroupConfig): ActiveGroup => ({
  config,
  processes: new Map(config.processes.map((p) => [p.name, createEntry(factory, p)])),
});

export const closeEntry = (entry: ProcessEntry): void => {
  entry.socket?.release();
  entry.readiness.close();
  entry.stdout.close();
  entry.stderr.close();
};
