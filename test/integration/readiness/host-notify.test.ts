// tend under a host init system: NOTIFY_SOCKET points at a datagram receiver in this test, as
// systemd's would; WATCHDOG_USEC asks for pings.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSocket } from 'unix-dgram';
import { fixture, startDaemon, run, TEND } from '../../helpers/daemon.js';
import { stdoutOf } from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tend-host-'));
const socketPath = path.join(dir, 'notify');
const received: string[] = [];
const receiver = createSocket('unix_dgram', (buf) => received.push(buf.toString()));
receiver.bind(socketPath);
after(() => {
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const waitForMessage = async (pattern: RegExp, from = 0): Promise<number> => {
  for (let i = 0; i < 400; i++) {
    const index = received.findIndex((m, j) => j >= from && pattern.test(m));
    if (index !== -1) return index;
    await sleep(50);
  }
  throw new Error(`no ${String(pattern)} in ${JSON.stringify(received)}`);
};

describe("tend's own sd_notify", () => {
  it('READY=1 with a STATUS summary, WATCHDOG=1 pings, RELOADING=1/READY=1 on SIGHUP, STOPPING=1', async () => {
    const d = await startDaemon(
      `
[program:env]
command = /bin/sh -c 'echo "NOTIFY_SOCKET=$NOTIFY_SOCKET WATCHDOG_USEC=$WATCHDOG_USEC"; exec sleep 100000'
`,
      { env: { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '400000' } },
    );
    const ready = await waitForMessage(/^READY=1\nSTATUS=/);
    assert.match(received[ready] ?? '', /^READY=1\nSTATUS=1 starting$/);
    await waitForMessage(/^STATUS=1 running$/);
    const firstPing = await waitForMessage(/^WATCHDOG=1$/);
    await waitForMessage(/^WATCHDOG=1$/, firstPing + 1);
    d.signal('SIGHUP');
    const reloading = await waitForMessage(/^RELOADING=1\nMONOTONIC_USEC=\d+\nSTATUS=reloading the config$/);
    await waitForMessage(/^READY=1\n/, reloading + 1);
    assert.equal(await d.stop(), 0);
    await waitForMessage(/^STOPPING=1\nSTATUS=stopping programs$/);
  });

  it('children do not inherit the daemon’s NOTIFY_SOCKET or WATCHDOG_USEC', async () => {
    const d = await startDaemon(
      `
[program:env]
command = /bin/sh -c 'echo "NOTIFY_SOCKET=$NOTIFY_SOCKET WATCHDOG_USEC=$WATCHDOG_USEC"; exec sleep 100000'
`,
      { env: { NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '400000' } },
    );
    const [env] = await d.waitForState('env', 'RUNNING');
    await d.waitFor('output', () => readFileSync(env!.stdout_logfile, 'utf8') !== '');
    assert.equal((await stdoutOf(d, 'env')).trim(), 'NOTIFY_SOCKET= WATCHDOG_USEC=');
  });
});

describe('tend init', () => {
  it('--user --install writes a systemd user unit under $HOME', async () => {
    const home = tempDir('tend-home-');
    const result = await run(
      process.execPath,
      [TEND, 'init', 'systemd', '--user', '--install', '--config', fixture('../../../examples/tend.conf')],
      {
        env: { HOME: home, XDG_CONFIG_HOME: undefined },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /wrote .*\/\.config\/systemd\/user\/tend\.service/);
    assert.match(result.stderr, /next: systemctl --user daemon-reload && systemctl --user enable --now tend/);
  });
});
