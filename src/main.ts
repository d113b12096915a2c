import { fileURLToPath } from 'node:url';
import { localTools } from './bin/local.js';
import {
  addCommand,
  createProgram,
  quietOnClosedPipe,
  reportFailure,
  supervisorctlByteCounts,
} from './bin/program.js';
import { COMMANDS } from './cli/commands/index.js';
import { TEND_VERSION } from './version.js';

// bin/tend: one subcommand per module of src/cli/commands (their shape: src/cli/command.ts).
// `daemon`, `check`, `init` and `hash-password` work on this machine and load what they need only
// when run; every other command is a client of a running daemon, found through -s URL or the
// config's [supervisorctl] serverurl / [unix_http_server] file, as supervisorctl finds supervisord.

quietOnClosedPipe();
const local = localTools(fileURLToPath(new URL('../../bin/tend', import.meta.url)));
const program = createProgram(TEND_VERSION);
for (const command of COMMANDS) addCommand(program, command, { local, commands: COMMANDS });

try {
  await program.parseAsync(supervisorctlByteCounts(process.argv));
} catch (error) {
  process.exitCode = reportFailure(error);
}
