export {
  FlushQueue,
  LogChannel,
  type ChannelFile,
  type ChannelOptions,
  type ChunkListener,
  type StreamName,
} from './channel.js';
export { RotatingFile, type FileHealth, type FileStats, type RotatingFileOptions } from './rotating-file.js';
export { readLogRange, tailLog, type TailResult } from './read.js';
export { readLastLines } from './lines.js';
