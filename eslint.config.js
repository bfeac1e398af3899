// ESLint flat config: type-aware typescript-eslint rules for the server, scripts and tests; plain
// rules with browser globals for the progressive-enhancement script in src/public. Formatting is
// not ESLint's job here, so there are no stylistic rules.
import { readdirSync } from 'node:fs';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// A few of eslint:recommended's rules that type-checking does not already cover. (@eslint/js is
// not a dependency; these are the ones that catch real bugs in this codebase's style.)
const coreRules = {
  'no-async-promise-executor': 'error',
  'no-compare-neg-zero': 'error',
  'no-cond-assign': 'error',
  'no-constant-binary-expression': 'error',
  'no-control-regex': 'error',
  'no-debugger': 'error',
  'no-dupe-else-if': 'error',
  'no-duplicate-case': 'error',
  'no-empty-pattern': 'error',
  'no-fallthrough': 'error',
  'no-irregular-whitespace': 'error',
  'no-misleading-character-class': 'error',
  'no-self-assign': 'error',
  'no-self-compare': 'error',
  'no-sparse-arrays': 'error',
  'no-unsafe-finally': 'error',
  'no-unsafe-optional-chaining': 'error',
  'no-useless-catch': 'error',
  'no-var': 'error',
  'prefer-const': 'error',
  'require-yield': 'error',
  'use-isnan': 'error',
  'valid-typeof': 'error',
};

const browserGlobals = Object.fromEntries(
  [
    'window',
    'document',
    'navigator',
    'location',
    'history',
    'console',
    'fetch',
    'URL',
    'URLSearchParams',
    'FormData',
    'DOMParser',
    'HTMLElement',
    'HTMLFormElement',
    'HTMLInputElement',
    'Event',
    'CustomEvent',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'requestAnimationFrame',
    'localStorage',
    'sessionStorage',
  ].map((name) => [name, 'readonly']),
);

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Buffer'].map((name) => [
    name,
    'readonly',
  ]),
);

// The tiers (docs/architecture.md): imports only go down features → platform → plugins, db, lib,
// across folders through #src/… (never ../), and a feature never reaches into another feature's
// tables or repository. Each rule lists what a file in that tier may not import.
// (Patterns are regular expressions: gitignore-style groups would read the leading # as a comment.)
const upward = (...tiers) => `^#src/(${tiers.join('|')})/`;
const parentFolders = { regex: '^\\.\\./', message: 'Import from another folder with #src/… (see CODE_STYLE.md).' };
const otherFeatureInternals = (feature) => ({
  regex: `^#src/features/(?!${feature}/)[^/]+/(.+/)?([a-z-]+-)?(tables|repository)\\.ts$`,
  message: "A feature never reaches into another feature's tables or repository: call its service, or listen to its events.",
});
const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const restrict = (files, patterns) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const boundaries = [
  restrict(
    ['src/lib/**/*.ts'],
    [
      parentFolders,
      { regex: upward('db', 'plugins', 'platform', 'features'), message: 'lib/ holds small helpers that depend on nothing of ours.' },
    ],
  ),
  restrict(
    ['src/db/**/*.ts'],
    [parentFolders, { regex: upward('plugins', 'platform', 'features'), message: 'The database module knows no module or feature.' }],
  ),
  restrict(['src/plugins/**/*.ts'], [parentFolders, { regex: upward('platform', 'features'), message: 'Plugins sit below the platform.' }]),
  restrict(
    ['src/platform/**/*.ts'],
    [parentFolders, { regex: upward('features'), message: 'The platform never depends on a feature (docs/architecture.md).' }],
  ),
  ...features.map((feature) => restrict([`src/features/${feature}/**/*.ts`], [parentFolders, otherFeatureInternals(feature)])),
];

export default defineConfig(
  globalIgnores(['**/node_modules/', 'migrations/', 'data/', 'bench/results/', 'test-results/', 'playwright-report/', 'coverage/']),
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      ...coreRules,
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify plugins, handlers and hooks are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      // Fastify accepts async handlers and hooks; JSX-style attributes do not exist here.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  ...boundaries,
  {
    // Tests reach into responses and mocks; keep the promise rules, relax the "unsafe any" family.
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Browser script served as-is: no type information, browser globals.
    files: ['src/public/**/*.js'],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest', globals: browserGlobals },
    rules: { ...coreRules, 'no-undef': 'error', 'no-unused-vars': 'error' },
  },
  {
    // This file and any other Node-side JavaScript.
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['src/public/**'],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest', globals: nodeGlobals },
    rules: { ...coreRules, 'no-undef': 'error', 'no-unused-vars': 'error' },
  },
);
