import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TendError } from '../../errors/index.js';
import { runCommand } from '../../process/spawn.js';

// Reading an ecosystem file. JSON and YAML are parsed here. A JavaScript file is code: it runs in
// a separate Node process (never inside the CLI), under Node's permission model (it may read
// files but write only its answer, and may not start processes or workers), with a time limit,
// and hands back its module.exports as JSON. That is safe enough for an operator's own file, not
// for a stranger's: it can still read files and reach the network.

const TIMEOUT_MS = 10_000;

const LOADER = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
const [file, out] = process.argv.slice(1);
let value;
try {
  value = createRequire(file)(file);
} catch (error) {
  if (error?.code !== 'ERR_REQUIRE_ESM' && error?.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
  value = (await import(pathToFileURL(file).href)).default;
}
if (value !== null && typeof value === 'object' && 'default' in value && !('apps' in value)) value = value.default;
writeFileSync(out, JSON.stringify(value ?? null));
`;

const permissionFlag = (): string =>
  process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/** The first lines of what the file printed, without Node's own experimental warnings. */
const explain = (output: string): string =>
  output
    .split('\n')
    .filter((l) => l.trim() !== '' && !/ExperimentalWarning|--trace-warnings/.test(l))
    .slice(0, 6)
    .join('\n');

const env = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));

const evaluate = async (file: string): Promise<unknown> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-import-'));
  const out = path.join(dir, 'apps.json');
  try {
    const argv = [
      process.execPath,
      permissionFlag(),
      '--allow-fs-read=*',
      `--allow-fs-write=${dir}`,
      '--input-type=module',
      '-e',
      LOADER,
      file,
      out,
    ];
    const r = await runCommand(argv, {
      timeoutMs: TIMEOUT_MS,
      env: env(),
      cwd: path.dirname(file),
      user: null,
    });
    if (r.timedOut)
      throw new TendError('CONFIG_INVALID', `${file}: did not finish within ${TIMEOUT_MS / 1000} s`);
    if (r.code !== 0) {
      throw new TendError(
        'CONFIG_INVALID',
        `${file}: the ecosystem file failed when run by node:\n${explain(r.output) || r.error || `exit ${String(r.code)}`}`,
      );
    }
    return JSON.parse(readFileSync(out, 'utf8')) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TendError(
      'CONFIG_NOT_FOUND',
      `${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
};

/** The ecosystem file's value: { apps: [...] }, an array of apps or one app. */
export const loadEcosystem = async (file: string): Promise<unknown> => {
  const abs = path.resolve(file);
  const ext = path.extname(abs).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(read(abs)) as unknown;
    } catch (error) {
      if (error instanceof TendError) throw error;
      throw new TendError('CONFIG_INVALID', `${abs}: not JSON: ${(error as Error).message}`);
    }
  }
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return parseYaml(read(abs)) as unknown;
    } catch (error) {
      if (error instanceof TendError) throw error;
      throw new TendError('CONFIG_INVALID', `${abs}: not YAML: ${(error as Error).message}`);
    }
  }
  read(abs);
  return evaluate(abs);
};
