export {
  LogChannel,
  type ChannelFile,
  type ChannelOptions,
  type ChunkListener,
  type ChunkTransform,
  type LineFormatName,
  type StreamName,
} from './channel.js';
export {
  JSON_PIECE_MAX,
  JsonFormat,
  StampFormat,
  type FormatOut,
  type LineFormatter,
  type NativeLineFormat,
} from './line-format.js';
export { SyslogLines, SyslogSender, SYSLOG_LINE_MAX, syslogTime, type SyslogOptions } from './syslog.js';
export { FlushQueue, type FlushQueueOptions } from './flush-queue.js';
export { HoldBudget, type Loss } from './hold.js';
export { LINE_MAX, HOLD_PER_FILE, HOLD_TOTAL } from './bounds.js';
export { MARKER_PREFIX } from './marker.js';
export { RotatingFile, type FileHealth, type FileStats, type RotatingFileOptions } from './rotating-file.js';
export { realTimers, type LogTimers } from './timers.js';
export { readLogRange, tailLog, type TailResult } from './read.js';
export { readLastLines } from './lines.js';
export { Arrivals } from './arrivals.js';
export { readStamped, type StampedLine, type StampedQuery } from './stamped.js';
