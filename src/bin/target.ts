import path from 'node:path';
import { locateConfigFile, readClientSettings, type LocatedConfig } from '../config/index.js';
import type { ConfigChoice } from '../cli/command.js';
import type { ServerTarget } from '../cli/client.js';

// Which config file and which daemon a command uses, and how they were chosen, so that a failure
// can say it: supervisorctl's search order is kept, but a config tend picked by searching (say
// /etc/supervisor/supervisord.conf) is named, never used silently.

export interface GlobalOptions {
  readonly configuration?: string;
  readonly serverurl?: string;
  readonly username?: string;
  readonly password?: string;
}

interface Where {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const relative = (cwd: string, file: string): string => {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : `./${rel}`;
};

const howFound = (found: LocatedConfig, cwd: string): string => {
  if (found.source === 'option') return 'given with -c';
  if (found.source === 'env') return 'from $TEND_CONFIG';
  if (found.skipped.length === 0) return 'found by searching (the first place tend looks)';
  return `found by searching (${found.skipped.map((f) => relative(cwd, f)).join(', ')} do not exist)`;
};

export const chooseConfig = (globals: GlobalOptions, where: Where): ConfigChoice => {
  const found = locateConfigFile({ explicit: globals.configuration, env: where.env, cwd: where.cwd });
  return { file: found.file, how: howFound(found, where.cwd), searched: found.source === 'search' };
};

const fromConfig = (config: ConfigChoice, where: Where): { url: string; origin: string } & Creds => {
  const settings = readClientSettings(config.file, { env: where.env, cwd: where.cwd });
  const creds = { username: settings.username, password: settings.password };
  const file = config.file;
  if (settings.serverurl !== null)
    return { url: settings.serverurl, origin: `[supervisorctl] serverurl in ${file}`, ...creds };
  if (settings.unixSocket !== null)
    return { url: `unix://${settings.unixSocket}`, origin: `[unix_http_server] file in ${file}`, ...creds };
  if (settings.inet !== null) {
    const url = `http://${settings.inet.host || 'localhost'}:${settings.inet.port}`;
    return { url, origin: `[inet_http_server] port in ${file}`, ...creds };
  }
  const origin = `supervisorctl's default: ${file} has no [supervisorctl] serverurl, [unix_http_server] or [inet_http_server]`;
  return { url: 'http://localhost:9001', origin, ...creds };
};

interface Creds {
  readonly username: string | null;
  readonly password: string | null;
}

/** The daemon to talk to: -s URL, else the one the config file names (supervisorctl's order). */
export const serverTarget = (globals: GlobalOptions, where: Where): ServerTarget => {
  if (globals.serverurl !== undefined) {
    return {
      url: globals.serverurl,
      username: globals.username ?? null,
      password: globals.password ?? null,
      origin: [`server ${globals.serverurl} given with -s`],
      config: null,
    };
  }
  const config = chooseConfig(globals, where);
  const found = fromConfig(config, where);
  return {
    url: found.url,
    username: globals.username ?? found.username,
    password: globals.password ?? found.password,
    origin: [`server ${found.url} from ${found.origin}`, `config ${config.file} ${config.how}`],
    config: config.file,
  };
};
