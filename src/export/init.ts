import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import {
  installPath,
  launchdPlist,
  nextSteps,
  openrcScript,
  systemdUnit,
  type InitSystem,
  type ServiceOptions,
} from './service-files.js';

// `tend init systemd|launchd|openrc [--user] [--config FILE] [--install]`: print the service file
// that runs tend, or write it where the init system looks and say what to run next. Nothing is
// enabled or started: that stays the operator's decision.

export const INIT_SYSTEMS: readonly InitSystem[] = ['systemd', 'launchd', 'openrc'];

export interface InitRequest extends ServiceOptions {
  readonly system: InitSystem;
  readonly install: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface InitOutput {
  /** The file's text (printed without --install). */
  readonly text: string;
  /** Where it was written, with --install. */
  readonly written: string | null;
  /** Notes for stderr: a missing config, the next command to run. */
  readonly notes: readonly string[];
}

const render = (r: InitRequest, home: string): string => {
  switch (r.system) {
    case 'systemd':
      return systemdUnit(r);
    case 'launchd':
      return launchdPlist(r, r.user ? `${home}/Library/Logs/tend.log` : '/var/log/tend.log');
    case 'openrc':
      return openrcScript(r);
  }
};

export const runInit = (r: InitRequest): InitOutput => {
  const home = r.env.HOME ?? homedir();
  const text = render(r, home);
  const notes = existsSync(r.config) ? [] : [`note: ${r.config} does not exist yet`];
  if (!r.install) return { text, written: null, notes };
  const file = installPath(r.system, r.user, home, r.env.XDG_CONFIG_HOME);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: r.system === 'openrc' ? 0o755 : 0o644 });
  return {
    text,
    written: file,
    notes: [...notes, `wrote ${file}`, `next: ${nextSteps(r.system, r.user, file)}`],
  };
};
