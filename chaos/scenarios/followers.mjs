// Stalled log followers: clients that ask to follow a busy program's output and never read.
// tend promises that the daemon's memory stays bounded (each follower's queue is bounded and a
// follower that stops reading is cut), and comes back once they are gone. supervisord's
// equivalent is `tail -f` over /logtail.
import { request } from 'node:http';
import { sleep } from '../../bench/lib/util.mjs';
import { fmt } from '../lib/measure.mjs';

const logger =
  '/usr/bin/perl -e \'$|=1; $l = ("x" x 99) . "\\n"; while (1) { print $l x 100; select(undef, undef, undef, 0.01) }\'';

export const stalledFollowers = {
  id: 'stalled-followers',
  title: 'log followers that never read, on a program writing 1 MB/s',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { n: 10, seconds: 2 }, full: { n: 100, seconds: 20 } },
  async run(ctx, { n, seconds }) {
    const system = await ctx.start({
      programs: [
        '[program:chatty]',
        `command=${logger}`,
        'startsecs=0',
        `stdout_logfile=${ctx.dir}/chatty.log`,
        'stdout_logfile_maxbytes=10MB',
      ].join('\n'),
    });
    await sleep(1000);
    const base = system.rssMiB();
    const path =
      system.system === 'tend' ? '/api/v1/logs?names=chatty&follow=true' : '/logtail/chatty/stdout';
    const reqs = [];
    for (let i = 0; i < n; i++) {
      const req = request({ socketPath: system.socket, path, method: 'GET' }, (res) => {
        res.pause(); // never read
      });
      req.on('error', () => undefined);
      req.end();
      reqs.push(req);
    }
    let peak = base;
    for (let t = 0; t < seconds * 4; t++) {
      await sleep(250);
      peak = Math.max(peak, system.rssMiB());
    }
    for (const r of reqs) r.destroy();
    await sleep(ctx.smoke ? 500 : 3000);
    const after = system.rssMiB();
    const alive = (await system.rpc.call('supervisor.getState')).statecode === 1;
    return {
      pass: alive && peak - base < 128 && after - base < 64,
      figure: `${n} stalled for ${seconds} s: RSS ${fmt(base, 0)} → peak ${fmt(peak, 0)} → ${fmt(after, 0)} MiB after they left`,
      promise: 'memory bounded (peak < base + 128 MiB) and back within 64 MiB once they leave',
    };
  },
};
