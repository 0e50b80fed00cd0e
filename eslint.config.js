// Lint rules: type-checked TypeScript, zero warnings, and the layer boundaries of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const frameworks = [
  'react',
  'react-dom',
  'rxdb',
  'rxjs',
  'nano',
  'fastify',
  'express',
  'electron',
  'stripe',
  'pino',
  'dexie',
  'nodemailer',
];
const noImportOf = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: groups.map((group) => ({ group, message })) }],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'bench/results',
      '.stagedoor',
      '.scratch',
      'test-results',
      'playwright-report',
      'eslint.config.js',
      'scripts/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: noImportOf(
      [
        ['**/sync-server/**', '**/renderer/**', '**/electron/**', '**/test/**'],
        ['node:*', 'fs', 'path', 'crypto', ...frameworks],
      ],
      'domain/ is pure: it imports nothing of the other layers, no Node module and no framework.',
    ),
  },
  {
    files: ['sync-server/**/*.ts'],
    rules: noImportOf([['**/renderer/**', '**/electron/**']], 'sync-server/ imports domain/ only.'),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: noImportOf([['**/sync-server/**', '**/electron/**']], 'renderer/ imports domain/ only.'),
  },
  {
    files: ['electron/**/*.ts'],
    rules: noImportOf(
      [['**/sync-server/**', '**/renderer/**']],
      'electron/ talks to renderer/ only through the preload bridge.',
    ),
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
