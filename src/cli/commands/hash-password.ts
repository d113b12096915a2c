import { TendError } from '../../errors/index.js';
import { OK, type ArgumentSpec, type CommandContext, type ExitCode, type OptionSpec } from '../command.js';

// `tend hash-password`: prints a {scrypt} hash for a [inet_http_server] / [unix_http_server] /
// [web_server] / [web_user:x] password. The password comes from stdin (one line; for scripts) or, on a terminal, from a
// prompt that does not echo, asked twice.

export const name = 'hash-password';
export const aliases: readonly string[] = [];
export const summary =
  'print a {scrypt} hash of a password (read from stdin, or asked for on a terminal) for the config';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [];
export const details = `Prints a \`{scrypt}\` hash for \`password =\` in \`[unix_http_server]\` / \`[inet_http_server]\`, and the
only form \`[web_server]\` and \`[web_user:NAME]\` accept. The password is read from stdin (one line) or, on a terminal, asked for twice without echo:
\`echo -n "$PASS" | tend hash-password\`. An empty password exits 2.`;

const readAll = async (stream: NodeJS.ReadStream): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
};

/** Reads a line from the terminal without echoing it. */
const prompt = (question: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const { stdin, stderr } = process;
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const done = (result: string | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (result === null) reject(new TendError('VALIDATION', 'interrupted'));
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          done(text);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          done(null);
          return;
        }
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else text += char;
      }
    };
    stdin.on('data', onData);
  });

export const run = async (ctx: CommandContext): Promise<ExitCode> => {
  let password: string;
  if (process.stdin.isTTY) {
    password = await prompt('Password: ');
    if ((await prompt('Again: ')) !== password) throw new TendError('VALIDATION', 'the passwords differ');
  } else password = await readAll(process.stdin);
  if (password === '') throw new TendError('VALIDATION', 'empty password');
  ctx.io.out(await ctx.local.hashPassword(password));
  return OK;
};
