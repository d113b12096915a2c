// Every scenario of `npm run chaos`, in the order of the table in docs/reliability.md.
import { KILL9 } from './kill9.mjs';
import { crashStorm } from './crash-storm.mjs';

export const SCENARIOS = [...KILL9, crashStorm];
