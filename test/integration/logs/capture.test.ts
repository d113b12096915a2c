import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { FlushQueue, LogChannel } from '../../../src/logs/index.js';
import { checkNumberedLines, readRotated } from '../../helpers/lines.js';
import { tempDir } from '../../helpers/tmp.js';

// Real children writing through real pipes into channels: the path every byte of child output
// takes in the daemon.
describe('log capture from a real child', () => {
  it('keeps 500,000 numbered lines complete and in order across rotations', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'seq.log');
    const queue = new FlushQueue();
    const channel = new LogChannel(
      { owner: 'seq', stream: 'stdout', file: { path: file, maxbytes: 256 * 1024, backups: 50 } },
      queue,
    );
    const child = spawn('seq', ['1', '500000'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await channel.attach(child.stdout);
    queue.flushAll();
    channel.close();
    assert.ok(channel.stats.rotations >= 10, `only ${channel.stats.rotations} rotations`);
    assert.deepEqual(checkNumberedLines(readRotated(file, 50), 500_000), {
      count: 500_000,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      garbage: 0,
    });
  });

  // Every pipe reads into the queue's one scratch buffer and its bytes are kept in one slab until
  // the flush: several busy children at once must each get exactly their own lines.
  it('keeps the output of several children sharing one queue apart and complete', async () => {
    const dir = tempDir();
    const queue = new FlushQueue();
    const script = 'seq 1 200000 & seq 1 200000 >&2; wait';
    const runs = ['a', 'b', 'c'].map((name) => {
      const files = { stdout: path.join(dir, `${name}.out`), stderr: path.join(dir, `${name}.err`) };
      const channel = (stream: 'stdout' | 'stderr') =>
        new LogChannel(
          { owner: name, stream, file: { path: files[stream], maxbytes: 0, backups: 0 } },
          queue,
        );
      const out = channel('stdout');
      const err = channel('stderr');
      const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      return { files, channels: [out, err], ends: [out.attach(child.stdout), err.attach(child.stderr)] };
    });
    await Promise.all(runs.flatMap((r) => r.ends));
    queue.flushAll();
    for (const run of runs) {
      for (const channel of run.channels) channel.close();
      for (const file of [run.files.stdout, run.files.stderr]) {
        assert.deepEqual(
          checkNumberedLines(readRotated(file, 0), 200_000),
          {
            count: 200_000,
            lost: 0,
            duplicated: 0,
            outOfOrder: 0,
            garbage: 0,
          },
          file,
        );
      }
    }
  });

  it('delivers chunks to subscribers after they are written, and stops after unsubscribe', async () => {
    const dir = tempDir();
    const queue = new FlushQueue();
    const channel = new LogChannel(
      { owner: 'x', stream: 'stderr', file: { path: path.join(dir, 'x.log'), maxbytes: 0, backups: 0 } },
      queue,
    );
    const seen: string[] = [];
    const unsubscribe = channel.subscribe((chunk) => seen.push(chunk.toString()));
    const child = spawn('sh', ['-c', 'printf "a\\n" >&2; sleep 0.2; printf "b\\n" >&2'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await channel.attach(child.stderr);
    queue.flushAll();
    unsubscribe();
    channel.ingest(Buffer.from('c\n'));
    queue.flushAll();
    channel.close();
    assert.equal(seen.join(''), 'a\nb\n');
  });

  it('strips ANSI escapes when strip_ansi is set', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'c.log');
    const queue = new FlushQueue();
    const channel = new LogChannel(
      { owner: 'c', stream: 'stdout', file: { path: file, maxbytes: 0, backups: 0 }, stripAnsi: true },
      queue,
    );
    const child = spawn('printf', ['\\033[1;31mred\\033[0m plain\\n'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await channel.attach(child.stdout);
    queue.flushAll();
    channel.close();
    assert.equal(readRotated(file, 0), 'red plain\n');
  });
});
