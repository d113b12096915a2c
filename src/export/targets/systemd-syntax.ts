// systemd's unit-file syntax for values: specifiers (%) everywhere, variables ($) in command
// lines, C escapes inside quotes (systemd.syntax(7), systemd.service(5) "Command lines").

/** % starts a specifier in every value; %% is a literal %. */
export const noSpecifiers = (text: string): string => text.replaceAll('%', '%%');

const quoted = (text: string): string =>
  `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;

/** One word of ExecStart=: quoted when systemd would split or unescape it; $ and % literal. */
export const commandWord = (word: string): string => {
  const plain = noSpecifiers(word).replaceAll('$', '$$');
  return plain === '' || /[\s"'\\;]/.test(plain) ? quoted(plain) : plain;
};

export const commandLine = (argv: readonly string[]): string => argv.map(commandWord).join(' ');

/** Environment="KEY=value": always quoted, so spaces, quotes and = survive. */
export const environmentLine = (key: string, value: string): string =>
  `Environment=${quoted(noSpecifiers(`${key}=${value}`))}`;

/** systemd's signal names keep the SIG prefix. */
export const signalName = (signal: string): string => `SIG${signal}`;
