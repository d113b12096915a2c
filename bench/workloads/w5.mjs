// W5: N sleepers running. Figures: wall time of one status CLI command (median of 3 in a row),
// the same for the stock `supervisorctl status` against each daemon that speaks XML-RPC (tend
// and supervisord), and list calls per second on the API: sequential calls on one kept-alive
// connection (XML-RPC supervisor.getAllProcessInfo for supervisord and tend; pm2.list() for
// PM2). tend also reports its JSON GET /api/v1/processes.
import { median } from '../lib/stats.mjs';
import { startSleepers } from './common.mjs';
import { TEND_SYSTEMS } from '../drivers/tend.mjs';

export const W5 = {
  id: 'W5',
  title: 'status and API',
  cases: (sizes) => [{ key: 'W5', label: 'W5', params: { n: sizes.nFixed, seconds: sizes.w5Seconds } }],
  figures: ({ n }) => [
    { key: 'status_ms', label: `status command, ${n} running`, unit: 'ms', better: 'lower' },
    {
      key: 'ctl_status_ms',
      label: `supervisorctl status, ${n} running`,
      unit: 'ms',
      better: 'lower',
      only: [...TEND_SYSTEMS, 'supervisord'],
    },
    { key: 'api_per_s', label: `API list calls/s, ${n} running`, unit: '/s', better: 'higher' },
    {
      key: 'rest_per_s',
      label: `JSON list calls/s (tend only)`,
      unit: '/s',
      better: 'higher',
      only: TEND_SYSTEMS,
    },
  ],
  async run(driver, ctx, { n, seconds }) {
    await startSleepers(driver, ctx, n);
    const times = [];
    for (let i = 0; i < 3; i++) times.push(await driver.status());
    const api = await driver.apiCallsPerSecond(seconds, n);
    const figures = { status_ms: median(times), api_per_s: api.na ? api : api.value };
    if (driver.supervisorctlStatus) {
      const ctl = [];
      for (let i = 0; i < 3; i++) ctl.push(await driver.supervisorctlStatus());
      figures.ctl_status_ms = median(ctl);
    }
    if (driver.restCallsPerSecond) figures.rest_per_s = (await driver.restCallsPerSecond(seconds)).value;
    return figures;
  },
  limit: () => ({ status_ms: { na: 'no daemon' }, api_per_s: { na: 'no daemon' } }),
};
