// Every scenario of `npm run chaos`, in the order of the table in docs/reliability.md.
import { KILL9 } from './kill9.mjs';
import { crashStorm } from './crash-storm.mjs';
import { diskFull } from './disk-full.mjs';
import { CHILDREN } from './children.mjs';
import { LIMITS } from './limits.mjs';
import { HOSTILE } from './hostile.mjs';
import { clockJumps } from './clock.mjs';
import { stalledFollowers } from './followers.mjs';
import { sigstopDaemon } from './sigstop.mjs';

export const SCENARIOS = [
  ...KILL9,
  sigstopDaemon,
  diskFull,
  ...LIMITS,
  crashStorm,
  ...CHILDREN,
  ...HOSTILE,
  stalledFollowers,
  clockJumps,
];
