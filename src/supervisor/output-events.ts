import type { ProcessConfig } from '../config/types.js';
import { decodeOutput, type EventBus } from '../events/index.js';
import type { ChannelOptions, StreamName } from '../logs/index.js';
import type { ListenerLink } from './listener-link.js';

// What a process's output publishes besides its log file: PROCESS_LOG_* per chunk read when
// *_events_enabled is set and someone subscribes (so the hot path pays nothing otherwise), and
// PROCESS_COMMUNICATION_* per capture block when *_capture_maxbytes is set. An event listener's
// stdout instead feeds its protocol, as supervisord's PEventListenerDispatcher does (no capture,
// no log events there).

export interface OutputSource {
  readonly bus: EventBus;
  readonly config: ProcessConfig;
  /** The child's pid when the output is read. */
  readonly pid: () => number;
}

type Hooks = Pick<ChannelOptions, 'onOutput' | 'capture'>;

const LOG_TYPE = { stdout: 'PROCESS_LOG_STDOUT', stderr: 'PROCESS_LOG_STDERR' } as const;
const COMM_TYPE = { stdout: 'PROCESS_COMMUNICATION_STDOUT', stderr: 'PROCESS_COMMUNICATION_STDERR' } as const;

export const outputHooks = (source: OutputSource, stream: StreamName): Hooks => {
  const { bus, config, pid } = source;
  const { eventsEnabled, captureMaxbytes } = config[stream];
  const who = { group: config.group, name: config.name, channel: stream };
  const hooks: { -readonly [K in keyof Hooks]: Hooks[K] } = {};
  if (eventsEnabled) {
    const type = LOG_TYPE[stream];
    hooks.onOutput = (data) => {
      if (bus.wants(type)) bus.emit({ type, ...who, pid: pid(), data: decodeOutput(data) });
    };
  }
  if (captureMaxbytes > 0) {
    const type = COMM_TYPE[stream];
    hooks.capture = {
      maxbytes: captureMaxbytes,
      onBlock: (data) => {
        bus.emit({ type, ...who, pid: pid(), data: decodeOutput(data) });
      },
    };
  }
  return hooks;
};

export const listenerHooks = (link: ListenerLink): Hooks => ({
  onOutput: (data) => {
    link.feed(data);
  },
});
