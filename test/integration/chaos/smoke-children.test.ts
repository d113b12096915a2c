import { describe, it } from 'node:test';
import { chaosSmoke } from '../../helpers/chaos.js';

// npm run chaos at its smoke sizes (test/helpers/chaos.ts): children that misbehave, the clock.
describe('chaos smoke: children and the clock', () => {
  it('crash storm, setsid grandchildren, closed stdout, no newline, SIGSTOPped child, clock jumps', async () => {
    await chaosSmoke([
      'crash-storm',
      'child-setsid-grandchildren',
      'child-closed-stdout',
      'child-no-newline',
      'child-sigstopped',
      'clock-jumps',
    ]);
  });
});
