import type { ExitCode, LocalTools } from '../cli/command.js';
import { runInit, type InitSystem } from '../export/index.js';

// What commands do on this machine without a daemon. The heavy modules (the daemon, the config
// checker, scrypt) load only when such a command runs: a client command must start fast.

const where = () => ({ env: process.env, cwd: process.cwd() });

/** The tools, for the executable at `bin` (what a service file runs). */
export const localTools = (bin: string): LocalTools => ({
  daemon: async ({ config, logFormat, subreaper }) => {
    const { runDaemon } = await import('../daemon/index.js');
    // runDaemon's exit statuses come from the catalogue (toExitCode).
    return (await runDaemon({ configPath: config, logFormat, subreaper, ...where() })) as ExitCode;
  },
  check: async (file) => {
    const { checkReport } = await import('../daemon/check.js');
    return checkReport(file, where());
  },
  init: (options) =>
    runInit({
      system: options.system as InitSystem,
      user: options.user,
      install: options.install,
      config: options.config,
      // The flags this node runs with come from bin/tend's shebang; the service keeps them.
      tend: [process.execPath, ...process.execArgv, bin],
      env: process.env,
    }),
  hashPassword: async (password) => {
    const { hashPassword } = await import('../api/scrypt.js');
    return hashPassword(password);
  },
  convert: async (kind, { args, options, config }) => {
    const ctx = {
      configuration: config ?? undefined,
      ...where(),
      stdout: (text: string) => process.stdout.write(text),
      stderr: (text: string) => process.stderr.write(text),
    };
    const done =
      kind === 'export'
        ? (await import('../export/cli-export.js')).runExportCommand(args, options, ctx)
        : (await import('../export/cli-import.js')).runImportCommand(args, options, ctx);
    // Both return 0; their failures are thrown as catalogue errors.
    return (await done) as ExitCode;
  },
});
