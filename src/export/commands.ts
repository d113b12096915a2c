// What `tend export` and `tend import` (cli/commands/export.ts, import.ts) hand to their runs here,
// through the CLI's LocalTools (bin/local.ts), which loads these modules only when one runs.

export interface LocalContext {
  /** The config file, when the command reads one. */
  readonly configuration: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}
