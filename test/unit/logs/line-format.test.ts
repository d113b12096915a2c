import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import {
  JSON_PIECE_MAX,
  JsonFormat,
  LINE_MAX,
  StampFormat,
  type FormatOut,
  type LineFormatter,
  type NativeLineFormat,
} from '../../../src/logs/index.js';
import { addonOrSkip } from '../../helpers/native.js';

// log_timestamps and log_format = json, on their own: chunks in, bytes out through an output
// buffer that is deliberately small (so running out of room, and coming back, is exercised). The
// native fast path (format.c) must give exactly what the JavaScript path gives.

const T0 = Date.UTC(2026, 11, 2, 9, 35, 14, 123);

interface Run {
  readonly chunks: readonly Buffer[];
  /** Arrival time of each chunk (ms). */
  readonly times?: readonly number[];
  readonly room?: number;
}

const format = (formatter: LineFormatter, run: Run): Buffer => {
  const parts: Buffer[] = [];
  const size = run.room ?? 1 << 20;
  const out: FormatOut = {
    buffer: Buffer.alloc(size),
    pos: 0,
    end: size,
    more() {
      parts.push(Buffer.from(out.buffer.subarray(0, out.pos)));
      out.buffer = Buffer.alloc(size);
      out.pos = 0;
    },
  };
  formatter.reset(4242);
  run.chunks.forEach((chunk, i) => {
    formatter.write(chunk, run.times?.[i] ?? T0, out);
  });
  formatter.end(out);
  out.more();
  return Buffer.concat(parts);
};

const json = (native: NativeLineFormat | null): JsonFormat =>
  new JsonFormat({ stream: 'stdout', program: 'web', native });

interface JsonRecord {
  time: string;
  stream: string;
  program: string;
  pid: number;
  line: string;
  partial?: true;
  invalid_utf8?: true;
  line_base64?: string;
}

const records = (output: Buffer): JsonRecord[] => {
  const text = output.toString('utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'every record ends with a newline');
  return text
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as JsonRecord);
};

/** The output the records stand for: each line's bytes, and a newline unless partial. */
const rebuild = (recs: readonly JsonRecord[]): Buffer =>
  Buffer.concat(
    recs.flatMap((r) => [
      r.line_base64 === undefined ? Buffer.from(r.line) : Buffer.from(r.line_base64, 'base64'),
      Buffer.from(r.partial === true ? '' : '\n'),
    ]),
  );

const native = (t: TestContext): NativeLineFormat | null => addonOrSkip(t);

describe('log_timestamps', () => {
  it('stamps each line once, with the time its first byte arrived', () => {
    const out = format(new StampFormat(null), {
      chunks: [Buffer.from('one\ntw'), Buffer.from('o\nthree\n')],
      times: [T0, T0 + 5],
    });
    assert.equal(
      out.toString(),
      '2026-12-02T09:35:14.123Z one\n2026-12-02T09:35:14.123Z two\n2026-12-02T09:35:14.128Z three\n',
    );
  });

  it('ends a last line without a newline when the pipe ends, stamped once', () => {
    const out = format(new StampFormat(null), { chunks: [Buffer.from('a\nprompt> ')], times: [T0] });
    assert.equal(out.toString(), '2026-12-02T09:35:14.123Z a\n2026-12-02T09:35:14.123Z prompt> \n');
  });

  it('native and JavaScript agree, whatever the chunking and the room left', (t) => {
    const addon = native(t);
    if (addon === null) return;
    fc.assert(
      fc.property(
        fc.array(
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a.map((b) => (b % 7 === 0 ? 10 : b)))),
        ),
        fc.integer({ min: 30, max: 400 }),
        (chunks, room) => {
          const times = chunks.map((_, i) => T0 + i * 3);
          const js = format(new StampFormat(null), { chunks, times, room });
          const c = format(new StampFormat(addon), { chunks, times, room });
          assert.deepEqual(c, js);
          // Taking the stamps out gives the output back (plus the newline a last open line gets).
          const input = Buffer.concat(chunks).toString('latin1');
          const stripped = js.toString('latin1').replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /gm, '');
          assert.equal(stripped, input === '' || input.endsWith('\n') ? input : `${input}\n`);
        },
      ),
    );
  });
});

