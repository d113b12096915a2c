import { TendError } from '../errors/index.js';
import { exitCode, type ExitCode } from './command.js';
import type { Output } from './output.js';

// reread and update report a config that cannot be read, or a daemon that is shutting down, with
// supervisorctl's lines; anything else is thrown to main.

export const configError = (error: unknown, io: Output): ExitCode => {
  if (!(error instanceof TendError) || !['CANT_REREAD', 'SHUTDOWN_STATE'].includes(error.code)) throw error;
  io.err(error.code === 'SHUTDOWN_STATE' ? 'ERROR: supervisor shutting down' : `ERROR: ${error.message}`);
  return exitCode('FAILED');
};
