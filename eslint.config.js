// Lint: typescript-eslint's recommended rules plus the process boundaries of STYLE.md, so a
// layer cannot quietly import another: shared/ is pure, core/ never imports Electron, the
// renderer never reaches into core/ or Node.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Bare module names go in `paths` (exact match); `patterns` are globs and would also match
// relative paths such as ../electron/shared.
const nodeModules = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url'];
const bare = (names, message) => names.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['electron/shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bare([...nodeModules, 'electron', 'better-sqlite3', 'react', 'react-dom'], 'electron/shared is pure: no Node, Electron, database or DOM imports.'),
        patterns: [
          { group: ['node:*'], message: 'electron/shared is pure: no Node imports.' },
          { group: ['**/core/**', '**/main/**', '**/preload/**', '**/renderer/**'], message: 'electron/shared imports nothing from other layers.' },
        ],
      }],
    },
  },
  {
    files: ['electron/core/**', 'electron/web/**', 'electron/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bare(['electron'], 'core runs in plain Node: never import electron.'),
        patterns: [{ group: ['**/renderer/**', '**/main/**'], message: 'core does not depend on the UI or on Electron main.' }],
      }],
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bare(['electron', 'better-sqlite3', 'react', 'react-dom'], 'The sync server runs on PostgreSQL in plain Node.'),
        patterns: [{ group: ['**/electron/core/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/web/**', '**/electron/cli/**', '**/renderer/**'], message: 'server/ imports electron/shared only (the protocol and the pure rules).' }],
      }],
    },
  },
  {
    // The engine does not depend on its tools: demo data and the command line live in cli/.
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bare(['electron'], 'core runs in plain Node: never import electron.'),
        patterns: [
          { group: ['**/renderer/**', '**/main/**'], message: 'core does not depend on the UI or on Electron main.' },
          { group: ['**/cli/**'], message: 'core does not depend on the command-line tools or the demo-data generator.' },
        ],
      }],
    },
  },
  {
    // The customer portal and the server's administration pages are pages of the server: they reach it only through
    // /portal/api and /admin/api, and share only electron/shared.
    files: ['portal/**', 'admin/**', 'pages/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bare([...nodeModules, 'electron', 'better-sqlite3'], 'The portal runs in the customer\'s browser.'),
        patterns: [
          { group: ['node:*'], message: 'The portal has no Node access.' },
          { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/web/**', '**/electron/cli/**', '**/renderer/**', '**/server/**'], message: 'The server\'s pages import electron/shared only; data comes from their API.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bare([...nodeModules, 'electron', 'better-sqlite3'], 'The renderer has no Node or Electron access.'),
        patterns: [
          { group: ['node:*'], message: 'The renderer has no Node access.' },
          { group: ['**/electron/core/**', '**/electron/main/**', '**/electron/web/**', '**/electron/cli/**'], message: 'The renderer reaches core only through window.helpdesk / the web API (renderer/app/api.ts).' },
        ],
      }],
    },
  },
);
