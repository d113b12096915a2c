#!/usr/bin/env node
// The soak (issue 15, docs/reliability.md): one daemon with many programs under steady use for N
// minutes — sleepers, API clients polling over XML-RPC, programs logging without pause and
// programs crash-looping — sampled every few seconds. It reports RSS growth, the fd count, the
// latency of a cheap API call made every 100 ms (what the event loop's lag adds to every answer)
// and the crash-loopers' restart latency (exit → next spawn, from the daemon log), first window
// against last window. It fails on growth beyond a bound, on lost state (a sleeper restarted or
// gone) and on a stalled control plane.
//
//   npm run soak -- --minutes N [--programs 1000] [--pollers 200] [--loggers 20] [--crashers 20]
//                   [--seconds S] [--systems tend,supervisord] [--json FILE] [--smoke]
// --smoke (npm test): the latency is reported but not judged (a few seconds on a loaded machine).
import { writeFileSync } from 'node:fs';
import { installSignalHandlers, killAll } from '../bench/lib/cleanup.mjs';
import { UnixHttpClient } from '../bench/lib/unixhttp.mjs';
import { now, sleep, waitFor, which } from '../bench/lib/util.mjs';
import { serialiseCall } from '../bench/lib/xmlrpc.mjs';
import { makeContext } from './lib/context.mjs';
import { fmt, quantile } from './lib/measure.mjs';
import { supervisordAvailable } from './lib/system.mjs';

const parse = (argv) => {
  const o = {
    smoke: false,
    seconds: 30 * 60,
    programs: 1000,
    pollers: 200,
    loggers: 20,
    crashers: 20,
    systems: ['tend'],
    json: null,
    pollMs: 5000,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--minutes') o.seconds = Number(next()) * 60;
    else if (a === '--seconds') o.seconds = Number(next());
    else if (['--programs', '--pollers', '--loggers', '--crashers'].includes(a))
      o[a.slice(2)] = Number(next());
    else if (a === '--systems') o.systems = next().split(',');
    else if (a === '--json') o.json = next();
    else if (a === '--smoke') o.smoke = true;
    else throw new Error(`soak: unknown argument ${a}`);
  }
  return o;
};

const config = (o, dir) => {
  let perl;
  try {
    perl = which('perl');
  } catch {
    perl = null;
  }
  // 1000 lines of 100 bytes a second per logger, in 10 writes (perl: one process, no forks).
  const logger = perl
    ? `${perl} -e '$|=1; $l = ("x" x 99) . "\\n"; while (1) { print $l x 100; select(undef, undef, undef, 0.1) }'`
    : '/bin/sh -c \'while :; do head -c 10000 /dev/zero | tr "\\\\0" x; echo; sleep 0.1; done\'';
  const sections = [];
  for (let i = 0; i < o.programs; i++)
    sections.push(
      `[program:s${i}]\ncommand=/bin/sleep 86400\nstartsecs=1\nstdout_logfile=NONE\nstderr_logfile=NONE`,
    );
  for (let i = 0; i < o.loggers; i++)
    sections.push(
      `[program:log${i}]\ncommand=${logger}\nstartsecs=1\nstdout_logfile=${dir}/log${i}.log\nstdout_logfile_maxbytes=1MB\nstdout_logfile_backups=2`,
    );
  for (let i = 0; i < o.crashers; i++)
    sections.push(
      `[program:crash${i}]\ncommand=/bin/sh -c 'sleep 1; exit 1'\nstartsecs=0\nautorestart=true\nstdout_logfile=NONE\nstderr_logfile=NONE`,
    );
  return sections.join('\n\n');
};

const xml = (method, ...params) => serialiseCall(method, params);

/** One poller: its own kept-alive connection, a call every `pollMs` (jittered). */
const poller = (socket, o, stop, errors) => {
  const client = new UnixHttpClient(socket);
  return (async () => {
    await sleep(Math.random() * o.pollMs);
    while (!stop.done) {
      const r = Math.random();
      const body =
        r < 0.1
          ? xml('supervisor.getAllProcessInfo')
          : r < 0.5
            ? xml('supervisor.getProcessInfo', `s${Math.floor(Math.random() * o.programs)}`)
            : xml('supervisor.getState');
      try {
        await client.request('POST', '/RPC2', {
          body,
          headers: { 'Content-Type': 'text/xml' },
          timeoutMs: 60_000,
        });
      } catch {
        errors.count++;
      }
      await sleep(o.pollMs * (0.5 + Math.random()));
    }
    client.close();
  })();
};

/** Restart latencies (ms) of the crash-loopers from the daemon log lines in [from, to). */
const restartLatencies = (log, from, to) => {
  const stamp = (line) => {
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})/.exec(line);
    return m ? Date.parse(`${m[1].replace(' ', 'T')}.${m[2]}Z`) : NaN;
  };
  const exited = new Map();
  const out = [];
  for (const line of log.split('\n')) {
    const e = /exited: (crash\d+) /.exec(line);
    const s = /spawned: '(crash\d+)'/.exec(line);
    const t = stamp(line);
    if (e) exited.set(e[1], t);
    else if (s && exited.has(s[1])) {
      if (t >= from && t < to) out.push(t - exited.get(s[1]));
      exited.delete(s[1]);
    }
  }
  return out;
};

