// The workloads in the order they run within one repeat.
import { W0 } from './w0.mjs';
import { W1 } from './w1.mjs';
import { W2 } from './w2.mjs';
import { W3 } from './w3.mjs';
import { W3A } from './w3a.mjs';
import { W4, W4S } from './w4.mjs';
import { W4A, W4R } from './w4r.mjs';
import { W4J, W4T } from './w4f.mjs';
import { W5 } from './w5.mjs';
import { W6 } from './w6.mjs';
import { W7 } from './w7.mjs';
import { W8 } from './w8.mjs';
import { W9 } from './w9.mjs';
import { W10 } from './w10.mjs';
import { W11 } from './w11.mjs';
import { W12 } from './w12.mjs';
import { W13 } from './w13.mjs';

export const WORKLOADS = [W0, W1, W2, W3, W3A, W4, W4S, W4T, W4J, W4R, W4A, W5, W6, W7, W8, W9, W10, W11, W12, W13];
