import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ALERT_RULES, PROMQL_EXAMPLES } from '../../../src/api/metrics/examples.js';
import { run } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// The queries and alert rules docs/metrics.md shows, given to Prometheus's own tool: every
// expression must parse, and the alerts must fire (and stay quiet) on series shaped like tend's.

const promtool = (args: readonly string[], cwd: string) => run('promtool', args, { cwd });

const labels = 'group="web",name="web",instance="h:9001",job="tend"';

const RULE_TESTS = `rule_files:
  - rules.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'tend_process_restarts_total{${labels},reason="crash"}'
        values: '0+1x30'
      - series: 'tend_process_restarts_total{${labels},reason="operator"}'
        values: '0+1x30'
      - series: 'tend_process_state{${labels},state="FATAL"}'
        values: '0 0 1 1 1 1'
      - series: 'tend_process_health{${labels},health="unhealthy"}'
        values: '0 1 1 1 1'
      - series: 'up{instance="h:9001",job="tend"}'
        values: '1 1 0 0 0 0'
    alert_rule_test:
      - eval_time: 20m
        alertname: TendProgramCrashLooping
        exp_alerts:
          - exp_labels: { ${labels.replace(/=/g, ': ')}, reason: crash, severity: warning }
            exp_annotations:
              summary: 'web:web on h:9001 crashed 15 times in 15 minutes'
      - eval_time: 4m
        alertname: TendProgramFatal
        exp_alerts:
          - exp_labels: { ${labels.replace(/=/g, ': ')}, state: FATAL, severity: page }
            exp_annotations:
              summary: 'web:web on h:9001 gave up (FATAL)'
      - eval_time: 2m
        alertname: TendProgramFatal
        exp_alerts: []
      - eval_time: 4m
        alertname: TendProgramUnhealthy
        exp_alerts: []
      - eval_time: 4m
        alertname: TendDown
        exp_alerts:
          - exp_labels: { instance: 'h:9001', job: tend, severity: page }
            exp_annotations:
              summary: 'tend on h:9001 does not answer scrapes'
`;

describe('the example queries and alert rules of docs/metrics.md', () => {
  it('pass promtool check rules, the queries as recording rules', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'rules.yml'), ALERT_RULES);
    const recording = [
      'groups:',
      '  - name: examples',
      '    rules:',
      ...PROMQL_EXAMPLES.flatMap((e, i) => [
        `      - record: example:query_${i}`,
        `        expr: '${e.expr}'`,
      ]),
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'examples.yml'), recording);
    const result = await promtool(['check', 'rules', 'rules.yml', 'examples.yml'], dir);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /SUCCESS: 8 rules found/);
    assert.match(result.stdout, new RegExp(`SUCCESS: ${PROMQL_EXAMPLES.length} rules found`));
  });

  it('fire as described under promtool test rules', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'rules.yml'), ALERT_RULES);
    writeFileSync(path.join(dir, 'tests.yml'), RULE_TESTS);
    const result = await promtool(['test', 'rules', 'tests.yml'], dir);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /SUCCESS/);
  });
});
