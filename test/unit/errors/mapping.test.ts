import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUE, TendError, isTendError, toExitCode, toFault, toHttp } from '../../../src/errors/index.js';

describe('error catalogue', () => {
  it('keeps supervisord fault numbers exactly (xmlrpc.py Faults)', () => {
    const expected = {
      UNKNOWN_METHOD: 1,
      INCORRECT_PARAMETERS: 2,
      BAD_ARGUMENTS: 3,
      SIGNATURE_UNSUPPORTED: 4,
      SHUTDOWN_STATE: 6,
      BAD_NAME: 10,
      BAD_SIGNAL: 11,
      NO_FILE: 20,
      NOT_EXECUTABLE: 21,
      FAILED: 30,
      ABNORMAL_TERMINATION: 40,
      SPAWN_ERROR: 50,
      ALREADY_STARTED: 60,
      NOT_RUNNING: 70,
      ALREADY_ADDED: 90,
      STILL_RUNNING: 91,
      CANT_REREAD: 92,
    };
    for (const [code, fault] of Object.entries(expected)) {
      assert.equal(CATALOGUE[code as keyof typeof CATALOGUE].fault, fault, code);
    }
  });

  it('formats fault strings as NAME or NAME: detail', () => {
    assert.deepEqual(toFault(new TendError('BAD_NAME', 'no such process', { faultDetail: 'foo' })), {
      faultCode: 10,
      faultString: 'BAD_NAME: foo',
    });
    assert.deepEqual(toFault(new TendError('ALREADY_STARTED')), {
      faultCode: 60,
      faultString: 'ALREADY_STARTED',
    });
  });

  it('sends tend-only codes as FAILED with the code kept in the text', () => {
    assert.deepEqual(toFault(new TendError('TIMEOUT', 'gave up after 3s')), {
      faultCode: 30,
      faultString: 'FAILED: TIMEOUT: gave up after 3s',
    });
  });

  it('maps unexpected exceptions to INTERNAL / 500 without losing the message', () => {
    const { status, body } = toHttp(new RangeError('boom'));
    assert.equal(status, 500);
    assert.deepEqual(body, { error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('gives HTTP statuses and exit codes from one table', () => {
    assert.equal(toHttp(new TendError('BAD_NAME')).status, 404);
    assert.equal(toHttp(new TendError('VALIDATION', 'x', { hint: 'y' })).body.error.hint, 'y');
    assert.equal(toExitCode('SPAWN_ERROR'), 7);
    assert.equal(toExitCode('CONFIG_INVALID'), 2);
  });

  it('recognises its errors by brand, not by prototype', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('tend.error')]: true });
    assert.ok(isTendError(foreign));
    assert.ok(!isTendError(new Error('x')));
  });
});
