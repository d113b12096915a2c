// Hostile clients: property-based fuzzing (fast-check; the arbitraries are test/helpers/fuzz.ts,
// compiled) of the pure decoders and of a live daemon, slowloris, many idle connections and a
// storm of connections. tend promises it never crashes or hangs, answers 4xx or faults (never
// 5xx), and comes back near its memory baseline.
import { request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { runCmd, sleep, now } from '../../bench/lib/util.mjs';
import { fmt, probeLatency, quantile } from '../lib/measure.mjs';
import { REPO } from '../lib/system.mjs';

const fuzz = () => import(path.join(REPO, 'dist/test/helpers/fuzz.js'));

const program = [
  '[program:web]',
  'command=/bin/sleep 3600',
  'startsecs=0',
  '',
  '[program:crash]',
  "command=/bin/sh -c 'sleep 0.2; exit 3'",
  'startsecs=0',
  'autorestart=true',
].join('\n');

/**
 * One HTTP request on the unix socket → { status, ms }; status 0 when the connection failed. A
 * body still coming after `readMs` (a stream: SSE, /logtail, a follow) is cut off there: its
 * status is the answer.
 */
const raw = (socketPath, { method, url, body, headers = {}, readMs = 1000 }) =>
  new Promise((resolve) => {
    const t0 = now();
    const req = request(
      {
        socketPath,
        method,
        path: url,
        headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers },
        timeout: 30_000,
      },
      (res) => {
        const done = () => {
          clearTimeout(cut);
          resolve({ status: res.statusCode, ms: now() - t0 });
        };
        const cut = setTimeout(() => {
          res.destroy();
          done();
        }, readMs);
        res.resume();
        res.on('end', done);
        res.on('error', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, ms: now() - t0, error: error.message }));
    req.end(body);
  });

const settleRss = async (system, smoke) => {
  await sleep(smoke ? 300 : 3000);
  return system.rssMiB();
};

export const fuzzUnits = {
  id: 'fuzz-decoders',
  title: 'fuzzing the config loader, the XML-RPC decoder and the JSON API (in-process)',
  systems: ['tend'],
  sizes: { smoke: {}, full: {} },
  async run(ctx) {
    const files = [
      'unit/config/parser.property.test.js',
      'unit/api/xmlrpc/codec.property.test.js',
      'unit/api/rest.property.test.js',
    ].map((f) => path.join(REPO, 'dist/test', f));
    const env = { ...process.env, TEND_FUZZ_RUNS: String(ctx.fuzzRuns), TEND_FUZZ_SEED: String(ctx.seed) };
    const r = await runCmd(process.execPath, ['--test', '--test-concurrency=1', ...files], {
      env,
      okCodes: null,
      timeoutMs: 15 * 60_000,
    });
    const pass = r.code === 0;
    const counts = /# pass (\d+)[\s\S]*# fail (\d+)/.exec(r.stdout);
    const failure = /Counterexample: (.*)/.exec(r.stdout)?.[1];
    return {
      pass,
      figure: `${ctx.fuzzRuns} cases per property, seed ${ctx.seed}: ${counts ? `${counts[1]} properties held, ${counts[2]} failed` : 'no summary'}${failure ? `; counterexample ${failure.slice(0, 120)}` : ''}`,
      promise: 'a config or a ConfigError; a value or a VALIDATION fault; a 2xx or a 4xx envelope',
    };
  },
};

const liveFuzz = async (system, ctx, { runs, kinds }) => {
  const f = await fuzz();
  const statuses = new Map();
  let slowest = 0;
  const note = ({ status, ms }) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    slowest = Math.max(slowest, ms);
    return status;
  };
  const params = { numRuns: runs, seed: ctx.seed, endOnFailure: true };
  let failure = null;
  const check = async (property) => {
    const out = await fc.check(property, params);
    if (out.failed && failure === null)
      failure = fc.defaultReportMessage(out)?.split('\n').slice(0, 3).join(' ') ?? 'failed';
  };
  if (kinds.includes('xmlrpc')) {
    await check(
      fc.asyncProperty(f.xmlrpcBody, async (body) => {
        const status = note(
          await raw(system.socket, {
            method: 'POST',
            url: '/RPC2',
            body,
            headers: { 'content-type': 'text/xml' },
          }),
        );
        return status !== 0 && status < 500;
      }),
    );
  }
  if (kinds.includes('json')) {
    await check(
      fc.asyncProperty(f.restRequest, async ({ method, path: url, query, body }) => {
        const search = new URLSearchParams(query).toString();
        const status = note(
          await raw(system.socket, {
            method,
            url: `${url}${search ? `?${search}` : ''}`,
            body: body === undefined ? undefined : String(body),
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
          }),
        );
        return status !== 0 && status < 500;
      }),
    );
  }
  if (kinds.includes('sse')) {
    await check(
      fc.asyncProperty(f.sseRequest, async ({ query, lastEventId }) => {
        const search = new URLSearchParams(query).toString();
        const headers = lastEventId === undefined ? {} : { 'last-event-id': lastEventId };
        const status = note(
          await raw(system.socket, {
            method: 'GET',
            url: `/api/v1/events${search ? `?${search}` : ''}`,
            headers,
            readMs: 20,
          }),
        );
        return status !== 0 && status < 500;
      }),
    );
  }
  return { statuses, slowest, failure };
};

