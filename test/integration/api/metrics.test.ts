import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, header, httpOverSocket, run, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { parseExposition, valueOf, type Family } from '../../helpers/prom.js';
import { SseClient } from '../../helpers/sse.js';
import { freePort } from '../../helpers/supervisord.js';
import { tempDir } from '../../helpers/tmp.js';
import { mountTmpfs } from '../../helpers/tmpfs.js';

// A real daemon's /metrics against the real thing: Prometheus's own linter (promtool check
// metrics, Debian's prometheus package) on a scrape that has every kind of series, the figures
// against /proc and the log files on disk, and the same credentials as the rest of the API.

// A tree of three processes: the shell, a child that burns some CPU then sleeps, and a sleeper.
const TREE = `#!/bin/sh
sh -c 'i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done; exec sleep 100000' &
sleep 100000 &
wait
`;

const config = (dir: string): string => `
[program:tree]
command = /bin/sh ${dir}/tree.sh
startsecs = 0

[program:talker]
command = ${fixture('forever.sh')}
startsecs = 0

[program:once]
command = ${fixture('sleep-then-exit.sh')} 0.2 3
startsecs = 0
autorestart = false

[program:checked]
command = ${fixture('forever.sh')}
startsecs = 0
healthcheck = exec:true
healthcheck_interval = 1

[program:sick]
command = ${fixture('forever.sh')}
startsecs = 0
healthcheck = exec:false
healthcheck_interval = 1
healthcheck_retries = 1

[group:pair]
programs = talker

[eventlistener:listen]
command = ${fixture('record-listener.py')} ${dir}/events.jsonl
events = PROCESS_STATE
`;

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const inetGet = (port: number, authorization?: string): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const headers = authorization === undefined ? {} : { authorization };
    const req = request({ host: '127.0.0.1', port, path: '/metrics', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.on('error', reject);
    req.end();
  });

const scrape = async (d: Daemon): Promise<{ text: string; families: Family[] }> => {
  const res = await httpOverSocket(d.socket, 'GET', '/metrics');
  assert.equal(res.status, 200, res.text);
  return { text: res.text, families: parseExposition(res.text) };
};

