import { TendError } from '../../errors/index.js';
import {
  exitCode,
  flag,
  OK,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { usageError } from '../command.js';

// `tend alert list` shows the daemon's [alert:x] sections and what each has done; `tend alert
// test NAME` makes the daemon send one test message through NAME now, with the config it runs.

export const name = 'alert';
export const aliases: readonly string[] = [];
export const summary = 'list the [alert:x] sections in force and their counts, or send a test message';
export const args: readonly ArgumentSpec[] = [
  { name: 'action', description: 'list or test', required: true, choices: ['list', 'test'] },
  { name: 'name', description: 'the alert to test ([alert:NAME])' },
];
export const options: readonly OptionSpec[] = [{ flags: '--json', description: 'print the alerts as JSON' }];
export const details = `\`tend alert list\` prints each \`[alert:x]\` of the config the daemon runs: where it sends, and how
many messages it sent, gave up (after its retries) and events it dropped (queue full).
\`--json\` prints \`GET /api/v1/alerts\`. \`tend alert test NAME\` has the daemon send a test
message through NAME at once (one attempt, no retries): \`sent a test message by webhook to …\`,
exit 0; the receiver's refusal or the connection error and exit 1 (\`ALERT_DELIVERY\`); an
unknown name exits 1 (\`NOT_FOUND\`). See [alerts.md](alerts.md).`;

interface Stats {
  readonly sent: number;
  readonly failed: number;
  readonly retries: number;
  readonly dropped: number;
  readonly events: number;
  readonly lastError: string | null;
}

interface Status {
  readonly name: string;
  readonly via: string;
  readonly target: string;
  readonly queued: number;
  readonly stats: Stats;
}

const line = (s: Status): string =>
  `${s.name.padEnd(16)} ${s.via.padEnd(7)} ${s.target}  sent ${s.stats.sent}, failed ${s.stats.failed}, ` +
  `retries ${s.stats.retries}, dropped ${s.stats.dropped}, queued ${s.queued}` +
  (s.stats.lastError === null ? '' : `  (last error: ${s.stats.lastError})`);

const list = async (ctx: CommandContext, json: boolean): Promise<ExitCode> => {
  const body = await ctx.client().call<{ alerts: Status[] }>('GET', '/api/v1/alerts');
  if (json) ctx.io.out(JSON.stringify(body, null, 2));
  else if (body.alerts.length === 0) ctx.io.out('no [alert:x] sections in the config in force');
  else for (const s of body.alerts) ctx.io.out(line(s));
  return OK;
};

const test = async (ctx: CommandContext, alert: string): Promise<ExitCode> => {
  try {
    const s = await ctx.client().call<Status>('POST', `/api/v1/alerts/${encodeURIComponent(alert)}/test`);
    ctx.io.out(`sent a test message by ${s.via} to ${s.target}`);
    return OK;
  } catch (error) {
    if (!(error instanceof TendError) || !['ALERT_DELIVERY', 'NOT_FOUND'].includes(error.code)) throw error;
    ctx.io.err(`ERROR: ${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`);
    return exitCode(error.code);
  }
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const [action, alert] = input.args;
  if (action === 'list') return list(ctx, flag(input, 'json'));
  if (alert === undefined || alert === '') throw usageError(name, 'test needs the name of an alert');
  return test(ctx, alert);
};
