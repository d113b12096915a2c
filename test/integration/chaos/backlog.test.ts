import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startDaemon } from '../../helpers/daemon.js';

// Found by the chaos suite (issue 15, connection-churn and idle-connections): with Node's default
// listen backlog (511), a burst of clients while the daemon's event loop was busy overflowed the
// accept queue, and a unix socket refuses the next client at once with EAGAIN. Here the daemon is
// frozen (SIGSTOP), so nothing is accepted and the queue alone must hold the burst.

const somaxconn = (): number => Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());

const open = (path: string): Promise<Socket | string> =>
  new Promise((resolve) => {
    const s = connect(path, () => {
      resolve(s);
    });
    s.on('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? error.message);
    });
  });

describe('the control socket under a burst of connections', () => {
  it('queues 1000 connections while the daemon cannot accept, and answers them after', async (t) => {
    const max = somaxconn();
    if (max < 1024) {
      t.skip(`net.core.somaxconn is ${max} here: the kernel caps any backlog below this test's burst`);
      return;
    }
    const d = await startDaemon('[program:idle]\ncommand = /bin/sleep 3600\nautostart = false\n');
    d.signal('SIGSTOP');
    const sockets: Socket[] = [];
    const refused: string[] = [];
    try {
      for (let i = 0; i < 1000; i++) {
        const s = await open(d.socket);
        if (typeof s === 'string') refused.push(s);
        else sockets.push(s);
      }
    } finally {
      d.signal('SIGCONT');
    }
    assert.deepEqual([...new Set(refused)], [], `${refused.length} refused`);
    for (const s of sockets) s.destroy();
    const res = await d.api('GET', '/api/v1/processes');
    assert.equal(res.status, 200);
  });
});
