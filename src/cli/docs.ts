import { CATALOGUE, type ErrorCode } from '../errors/index.js';
import type { ArgumentSpec, CommandModule, OptionSpec } from './command.js';
import { COMMANDS } from './commands/index.js';
import { GLOBAL_OPTIONS } from './globals.js';

// docs/cli.md, written from the command modules and the error catalogue so that it cannot drift
// from the code (scripts/gen-docs.mjs writes it; test/unit/docs/cli-docs.test.ts checks it).

const INTRO = `# The \`tend\` command

<!-- Generated from src/cli/commands/*.ts and the error catalogue by scripts/gen-docs.mjs; edit those. -->

\`tend daemon\` runs the supervisor; \`check\`, \`init\`, \`hash-password\` and \`completion\` work on this
machine; every other command is a client of a running daemon. The client has supervisorctl's
verbs, with supervisorctl's output lines and exit codes (checked by
\`test/integration/cli/compat.test.ts\`, which runs the same scenario through both), and adds
\`describe\`, \`top\`, \`logs\`, \`wait\`, \`check\`, \`completion\` and \`hash-password\`. The stock
\`supervisorctl\` works against tend too (see [api.md](api.md)).

Where tend differs from supervisorctl on purpose:

- Error lines (\`web: ERROR (spawn error)\`, \`ERROR: no such group: x\`) go to **stderr**;
  supervisorctl writes everything to stdout. The lines themselves are the same.
- Usage errors are one line and a \`hint: tend COMMAND --help\` line, checked before anything is
  sent to the daemon (\`tend logs -n abc\` is a usage error, exit 2). Where supervisorctl has its own
  line and exit status for a missing name (\`Error: stop requires a process name\`, exit 1), tend
  keeps them.
- A bare group name (\`tend start workers\`) means the whole group, like \`workers:*\`;
  supervisorctl would look for a process \`workers\` in group \`workers\`.
- \`tend status\` on a terminal is a table with pid, uptime, restarts, CPU and memory; piped, it
  prints supervisorctl's exact lines.
- \`tend version\` prints the daemon's tend version; \`supervisorctl version\` against tend prints
  \`4.2.5\` (the supervisord version tend reproduces). \`tend --version\` prints the client's.
- \`tend update\` restarts only the processes whose config changed (supervisorctl against
  supervisord restarts every member of a changed group; against tend it does not either).
- Colours (process states, \`logs\` prefixes) only when stdout is a terminal and \`NO_COLOR\` is
  unset; piped output is plain text.
- PM2's names are accepted and answered with a one-line note of tend's: \`ls\` and \`list\` are
  \`status\`, \`monit\` is \`top\`, \`startup\` is \`init\`.
`;

const FINDING = `## Finding the daemon

\`\`\`
tend [-c FILE] [-s URL] [-u USER] [-p PASSWORD] COMMAND …
\`\`\`

Without \`-c\`, the config file is \`$TEND_CONFIG\`, else the first that exists of \`./tend.conf\`,
\`./etc/tend.conf\`, \`/etc/tend/tend.conf\`, \`./supervisord.conf\`, \`./etc/supervisord.conf\`,
\`/etc/supervisord.conf\`, \`/etc/supervisor/supervisord.conf\` (supervisord's order after tend's own
names). The daemon is \`-s\`, else the config's \`[supervisorctl] serverurl\`, else its
\`[unix_http_server] file\`, else its \`[inet_http_server] port\`. The choice is never silent: when
the daemon cannot be reached, tend says which server it tried, where that address came from and
which config it read and how it found it; with no config at all it says where it looked; \`tend
daemon\` and \`tend init\` name a config they found by searching.
`;

const escape = (text: string): string => text.replace(/\|/g, '\\|');

const optionRows = (options: readonly OptionSpec[]): string[] =>
  options.length === 0
    ? []
    : [
        '',
        '| option | meaning |',
        '|---|---|',
        ...options.map((o) => {
          const extra = o.default === undefined ? '' : ` (default \`${o.default}\`)`;
          return `| \`${escape(o.flags)}\` | ${escape(o.description)}${extra} |`;
        }),
      ];

const exitRows = (): string[] => {
  const byExit = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(CATALOGUE) as ErrorCode[]) {
    const exit = CATALOGUE[code].exit;
    byExit.set(exit, [...(byExit.get(exit) ?? []), code]);
  }
  return [...byExit.entries()]
    .sort(([a], [b]) => a - b)
    .map(([exit, codes]) => {
      const what = codes.map((c) => `\`${c}\` ${CATALOGUE[c].summary}`).join('; ');
      return `- **${exit}**: ${exit === 0 ? 'done; also ' : ''}${what}`;
    });
};

const EXIT_TEXT = `## Exit codes

Every exit status comes from the error catalogue (\`src/errors/catalogue.ts\`, also in
[api.md](api.md)): a command ends with a catalogue code and exits with its number. 0 is success.
For \`status\` the codes are LSB's, as supervisorctl's: 3 when a listed process is not running,
4 for an unknown name. When several names fail, the last failure decides, as in supervisorctl.

`;

const usage = (args: readonly ArgumentSpec[]): string =>
  args
    .map((a) => {
      const word = `${a.name.toUpperCase()}${a.variadic === true ? '…' : ''}`;
      return a.required === true ? word : `[${word}]`;
    })
    .join(' ');

const section = (m: CommandModule): string[] => {
  const heading = `### tend ${m.name}${m.args.length === 0 ? '' : ` ${usage(m.args)}`}`;
  const aliases =
    m.aliases.length === 0 ? [] : ['', `Also \`${m.aliases.map((a) => `tend ${a}`).join('`, `')}\`.`];
  return [heading, '', m.details, ...aliases, ...optionRows(m.options), ''];
};

/** The whole of docs/cli.md (before prettier). */
export const renderCliDocs = (commands: readonly CommandModule[] = COMMANDS): string =>
  [
    INTRO,
    FINDING,
    ...optionRows(GLOBAL_OPTIONS).slice(1),
    '',
    `${EXIT_TEXT}${exitRows().join('\n')}`,
    '',
    '## Commands',
    '',
    'Names are `NAME` (a process, `group:name` inside a group), `GROUP:*`, `GROUP` or `all`.',
    '',
    ...commands.flatMap(section),
  ].join('\n');
