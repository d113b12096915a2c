import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RpcSession, UPDATE_IDLE_MS } from '../../../../src/api/xmlrpc/session.js';

const diff = { added: [], changed: ['web'], removed: ['old'] };

describe('an update on one XML-RPC connection', () => {
  it('covers the groups reloadConfig found, step after step', () => {
    let now = 0;
    const session = new RpcSession(() => now);
    session.begin(diff);
    assert.equal(session.updating('web'), true);
    assert.equal(session.updating('other'), false);
    now += UPDATE_IDLE_MS;
    session.stopped('web', new Set(['web_0']));
    now += UPDATE_IDLE_MS;
    session.swapped('web', new Set(['web_0']));
    now += UPDATE_IDLE_MS;
    assert.deepEqual(session.takeStart('web'), new Set(['web_0']));
    assert.equal(session.updating('web'), false, 'addProcessGroup ends it');
  });

  it('is forgotten once quiet, so a later group stop on the same connection means the group', () => {
    let now = 0;
    const session = new RpcSession(() => now);
    session.begin(diff);
    now += UPDATE_IDLE_MS + 1;
    assert.equal(session.updating('web'), false);
    assert.equal(session.takeStart('web'), null);
  });
});
