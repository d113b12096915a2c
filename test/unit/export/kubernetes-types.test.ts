import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1Probe } from 'kubernetes-models/v1/Probe';
import type { Container, Probe } from '../../../src/export/targets/kubernetes-container.js';

// The Kubernetes OpenAPI schemas do not close their objects, so a misspelt field would pass the
// schema check of the corpus test. These compile-time checks close that gap: every field of the
// types the generator builds exists in kubernetes-models' types (from the same OpenAPI
// documents), with a compatible type. They fail `npm run build`, not this test's run.

type Extra<A, B> = Exclude<keyof A, keyof B>;
const noExtra = <T extends never>(): T[] => [];

it('the generated container and probe types only use fields of core/v1', () => {
  const container: IContainer = {} as Container;
  const probe: IIoK8sApiCoreV1Probe = {};
  assert.deepEqual(
    [noExtra<Extra<Container, IContainer>>(), noExtra<Extra<Probe, IIoK8sApiCoreV1Probe>>()],
    [[], []],
  );
  assert.ok(container === container && probe === probe);
});