describe('log_format = json', () => {
  it('writes one record per line with time, stream, program, pid and line', () => {
    const out = format(json(null), { chunks: [Buffer.from('hello "you"\n\ttab\\\n')] });
    assert.deepEqual(records(out), [
      { time: '2026-12-02T09:35:14.123Z', stream: 'stdout', program: 'web', pid: 4242, line: 'hello "you"' },
      { time: '2026-12-02T09:35:14.123Z', stream: 'stdout', program: 'web', pid: 4242, line: '\ttab\\' },
    ]);
  });

  it('keeps invalid UTF-8 exactly, and says so', () => {
    const bad = Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x0a]);
    const recs = records(format(json(null), { chunks: [bad] }));
    assert.equal(recs.length, 1);
    const rec = recs[0] as JsonRecord;
    assert.equal(rec.invalid_utf8, true);
    assert.equal(rec.line, Buffer.from(bad.subarray(0, -1)).toString('utf8'));
    assert.deepEqual(Buffer.from(rec.line_base64 ?? '', 'base64'), bad.subarray(0, -1));
  });

  it('splits a long line into flagged pieces at character boundaries, never dropping a byte', () => {
    const long = Buffer.from(`${'é'.repeat(JSON_PIECE_MAX)}x\n`);
    const recs = records(format(json(null), { chunks: [long.subarray(0, 5000), long.subarray(5000)] }));
    assert.ok(recs.length >= 3);
    assert.ok(recs.slice(0, -1).every((r) => r.partial === true));
    assert.equal(recs.at(-1)?.partial, undefined);
    assert.ok(
      recs.every((r) => r.invalid_utf8 === undefined),
      'no piece cuts a character',
    );
    assert.deepEqual(rebuild(recs), long);
  });

  it('keeps every record within LINE_MAX, even for a line of control characters', () => {
    const controls = Buffer.concat([Buffer.alloc(JSON_PIECE_MAX * 2, 1), Buffer.from('\n')]);
    const out = format(json(null), { chunks: [controls] });
    for (const line of out.toString().split('\n').slice(0, -1)) assert.ok(line.length + 1 <= LINE_MAX);
    assert.deepEqual(rebuild(records(out)), controls);
  });

  it('writes a last line without a newline when the pipe ends, flagged partial', () => {
    const recs = records(format(json(null), { chunks: [Buffer.from('a\nb')], times: [T0] }));
    assert.deepEqual(
      recs.map((r) => [r.line, r.partial]),
      [
        ['a', undefined],
        ['b', true],
      ],
    );
  });

  it('native and JavaScript agree on long plain lines, split or not', (t) => {
    const addon = native(t);
    if (addon === null) return;
    const chunks = [
      Buffer.from(`short\n${'p'.repeat(JSON_PIECE_MAX)}\n${'q'.repeat(JSON_PIECE_MAX + 1)}\nend\n`),
      Buffer.from(`${'r'.repeat(40_000)}\nlast`),
    ];
    const js = format(json(null), { chunks });
    assert.deepEqual(format(json(addon), { chunks }).toString(), js.toString());
    assert.deepEqual(rebuild(records(js)), Buffer.concat(chunks));
  });

  it('native and JavaScript agree, and every output round-trips', (t) => {
    const addon = native(t);
    if (addon === null) return;
    const bytes = fc.oneof(
      fc.constant(10),
      fc.constant(0x22),
      fc.constant(0x5c),
      fc.integer({ min: 0, max: 31 }),
      fc.integer({ min: 32, max: 126 }),
      fc.integer({ min: 128, max: 255 }),
    );
    const text = fc.oneof(
      fc.array(bytes, { maxLength: 400 }).map((a) => Buffer.from(a)),
      fc.string({ unit: 'grapheme', maxLength: 100 }).map((s) => Buffer.from(`${s}\n`)),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 12 }), fc.integer({ min: 60, max: 3000 }), (chunks, room) => {
        const times = chunks.map((_, i) => T0 + i);
        const js = format(json(null), { chunks, times, room });
        const c = format(json(addon), { chunks, times, room });
        assert.deepEqual(c.toString(), js.toString());
        assert.deepEqual(rebuild(records(js)), Buffer.concat(chunks));
      }),
      { numRuns: 300 },
    );
  });
});
