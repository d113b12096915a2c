// Every converter, table-driven: input → value, or input → supervisord's error text. The error
// texts are datatypes.py's own (checked against supervisord in the dialect corpus).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as t from '../../../src/config/datatypes.js';
import type { PathEnv } from '../../../src/config/paths.js';
import { PyValueError } from '../../../src/config/pystr.js';
import { signalNumber } from '../../../src/config/signals.js';
import { readUserDb } from '../../../src/config/users.js';
import { DIALECT } from './fixtures.js';

const at: PathEnv = { cwd: DIALECT, env: { HOME: '/home/tend' }, users: readUserDb(), uid: 0 };

type Case = readonly [input: string, expected: unknown];

const table = <T>(type: t.Datatype<T>, good: readonly Case[], bad: readonly Case[]): void => {
  describe(type.name, () => {
    for (const [input, expected] of good) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(type.convert(input, at), expected);
      });
    }
    for (const [input, message] of bad) {
      it(`${JSON.stringify(input)} fails`, () => {
        assert.throws(
          () => type.convert(input, at),
          (e: unknown) => e instanceof PyValueError && e.message === message,
        );
      });
    }
  });
};

table(
  t.integer,
  [
    ['42', 42],
    ['+5', 5],
    ['-1', -1],
    ['007', 7],
    ['1_000', 1000],
    [' 3 ', 3],
  ],
  [
    ['1.5', "invalid literal for int() with base 10: '1.5'"],
    ['', "invalid literal for int() with base 10: ''"],
    ['1__0', "invalid literal for int() with base 10: '1__0'"],
    ['0x10', "invalid literal for int() with base 10: '0x10'"],
  ],
);

