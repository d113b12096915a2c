// Per-process CPU and memory from /proc: pure parsers, the tree walk, and the reader. The
// supervisor's StatsService (supervisor/stats.ts) samples all programs in one pass with these.
export { parseStat, pageSizeFrom, parseStatmResident, parseStatusRss, type ProcStat } from './procfs.js';
export { treeUsage, type TreeUsage } from './tree.js';
export { procSource, type ProcSource } from './scan.js';
export { figuresBetween, type Pass } from './figures.js';
