// The bench's compiled helpers (lines gen/check), built once per chaos run into a shared dir.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTools } from '../../bench/lib/tools.mjs';
import { runCmd } from '../../bench/lib/util.mjs';

let built;
export const tools = () => {
  built ??= buildTools(mkdtempSync(path.join(tmpdir(), 'tend-chaos-tools-')));
  return built;
};

/** `lines check COUNT FILE…` → { lines, lost, duplicated, malformed, … }. */
export const checkLines = async (count, files) => {
  const { lines } = await tools();
  const { stdout } = await runCmd(lines, ['check', String(count), ...files], {
    okCodes: null,
    timeoutMs: 120_000,
  });
  return JSON.parse(stdout);
};

const LINE = /^\d{10} [a-z]{88}$/;
/** Lines of a log that are neither a whole generated line nor one of tend's loss markers. */
export const tornLines = (text) =>
  text
    .split('\n')
    .slice(0, -1)
    .filter((l) => !LINE.test(l) && !l.startsWith('[tend] ')).length;