table(
  t.boolean,
  [
    ['true', true],
    ['YES', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['OFF', false],
    ['0', false],
  ],
  [
    ['maybe', "not a valid boolean value: 'maybe'"],
    ['', "not a valid boolean value: ''"],
  ],
);

table(
  t.byteSize,
  [
    ['0', 0],
    ['1024', 1024],
    ['1KB', 1024],
    ['10mb', 10485760],
    ['1Gb', 1073741824],
    ['10 MB', 10485760],
    ['-1KB', -1024],
  ],
  [
    ['1.5MB', "invalid literal for int() with base 10: '1.5'"],
    ['10K', "invalid literal for int() with base 10: '10k'"],
    ['MB', "invalid literal for int() with base 10: ''"],
  ],
);

table(
  t.octal,
  [
    ['022', 18],
    ['0o22', 18],
    ['22', 18],
    ['0', 0],
    ['777', 511],
    ['0O7', 7],
  ],
  [
    ['8', '8 can not be converted to an octal type'],
    ['0x1', '0x1 can not be converted to an octal type'],
  ],
);

table(
  t.signal,
  [
    ['TERM', 'TERM'],
    ['term', 'TERM'],
    ['SIGHUP', 'HUP'],
    ['sIgInT', 'INT'],
    ['9', 'KILL'],
    ['15', 'TERM'],
    ['IOT', 'ABRT'],
    ['cld', 'CHLD'],
  ],
  [
    ['FOO', "value 'FOO' is not a valid signal name"],
    ['40', "value '40' is not a valid signal number"],
    ['0', "value '0' is not a valid signal number"],
  ],
);

table(
  t.autoRestart,
  [
    ['true', true],
    ['YES', true],
    ['1', true],
    ['false', false],
    ['off', false],
    ['unexpected', 'unexpected'],
    ['UNEXPECTED', 'unexpected'],
  ],
  [['sometimes', "invalid 'autorestart' value 'sometimes'"]],
);

table(
  t.exitCodes,
  [
    ['0', [0]],
    ['0,2', [0, 2]],
    [' 1, 2 ,255', [1, 2, 255]],
    ['', []],
  ],
  [
    ['0,256', "not a valid list of exit codes: '0,256'"],
    ['-1', "not a valid list of exit codes: '-1'"],
    ['0,,2', "not a valid list of exit codes: '0,,2'"],
    ['a', "not a valid list of exit codes: 'a'"],
  ],
);

table(
  t.listOfStrings,
  [
    ['a, b ,c', ['a', 'b', 'c']],
    ['', []],
    ['a,', ['a', '']],
  ],
  [],
);

table(
  t.name,
  [
    [' web ', 'web'],
    ['a\tb', 'a\tb'],
  ],
  [
    ['a b', "Invalid name: 'a b' because of character: ' '"],
    ['a:b', "Invalid name: 'a:b' because of character: ':'"],
    ['a/b', "Invalid name: 'a/b' because of character: '/'"],
  ],
);

table(
  t.logLevel,
  [
    ['info', 'info'],
    ['DEBUG', 'debug'],
    ['blather', 'blather'],
  ],
  [['verbose', "bad logging level name 'verbose'"]],
);

table(
  t.keyValuePairs,
  [
    ['A=1,B=2', { A: '1', B: '2' }],
    ['A="x,y",B=\'q\'', { A: 'x,y', B: 'q' }],
    ['D="with space"', { D: 'with space' }],
    ['W=v#x,Q=q', { W: 'v' }],
    ['K1=a;K2=b,', { K1: 'a', K2: 'b' }],
    ['"K"=v', { '"K"': 'v' }],
    ['PATH=/usr/bin:/bin,V=1.5+2-3', { PATH: '/usr/bin:/bin', V: '1.5+2-3' }],
    ['E=a"b', { E: 'a"b' }],
    ['', {}],
  ],
  [
    ['A=1 B=2', "Unexpected end of key/value pairs in value 'A=1 B=2'"],
    ['A', "Unexpected end of key/value pairs in value 'A'"],
    ['A="x', 'No closing quotation'],
  ],
);

table(
  t.inetAddress,
  [
    ['9001', { host: '', port: 9001 }],
    ['*:9001', { host: '', port: 9001 }],
    [':9001', { host: '', port: 9001 }],
    ['LocalHost:80', { host: 'localhost', port: 80 }],
  ],
  [
    ['99999', "not a valid port number: '99999' "],
    ['host:', "no port number specified in ''"],
    ['host:0', '0 is below lower bound (1)'],
    ['h:70000', '70000 is above upper bound (65535)'],
  ],
);

table(
  t.logfile,
  [
    ['AUTO', { kind: 'auto' }],
    ['none', { kind: 'none' }],
    ['OFF', { kind: 'none' }],
    ['syslog', 'syslog'],
    ['logs/x.log', { kind: 'file', path: 'logs/x.log' }],
    ['bare.log', { kind: 'file', path: 'bare.log' }],
    ['/tmp/x.log', { kind: 'file', path: '/tmp/x.log' }],
  ],
  [
    [
      '/nonexistent-tend/x.log',
      'The directory named as part of the path /nonexistent-tend/x.log does not exist',
    ],
  ],
);

table(
  t.directory,
  [
    ['logs', 'logs'],
    ['/tmp', '/tmp'],
  ],
  [['/nonexistent-tend', '/nonexistent-tend is not an existing directory']],
);

table(
  t.user,
  [
    ['root', { name: 'root', uid: 0, gid: 0, home: '/root' }],
    ['0', { name: 'root', uid: 0, gid: 0, home: '/root' }],
  ],
  [
    ['no-such-user-for-tend', 'Invalid user name no-such-user-for-tend'],
    ['999999', 'Invalid user id 999999'],
  ],
);

table(
  t.owner,
  [
    ['root', { uid: 0, gid: -1 }],
    ['root:root', { uid: 0, gid: 0 }],
    ['0:0', { uid: 0, gid: 0 }],
  ],
  [['root:no-such-group-for-tend', 'Invalid user:group definition root:no-such-group-for-tend']],
);

describe('signalNumber', () => {
  it('maps canonical names back to numbers', () => {
    assert.equal(signalNumber('TERM'), 15);
    assert.equal(signalNumber('KILL'), 9);
    assert.equal(signalNumber('NOPE'), undefined);
  });
});
