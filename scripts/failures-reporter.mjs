// A node:test reporter that writes only the failed tests, each with its file and its whole error,
// one JSON line per failure. run-tests.mjs prints them again after the last suite: a CI log that
// keeps only its tail then still says why a test failed, not just which one (the spec reporter's
// details are hundreds of lines further up, above the bench smoke's table).
import { inspect } from 'node:util';

// eslint-disable-next-line no-restricted-syntax -- node:test loads a reporter by its default export
export default async function* failuresReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    // A suite fails with its failing test: that row would repeat the test's error.
    if (details?.type === 'suite') continue;
    const error = details?.error;
    const cause = error?.cause ?? error;
    const text = typeof cause === 'string' ? cause : inspect(cause, { depth: 4, breakLength: 100 });
    yield `${JSON.stringify({ name, file, error: text })}\n`;
  }
}
