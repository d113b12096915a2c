// W3A: W3's restart loop (one program that records its start time and exits 1 at once, restarted
// without backoff) while an [alert:x] webhook is told about every one of those crashes (the
// default events: each is an unexpected EXITED). Cases: no alert; a receiver that refuses the
// connection (every message retried, then given up); one that accepts and never answers (each
// attempt waits out its 10 s timeout while the crashes queue up); one that answers 200 at once.
// Figure: the median interval between consecutive starts, which must not grow with the alert:
// delivery runs off the supervisor's path (docs/alerts.md). Also the crashes the alert took in
// (its `events` count from GET /api/v1/alerts) and the messages it sent by then, to show the alert
// was at work and how the crashes were gathered. tend only: supervisord and PM2 need a
// listener (superlance crashmail) or PM2 Plus for this.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { TendDriver } from '../drivers/tend.mjs';
import { median } from '../lib/stats.mjs';
import { waitFor } from '../lib/util.mjs';
import { TEND_SYSTEMS } from '../drivers/tend.mjs';

const stamps = (file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(BigInt);
  } catch {
    return [];
  }
};

const intervalsMs = (times) => times.slice(1).map((t, i) => Number(t - times[i]) / 1e6);

// A local receiver: 'live' answers at once, 'hang' holds every request; 'dead' is a closed port.
const receiver = async (mode) => {
  const held = [];
  let received = 0;
  const server = createServer((req, res) => {
    received += 1;
    req.resume();
    if (mode === 'hang') held.push(res);
    else req.on('end', () => res.end('ok'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  if (mode === 'dead') {
    server.close();
    await once(server, 'close');
  }
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received: () => received,
    close: () => {
      for (const res of held) res.destroy();
      server.close();
    },
  };
};

const alertSection = (url) => `[alert:storm]\nurl = ${url}\nretries = 5\n`;

export const W3A = {
  id: 'W3A',
  title: 'restart loop with a crash alert',
  cases: (sizes) =>
    ['off', 'dead', 'hang', 'live'].map((receiverMode) => ({
      key: `W3A-${receiverMode}`,
      label: `W3A ${receiverMode === 'off' ? 'no alert' : `${receiverMode} receiver`}`,
      // Ten times W3's count, so the loop lasts a second or more: several messages' worth.
      params: { restarts: sizes.w3Restarts * 10, receiverMode },
    })),
  figures: ({ restarts }) => [
    {
      key: 'interval_ms',
      label: `restart interval (median of ${restarts})`,
      unit: 'ms',
      better: 'lower',
      only: TEND_SYSTEMS,
    },
    {
      key: 'alert_events',
      label: 'crashes the alert took in',
      unit: '',
      better: 'higher',
      only: TEND_SYSTEMS,
    },
    {
      key: 'messages',
      label: 'messages sent by then',
      unit: '',
      better: 'lower',
      only: TEND_SYSTEMS,
    },
  ],
  async run(driver, ctx, { restarts, receiverMode }) {
    if (!(driver instanceof TendDriver)) return {};
    const file = path.join(driver.dir, 'stamps');
    const hook = receiverMode === 'off' ? null : await receiver(receiverMode);
    try {
      const extra = hook === null ? '' : alertSection(hook.url);
      await driver.start([{ name: 'flap', argv: [ctx.tools.stamp, file], autorestart: true }], extra);
      await driver.startProgram('flap');
      await waitFor(() => stamps(file).length > restarts, {
        timeoutMs: ctx.sizes.w3TimeoutMs,
        intervalMs: 50,
        what: `${restarts} restarts`,
      });
      const interval = median(intervalsMs(stamps(file).slice(0, restarts + 1)));
      if (hook === null) {
        const na = { na: 'no alert in this case' };
        return { interval_ms: interval, alert_events: na, messages: na };
      }
      const { alerts } = await driver.http.json('GET', '/api/v1/alerts');
      const stats = alerts[0]?.stats ?? { events: 0, sent: 0 };
      return { interval_ms: interval, alert_events: stats.events, messages: stats.sent };
    } finally {
      hook?.close();
    }
  },
  limit: () => ({}),
};
