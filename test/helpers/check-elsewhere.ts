import { run } from './daemon.js';

// `tend check` of a config written for another machine (the export corpus, imported configs):
// every error except "the command is not installed here" counts. Returns the errors that count
// and the warnings.

const NOT_HERE = /: can't find command '/;

export const checkForElsewhere = async (
  tend: string,
  conf: string,
  cwd?: string,
): Promise<{ readonly errors: string[]; readonly warnings: string[]; readonly output: string }> => {
  const r = await run(
    process.execPath,
    [tend, 'check', '--json', '-c', conf],
    cwd === undefined ? {} : { cwd },
  );
  const report = JSON.parse(r.stdout) as {
    errors: { message: string }[];
    warnings: { message: string }[];
  };
  return {
    errors: report.errors.map((e) => e.message).filter((m) => !NOT_HERE.test(m)),
    warnings: report.warnings.map((w) => w.message),
    output: `${r.stdout}\n${r.stderr}`,
  };
};
