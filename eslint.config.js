import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '.tmp/**', 'test-results/**', '**/migrations/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
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
          paths: [
            {
              name: '@mantine/core',
              importNames: ['MultiSelect'],
              message: 'Use MultiSelectField (components/multi-select-field): its drop-down closes after a pick.',
            },
          ],
        },
      ],
    },
  },
  {
    // A feature calls an operation of the contracts' table by name (apiCall), never a hand-typed
    // path. The lists feature is still to be converted (its import screens were being changed).
    files: ['apps/web/src/features/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/features/lists/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@mantine/core',
              importNames: ['MultiSelect'],
              message: 'Use MultiSelectField (components/multi-select-field): its drop-down closes after a pick.',
            },
          ],
          patterns: [
            {
              group: ['**/lib/api'],
              importNames: ['api'],
              message:
                "Call the operation by name: apiCall('<operationId>', { params, query, body }); add it to packages/contracts/src/operations.ts if it is missing.",
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
