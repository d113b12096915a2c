import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYSLOG_LINE_MAX, SyslogLines, syslogTime } from '../../../src/logs/index.js';

// What one stream sends to syslog: `NAME LINE` per whole line, whatever the reads; the time in
// RFC 3164's form as glibc writes it. (The socket itself: test/integration/logs/syslog.test.ts.)

const lines = (chunks: readonly string[], end = true): string[] => {
  const sent: string[] = [];
  const l = new SyslogLines({ send: (m) => sent.push(m.toString('latin1')) }, 'web');
  for (const c of chunks) l.push(Buffer.from(c, 'latin1'));
  if (end) l.end();
  return sent;
};

describe('syslog lines', () => {
  it('sends each line once, whole, with the process name, empty lines included', () => {
    assert.deepEqual(lines(['one\ntw', 'o\n\nthr', 'ee\n']), ['web one', 'web two', 'web ', 'web three']);
  });

  it('sends an unfinished last line when the pipe ends, and not before', () => {
    assert.deepEqual(lines(['a\nprompt> '], false), ['web a']);
    assert.deepEqual(lines(['a\nprompt> ']), ['web a', 'web prompt> ']);
  });

  it(`sends a line longer than ${SYSLOG_LINE_MAX} bytes in pieces, losing nothing`, () => {
    const long = 'x'.repeat(SYSLOG_LINE_MAX * 2 + 5);
    const sent = lines([long.slice(0, 100), long.slice(100), '\nnext\n']);
    assert.deepEqual(
      sent.map((m) => m.length),
      [SYSLOG_LINE_MAX + 4, SYSLOG_LINE_MAX + 4, 9, 8],
    );
    assert.equal(
      sent
        .slice(0, 3)
        .map((m) => m.slice(4))
        .join(''),
      long,
    );
  });

  it('writes the time as glibc does: month, day padded with a space, local time', () => {
    assert.equal(syslogTime(new Date(2026, 11, 2, 9, 5, 7).getTime()), 'Dec  2 09:05:07');
    assert.equal(syslogTime(new Date(2026, 0, 21, 23, 59, 59).getTime()), 'Jan 21 23:59:59');
  });
});
