import assert from 'node:assert/strict';
import { checkForElsewhere } from '../../helpers/check-elsewhere.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generate } from '../../../src/export/run-export.js';
import { ROOT, TEND } from '../../helpers/daemon.js';
import {
  systemdVerifySkipReason,
  validateCompose,
  validateKubernetes,
  validateNomad,
  verifySystemd,
} from '../../helpers/export-targets.js';

// Issue 13: a corpus of real-world supervisord configs (test/fixtures/export-corpus) goes through
// every export target, and each result passes that target's own checker.

const CORPUS = path.join(ROOT, 'test/fixtures/export-corpus');
const configs = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.conf'))
  .sort();

const exported = (file: string, target: string, podPerGroup = false) =>
  generate({
    target,
    configPath: path.join(CORPUS, file),
    image: 'registry.example/app:1.0',
    podPerGroup,
    env: {},
    cwd: CORPUS,
  });

describe('the export corpus', () => {
  it('has at least 20 configs, each valid for tend check', async () => {
    assert.ok(configs.length >= 20, `${configs.length} configs`);
    for (const file of configs) {
      // Written for other machines: their commands are not installed here, the rest must pass.
      const check = await checkForElsewhere(TEND, path.join(CORPUS, file));
      assert.deepEqual(check.errors, [], `${file}: ${check.output}`);
    }
  });

  const skip = systemdVerifySkipReason();
  if (skip !== null) console.log(`# systemd-analyze verify skipped: ${skip}`);
  it('gives systemd units that pass systemd-analyze verify', { skip: skip ?? false }, () => {
    for (const file of configs) {
      const { files } = exported(file, 'systemd');
      assert.deepEqual(verifySystemd(files), [], file);
    }
  });

  for (const podPerGroup of [false, true]) {
    it(`gives Kubernetes objects valid against the Kubernetes OpenAPI schemas${podPerGroup ? ' (--pod-per-group)' : ''}`, () => {
      for (const file of configs)
        assert.deepEqual(validateKubernetes(exported(file, 'kubernetes', podPerGroup).files), [], file);
    });
    it(`gives Nomad jobs valid in Nomad's JSON job form${podPerGroup ? ' (--pod-per-group)' : ''}`, () => {
      for (const file of configs)
        assert.deepEqual(validateNomad(exported(file, 'nomad', podPerGroup).files), [], file);
    });
  }

  it('gives Compose files valid against the Compose Specification schema', () => {
    for (const file of configs) assert.deepEqual(validateCompose(exported(file, 'compose').files), [], file);
  });

  it('reports, for every config, where the logs go and what could not be carried over', () => {
    for (const file of configs) {
      for (const target of ['systemd', 'kubernetes', 'nomad', 'compose']) {
        const { findings } = exported(file, target);
        assert.ok(
          findings.some((f) => f.message.includes('stdout and stderr go to')),
          `${target} ${file}`,
        );
      }
    }
  });
});

describe('the target checkers', () => {
  const unit = '[Unit]\nDescription=x\n\n[Service]\nExecStart=/usr/bin/true\n';
  it(
    'fail a systemd unit with an unknown key or a bad value',
    { skip: systemdVerifySkipReason() ?? false },
    () => {
      assert.deepEqual(verifySystemd([{ name: 'ok.service', text: unit }]), []);
      assert.notDeepEqual(verifySystemd([{ name: 'bad.service', text: `${unit}Bogus=1\n` }]), []);
      assert.notDeepEqual(verifySystemd([{ name: 'bad.service', text: `${unit}KillMode=sometimes\n` }]), []);
    },
  );

  it('fail a Kubernetes object with a wrong type or a name that is not a DNS label', () => {
    const deployment = (name: string, replicas: unknown) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${String(replicas)}\n  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n    spec:\n      containers:\n        - name: c\n          image: i\n`;
    assert.deepEqual(validateKubernetes([{ name: 'ok.yaml', text: deployment('web', 2) }]), []);
    assert.notDeepEqual(validateKubernetes([{ name: 'bad.yaml', text: deployment('web', '"two"') }]), []);
    assert.notDeepEqual(validateKubernetes([{ name: 'bad.yaml', text: deployment('Web_1', 2) }]), []);
  });

  it("fail a Nomad job with an invented field or a restart policy Nomad's Validate() refuses", () => {
    const job = (group: object) =>
      JSON.stringify({
        Job: {
          ID: 'j',
          Name: 'j',
          Type: 'service',
          TaskGroups: [
            {
              Name: 'g',
              Count: 1,
              Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/true' } }],
              ...group,
            },
          ],
        },
      });
    assert.deepEqual(validateNomad([{ name: 'ok.json', text: job({}) }]), []);
    assert.notDeepEqual(validateNomad([{ name: 'bad.json', text: job({ Bogus: 1 }) }]), []);
    const restart = { RestartPolicy: { Attempts: 10, Interval: 5e9, Delay: 1e9, Mode: 'fail' } };
    assert.notDeepEqual(validateNomad([{ name: 'bad.json', text: job(restart) }]), []);
  });

  it('fail a Compose file with a key the specification does not have', () => {
    assert.deepEqual(validateCompose([{ name: 'ok.yaml', text: 'services:\n  web:\n    image: x\n' }]), []);
    assert.notDeepEqual(
      validateCompose([
        { name: 'bad.yaml', text: 'services:\n  web:\n    image: x\n    restart_policy: always\n' },
      ]),
      [],
    );
    assert.notDeepEqual(
      validateCompose([
        { name: 'bad.yaml', text: 'services:\n  web:\n    image: x\n    stop_grace_period: soon\n' },
      ]),
      [],
    );
  });
});
