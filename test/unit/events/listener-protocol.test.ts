import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListenerProtocol, MAX_RESULT_LINE, type Note } from '../../../src/events/index.js';

// supervisord's PEventListenerDispatcher state machine, case by case. Each case feeds chunks to a
// listener (`SEND` stands for tend writing event e1 to it while READY) and lists what happened.

const show = (note: Note<string>): string => {
  switch (note.kind) {
    case 'state':
      return `${note.from}>${note.to}`;
    case 'processed':
      return 'processed';
    case 'badResult':
      return `bad result line '${note.line}'`;
    case 'rejected':
      return `rejected ${note.event}${note.byResult ? ' by result' : ''}`;
  }
};

const run = (chunks: readonly string[]): { notes: string[]; state: string } => {
  const protocol = new ListenerProtocol<string>();
  const notes: string[] = [];
  for (const chunk of chunks) {
    const got = chunk === 'SEND' ? protocol.sent('e1') : protocol.feed(Buffer.from(chunk, 'latin1'));
    notes.push(...got.map(show));
  }
  return { notes, state: protocol.state };
};

const CASES: [string, string[], string[], string][] = [
  ['READY', ['READY\n'], ['ACKNOWLEDGED>READY'], 'READY'],
  ['READY split across reads', ['REA', 'DY\n'], ['ACKNOWLEDGED>READY'], 'READY'],
  ['a first line that is not READY', ['HELLO!\n'], ['ACKNOWLEDGED>UNKNOWN'], 'UNKNOWN'],
  ['fewer than 6 bytes wait', ['READ'], [], 'ACKNOWLEDGED'],
  ['data while READY', ['READY\nX'], ['ACKNOWLEDGED>READY', 'READY>UNKNOWN'], 'UNKNOWN'],
  [
    'OK',
    ['READY\n', 'SEND', 'RESULT 2\nOK'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'processed', 'BUSY>ACKNOWLEDGED'],
    'ACKNOWLEDGED',
  ],
  [
    'FAIL',
    ['READY\n', 'SEND', 'RESULT 4\nFAIL'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'rejected e1 by result', 'BUSY>ACKNOWLEDGED'],
    'ACKNOWLEDGED',
  ],
  [
    'OK and READY in one write',
    ['READY\n', 'SEND', 'RESULT 2\nOKREADY\n'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'processed', 'BUSY>ACKNOWLEDGED', 'ACKNOWLEDGED>READY'],
    'READY',
  ],
  [
    'result body split',
    ['READY\n', 'SEND', 'RESULT 2\nO', 'K'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'processed', 'BUSY>ACKNOWLEDGED'],
    'ACKNOWLEDGED',
  ],
  [
    'result line split',
    ['READY\n', 'SEND', 'RESU', 'LT 2\nOK'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'processed', 'BUSY>ACKNOWLEDGED'],
    'ACKNOWLEDGED',
  ],
  [
    'a length that is not a number',
    ['READY\n', 'SEND', 'RESULT x\n'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', "bad result line 'RESULT x'", 'BUSY>UNKNOWN', 'rejected e1'],
    'UNKNOWN',
  ],
  // supervisord reads the length after the first 7 bytes whatever they are, as int() would.
  [
    'the prefix is not checked',
    ['READY\n', 'SEND', 'XXXXXX 2\nOK'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'processed', 'BUSY>ACKNOWLEDGED'],
    'ACKNOWLEDGED',
  ],
  [
    'int() accepts underscores and spaces',
    ['READY\n', 'SEND', 'RESULT  1_0 \n0123456789'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'rejected e1 by result', 'BUSY>ACKNOWLEDGED'],
    'ACKNOWLEDGED',
  ],
  // RESULT 0 is judged only when more bytes arrive (handle_listener_state_change recurses only on data).
  [
    'RESULT 0 waits for more input',
    ['READY\n', 'SEND', 'RESULT 0\n'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY'],
    'BUSY',
  ],
  [
    'RESULT 0 then READY',
    ['READY\n', 'SEND', 'RESULT 0\n', 'READY\n'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', 'rejected e1 by result', 'BUSY>ACKNOWLEDGED', 'ACKNOWLEDGED>READY'],
    'READY',
  ],
  [
    'a negative length',
    ['READY\n', 'SEND', 'RESULT -1\n'],
    ['ACKNOWLEDGED>READY', 'READY>BUSY', "bad result line 'RESULT -1'", 'BUSY>UNKNOWN', 'rejected e1'],
    'UNKNOWN',
  ],
  [
    'a huge length (tend bound)',
    ['READY\n', 'SEND', 'RESULT 99999999999\n'],
    [
      'ACKNOWLEDGED>READY',
      'READY>BUSY',
      "bad result line 'RESULT 99999999999'",
      'BUSY>UNKNOWN',
      'rejected e1',
    ],
    'UNKNOWN',
  ],
  ['UNKNOWN is for good', ['?????\n', 'READY\n'], ['ACKNOWLEDGED>UNKNOWN'], 'UNKNOWN'],
  [
    'undecodable result line',
    ['READY\n', 'SEND', 'RESULT \xff\n'],
    [
      'ACKNOWLEDGED>READY',
      'READY>BUSY',
      "bad result line 'Undecodable: b'RESULT \\xff''",
      'BUSY>UNKNOWN',
      'rejected e1',
    ],
    'UNKNOWN',
  ],
];

describe('listener protocol', () => {
  for (const [name, chunks, notes, state] of CASES) {
    it(name, () => {
      assert.deepEqual(run(chunks), { notes, state });
    });
  }

  it('a result line without newline longer than the bound is a bad result line (tend bound)', () => {
    const { notes, state } = run(['READY\n', 'SEND', 'R'.repeat(MAX_RESULT_LINE + 1)]);
    assert.equal(state, 'UNKNOWN');
    assert.deepEqual(notes.slice(-2), ['BUSY>UNKNOWN', 'rejected e1']);
  });

  it('gives back the event of a listener that died while BUSY, and starts over on a new child', () => {
    const protocol = new ListenerProtocol<string>();
    protocol.feed(Buffer.from('READY\n'));
    protocol.sent('e1');
    assert.equal(protocol.event, 'e1');
    assert.equal(protocol.exited(), 'e1');
    assert.equal(protocol.exited(), null);
    protocol.reset();
    assert.equal(protocol.state, 'ACKNOWLEDGED');
    assert.deepEqual(protocol.feed(Buffer.from('READY\n')).map(show), ['ACKNOWLEDGED>READY']);
  });
});
