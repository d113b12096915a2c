import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, type Daemon } from '../../helpers/daemon.js';

// Regression for issue 15, "Stalled log followers": 100 clients of GET /api/v1/logs?follow=true
// that never read pushed the daemon from 62 to 522 MB (4 MiB each, no overall bound), and it
// was not given back when they closed. Each stream now has a bounded queue and all of them share
// one budget; a client that overflows is cut, and closing gives its memory back.

const rssMiB = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024;
};

/** Opens a raw connection that asks for a never-ending stream and then never reads. */
const stalled = (socketPath: string, path: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });

const spewBytes = (d: Daemon): number => statSync(`${d.dir}/spew.log`).size;

/** Waits until the program has written `bytes` more to its log (output keeps flowing past the followers). */
const waitForOutput = async (d: Daemon, bytes: number): Promise<void> => {
  const start = spewBytes(d);
  const deadline = Date.now() + 60_000;
  while (spewBytes(d) - start < bytes) {
    if (Date.now() > deadline) throw new Error(`the program wrote only ${spewBytes(d) - start} bytes`);
    await sleep(100);
  }
};

const wave = async (d: Daemon): Promise<Socket[]> => {
  const sockets: Socket[] = [];
  for (let i = 0; i < 100; i++) {
    const path = i % 2 === 0 ? '/api/v1/logs?names=spew&follow=true' : '/logtail/spew';
    sockets.push(await stalled(d.socket, path));
  }
  return sockets;
};

describe('stalled stream clients (issue 15)', () => {
  it('100 followers that never read cost the daemon a bounded amount of memory, given back when they close', async () => {
    const d = await startDaemon(`
[program:spew]
command = node -e "const line = 'x'.repeat(65535) + '\\n'; setInterval(() => process.stdout.write(line), 4)"
startsecs = 0
stdout_logfile = %(here)s/spew.log
stdout_logfile_maxbytes = 0
`);
    await d.waitForState('spew', 'RUNNING');
    await waitForOutput(d, 16 * 1024 * 1024);
    const baseline = rssMiB(d.pid);

    const first = await wave(d);
    await waitForOutput(d, 128 * 1024 * 1024);
    const stalledRss = rssMiB(d.pid);
    // Without bounds this was +460 MB; the budget is 32 MiB plus each socket's own buffer.
    assert.ok(stalledRss - baseline < 150, `RSS grew from ${baseline} to ${stalledRss} MiB`);

    for (const s of first) s.destroy();
    const second = await wave(d);
    await waitForOutput(d, 128 * 1024 * 1024);
    const again = rssMiB(d.pid);
    assert.ok(
      again - baseline < 150,
      `after the first wave closed, a second one grew RSS from ${baseline} to ${again} MiB`,
    );
    for (const s of second) s.destroy();

    // And the daemon still serves a reader that keeps up.
    const res = await d.api<{ statename: string }>('GET', '/api/v1/processes/spew');
    assert.equal(res.body.statename, 'RUNNING');
  });
});