const soakOne = async (system, o) => {
  const ctx = makeContext(system, {});
  try {
    const total = o.programs + o.loggers + o.crashers;
    const s = await ctx.start({
      programs: config(o, ctx.dir),
      daemonExtra: [`minfds=${Math.max(1024, total * 6 + 256)}`],
    });
    await waitFor(
      async () =>
        (await s.list()).filter((p) => p.name.startsWith('s') && p.state === 'RUNNING').length === o.programs,
      { timeoutMs: 600_000, intervalMs: 1000, what: 'sleepers RUNNING' },
    );
    const pids = new Map((await s.list()).filter((p) => p.name.startsWith('s')).map((p) => [p.name, p.pid]));
    const stop = { done: false };
    const errors = { count: 0 };
    const pollers = Array.from({ length: o.pollers }, () => poller(s.socket, o, stop, errors));
    const probe = new UnixHttpClient(s.socket);
    const lag = [];
    const samples = [];
    const started = Date.now();
    const end = now() + o.seconds * 1000;
    const windowMs = Math.min(60_000, (o.seconds * 1000) / 3);
    let nextSample = 0;
    while (now() < end) {
      const t0 = now();
      await probe.request('POST', '/RPC2', {
        body: xml('supervisor.getState'),
        headers: { 'Content-Type': 'text/xml' },
        timeoutMs: 60_000,
      });
      lag.push({ at: Date.now() - started, ms: now() - t0 });
      if (now() >= nextSample) {
        samples.push({ at: Date.now() - started, rss: s.rssMiB(), fds: s.fdCount() });
        nextSample = now() + Math.max(1000, windowMs / 6);
      }
      await sleep(100);
    }
    stop.done = true;
    await Promise.all(pollers);
    probe.close();
    const final = await s.list();
    const lost = [...pids].filter(([name, pid]) => final.find((p) => p.name === name)?.pid !== pid).length;
    const ms = o.seconds * 1000;
    const first = (x) => x.at < windowMs;
    const last = (x) => x.at >= ms - windowMs;
    const log = s.daemonLog();
    const restartsFirst = restartLatencies(log, started, started + windowMs);
    const restartsLast = restartLatencies(log, started + ms - windowMs, started + ms + 1);
    const warm = samples.find((x) => x.at >= Math.min(windowMs, ms / 3)) ?? samples[0];
    const tail = samples.at(-1);
    const growth = tail.rss - warm.rss;
    const fdGrowth = tail.fds - warm.fds;
    const lagP99 = quantile(
      lag.map((x) => x.ms),
      0.99,
    );
    const r = {
      system,
      seconds: o.seconds,
      programs: total,
      pollers: o.pollers,
      rss: { start: samples[0].rss, warm: warm.rss, end: tail.rss, growth },
      fds: { warm: warm.fds, end: tail.fds },
      lagP99: {
        first: quantile(
          lag.filter(first).map((x) => x.ms),
          0.99,
        ),
        last: quantile(
          lag.filter(last).map((x) => x.ms),
          0.99,
        ),
        all: lagP99,
      },
      restartP99: {
        first: quantile(restartsFirst, 0.99),
        last: quantile(restartsLast, 0.99),
        count: restartsFirst.length + restartsLast.length,
      },
      pollErrors: errors.count,
      lostState: lost,
    };
    r.pass =
      growth < Math.max(32, warm.rss * 0.1) &&
      fdGrowth < 20 &&
      lost === 0 &&
      (o.smoke || lagP99 < 1000) &&
      errors.count === 0;
    return r;
  } finally {
    await ctx.cleanup();
  }
};

const main = async () => {
  const o = parse(process.argv.slice(2));
  installSignalHandlers();
  const results = [];
  for (const system of o.systems.filter((x) => x !== 'supervisord' || supervisordAvailable())) {
    console.error(
      `soak: ${system}, ${o.programs + o.loggers + o.crashers} programs, ${o.pollers} pollers, ${fmt(o.seconds / 60)} min`,
    );
    results.push(await soakOne(system, o));
  }
  await killAll();
  for (const r of results) {
    console.log(
      `${r.system.padEnd(11)} ${r.pass ? 'pass' : 'FAIL'} | ${fmt(r.seconds / 60)} min, ${r.programs} programs, ${r.pollers} pollers | RSS ${fmt(r.rss.start, 0)} → ${fmt(r.rss.warm, 0)} (warm) → ${fmt(r.rss.end, 0)} MiB (growth ${fmt(r.rss.growth)}) | fds ${r.fds.warm} → ${r.fds.end} | API p99 (loop lag) ${fmt(r.lagP99.first)} → ${fmt(r.lagP99.last)} ms | restart p99 ${fmt(r.restartP99.first, 0)} → ${fmt(r.restartP99.last, 0)} ms | poll errors ${r.pollErrors} | sleepers lost or restarted ${r.lostState}`,
    );
  }
  if (o.json) writeFileSync(o.json, `${JSON.stringify(results, null, 2)}\n`);
  const failed = results.filter((r) => r.system === 'tend' && !r.pass).length;
  process.exit(failed > 0 ? 1 : 0);
};

await main();
