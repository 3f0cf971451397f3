// @ts-check
import eslint from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import eslintPluginPrettierRecommended from 'eslint-plugin-prettier/recommended';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layers of lib/ and what each may import: docs/architecture.md draws the same map.
// A layer may import itself and the layers it lists, nothing else, so folders cannot
// import each other in a circle. `contracts` are the interface files at the root of
// transports/, results/, locks/ and rate-limit/; `backends` are the concrete classes in
// their subfolders, which only module/ (the wiring) may pick.
const layers = {
  common: ['lib/common/**'],
  protocol: ['lib/protocol/**'],
  options: ['lib/options/**'],
  context: ['lib/context/**'],
  lifecycle: ['lib/lifecycle/**'],
  events: ['lib/events/**'],
  drivers: ['lib/drivers/**'],
  contracts: [
    'lib/transports/*.ts',
    'lib/results/*.ts',
    'lib/locks/*.ts',
    'lib/rate-limit/*.ts',
  ],
  backends: [
    'lib/transports/*/**',
    'lib/results/*/**',
    'lib/locks/*/**',
    'lib/rate-limit/*/**',
  ],
  decorators: ['lib/decorators/**'],
  registry: ['lib/registry/**'],
  client: ['lib/client/**'],
  worker: ['lib/worker/**'],
  scheduler: ['lib/scheduler/**'],
  logging: ['lib/logging/**'],
  metrics: ['lib/metrics/**'],
  tracing: ['lib/tracing/**'],
  health: ['lib/health/**'],
  dashboard: ['lib/dashboard/**'],
  module: ['lib/module/**'],
  cli: ['lib/cli/**'],
  entry: ['lib/{index.ts,testing/**}'],
};
const mayImport = {
  common: [],
  protocol: ['common'],
  options: ['common', 'contracts'],
  context: ['common'],
  lifecycle: ['common', 'protocol'],
  // Celery's events: a lifecycle observer and the receiver, over the EventBus contract.
  events: ['common', 'protocol', 'options', 'lifecycle', 'contracts'],
  drivers: ['common', 'protocol'],
  contracts: ['common', 'protocol'],
  backends: ['common', 'protocol', 'drivers', 'contracts'],
  decorators: ['common', 'options'],
  registry: [
    'common',
    'protocol',
    'options',
    'context',
    'decorators',
    'contracts',
  ],
  client: [
    'common',
    'protocol',
    'options',
    'decorators',
    'registry',
    'contracts',
    'lifecycle',
  ],
  worker: [
    'common',
    'protocol',
    'options',
    'context',
    'decorators',
    'registry',
    'client',
    'contracts',
    'lifecycle',
    'logging',
    'events',
  ],
  scheduler: [
    'common',
    'protocol',
    'options',
    'decorators',
    'registry',
    'client',
    'contracts',
    'lifecycle',
    'logging',
  ],
  // The observability features: each an observer of the lifecycle (or a reader of the
  // worker's and beat's state), added by module/ only when its option is on.
  logging: ['common', 'options'],
  metrics: [
    'common',
    'protocol',
    'options',
    'lifecycle',
    'registry',
    'contracts',
    'worker',
  ],
  tracing: ['common', 'protocol', 'options', 'lifecycle', 'contracts'],
  health: ['common', 'options', 'contracts', 'worker', 'scheduler'],
  dashboard: [
    'common',
    'protocol',
    'options',
    'lifecycle',
    'events',
    'drivers',
    'registry',
    'contracts',
    'client',
    'scheduler',
  ],
  module: Object.keys(layers),
  // The CLI is a user of the package: the public entry only.
  cli: ['entry'],
  entry: Object.keys(layers).filter((layer) => layer !== 'cli'),
};
const layerZones = Object.entries(mayImport).flatMap(([layer, allowed]) => {
  const forbidden = Object.keys(layers).filter(
    (other) => other !== layer && !allowed.includes(other),
  );
  if (forbidden.length === 0) return [];
  return layers[layer].map((target) => ({
    target,
    from: forbidden.flatMap((other) => layers[other]),
    message: `lib/ layer "${layer}" may import only ${[layer, ...allowed].join(', ')} (docs/architecture.md)`,
  }));
});
// The engine stays free of Nest: plain classes, testable without a DI container.
const withoutNest = [
  'common',
  'protocol',
  'options',
  'drivers',
  'contracts',
  'backends',
];

export default tseslint.config(
  {
    ignores: [
      'eslint.config.mjs',
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'bench/**/*.js',
      'test/support/*.js',
      'jest.config.js',
      'bench/**/*.py',
      'test/**/*.py',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  eslintPluginPrettierRecommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      sourceType: 'commonjs',
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['lib/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'no-restricted-syntax': [
        'error',
        {
          // V8 allocates such a closure in the old generation (its parser takes it for
          // a long-lived method), where it keeps its context, and all that context
          // holds, alive through every scavenge until a full GC (docs/architecture.md,
          // "Letting go of what is done"). Give the function a local name first.
          // (also through a TypeScript `as`, `satisfies` or `!`, which the build erases)
          selector:
            'AssignmentExpression[left.type="MemberExpression"] > :matches(ArrowFunctionExpression, FunctionExpression, TSAsExpression[expression.type=/FunctionExpression$/], TSSatisfiesExpression[expression.type=/FunctionExpression$/], TSNonNullExpression[expression.type=/FunctionExpression$/]).right',
          message:
            'assign a function literal to a local constant first, then to the property: V8 pretenures function literals assigned to properties',
        },
      ],
    },
  },
  {
    // The sample app uses Celeriac as any app would: through its public entry only.
    files: ['sample-app/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: 'sample-app',
              from: 'lib',
              except: ['./index.ts'],
              message: 'the sample app imports Celeriac from lib/index.ts only',
            },
          ],
        },
      ],
    },
  },
  {
    files: withoutNest.flatMap((layer) => layers[layer]),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*'],
              message: `this layer of lib/ (${withoutNest.join(', ')}) never imports Nest (docs/architecture.md)`,
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'warn',
      '@typescript-eslint/no-unsafe-argument': 'warn',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The dashboard's page script: plain browser JavaScript, shipped as written.
    files: ['lib/dashboard/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { ...globals.browser },
      sourceType: 'script',
      parserOptions: { projectService: false },
    },
  },
);
