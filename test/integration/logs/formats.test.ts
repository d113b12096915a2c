import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, startDaemon } from '../../helpers/daemon.js';
import { checkNumberedLines, readRotated } from '../../helpers/lines.js';
import { until } from '../../helpers/native.js';
import { supervisorctl } from '../../helpers/supervisord.js';

// log_timestamps, log_format = json and *_logfile_maxage with real children and the real daemon:
// numbered lines through many rotations come out whole, once, in order, every stamp after the one
// before; JSON keeps bytes that are not UTF-8; supervisorctl tail reads the files as they are.

const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (.*)$/;

/** file.N … file.1, file: the ones that exist, oldest first. */
const rotated = (file: string): string[] => {
  const out = [file];
  for (let i = 1; existsSync(`${file}.${i}`); i++) out.unshift(`${file}.${i}`);
  return out;
};

/** The stamps and lines of stamped files read oldest first; fails on a line without a stamp. */
const unstamp = (text: string): { stamps: string[]; text: string } => {
  const stamps: string[] = [];
  const lines = text
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const m = STAMPED.exec(line);
      assert.ok(m !== null, `line without a stamp: ${JSON.stringify(line)}`);
      stamps.push(m[1] as string);
      return m[2] as string;
    });
  return { stamps, text: lines.map((l) => `${l}\n`).join('') };
};

const assertMonotonic = (stamps: readonly string[]): void => {
  for (let i = 1; i < stamps.length; i++) {
    assert.ok(
      (stamps[i] as string) >= (stamps[i - 1] as string),
      `stamp ${i} goes back: ${stamps[i - 1]} → ${stamps[i]}`,
    );
  }
};

const assertWholeFiles = (file: string): void => {
  for (const f of rotated(file).slice(0, -1)) {
    const text = readFileSync(f, 'latin1');
    assert.ok(text.endsWith('\n'), `${f} ends mid-line`);
  }
};

describe('log formats with real children', () => {
  it('log_timestamps: numbered lines through many size rotations, none lost, repeated or split', async () => {
    const count = 20_000;
    const d = await startDaemon(`
[program:gen]
command = ${fixture('numbered.sh')} ${count}
startsecs = 0
log_timestamps = true
stdout_logfile = %(here)s/gen.log
stdout_logfile_maxbytes = 16KB
stdout_logfile_backups = 200
`);
    const file = path.join(d.dir, 'gen.log');
    await until('every line in the log', () => readRotated(file, 200).includes(` ${count}\n`), 60_000);
    assert.ok(rotated(file).length > 20, `only ${rotated(file).length} files`);
    assertWholeFiles(file);
    const { stamps, text } = unstamp(readRotated(file, 200));
    const check = checkNumberedLines(text, count);
    assert.deepEqual(check, { count, lost: 0, duplicated: 0, outOfOrder: 0, garbage: 0 });
    assertMonotonic(stamps);
    // supervisorctl's tail reads the stamped file by byte offsets, as any other.
    const tail = await supervisorctl(d.conf, ['tail', 'gen']);
    // (supervisorctl adds a newline of its own.)
    const tailed = tail.stdout.trimEnd().split('\n');
    assert.match(tailed.at(-1) ?? '', new RegExp(`^\\S+Z ${count}$`));
    assert.match(tailed.at(-2) ?? '', STAMPED);
  });

  it('stdout_logfile_maxage: a real 1 s age rotates a slow writer, at line ends, keeping every line', async () => {
    const count = 36;
    const d = await startDaemon(`
[program:slow]
command = ${fixture('slow-numbered.sh')} ${count} 0.1
startsecs = 0
log_timestamps = true
stdout_logfile = %(here)s/slow.log
stdout_logfile_maxage = 1s
stdout_logfile_backups = 50
`);
    const file = path.join(d.dir, 'slow.log');
    await until('every line in the log', () => readRotated(file, 50).includes(` ${count}\n`), 60_000);
    // 36 lines 0.1 s apart take at least 3.5 s: with a 1 s age that is at least two rotations.
    assert.ok(rotated(file).length >= 3, `${rotated(file).length} files`);
    assertWholeFiles(file);
    const { stamps, text } = unstamp(readRotated(file, 50));
    assert.deepEqual(checkNumberedLines(text, count), {
      count,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      garbage: 0,
    });
    assertMonotonic(stamps);
    // No file was rotated long before its first line was 1 s old. The file decides by the time of
    // its writes, the stamps are the time of the reads before them (a flush later, longer on a
    // busy machine): half the age is the bound that holds; the fake clock tests the exact rule.
    const firsts = rotated(file).map((f) =>
      Date.parse(STAMPED.exec(readFileSync(f, 'utf8').split('\n')[0] ?? '')?.[1] ?? ''),
    );
    for (let i = 1; i < firsts.length; i++) {
      assert.ok(
        (firsts[i] as number) - (firsts[i - 1] as number) >= 500,
        `file ${i} started too soon: ${firsts.join(' ')}`,
      );
    }
  });

  it('log_format = json: every byte comes back, invalid UTF-8 and long lines included', async () => {
    const d = await startDaemon(`
[program:odd]
command = ${fixture('odd-output.sh')}
startsecs = 0
autorestart = false
log_format = json
stdout_logfile = %(here)s/odd.log
`);
    await d.waitFor('odd to exit', (ps) => ps.some((p) => p.statename === 'EXITED'));
    const pid = Number((await d.waitForOutput(/spawned: 'odd' with pid (\d+)/))[1]);
    const file = path.join(d.dir, 'odd.log');
    await until('the last line', () => readFileSync(file, 'utf8').includes('no newline at the end'));
    const records = readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rebuilt = Buffer.concat(
      records.flatMap((r) => [
        typeof r.line_base64 === 'string'
          ? Buffer.from(r.line_base64, 'base64')
          : Buffer.from(r.line as string),
        Buffer.from(r.partial === true ? '' : '\n'),
      ]),
    );
    const expected = Buffer.concat([
      Buffer.from('plain\nsay "hi"\tthere\\\nbad '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' bytes '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`\n${'x'.repeat(40_000)}\nno newline at the end`),
    ]);
    assert.deepEqual(rebuilt, expected);
    assert.ok(records.every((r) => r.stream === 'stdout' && r.program === 'odd' && r.pid === pid));
    assert.equal(records.filter((r) => r.invalid_utf8 === true).length, 1);
    assert.ok(
      records.filter((r) => r.partial === true).length >= 3,
      'the long line is split, the last is open',
    );
    assert.equal(records.at(-1)?.partial, true);
  });
});
