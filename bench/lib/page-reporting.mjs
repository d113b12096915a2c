// --hold-page-reporting: steadier figures on a virtual machine whose host takes free memory back.
//
// This machine kind's kernel reports free guest pages to the host (virtio-balloon free page
// reporting, /sys/module/page_reporting: blocks of 2^5 pages, reported as soon as they are free),
// and the host takes them back. A page the host took back traps into the host and comes back
// zeroed the next time the guest touches it. A log workload writes 1 GiB into new page-cache
// pages, so whether it gets pages freed a moment ago by the run before it, or pages the host took
// back, decides the run: measured here, the same build on the same workload gave either
// 1,100–1,500 MiB/s at 0.6–0.9 s of daemon CPU per GiB or 300–500 MiB/s at 2.1–3.3 s, for tend
// and supervisord alike, and an A/A run (one build as both tend and tend-base) came out 0.54×.
//
// Held, only blocks of the largest order are reported, and only after they have been free for
// the longest wait the module takes; memory touched once (the warm-up) is then reused from run to
// run. A free page still goes back to the host once that wait is over, so the warm-up is done
// again before a run whenever the last one is older than the wait less a margin (W3 on
// supervisord alone takes a minute): a log run after a long spawn workload would otherwise get
// reported pages again (seen: W4 605–1,866 MiB/s in one held run with W1 and W3 between the
// repeats). With the pages still warm it takes about a second; with reported ones, 14 s. Root only, on kernels that have the module; the old values come back at the end (and at
// Ctrl-C, through the bench's exit hooks).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DIR = '/sys/module/page_reporting/parameters';
// Tried from the first down, the first the module accepts is kept (it rejects what it cannot do).
const HELD = {
  page_reporting_order: ['10', '9', '8'],
  min_free_ms: ['300000', '100000', '60000', '10000'],
};
// More than any workload's page cache (W4's 1 GiB log, W4R's rotated files) needs at once.
const WARM_GIB = 4;

const read = (name) => readFileSync(path.join(DIR, name), 'utf8').trim();

const tryWrite = (name, value) => {
  try {
    writeFileSync(path.join(DIR, name), value);
    return true;
  } catch {
    return false;
  }
};

// Touches WARM_GIB of memory in a child process that then exits: the guest faults those pages in
// from the host once, and frees them to be reused by the runs.
const warmUp = () => {
  const script = `const bufs = []; for (let i = 0; i < ${WARM_GIB * 4}; i++) bufs.push(Buffer.alloc(256 * 1024 * 1024, 1));`;
  const result = spawnSync(process.execPath, ['-e', script], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`--hold-page-reporting: the warm-up failed (${result.status})`);
};

// How long before the end of the module's wait a warm-up is done again.
const REWARM_MARGIN_MS = 120_000;

/**
 * Holds the host's page reporting off; returns { held: text for the results, restore(),
 * beforeRun() }, where beforeRun warms again when the pages may be reported by the run's end.
 * Throws with the reason where it cannot (no module, not root).
 */
export const holdPageReporting = () => {
  if (!existsSync(DIR))
    throw new Error(`--hold-page-reporting: ${DIR} is not there (no free page reporting here)`);
  const saved = Object.fromEntries(Object.keys(HELD).map((name) => [name, read(name)]));
  const restore = () => {
    for (const [name, value] of Object.entries(saved)) tryWrite(name, value);
  };
  for (const [name, candidates] of Object.entries(HELD)) {
    if (!candidates.some((value) => tryWrite(name, value))) {
      restore();
      throw new Error(`--hold-page-reporting: cannot write ${path.join(DIR, name)} (root is needed)`);
    }
  }
  const now = Object.fromEntries(Object.keys(HELD).map((name) => [name, read(name)]));
  const rewarmAfterMs = Math.max(0, Number(now.min_free_ms) - REWARM_MARGIN_MS);
  let warmedAt = Date.now();
  warmUp();
  let warmUps = 1;
  const beforeRun = () => {
    if (Date.now() - warmedAt < rewarmAfterMs) return;
    warmedAt = Date.now();
    warmUp();
    warmUps += 1;
  };
  const describe = (values) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  return {
    held: () =>
      `${describe(now)} (was ${describe(saved)}), ${WARM_GIB} GiB warmed ${warmUps} time${warmUps === 1 ? '' : 's'}`,
    restore,
    beforeRun,
  };
};
