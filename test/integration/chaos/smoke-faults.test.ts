import { describe, it } from 'node:test';
import { chaosSmoke } from '../../helpers/chaos.js';

// npm run chaos at its smoke sizes (test/helpers/chaos.ts): the daemon killed, frozen, out of
// disk, descriptors and processes. kill9-reload also runs against supervisord, so the harness's
// supervisord side cannot rot either (its verdicts there are findings, not failures).
describe('chaos smoke: faults of the daemon and the machine', () => {
  it('kill -9, SIGSTOP, disk full, low limits: every scenario reaches a verdict and tend passes', async () => {
    await chaosSmoke([
      'kill9-startup',
      'kill9-rotation',
      'sigstop-daemon',
      'disk-full',
      'ulimit-nofile',
      'ulimit-nproc',
    ]);
    await chaosSmoke(['kill9-reload'], 'tend,supervisord');
  });
});
