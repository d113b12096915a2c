// Lint rules, including the one that keeps module dependencies pointing one way (DESIGN.md §2):
// protocol, errors ← config ← events ← process, readiness, logs, stats ← supervisor ← api, alerts,
// web, daemon (api may read alerts, an observer of the bus); cli knows only its API client, errors and protocol (the state names and namespecs both
// sides of the wire share); bin composes everything. process/states.ts re-exports protocol's;
// events/names.ts is a leaf that config and the CLI may read.
// node:child_process is imported by the spawners only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The OS seam (STYLE.md §4): processes are started only by the spawners in src/process.
const childProcess = {
  name: 'node:child_process',
  message: 'Only src/process/spawn.ts and spawn-fork.ts start processes (the OS seam, docs/native.md).',
};
const layer = (folder, forbidden, extra = [], paths = [childProcess]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths,
        patterns: [
          {
            regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
            message: `src/${folder} must not depend on this layer (see DESIGN.md §2).`,
          },
          ...extra,
        ],
      },
    ],
  },
});
const processInternals = {
  regex: '^(\\.\\./)+process/(?!states\\.js$)',
  message: 'Only process/states.js is visible below the process layer.',
};
const eventNames = {
  regex: '^(\\.\\./)+events/(?!names\\.js$)',
  message: 'Only events/names.js (the event type names) is visible below the events layer and to the CLI.',
};
const upper = ['supervisor', 'api', 'alerts', 'web', 'daemon', 'cli', 'export', 'bin'];
const middle = ['process', 'readiness', 'logs', 'stats'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'bin/*'] } },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use `as const` objects and unions (erasableSyntaxOnly).' },
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  {
    // Short functions, as in the codebases STYLE.md describes: one that outgrows a screen gets split
    // (long text and tables go into constants).
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'bin/*'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  layer('protocol', ['errors', 'config', 'events', ...middle, ...upper]),
  layer('errors', ['config', 'events', ...middle, ...upper]),
  layer('config', [...middle, ...upper], [eventNames]),
  layer('events', ['config', 'readiness', 'logs', 'stats', ...upper], [processInternals]),
  layer('process', ['readiness', 'logs', 'stats', ...upper]),
  {
    ...layer('process', ['readiness', 'logs', 'stats', ...upper], [], []),
    files: ['src/process/spawn.ts', 'src/process/spawn-fork.ts'],
  },
  layer('readiness', ['logs', 'stats', ...upper], [processInternals]),
  layer('logs', ['readiness', 'stats', ...upper], [processInternals]),
  layer('stats', ['config', 'events', 'process', 'readiness', 'logs', ...upper]),
  layer('supervisor', ['api', 'web', 'daemon', 'cli', 'export', 'bin']),
  layer('api', ['web', 'daemon', 'cli', 'export', 'bin']),
  layer('alerts', ['api', 'web', 'daemon', 'cli', 'export', 'bin']),
  layer('web', ['daemon', 'cli', 'export', 'bin']),
  layer('daemon', ['cli', 'bin']),
  layer('export', ['supervisor', 'api', 'web', 'daemon', 'cli', 'bin']),
  layer('cli', ['config', ...middle, 'supervisor', 'api', 'web', 'daemon', 'export', 'bin'], [eventNames]),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
