// Lint config. Besides the usual TypeScript rules it enforces the layer boundaries:
//   renderer/          -> shared/ only (no Node, no Electron, no services)
//   shared/            -> nothing but itself (no Node, no DOM-only code, no Electron)
//   electron/ services -> shared/ and Node, never 'electron', main/ or preload/
//   electron/main      -> services, shared, electron
//   electron/preload   -> electron and shared only
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativeAndServerPackages = [
  'electron',
  'better-sqlite3',
  'serialport',
  'pdfkit',
  'ws',
  'node-thermal-printer',
  'commander',
  'iconv-lite',
  'pino',
  'sirv',
  'pinyin-pro',
];

// Exact module names go in `paths`; only globs go in `patterns` (gitignore semantics would make a
// bare "events" or "domain" match any folder of that name).
const restrict = (names, globs, message) => ({
  'no-restricted-imports': ['error', { paths: names.map((name) => ({ name, message })), patterns: [{ group: globs, message }] }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The CLI launcher is plain CommonJS so that it runs under any Node without a build step.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [...nodeBuiltins, ...nativeAndServerPackages],
        ['@serialport/*', '**/electron/**', '**/electron'],
        'renderer/ may only import shared/ and browser libraries: call the typed API instead.',
      ),
      // The API schemas are zod (about 90 kB in the browser): the renderer takes only their types,
      // and its values (labels, codes, AppError, the policy engine) from the zod-free modules.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'zod', message: 'The renderer loads no zod.', allowTypeImports: true }],
          patterns: [
            {
              regex: 'shared/(api/(views|errors|events|contract)|domain/payer|policy(/index|/schema|/validate)?|payer-display)$',
              message:
                'Zod schemas: import types only; labels and codes come from shared/vocab.ts, AppError from shared/api/app-error.ts, quote from shared/policy/engine.ts.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, ...nativeAndServerPackages, 'react', 'react-dom', 'antd'],
      ['@serialport/*', '**/electron/**', '**/renderer/**', 'antd/*', '@ant-design/*'],
      'shared/ is pure domain logic and the API contract: it imports neither Node, DOM libraries nor other layers.',
    ),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: restrict(
      ['electron'],
      ['**/main/**', '**/preload/**', '**/renderer/**'],
      'Services are Electron-free: they run under plain Node (CLI, browser host, tests).',
    ),
  },
  // Layers inside electron/ (docs/architecture.md): platform <- sync, devices <- services <- cli, main.
  // tools/ (reference upstream, bench) may use anything; nothing in the app imports tools/.
  {
    files: ['electron/platform/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['**/main/**', '**/preload/**', '**/renderer/**', '**/services/**', '**/sync/**', '**/devices/**', '**/documents/**', '**/tools/**', '**/cli/**'],
      'platform/ is the infrastructure under everything (db, log, clock, paths, config, events): it imports only shared/ and libraries.',
    ),
  },
  {
    files: ['electron/sync/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['**/main/**', '**/preload/**', '**/renderer/**', '**/services/**', '**/devices/**', '**/documents/**', '**/tools/**', '**/cli/**'],
      'sync/ (the upstream protocol, client and engine) builds on platform/ and shared/ only; features call it, not the other way round.',
    ),
  },
  {
    files: ['electron/devices/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['**/main/**', '**/preload/**', '**/renderer/**', '**/services/**', '**/sync/**', '**/documents/**', '**/tools/**', '**/cli/**'],
      'devices/ (reader and printer drivers, simulators) builds on platform/ and shared/ only.',
    ),
  },
  {
    files: ['electron/printing/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['**/main/**', '**/preload/**', '**/renderer/**', '**/services/**', '**/sync/**', '**/devices/**', '**/tools/**', '**/cli/**'],
      'printing/ (the page print path: spoolers, job tracking) builds on platform/, documents/ and shared/ only.',
    ),
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['**/main/**', '**/preload/**', '**/renderer/**', '**/tools/**', '**/cli/**'],
      'services/ never import the CLI or tools/ (reference upstream, bench): those sit on top of the app.',
    ),
  },
  {
    // The folders converted to the one sql helper stay converted (docs/architecture.md).
    files: [
      'electron/services/receipts/**/*.ts',
      'electron/services/trust/**/*.ts',
      'electron/services/dayclose/**/*.ts',
      'electron/services/payer-display/**/*.ts',
      'electron/services/doctor/**/*.ts',
      'electron/services/counter/payments.ts',
      'electron/services/counter/activity.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='prepare']",
          message: 'Run SQL through platform/db/sql.ts (sql.all<Row>, get, one, run; lists with sql.list and json_each).',
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, ...nativeAndServerPackages.filter((m) => m !== 'electron')],
      ['**/services/**', '**/renderer/**', '**/cli/**', '**/devices/**'],
      'The preload only exposes the API bridge: electron and shared/ only.',
    ),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([], ['**/renderer/**'], 'The main process never imports renderer code.'),
  },
  {
    // Type-aware rules: a promise nobody awaits or catches is an unhandled rejection waiting to
    // happen (a clerk's click that fails silently, a main-process crash). Each layer is checked
    // against its own tsconfig so the types are the ones the compiler uses.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.renderer.json', './tsconfig.node.json', './tsconfig.tests.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // Formatting is Prettier's job (npm run format); this turns off the rules that would disagree with it.
  prettier,
);
