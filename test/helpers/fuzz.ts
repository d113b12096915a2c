import fc from 'fast-check';

// Property-based fuzzing shared by the unit tests (a modest number of cases in npm test) and the
// chaos suite (npm run chaos: TEND_FUZZ_RUNS=10000 and a live daemon). Every run prints its seed;
// TEND_FUZZ_SEED=N replays it.

const envNumber = (name: string): number | undefined => {
  const text = process.env[name];
  const value = Number(text);
  return text === undefined || text === '' || !Number.isFinite(value) ? undefined : value;
};

/** fast-check parameters: TEND_FUZZ_RUNS (or `runs`) cases, a printed seed (TEND_FUZZ_SEED replays). */
export const fuzzParams = (what: string, runs: number): { numRuns: number; seed: number } => {
  const numRuns = envNumber('TEND_FUZZ_RUNS') ?? runs;
  const seed = envNumber('TEND_FUZZ_SEED') ?? Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`fuzz ${what}: ${numRuns} cases, seed ${seed} (TEND_FUZZ_SEED=${seed} replays)\n`);
  return { numRuns, seed };
};

// Pieces of XML-RPC and of XML that go wrong, shuffled into request-like documents.
export const xmlrpcFragment = fc.constantFrom(
  '<methodCall>',
  '</methodCall>',
  '<methodName>',
  '</methodName>',
  'supervisor.getState',
  '<params>',
  '</params>',
  '<param>',
  '</param>',
  '<value>',
  '</value>',
  '<int>',
  '</int>',
  '<i4>',
  '<string>',
  '</string>',
  '<boolean>1</boolean>',
  '<double>',
  '</double>',
  '<array>',
  '<data>',
  '</data>',
  '</array>',
  '<struct>',
  '<member>',
  '<name>',
  '</name>',
  '</member>',
  '</struct>',
  '<base64>',
  '</base64>',
  '<nil/>',
  '<dateTime.iso8601>',
  '20240101T00:00:00',
  '</dateTime.iso8601>',
  '&amp;',
  '&lt;',
  '&#x41;',
  '&#0;',
  '&bogus;',
  '<!DOCTYPE x [<!ENTITY e "e">]>',
  '&e;',
  '<![CDATA[x]]>',
  '<!-- c -->',
  '<?pi x?>',
  '<?xml version="1.0"?>',
  '42',
  '-1',
  'x',
  ' ',
  '\n',
  '\u0000',
  '\uFFFE',
  'é',
  '\uD800',
  '<',
  '>',
  '"',
  "'",
  '=',
  '/',
);

/** Request-like XML-RPC documents made of the pieces above (most are malformed). */
export const xmlrpcDocument = fc.array(xmlrpcFragment, { maxLength: 60 }).map((parts) => parts.join(''));

// supervisord's method names a hostile client may call, without the ones that end the daemon
// (shutdown, restart): those are legitimate, authenticated requests, not attacks.
const SAFE_METHODS = [
  'supervisor.getState',
  'supervisor.getAllProcessInfo',
  'supervisor.getProcessInfo',
  'supervisor.readProcessStdoutLog',
  'supervisor.tailProcessStdoutLog',
  'supervisor.readLog',
  'supervisor.signalProcess',
  'supervisor.sendProcessStdin',
  'supervisor.startProcess',
  'supervisor.addProcessGroup',
  'supervisor.removeProcessGroup',
  'supervisor.clearProcessLogs',
  'supervisor.sendRemoteCommEvent',
  'system.listMethods',
  'system.methodHelp',
  'system.methodSignature',
  'system.multicall',
  'nosuch.method',
];

const xmlValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 20 }).map((s) => `<value><string>${s.replace(/[<&]/g, '')}</string></value>`),
    fc.constantFrom(
      '<value><int>99999999999999999999</int></value>',
      '<value><i4>-1</i4></value>',
      '<value><boolean>2</boolean></value>',
      '<value><double>1e999</double></value>',
      '<value><base64>!!!</base64></value>',
      '<value><dateTime.iso8601>x</dateTime.iso8601></value>',
      '<value>web</value>',
      '<value><nil/></value>',
    ),
    fc
      .array(tie('v'), { maxLength: 4 })
      .map((vs) => `<value><array><data>${vs.join('')}</data></array></value>`),
    fc
      .array(fc.tuple(fc.constantFrom('methodName', 'params', 'name', 'x'), tie('v')), { maxLength: 3 })
      .map(
        (ms) =>
          `<value><struct>${ms.map(([k, v]) => `<member><name>${k}</name>${v}</member>`).join('')}</struct></value>`,
      ),
  ),
})).v;

