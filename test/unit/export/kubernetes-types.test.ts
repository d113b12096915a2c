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
// Each field's type must fit the Kubernetes one (the compiler checks these returns).
const asContainer = (c: Container): IContainer => c;
const asProbe = (p: Probe): IIoK8sApiCoreV1Probe => p;

it('the generated container and probe types only use fields of core/v1', () => {
  assert.deepEqual(
    [noExtra<Extra<Container, IContainer>>(), noExtra<Extra<Probe, IIoK8sApiCoreV1Probe>>()],
    [[], []],
  );
  const probe: Probe = { tcpSocket: { port: 80 }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 };
  assert.equal(asProbe(probe).tcpSocket?.port, 80);
  assert.equal(asContainer({ name: 'c', image: 'i', command: ['x'] }).name, 'c');
});