const liveScenario = ({ id, title, kinds, systems, share }) => ({
  id,
  title,
  systems,
  sizes: { smoke: {}, full: {} },
  async run(ctx) {
    const system = await ctx.start({ programs: program });
    const runs = Math.max(ctx.smoke ? 20 : 50, Math.round(ctx.fuzzRuns * share));
    await liveFuzz(system, ctx, { runs: Math.min(runs, ctx.smoke ? 20 : 200), kinds }); // warm-up: the baseline is a daemon that has served
    const base = await settleRss(system, ctx.smoke);
    const t0 = now();
    const { statuses, slowest, failure } = await liveFuzz(system, ctx, { runs, kinds });
    const secs = (now() - t0) / 1000;
    const after = await settleRss(system, ctx.smoke);
    const alive = (await system.rpc.call('supervisor.getState')).statecode === 1;
    const fivexx = [...statuses].filter(([s]) => s >= 500 || s === 0).reduce((n, [, c]) => n + c, 0);
    const growth = after - base;
    const dist = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}×${c}`)
      .join(' ');
    return {
      pass: alive && fivexx === 0 && failure === null && growth < 32,
      figure: `${runs} cases/${kinds.join('+')} in ${fmt(secs, 0)} s, seed ${ctx.seed}: ${dist}; slowest ${fmt(slowest, 0)} ms; RSS ${fmt(base, 0)} → ${fmt(after, 0)} MiB${failure ? `; ${failure.slice(0, 100)}` : ''}`,
      promise: 'alive, no 5xx or dropped answer, RSS within 32 MiB of its baseline',
    };
  },
});

export const fuzzXmlrpcLive = liveScenario({
  id: 'fuzz-xmlrpc-live',
  title: 'fuzzing XML-RPC on a live daemon',
  kinds: ['xmlrpc'],
  systems: ['tend', 'supervisord'],
  share: 1,
});
export const fuzzJsonLive = liveScenario({
  id: 'fuzz-json-sse-live',
  title: 'fuzzing the JSON API and SSE on a live daemon',
  kinds: ['json', 'sse'],
  systems: ['tend'],
  share: 1,
});

/** Connections that dribble their headers one byte at a time, while the API is measured. */
export const slowloris = {
  id: 'slowloris',
  title: 'slowloris: connections that dribble their headers',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { n: 20, seconds: 2 }, full: { n: 500, seconds: 40 } },
  async run(ctx, { n, seconds }) {
    const system = await ctx.start({ programs: program });
    const sockets = [];
    const closedAt = [];
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const s = connect(system.socket);
      s.on('error', () => undefined);
      s.on('close', () => closedAt.push(now() - t0));
      s.write('POST /RPC2 HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      sockets.push(s);
    }
    const drip = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write('a');
    }, 1000);
    try {
      const times = await probeLatency(system, { seconds });
      const cut = closedAt.length;
      return {
        pass:
          ctx.timed(quantile(times, 0.99) < 1000) && (system.system !== 'tend' || seconds < 30 || cut === n),
        figure: `${n} dribbling for ${seconds} s: API p50 ${fmt(quantile(times, 0.5))} ms p99 ${fmt(quantile(times, 0.99))} ms; ${cut}/${n} cut off by the server${cut > 0 ? ` (first after ${fmt(Math.min(...closedAt) / 1000)} s)` : ''}`,
        promise: 'API p99 < 1 s meanwhile; a dribbling client is cut off (headers timeout)',
      };
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    }
  },
};

/** Many connections opened and left idle; the API measured meanwhile; memory after they close. */
export const idleConnections = {
  id: 'idle-connections',
  title: 'many idle connections',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { n: 200, seconds: 1 }, full: { n: 10_000, seconds: 10 } },
  async run(ctx, { n, seconds }) {
    const system = await ctx.start({ programs: program, daemonExtra: ['minfds=1024'] });
    const base = system.rssMiB();
    const fds0 = system.fdCount();
    let refused = 0;
    // A client refused with EAGAIN (the accept queue is full) tries again 5 ms later, as a
    // patient client would; the refusals are counted.
    const open = () =>
      new Promise((resolve) => {
        const s = connect(system.socket, () => resolve(s));
        s.on('error', () => resolve(null));
      });
    // Two rounds: memory the first round leaves is V8's high-water mark (a heap that grew is not
    // given back at once); a leak is what the second round adds on top of it.
    const rounds = [];
    for (let round = 0; round < 2; round++) {
      const sockets = [];
      for (let i = 0; i < n; i++) {
        let s = await open();
        for (let tries = 0; s === null && tries < 400; tries++) {
          refused++;
          await sleep(5);
          s = await open();
        }
        if (s !== null) sockets.push(s);
      }
      const held = system.rssMiB();
      const times = await probeLatency(system, { seconds });
      for (const s of sockets) s.destroy();
      const after = await settleRss(system, ctx.smoke);
      rounds.push({ opened: sockets.length, held, times, after });
    }
    await sleep(1000);
    const fds1 = system.fdCount();
    const times = [...rounds[0].times, ...rounds[1].times];
    const failed = rounds.reduce((sum, r) => sum + (r.times.failed ?? 0), 0);
    const p99 = quantile(times, 0.99);
    const leak = rounds[1].after - rounds[0].after;
    return {
      pass:
        rounds.every((r) => r.opened === n) &&
        failed === 0 &&
        ctx.timed(p99 < 1000) &&
        fds1 - fds0 < 10 &&
        leak < 16,
      figure: `2 rounds of ${n} idle (${refused} refusals retried)${failed ? `, ${failed} API calls failed` : ''}: API p50 ${fmt(quantile(times, 0.5))} ms p99 ${fmt(p99)} ms; RSS ${fmt(base, 0)} → ${fmt(rounds[0].held, 0)} held → ${fmt(rounds[0].after, 0)} after round 1 → ${fmt(rounds[1].after, 0)} MiB after round 2; fds ${fds0} → ${fds1}`,
      promise: 'API p99 < 1 s while held; fds back to baseline; a second round adds < 16 MiB',
    };
  },
};

/** Connections opened, used once and closed at a fixed rate. */
export const churn = {
  id: 'connection-churn',
  title: 'connections opening and closing at a fixed rate',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { rate: 100, seconds: 1 }, full: { rate: 1000, seconds: 10 } },
  async run(ctx, { rate, seconds }) {
    const system = await ctx.start({ programs: program });
    const fds0 = system.fdCount();
    const body =
      '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName><params></params></methodCall>';
    const results = [];
    const inflight = [];
    const t0 = now();
    for (let i = 0; i < rate * seconds; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      inflight.push(
        raw(system.socket, {
          method: 'POST',
          url: '/RPC2',
          body,
          headers: { 'content-type': 'text/xml', connection: 'close' },
        }).then((r) => results.push(r)),
      );
    }
    await Promise.all(inflight);
    const achieved = results.length / ((now() - t0) / 1000);
    await sleep(1000);
    const failed = results.filter((r) => r.status !== 200).length;
    const reasons = [
      ...new Set(
        results
          .filter((r) => r.status !== 200)
          .map((r) => (r.error ?? `HTTP ${r.status}`).replace(/ \/\S+/, '')),
      ),
    ];
    const fds1 = system.fdCount();
    const p99 = quantile(
      results.map((r) => r.ms),
      0.99,
    );
    return {
      pass: failed === 0 && fds1 - fds0 < 10 && ctx.timed(p99 < 1000),
      figure: `${results.length} at ${fmt(achieved, 0)}/s: ${failed} failed${reasons.length ? ` (${reasons.join(', ')})` : ''}, p50 ${fmt(
        quantile(
          results.map((r) => r.ms),
          0.5,
        ),
      )} ms p99 ${fmt(p99)} ms; fds ${fds0} → ${fds1}`,
      promise: 'every request answered, no fd leak, p99 < 1 s',
    };
  },
};

export const HOSTILE = [fuzzUnits, fuzzXmlrpcLive, fuzzJsonLive, slowloris, idleConnections, churn];
