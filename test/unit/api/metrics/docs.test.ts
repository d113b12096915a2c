// docs/metrics.md is generated from the families table and the examples; regenerate it with
// `npm run build && node scripts/gen-docs.mjs` when this fails.
import { describe, it } from 'node:test';
import { renderMetricsDocs } from '../../../../src/api/metrics/docs.js';
import { assertGeneratedDocCurrent } from '../../../helpers/generated-docs.js';

describe('docs/metrics.md', () => {
  it('is up to date with the metric families and the examples', async () => {
    await assertGeneratedDocCurrent('docs/metrics.md', renderMetricsDocs);
  });
});