/** Well-formed calls of real (and unknown) methods with wrong, odd or nested parameters. */
export const xmlrpcCall = fc
  .tuple(fc.constantFrom(...SAFE_METHODS), fc.array(xmlValue, { maxLength: 4 }))
  .map(
    ([method, params]) =>
      `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params.map((p) => `<param>${p}</param>`).join('')}</params></methodCall>`,
  );

/** A request body for /RPC2: well-formed calls, documents of fragments, or any bytes. */
export const xmlrpcBody = fc.oneof(xmlrpcCall, xmlrpcDocument, fc.string({ unit: 'binary', maxLength: 200 }));

// The JSON API: paths made of its own words and of junk, query strings, JSON and broken bodies.
const restSegment = fc.oneof(
  fc.constantFrom(
    'api',
    'v1',
    'processes',
    'daemon',
    'config',
    'groups',
    'logs',
    'log',
    'web',
    'idle',
    'pool',
    'pool:*',
    'pool:p1',
    'all',
    'nosuch',
    'start',
    'stop',
    'restart',
    'signal',
    'stdin',
    'wait',
    'tail',
    'stdout',
    'stderr',
    'reread',
    'update',
    'reload',
    'RPC2',
    'logtail',
    'mainlogtail',
    '',
    '..',
    '%2F',
    '%',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

export const restPath = fc
  .tuple(fc.constantFrom('/api/v1/', '/api/v1/processes/', '/'), fc.array(restSegment, { maxLength: 4 }))
  .map(([prefix, parts]) => prefix + parts.join('/'));

const queryValue = fc.oneof(
  fc.constantFrom(
    'true',
    'false',
    '0',
    '-1',
    '1600',
    '-99999999999999999999',
    'x',
    '',
    'web,pool:*',
    'stdout,stderr',
    '10m',
    '99999999999d',
    '2026-12-02T10:00:00Z',
    '1e400',
  ),
  fc.string({ maxLength: 8 }),
);
export const restQuery = fc
  .dictionary(
    fc.constantFrom(
      'wait',
      'offset',
      'length',
      'names',
      'lines',
      'bytes',
      'streams',
      'follow',
      'since',
      'historyEnd',
      'x',
    ),
    queryValue,
    {
      maxKeys: 4,
    },
  )
  .filter((q) => !['true', '1'].includes(q.follow ?? ''));

export const restBody = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '{"signal":"HUP"}',
    '{"data":"x"}',
    '{"state":"RUNNING","timeout":1}',
    '{"groups":["web"]}',
    '{',
    'null',
  ),
);

/** One /api/v1 request, without the three that end or restart the daemon (not attacks). */
export const restRequest = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
    path: restPath,
    query: restQuery,
    body: restBody,
  })
  .filter((r) => !/^\/api\/v1\/daemon\/(shutdown|restart|reload)\/?$/.test(r.path));

/** Query strings and headers for GET /api/v1/events (SSE). */
export const sseRequest = fc.record({
  query: fc.dictionary(
    fc.constantFrom('types', 'names', 'history', 'follow', 'x'),
    fc.oneof(
      fc.constantFrom(
        'PROCESS_STATE',
        'PROCESS_STATE_RUNNING,TICK_5',
        'web',
        'web:*',
        '*',
        '0',
        '-1',
        '100001',
        'true',
        'false',
        '99999999999999999999',
        '',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxKeys: 3 },
  ),
  lastEventId: fc.option(
    fc.oneof(fc.constantFrom('0', '-5', '1e9', 'abc', '99999999999999999999'), fc.string({ maxLength: 10 })),
    { nil: undefined },
  ),
});
