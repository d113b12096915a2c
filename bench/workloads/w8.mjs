// W8: event-listener throughput. A pool of L event listeners written with supervisor's childutils
// (bench/programs/count-listener.py, run by /usr/bin/python3; numprocs = L, events =
// REMOTE_COMMUNICATION, a buffer that holds them all), then E events sent with
// supervisor.sendRemoteCommEvent in system.multicall batches. Figure: events per second from the
// first send until the listeners have acknowledged every event, and the events lost (must be 0
// for tend). tend and supervisord speak the same protocol; PM2 has no event listeners.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { now, waitFor } from '../lib/util.mjs';
import { TEND_SYSTEMS } from '../drivers/tend.mjs';

const PYTHON = '/usr/bin/python3';
const CHILDUTILS = '/usr/lib/python3/dist-packages/supervisor/childutils.py';
const BOTH = [...TEND_SYSTEMS, 'supervisord'];
const BATCH = 500;

const received = (dir) =>
  readdirSync(dir).reduce(
    (sum, f) => sum + readFileSync(path.join(dir, f), 'utf8').split('\n').length - 1,
    0,
  );

const call = (i) =>
  '<value><struct><member><name>methodName</name><value><string>supervisor.sendRemoteCommEvent</string></value></member>' +
  `<member><name>params</name><value><array><data><value><string>bench</string></value><value><string>${i}</string></value></data></array></value></member></struct></value>`;

const multicall = (from, to) =>
  '<?xml version="1.0"?><methodCall><methodName>system.multicall</methodName><params><param><value><array><data>' +
  Array.from({ length: to - from }, (_, k) => call(from + k)).join('') +
  '</data></array></value></param></params></methodCall>';

const send = async (rpc, events) => {
  for (let from = 0; from < events; from += BATCH) {
    const body = multicall(from, Math.min(events, from + BATCH));
    const xml = await rpc.http.request('POST', '/RPC2', { body, headers: { 'Content-Type': 'text/xml' } });
    if (xml.includes('<fault>')) throw new Error(`sendRemoteCommEvent: ${xml.slice(0, 300)}`);
  }
};

export const W8 = {
  id: 'W8',
  title: 'event listeners',
  cases: (sizes) => [{ key: 'W8', label: 'W8', params: sizes.w8 }],
  figures: ({ events, listeners }) => [
    {
      key: 'events_per_s',
      label: `events/s through ${listeners} childutils listeners`,
      unit: '/s',
      better: 'higher',
      only: BOTH,
    },
    {
      key: 'lost',
      label: `events lost of ${events}`,
      unit: 'events',
      better: 'lower',
      integrity: true,
      only: BOTH,
    },
  ],
  async run(driver, ctx, { events, listeners }) {
    if (!BOTH.includes(driver.constructor.system)) return {};
    if (!existsSync(PYTHON) || !existsSync(CHILDUTILS)) {
      const na = { na: "needs Debian's supervisor package for /usr/bin/python3" };
      return { events_per_s: na, lost: na };
    }
    const dir = path.join(driver.dir, 'counts');
    mkdirSync(dir);
    const script = path.join(ctx.repo, 'bench/programs/count-listener.py');
    const listener = { events: 'REMOTE_COMMUNICATION', bufferSize: events + 100, numprocs: listeners };
    await driver.start([
      { name: 'pool', argv: [PYTHON, script, dir], autorestart: true, autostart: true, listener },
    ]);
    await driver.waitAllRunning(listeners, 60_000);
    const t0 = now();
    await send(driver.rpc, events);
    const timeoutMs = Math.max(60_000, events * 20);
    await waitFor(() => received(dir) >= events, {
      timeoutMs,
      intervalMs: 10,
      what: `${events} events acknowledged`,
    }).catch(() => undefined);
    const got = received(dir);
    return {
      events_per_s: got === events ? events / ((now() - t0) / 1000) : { na: `only ${got} arrived` },
      lost: events - got,
    };
  },
};
