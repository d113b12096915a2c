// The workloads in the order they run within one repeat.
import { W0 } from './w0.mjs';
import { W1 } from './w1.mjs';
import { W2 } from './w2.mjs';
import { W3 } from './w3.mjs';
import { W4, W4S } from './w4.mjs';
import { W4R } from './w4r.mjs';
import { W5 } from './w5.mjs';
import { W6 } from './w6.mjs';
import { W7 } from './w7.mjs';
import { W8 } from './w8.mjs';
import { W9 } from './w9.mjs';
import { W10 } from './w10.mjs';

export const WORKLOADS = [W0, W1, W2, W3, W4, W4S, W4R, W5, W6, W7, W8, W9, W10];
