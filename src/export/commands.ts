// `tend export` and `tend import` as uniform command modules (name, aliases, summary, arguments,
// options, run); main.ts registers them. They work on files, not on a daemon, so the heavy
// modules load only when one runs.

export interface LocalContext {
  /** -c FILE as given on the command line, if any. */
  readonly configuration: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface CommandModule {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly arguments: readonly { readonly name: string; readonly description: string }[];
  readonly options: readonly { readonly flags: string; readonly description: string }[];
  readonly run: (
    args: readonly string[],
    opts: Readonly<Record<string, unknown>>,
    ctx: LocalContext,
  ) => Promise<number>;
}

export const exportCommand: CommandModule = {
  name: 'export',
  aliases: [],
  summary:
    'print (or write to --out) the config as systemd units, Kubernetes objects, a Nomad job or a Compose file',
  arguments: [{ name: '<target>', description: 'systemd, kubernetes, nomad or compose' }],
  options: [
    { flags: '--out <dir>', description: 'write one file per unit/object into DIR instead of printing' },
    {
      flags: '--image <image>',
      description: 'container image (kubernetes, compose; nomad uses docker with it)',
    },
    {
      flags: '--pod-per-group',
      description: 'one Pod / Nomad task group per [group:x] instead of one per program',
    },
  ],
  run: async (args, opts, ctx) => (await import('./cli-export.js')).runExportCommand(args, opts, ctx),
};

export const importCommand: CommandModule = {
  name: 'import',
  aliases: [],
  summary: 'print a supervisord-dialect config made from a PM2 ecosystem file or a Procfile',
  arguments: [
    { name: '<format>', description: 'pm2 or procfile' },
    { name: '<file>', description: 'ecosystem.config.js|.cjs|.mjs|.json|.yaml, or a Procfile' },
  ],
  options: [
    { flags: '--env <name>', description: 'pm2: merge env_NAME over env; procfile: a .env file to read' },
  ],
  run: async (args, opts, ctx) => (await import('./cli-import.js')).runImportCommand(args, opts, ctx),
};

export const LOCAL_COMMANDS: readonly CommandModule[] = [exportCommand, importCommand];
