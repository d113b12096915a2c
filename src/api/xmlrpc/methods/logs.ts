import type { StreamName } from '../../../logs/index.js';
import {
  clearLogsOf,
  clearMainLog,
  clearProcessLogs,
  readMainLog,
  readProcessLog,
  tailProcessLog,
} from '../../../supervisor/index.js';
import { method, results, type Method, type MethodTable } from './types.js';

// Reading, tailing and clearing the daemon's and the processes' logs. Bytes are decoded as
// UTF-8 with U+FFFD for what is not (supervisord answers HTTP 500 when a read cuts a character).

const readMain = method(2, 2, ({ daemon }, a) =>
  readMainLog(daemon.mainLog, a.int(0), a.int(1)).toString('utf8'),
);

const read = (stream: StreamName): Method =>
  method(3, 3, ({ sup }, a) => readProcessLog(sup, a.string(0), stream, a.int(1), a.int(2)).toString('utf8'));

const tail = (stream: StreamName): Method =>
  method(3, 3, ({ sup }, a) => {
    const { bytes, offset, overflow } = tailProcessLog(sup, a.string(0), stream, a.int(1), a.int(2));
    return [bytes.toString('utf8'), offset, overflow];
  });

const clearOne = method(1, 1, ({ sup }, a) => {
  clearProcessLogs(sup, a.string(0));
  return true;
});

export const LOG_METHODS: MethodTable = {
  'supervisor.readLog': readMain,
  'supervisor.readMainLog': readMain,
  'supervisor.clearLog': method(0, 0, ({ sup, daemon }) => {
    clearMainLog(daemon.mainLog);
    sup.deps.log('info', 'reopening log file');
    return true;
  }),
  'supervisor.readProcessStdoutLog': read('stdout'),
  'supervisor.readProcessLog': read('stdout'),
  'supervisor.readProcessStderrLog': read('stderr'),
  'supervisor.tailProcessStdoutLog': tail('stdout'),
  'supervisor.tailProcessLog': tail('stdout'),
  'supervisor.tailProcessStderrLog': tail('stderr'),
  'supervisor.clearProcessLogs': clearOne,
  'supervisor.clearProcessLog': clearOne,
  'supervisor.clearAllProcessLogs': method(0, 0, ({ sup }) => results(clearLogsOf(sup, sup.targets()))),
};
