import type { CommandModule } from '../command.js';
import * as add from './add.js';
import * as alert from './alert.js';
import * as avail from './avail.js';
import * as check from './check.js';
import * as clear from './clear.js';
import * as completion from './completion.js';
import * as daemon from './daemon.js';
import * as describe from './describe.js';
import * as events from './events.js';
import * as exportCmd from './export.js';
import * as fg from './fg.js';
import * as hashPassword from './hash-password.js';
import * as importCmd from './import.js';
import * as init from './init.js';
import * as logs from './logs.js';
import * as maintail from './maintail.js';
import * as pid from './pid.js';
import * as reload from './reload.js';
import * as remove from './remove.js';
import * as reread from './reread.js';
import * as restart from './restart.js';
import * as rollout from './rollout.js';
import * as shutdown from './shutdown.js';
import * as signal from './signal.js';
import * as start from './start.js';
import * as status from './status.js';
import * as stop from './stop.js';
import * as tail from './tail.js';
import * as top from './top.js';
import * as update from './update.js';
import * as version from './version.js';
import * as wait from './wait.js';

// Every `tend` command, in the order `tend --help` and docs/cli.md list them. A new command is one
// module in this folder (see ../command.ts for its shape) and one entry here.
export const COMMANDS: readonly CommandModule[] = [
  status,
  describe,
  top,
  start,
  stop,
  restart,
  rollout,
  signal,
  tail,
  logs,
  maintail,
  fg,
  pid,
  wait,
  reread,
  update,
  avail,
  add,
  remove,
  clear,
  reload,
  shutdown,
  version,
  events,
  alert,
  daemon,
  check,
  init,
  exportCmd,
  importCmd,
  hashPassword,
  completion,
];
