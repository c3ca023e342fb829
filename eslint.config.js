// ESLint flat config: eslint's and typescript-eslint's recommended rules over everything we write.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'data/', 'bench/results/', 'test-artifacts/', '**/node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a binding kept on purpose: an unused parameter a signature needs, or
      // a key destructured only to leave it out of the rest (`const { secret: _secret, ...shown } = row`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The MCP Apps views run in the host's sandboxed iframe, not in Node.
    files: ['src/views/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Measures paint in a headless browser: the functions handed to page.evaluate run in the page.
    files: ['bench/views-paint.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
