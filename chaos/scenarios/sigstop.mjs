// The daemon frozen (SIGSTOP) while its children write at full speed, then thawed (SIGCONT).
// The children block on their full pipes and resume; tend promises no line lost, duplicated or
// torn, and no restart after the thaw (a frozen daemon is not a reason to restart anything).
import { sleep, waitFor } from '../../bench/lib/util.mjs';
import { checkLines, tools } from '../lib/tools.mjs';

export const sigstopDaemon = {
  id: 'sigstop-daemon',
  title: 'daemon SIGSTOP/SIGCONT under full-speed logging',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { n: 2, count: 20_000, frozenMs: 500 }, full: { n: 4, count: 300_000, frozenMs: 30_000 } },
  async run(ctx, { n, count, frozenMs }) {
    const { lines } = await tools();
    const programs = Array.from({ length: n }, (_, i) =>
      [
        `[program:w${i}]`,
        `command=${lines} gen ${count}`,
        'autostart=false',
        'autorestart=unexpected',
        'startsecs=0',
        `stdout_logfile=${ctx.dir}/w${i}.log`,
        'stdout_logfile_maxbytes=0',
        'stderr_logfile=NONE',
      ].join('\n'),
    ).join('\n\n');
    const sleepers = Array.from({ length: 5 }, (_, i) =>
      [`[program:idle${i}]`, 'command=/bin/sleep 3600', 'startsecs=1', 'autostart=true'].join('\n'),
    ).join('\n\n');
    const system = await ctx.start({ programs: `${programs}\n\n${sleepers}` });
    await waitFor(async () => (await system.list()).filter((p) => p.state === 'RUNNING').length === 5, {
      timeoutMs: 30_000,
      what: 'sleepers RUNNING',
    });
    const before = new Map((await system.list()).map((p) => [p.name, p.pid]));
    for (let i = 0; i < n; i++) await system.rpc.call('supervisor.startProcess', `w${i}`, false);
    await sleep(50);
    process.kill(system.pid(), 'SIGSTOP');
    await sleep(frozenMs);
    process.kill(system.pid(), 'SIGCONT');
    await waitFor(
      async () =>
        (await system.list()).filter((p) => p.name.startsWith('w') && p.state === 'EXITED').length === n,
      { timeoutMs: 300_000, what: 'writers done' },
    );
    const after = await system.list();
    const restarted = after.filter((p) => p.name.startsWith('idle') && p.pid !== before.get(p.name)).length;
    let lost = 0;
    let dup = 0;
    let torn = 0;
    for (let i = 0; i < n; i++) {
      const c = await checkLines(count, [`${ctx.dir}/w${i}.log`]);
      lost += c.lost;
      dup += c.duplicated;
      torn += c.malformed;
    }
    return {
      pass: lost === 0 && dup === 0 && torn === 0 && restarted === 0,
      figure: `frozen ${frozenMs / 1000} s, ${n}×${count} lines: ${lost} lost, ${dup} duplicated, ${torn} torn, ${restarted} restarts`,
      promise: '0 lost, 0 duplicated, 0 torn, no restart after the thaw',
    };
  },
};