/** Scrapes until `predicate` holds (the daemon's events are not ours to time). */
const scrapeUntil = async (
  d: Daemon,
  what: string,
  predicate: (f: Family[]) => boolean,
): Promise<Family[]> => {
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    const last = await scrape(d);
    if (predicate(last.families)) return last.families;
    text = last.text;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last scrape:\n${text}`);
};

const readStat = (pid: number): string[] | null => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
};

/** The live processes of the tree under `root`, from /proc, and their resident pages. */
const treeFromProc = (root: number): { pids: number; rssPages: number } => {
  const parents = new Map<number, number[]>();
  const stats = new Map<number, string[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const fields = readStat(Number(entry));
    if (fields === null) continue;
    stats.set(Number(entry), fields);
    const ppid = Number(fields[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  let pids = 0;
  let rssPages = 0;
  for (const stack = [root]; stack.length > 0;) {
    const pid = stack.pop() ?? 0;
    const fields = stats.get(pid);
    if (fields === undefined || fields[0] === 'Z') continue;
    pids += 1;
    rssPages += Number(fields[21]);
    stack.push(...(parents.get(pid) ?? []));
  }
  return { pids, rssPages };
};

/** Connects, writes `sent` (maybe nothing), then waits: what the server answers and when it closes. */
const idleClient = (socketPath: string, sent: string): Promise<{ text: string; ms: number }> =>
  new Promise((resolve) => {
    const started = Date.now();
    let text = '';
    const socket = connect(socketPath, () => {
      if (sent !== '') socket.write(sent);
    });
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      resolve({ text, ms: Date.now() - started });
    });
  });

describe('GET /metrics on a real daemon', () => {
  it('passes promtool check metrics with every kind of series present', async () => {
    const dir = tempDir();
    const d = await startDaemon(config(dir), { dir, files: { 'tree.sh': TREE } });
    const sse = await SseClient.open({ socketPath: d.socket }, '/api/v1/events');
    await d.waitForState('once', 'EXITED');
    await scrapeUntil(
      d,
      'health verdicts, a health restart and the listener ready',
      (f) =>
        valueOf(f, 'tend_process_health', { name: 'checked', health: 'healthy' }) === 1 &&
        (valueOf(f, 'tend_process_restarts_total', { name: 'sick', reason: 'health' }) ?? 0) >= 1 &&
        valueOf(f, 'tend_process_ready', { name: 'listen' }) === 1,
    );
    const { text, families } = await scrape(d);
    sse.close();
    const lint = await run('promtool', ['check', 'metrics'], { input: text });
    assert.equal(lint.code, 0, `promtool complained:\n${lint.stdout}${lint.stderr}`);
    assert.equal(`${lint.stdout}${lint.stderr}`, '', 'promtool printed a complaint');
    assert.equal(valueOf(families, 'tend_process_exits_total', { name: 'once', code: '3' }), 1);
    assert.ok((valueOf(families, 'tend_events_total', { type: 'PROCESS_HEALTH_UNHEALTHY' }) ?? 0) >= 1);
    assert.equal(valueOf(families, 'tend_process_restarts_total', { name: 'sick', reason: 'crash' }), 0);
    assert.equal(
      valueOf(families, 'tend_process_state', { group: 'pair', name: 'talker', state: 'RUNNING' }),
      1,
    );
    assert.equal(valueOf(families, 'tend_sse_clients'), 1);
    assert.equal(
      typeof valueOf(families, 'tend_listener_pool_buffered_events', { pool: 'listen' }),
      'number',
    );
    assert.equal(valueOf(families, 'tend_listener_pool_buffer_size', { pool: 'listen' }), 10);
    assert.ok((valueOf(families, 'process_open_fds') ?? 0) > 0);
    assert.equal(valueOf(families, 'tend_build_info', { version: '0.1.0' }), 1);
  });

  it("reports a program's whole tree as /proc has it, and log bytes as the file on disk has them", async () => {
    const dir = tempDir();
    const d = await startDaemon(config(dir), { dir, files: { 'tree.sh': TREE } });
    const families = await scrapeUntil(
      d,
      'the CPU of the tree to show',
      (f) => (valueOf(f, 'tend_process_cpu_seconds_total', { name: 'tree' }) ?? 0) >= 0.05,
    );
    const tree = (await d.process('tree')).pid;
    const fromProc = treeFromProc(tree);
    assert.equal(fromProc.pids, 3);
    const measured = await scrapeUntil(
      d,
      'the tree measured whole',
      (f) => valueOf(f, 'tend_process_tree_processes', { name: 'tree' }) === 3,
    );
    const rss = valueOf(measured, 'tend_process_resident_memory_bytes', { name: 'tree' }) ?? 0;
    const pageSize = Number((await run('getconf', ['PAGESIZE'])).stdout);
    const expected = fromProc.rssPages * pageSize;
    assert.ok(Math.abs(rss - expected) <= expected * 0.1, `tend says ${rss} bytes, /proc ${expected}`);
    assert.ok((valueOf(families, 'tend_process_cpu_seconds_total', { name: 'talker' }) ?? 1) < 1);
    const log = readdirSync(dir).find((f) => f.startsWith('talker-stdout'));
    assert.ok(log !== undefined, 'the talker has a stdout log');
    const written = valueOf(measured, 'tend_log_written_bytes_total', { name: 'talker', stream: 'stdout' });
    assert.ok(written !== undefined && written > 0);
    assert.equal(written, statSync(path.join(dir, log)).size);
  });

  it('asks for the same credentials as the rest of the API', async () => {
    const port = await freePort();
    const dir = tempDir();
    const d = await startDaemon(`[program:talker]\ncommand = ${fixture('forever.sh')}\n`, {
      dir,
      header: `${header(dir)}\n[inet_http_server]\nport = 127.0.0.1:${port}\nusername = admin\npassword = s3cret\n`,
    });
    assert.equal((await inetGet(port)).status, 401);
    assert.equal((await inetGet(port, basic('admin', 'nope'))).status, 401);
    assert.equal((await inetGet(port, basic('nobody', 's3cret'))).status, 401);
    const allowed = await inetGet(port, basic('admin', 's3cret'));
    assert.equal(allowed.status, 200);
    assert.equal(valueOf(parseExposition(allowed.text), 'tend_process_up', { name: 'talker' }), 1);
    assert.equal((await scrape(d)).families.length > 0, true, 'the unix socket has no credentials here');
  });

  it("cuts a client that sends nothing, or half a request, on the servers' header timeout", async () => {
    const d = await startDaemon(`[program:talker]\ncommand = ${fixture('forever.sh')}\n`);
    const [silent, half] = await Promise.all([
      idleClient(d.socket, ''),
      idleClient(d.socket, 'GET /metrics HTTP/1.1\r\nHost: tend\r\n'),
    ]);
    for (const client of [silent, half]) assert.match(client.text, /^HTTP\/1\.1 408 /);
    assert.equal((await scrape(d)).families.length > 0, true, 'and serves the next scrape');
  });

  it('counts log output lost on a really full disk as the file marks it, and what was written', async (t) => {
    const fs = await mountTmpfs('256k');
    if ('skip' in fs) {
      t.skip(fs.skip);
      return;
    }
    const total = Array.from({ length: 1_000_000 }, (_, i) => `${i + 1}\n`).join('').length;
    const d = await startDaemon(
      `[program:spew]\ncommand = sh -c 'seq 1 1000000; exec sleep 100000'\nstartsecs = 0\n` +
        `stdout_logfile = ${fs.dir}/spew.log\nstdout_logfile_maxbytes = 0\n`,
    );
    const labels = { name: 'spew', stream: 'stdout' };
    await scrapeUntil(
      d,
      'output dropped',
      (f) => (valueOf(f, 'tend_log_dropped_bytes_total', labels) ?? 0) > 0,
    );
    await fs.grow('16m');
    const families = await scrapeUntil(
      d,
      'all the output written or dropped, nothing held',
      (f) =>
        valueOf(f, 'tend_log_held_bytes', labels) === 0 &&
        (valueOf(f, 'tend_log_written_bytes_total', labels) ?? 0) +
          (valueOf(f, 'tend_log_dropped_bytes_total', labels) ?? 0) ===
          total,
    );
    const dropped = valueOf(families, 'tend_log_dropped_bytes_total', labels);
    const marker = /\[tend\] dropped (\d+) bytes/.exec(readFileSync(path.join(fs.dir, 'spew.log'), 'latin1'));
    assert.equal(dropped, Number(marker?.[1]), "the count the file's marker gives");
  });

  it('counts what an [alert:x] section did: an event, a retry and a message given up on a dead receiver', async () => {
    const dead = await freePort();
    const d = await startDaemon(
      `[program:once]\ncommand = ${fixture('sleep-then-exit.sh')} 0.2 3\nstartsecs = 0\nautorestart = false\n\n` +
        `[alert:dead]\nurl = http://127.0.0.1:${dead}/hook\nretries = 1\n`,
    );
    const alert = { alert: 'dead' };
    const families = await scrapeUntil(
      d,
      'the message given up',
      (f) => valueOf(f, 'tend_alert_messages_failed_total', alert) === 1,
    );
    assert.equal(valueOf(families, 'tend_alert_events_total', alert), 1);
    assert.equal(valueOf(families, 'tend_alert_retries_total', alert), 1);
    assert.equal(valueOf(families, 'tend_alert_messages_sent_total', alert), 0);
    assert.equal(valueOf(families, 'tend_alert_queued_events', alert), 0);
    assert.equal(valueOf(families, 'tend_events_total', { type: 'ALERT_FAILED' }), 1);
  });
});
