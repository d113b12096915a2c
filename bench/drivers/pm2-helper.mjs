// A long-lived client of one PM2 daemon through PM2's programmatic API (`require('pm2')` from the
// bench's scratch install), so that polling its process list does not pay a CLI start-up each
// time. Protocol: one JSON request per stdin line, {id, cmd: 'list' | 'loop', seconds};
// one answer per stdout line, prefixed with '@@' to set it apart from anything PM2 prints.
// Usage: PM2_HOME=… node pm2-helper.mjs <dir holding node_modules/pm2>
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const require = createRequire(path.join(process.argv[2], 'package.json'));
const pm2 = require('pm2');

const call = (fn, ...args) =>
  new Promise((resolve, reject) => fn.call(pm2, ...args, (err, res) => (err ? reject(err) : resolve(res))));

const list = async () =>
  (await call(pm2.list)).map((p) => ({
    name: p.name,
    status: p.pm2_env.status,
    pid: p.pid,
    out: p.pm2_env.pm_out_log_path,
  }));

// Sequential pm2.list() calls for `seconds`; calls per second.
const loop = async (seconds) => {
  await call(pm2.list);
  let count = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    await call(pm2.list);
    count++;
  }
  return count / ((performance.now() - started) / 1000);
};

const answer = (message) => process.stdout.write(`@@${JSON.stringify(message)}\n`);

await call(pm2.connect);
answer({ id: 0, ok: true, result: 'connected' });
for await (const line of createInterface({ input: process.stdin })) {
  const { id, cmd, seconds } = JSON.parse(line);
  try {
    const result = cmd === 'list' ? await list() : await loop(seconds);
    answer({ id, ok: true, result });
  } catch (error) {
    answer({ id, ok: false, error: String(error?.message ?? error) });
  }
}
pm2.disconnect();
