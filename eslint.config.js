import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NO_MULTI_SELECT = {
  name: '@mantine/core',
  importNames: ['MultiSelect'],
  message: 'Use MultiSelectField (components/multi-select-field): its drop-down closes after a pick.',
};

const NO_API_BY_PATH = {
  group: ['**/lib/api'],
  importNames: ['api'],
  message:
    "Call the operation by name: apiCall('<operationId>', { params, query, body }); add it to packages/contracts/src/operations.ts if it is missing.",
};

// From a feature's file, another feature's components/ or utils/ ("../../<feature>/components/..").
// Two whole pieces are shared on purpose, each its feature's one public widget: the audit trail (the
// History drawer every record's page opens) and the import wizard's steps (the campaigns' "New
// campaign from a file" runs the lists' upload and mapping steps).
const NO_OTHER_FEATURES_WIDGETS = {
  regex: String.raw`^(?:\.\./){2,}(?!(?:audit/components/audit-trail|lists/components/import-wizard)$)(?!\.)[^/]+/(?:components|utils)/`,
  message:
    "Do not import another feature's components/ or utils/: move the shared piece to src/components (UI) or src/lib (the rest).",
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '.tmp/**', 'test-results/**', '**/migrations/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'telephony/*.d.mts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', module: 'writable', require: 'readonly' },
    },
  },
  {
    // Configuration is parsed once, in env.ts: nothing else in the server reads process.env.
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through env.ts (loadConfig).' },
      ],
    },
  },
  {
    // A feature reaches another feature only through its service, never its repository.
    files: ['apps/server/src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/*.repository', '../*/*.repository.ts'],
              message: "Call the other feature's service instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // One way to reach the database: Drizzle (db/client.ts, lib/tx.ts). The pg driver itself is
    // for db/ (pool, migrations, routines' installer, embedded PostgreSQL) and lib/tx.ts and
    // lib/realtime.ts (transactions, the LISTEN connection) only. Tests may set up data with pg.
    files: ['apps/server/src/**/*.ts', 'apps/server/bench/**/*.ts'],
    ignores: [
      'apps/server/src/db/**',
      'apps/server/src/lib/tx.ts',
      'apps/server/src/lib/realtime.ts',
      'apps/server/src/main.ts',
      '**/*.test.ts',
      'apps/server/bench/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='pg']",
          message: 'Reach the database through Drizzle: db (a Db) or tx (withTransaction, lib/tx.ts).',
        },
        {
          selector: "MemberExpression[property.name='$client']",
          message: 'Stay on Drizzle: withTransaction/withConnection (lib/tx.ts) give a handle on one connection.',
        },
        {
          selector: "CallExpression[callee.property.name='query']",
          message:
            'Write the statement with Drizzle (db.select/insert/update, or tx.execute(sql`...`) for what the builder cannot say).',
        },
      ],
    },
  },
  {
    // Shared code does not reach into features: features build on lib/ and db/, never the other way
    // round (services.ts, the composition root, is where features meet; it hands db/ the dialer's
    // routines, and main.ts the demo seed of src/demo/).
    files: ['apps/server/src/lib/**/*.ts', 'apps/server/src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../features/*', '../features/**', '../../features/**', '../../../features/**'],
              message:
                'lib/ and db/ are shared by every feature: move the piece into lib/ or pass it in (services.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Numbers in requests are read by the schemas of packages/contracts/src/ids.ts: coercion reads
    // "+1", "1e3" or "0x10" as numbers and lets out-of-range ids through to the database.
    files: ['packages/contracts/src/**/*.ts', 'apps/server/src/features/**/*.routes.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='z'][property.name='coerce']",
          message:
            'Read ids with idSchema, cursors with pageCursorSchema and numbers with boundedIntSchema (contracts).',
        },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_MULTI_SELECT],
        },
      ],
    },
  },
  {
    // A feature calls an operation of the contracts' table by name (apiCall), never a hand-typed
    // path; and it never imports another feature's components/ or utils/: a widget or helper used
    // by more than one feature lives in components/ (UI) or lib/ (the rest). Another feature's
    // api/ and hooks/ (its server data and queries) may be used (docs/ARCHITECTURE.md says why).
    files: ['apps/web/src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [NO_MULTI_SELECT], patterns: [NO_OTHER_FEATURES_WIDGETS, NO_API_BY_PATH] },
      ],
    },
  },
  {
    // The web's shared code (components/, lib/) does not reach into features either.
    files: ['apps/web/src/components/**/*.{ts,tsx}', 'apps/web/src/lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [NO_MULTI_SELECT],
          patterns: [
            {
              group: ['../features/**'],
              message: 'components/ and lib/ are shared by every feature: move the piece here or pass it in as a prop.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/components/multi-select-field.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read JSON answers loosely and assert on them.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
