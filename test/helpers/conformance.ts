import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { XmlRpcValue } from '../../src/api/xmlrpc/values.js';
import {
  missingSupervisor,
  startSupervisord,
  startTend,
  SUPERVISORCTL,
  type Server,
  type ServerOptions,
} from './supervisord.js';
import { rpcValue } from './xmlrpc.js';

// Runs one scenario against tend and against the real supervisord 4.2.5 (same config, each in
// its own directory), driving both with the stock supervisorctl, and compares what a user sees:
// every command's output and exit code, once directories, pids, uptimes and dates are masked.

interface ProcessInfoLike {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly pid: number;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

/** Masks what legitimately differs between two runs of the same scenario. */
export const normalize = (text: string, dir: string): string =>
  text
    .replaceAll(dir, '<DIR>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<PORT>')
    .replace(/pid \d+, uptime (?:\d+ days?, )?\d+:\d\d:\d\d/g, 'pid <PID>, uptime <UPTIME>')
    .replace(new RegExp(`${MONTH} \\d\\d \\d\\d:\\d\\d [AP]M`, 'g'), '<DATE>')
    .replace(/^[1-9]\d*$/gm, '<PID>');

export interface CtlOptions {
  /** Text for supervisorctl's stdin (fg). */
  readonly input?: string;
  /** Send SIGINT (Ctrl-C) after this long: for tail -f, maintail -f and fg. */
  readonly interruptAfterMs?: number;
  /** Send SIGINT as soon as the output matches (interruptAfterMs is then the deadline). */
  readonly interruptWhen?: RegExp;
  /**
   * After `fg` is interrupted, supervisorctl's output thread lingers in a 30 s select() before
   * the process exits (against either server); kill it this long after the interrupt instead.
   */
  readonly lingerMs?: number;
  /** Rewrites the output before it is recorded (e.g. keep only the lines both can agree on). */
  readonly keep?: (output: string) => string;
  /**
   * Records the lines sorted: supervisord lists the results of a group stop in the order its
   * children happen to be reaped, which differs from run to run.
   */
  readonly unordered?: boolean;
}

export interface CtlResult {
  readonly code: number | null;
  readonly output: string;
}

export class Session {
  readonly server: Server;
  readonly transcript: string[] = [];
  /** `user:password` for the session's own XML-RPC calls, when the socket asks for them. */
  auth: string | undefined;

  constructor(server: Server) {
    this.server = server;
  }

  get target(): { socketPath: string; auth?: string } {
    return { socketPath: this.server.socket, ...(this.auth === undefined ? {} : { auth: this.auth }) };
  }

  /** Runs `supervisorctl -c conf ARGS…` (words split on spaces) and records the result. */
  async ctl(command: string, options: CtlOptions = {}): Promise<CtlResult> {
    const result = await runCtl(this.server.conf, command.split(' ').filter(Boolean), options);
    let output = normalize(options.keep?.(result.output) ?? result.output, this.server.dir);
    if (options.unordered === true) output = `${output.split('\n').filter(Boolean).sort().join('\n')}\n`;
    this.transcript.push(
      `$ supervisorctl ${normalize(command, this.server.dir)}\n${output}[exit ${String(result.code)}]`,
    );
    return result;
  }

  note(text: string): void {
    this.transcript.push(normalize(text, this.server.dir));
  }

  call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    return rpcValue(this.target, method, ...params);
  }

  async info(): Promise<ProcessInfoLike[]> {
    return (await this.call('supervisor.getAllProcessInfo')) as unknown as ProcessInfoLike[];
  }

  /** Polls getAllProcessInfo until `predicate` holds (generous deadline: supervisord ticks at 1 s). */
  async waitFor(
    what: string,
    predicate: (infos: ProcessInfoLike[]) => boolean | Promise<boolean>,
    timeoutMs = 30_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: ProcessInfoLike[] = [];
    while (Date.now() < deadline) {
      try {
        last = await this.info();
        if (await predicate(last)) return;
      } catch {
        // restarting: the server refuses calls or connections for a moment
      }
      await sleep(100);
    }
    const states = last.map((p) => `${p.group}:${p.name}=${p.statename}`).join(' ');
    throw new Error(`${this.server.kind}: timed out waiting for ${what}; last: ${states}`);
  }

  waitState(namespec: string, state: string): Promise<void> {
    return this.waitFor(`${namespec} ${state}`, (infos) =>
      infos.some(
        (p) => (p.name === namespec || `${p.group}:${p.name}` === namespec) && p.statename === state,
      ),
    );
  }
}

const runCtl = async (conf: string, args: readonly string[], options: CtlOptions): Promise<CtlResult> => {
  const child = spawn(SUPERVISORCTL, ['-c', conf, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  if (options.input === undefined) child.stdin.end();
  else child.stdin.write(options.input);
  let interrupted = false;
  const interruptNow = (): void => {
    if (interrupted) return;
    interrupted = true;
    child.kill('SIGINT');
    child.stdin.end();
    if (options.lingerMs !== undefined) setTimeout(() => child.kill('SIGKILL'), options.lingerMs).unref();
  };
  const when = options.interruptWhen;
  if (when !== undefined) {
    child.stdout.on('data', () => {
      if (when.test(output)) setTimeout(interruptNow, 200);
    });
  }
  const interrupt =
    options.interruptAfterMs === undefined ? undefined : setTimeout(interruptNow, options.interruptAfterMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(interrupt);
  clearTimeout(killer);
  return { code, output };
};

export type Script = (s: Session) => Promise<void>;

/**
 * Runs `script` on tend and on supervisord (concurrently; each has its own config directory)
 * and asserts both transcripts are the same. Skips, saying why, without the real supervisor.
 */
export const onBoth = async (
  t: TestContext,
  body: string,
  script: Script,
  options: ServerOptions = {},
): Promise<{ tend: Session; supervisord: Session } | null> => {
  const missing = missingSupervisor();
  if (missing !== null) {
    t.skip(`needs the real supervisor: ${missing}`);
    return null;
  }
  const [tend, supervisord] = await Promise.all([startTend(body, options), startSupervisord(body, options)]);
  const sessions = { tend: new Session(tend), supervisord: new Session(supervisord) };
  await Promise.all([script(sessions.tend), script(sessions.supervisord)]);
  if (process.env.TEND_SHOW_TRANSCRIPT !== undefined) console.log(sessions.tend.transcript.join('\n'));
  assert.equal(sessions.tend.transcript.join('\n'), sessions.supervisord.transcript.join('\n'));
  return sessions;
};

/** Runs `script` against tend only, still through the stock supervisorctl. */
export const onTend = async (
  t: TestContext,
  body: string,
  script: Script,
  options: ServerOptions = {},
): Promise<Session | null> => {
  const missing = missingSupervisor();
  if (missing !== null) {
    t.skip(`needs the real supervisorctl: ${missing}`);
    return null;
  }
  const session = new Session(await startTend(body, options));
  await script(session);
  return session;
};
