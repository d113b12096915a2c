// `tend logs` without a name: every program's output merged in the order it arrived, with a
// `name |` prefix; -f sees new lines; --since, --grep, --stdout/--stderr and --json. The programs
// take turns through files, so the order they wrote in is known.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, startDaemon, TEND, type Daemon } from '../../helpers/daemon.js';

interface JsonLine {
  readonly time: string | null;
  readonly name: string;
  readonly stream: string;
  readonly line: string;
}

const TURN = fixture('turn.sh');

// a and b write a1, b1, a2, b2 (stdout then stderr), a3, each after the other's previous line
// is in its log file: a daemon slowed down by a loaded machine could otherwise find two of them
// waiting in two pipes at once, and which pipe it reads first is the kernel's choice.
const CONFIG = (dir: string): string => `
[program:a]
command = ${TURN} ${dir} OUT:a1 LOGGED:a.out:a1 TOUCH:t1 WAIT:t2 OUT:a2 LOGGED:a.out:a2 TOUCH:t3 WAIT:t4 OUT:a3 LOGGED:a.out:a3 TOUCH:t5
stdout_logfile = ${dir}/a.out
startsecs = 0

[program:b]
command = ${TURN} ${dir} WAIT:t1 OUT:b1 LOGGED:b.out:b1 TOUCH:t2 WAIT:t3 OUT:b2 LOGGED:b.out:b2 ERR:b2-err LOGGED:b.err:b2-err TOUCH:t4
stdout_logfile = ${dir}/b.out
stderr_logfile = ${dir}/b.err
startsecs = 0

[program:c]
command = ${TURN} ${dir} WAIT:go OUT:fresh ERR:fresh-err
startsecs = 0
`;

const ORDER = ['a1', 'b1', 'a2', 'b2', 'b2-err', 'a3'];

/**
 * Lines appear in the order they were written, except those the daemon read in one batch (within
 * a millisecond of each other): which of two ready pipes is read first is the kernel's choice.
 */
const assertArrivalOrder = (lines: readonly JsonLine[], order: readonly string[]): void => {
  assert.deepEqual(lines.map((l) => l.line).sort(), [...order].sort());
  const at = (text: string): { pos: number; time: number } => {
    const pos = lines.findIndex((l) => l.line === text);
    return { pos, time: Date.parse(lines[pos]?.time ?? '') };
  };
  for (let i = 0; i + 1 < order.length; i++) {
    const x = at(order[i] ?? '');
    const y = at(order[i + 1] ?? '');
    assert.ok(Number.isFinite(x.time) && Number.isFinite(y.time), 'every line has its arrival time');
    assert.ok(
      x.pos < y.pos || Math.abs(x.time - y.time) <= 1,
      `${order[i]} before ${order[i + 1]}: ${JSON.stringify(lines)}`,
    );
  }
  const times = lines.map((l) => Date.parse(l.time ?? ''));
  assert.deepEqual(
    [...times].sort((p, q) => p - q),
    times,
    'sorted by arrival time',
  );
};

const jsonLines = (stdout: string): JsonLine[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonLine);

// One daemon for all the cases (its helpers clean up when the enclosing test ends).
describe('tend logs, merged', () => {
  it('over programs that take turns', async (t) => {
    let d: Daemon;
    {
      d = await startDaemon(CONFIG('%(here)s'));
      const deadline = Date.now() + 30_000;
      while (jsonLines((await d.tend(['logs', '--json'])).stdout).length < ORDER.length) {
        if (Date.now() > deadline) throw new Error(`the turns did not end:\n${d.output}`);
        await sleep(100);
      }
    }

    await t.test(
      'merges the programs in the order their lines arrived, each prefixed with its name',
      async () => {
        const lines = jsonLines((await d.tend(['logs', '--json'])).stdout);
        assertArrivalOrder(lines, ORDER);
        assert.deepEqual(lines[lines.findIndex((l) => l.line === 'b2-err')], {
          ...lines.find((l) => l.line === 'b2-err'),
          name: 'b',
          stream: 'stderr',
        });
        const text = await d.tend(['logs']);
        assert.equal(text.code, 0, text.stderr);
        assert.deepEqual(
          text.stdout.split('\n').filter((l) => l !== ''),
          lines.map((l) => `${l.name} | ${l.line}`),
        );
      },
    );

    await t.test('--stdout / --stderr, --lines and --grep choose lines', async () => {
      const err = await d.tend(['logs', '--stderr']);
      assert.deepEqual(err.stdout.trim().split('\n'), ['b | b2-err']);
      const last = await d.tend(['logs', '--stdout', '-n', '1', 'a', 'b']);
      assert.deepEqual(last.stdout.trim().split('\n'), ['b | b2', 'a | a3']);
      const grep = await d.tend(['logs', '--grep', '^[ab]2']);
      assert.deepEqual(grep.stdout.trim().split('\n'), ['a | a2', 'b | b2', 'b | b2-err']);
      const one = await d.tend(['logs', '--grep', 'a[0-9]', '-n', '1']);
      assert.deepEqual(one.stdout.trim().split('\n'), ['a | a3'], 'the last matching line per stream');
      const bad = await d.tend(['logs', '--grep', '(']);
      assert.equal(bad.code, 2, 'a bad pattern is a usage error');
    });

    await t.test('-f prints the history, then new lines as they come, prefixed', async () => {
      const follower = spawn(TEND, ['-c', d.conf, 'logs', '-f', '-n', '1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      after(() => follower.kill('SIGKILL'));
      let seen = '';
      follower.stdout.on('data', (c: Buffer) => (seen += c.toString()));
      const waitSeen = async (pattern: RegExp): Promise<void> => {
        const deadline = Date.now() + 20_000;
        while (!pattern.test(seen)) {
          if (Date.now() > deadline)
            throw new Error(`follower never printed ${String(pattern)}; got: ${seen}`);
          await sleep(50);
        }
      };
      await waitSeen(/a \| a3\n/);
      assert.doesNotMatch(seen, /fresh/);
      writeFileSync(path.join(d.dir, 'go'), '');
      await waitSeen(/c \| fresh\n/);
      await waitSeen(/c \| fresh-err\n/);
    });

    await t.test('--since keeps what arrived since a time or a duration', async () => {
      const lines = jsonLines((await d.tend(['logs', '--json'])).stdout);
      const a3 = Date.parse(lines.find((l) => l.line === 'a3')?.time ?? '');
      const since = await d.tend(['logs', '--since', new Date(a3 + 1).toISOString()]);
      assert.equal(since.code, 0, since.stderr);
      assert.deepEqual(since.stdout.trim().split('\n').sort(), ['c | fresh', 'c | fresh-err']);
      const hour = await d.tend(['logs', '--since', '1h']);
      assert.equal(hour.stdout.trim().split('\n').length, ORDER.length + 2);
      const typo = await d.tend(['logs', '--since', 'yesterday']);
      assert.equal(typo.code, 2);
    });
  });
});
