// cron_restart with a real daemon: a schedule with a seconds field fires a few seconds ahead and
// restarts the RUNNING program (a new pid, reason cron); status shows the next firing, and
// `tend check` the next three.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, run, startDaemon, TEND } from '../../helpers/daemon.js';
import { SseClient } from '../../helpers/sse.js';

interface Restart {
  readonly reason: string;
  readonly detail: string;
  readonly pid: number;
}

interface Row {
  readonly name: string;
  readonly pid: number;
  readonly tend: {
    readonly cronRestart: { readonly expression: string; readonly next: number | null } | null;
  };
}

describe('cron_restart', () => {
  it('restarts a running program at the scheduled second and shows the next time', async () => {
    const d = await startDaemon(`
[program:nightly]
command = ${fixture('forever.sh')}
startsecs = 0
cron_restart = */3 * * * * *
cron_timezone = UTC

[program:idle]
command = ${fixture('forever.sh')}
autostart = false
cron_restart = */3 * * * * *
`);
    const events = await SseClient.open(
      { socketPath: d.socket },
      '/api/v1/events?history=1000&types=PROCESS_RESTART',
    );
    await d.waitForState('nightly', 'RUNNING');
    const status = await d.tend(['status', '--json', '--long']);
    assert.equal(status.code, 3, status.stderr);
    const rows = JSON.parse(status.stdout) as Row[];
    const next = rows.find((r) => r.name === 'nightly')?.tend.cronRestart?.next ?? 0;
    assert.ok(next > 0 && next % 3 === 0, `the next firing is on a multiple of 3 s: ${next}`);
    const described = await d.tend(['describe', 'nightly']);
    assert.match(described.stdout, /^ {2}cron {7}\*\/3 \* \* \* \* \* \(UTC\), next \S+/m);
    await events.waitFor('a cron restart', (es) => es.length > 0);
    const [event] = events.json<Restart>();
    events.close();
    assert.deepEqual(event, { ...event, reason: 'cron', detail: 'cron_restart = */3 * * * * * (UTC)' });
    // The pid it replaced; the program may have been restarted more than once by now.
    const pid = event.pid;
    assert.ok(pid > 0);
    await d.waitFor('the new child', (ps) =>
      ps.some((p) => p.name === 'nightly' && p.statename === 'RUNNING' && p.pid !== pid),
    );
    await d.waitForOutput(/cron_restart = \*\/3 \* \* \* \* \*: idle is STOPPED, not restarted/);
    assert.equal(
      (await d.process('idle')).statename,
      'STOPPED',
      'a program that is not running stays as it is',
    );
  });

  it('tend check shows the next three firings, and refuses a bad expression at its line', async () => {
    const d = await startDaemon(`
[program:nightly]
command = ${fixture('forever.sh')}
autostart = false
cron_restart = 30 4 * * 1
cron_timezone = UTC
`);
    const ok = await d.tend(['check', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const report = JSON.parse(ok.stdout) as { processes: { cronRestart: { next: string[] } | null }[] };
    const next = report.processes[0]?.cronRestart?.next ?? [];
    assert.equal(next.length, 3);
    for (const t of next) assert.match(t, /T04:30:00\.000Z$/);
    assert.ok(
      next.every((t) => new Date(t).getUTCDay() === 1),
      'Mondays',
    );
    const text = await d.tend(['check']);
    assert.match(text.stdout, /cron {7}30 4 \* \* 1 \(UTC\), next: .*04:30:00, .*04:30:00, .*04:30:00/);
  });

  it('without cron_timezone, the schedule is in the time zone of TZ', async () => {
    const d = await startDaemon(
      `
[program:local]
command = ${fixture('forever.sh')}
autostart = false
cron_restart = 0 3 * * *
`,
      { env: { TZ: 'Asia/Tokyo' } },
    );
    const rows = JSON.parse((await d.tend(['status', '--json', '--long'])).stdout) as Row[];
    const next = rows[0]?.tend.cronRestart?.next ?? 0;
    assert.equal(new Date(next * 1000).getUTCHours(), 18, 'the daemon reads it in its TZ');
    const check = await run(TEND, ['-c', d.conf, 'check', '--json'], {
      cwd: d.dir,
      env: { TZ: 'Asia/Tokyo' },
    });
    assert.equal(check.code, 0, check.stderr);
    const report = JSON.parse(check.stdout) as { processes: { cronRestart: { next: string[] } | null }[] };
    // 03:00 in Tokyo (UTC+9, no daylight saving) is 18:00 UTC.
    for (const t of report.processes[0]?.cronRestart?.next ?? ['none']) assert.match(t, /T18:00:00\.000Z$/);
  });
});
