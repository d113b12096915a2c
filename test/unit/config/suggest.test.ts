import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance, suggest } from '../../../src/config/suggest.js';

describe('suggest', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('autorestrat', 'autorestart'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('picks the closest candidate within a third of the length', () => {
    const keys = ['autostart', 'autorestart', 'startsecs', 'stopsignal'];
    assert.equal(suggest('autorestrat', keys), 'autorestart');
    assert.equal(suggest('AUTOSTRAT', keys), 'autostart');
    assert.equal(suggest('colour', keys), null);
  });
});
