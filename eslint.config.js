// ESLint (flat config): correctness rules only — formatting is Prettier's job (`npm run format`).
// `npm test` and CI run `eslint .`; an error counts as a failed test.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tmp/', 'coverage/', 'data/', 'views/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `x!` hides a missing value until it crashes; check it or narrow the type
      '@typescript-eslint/no-non-null-assertion': 'error',
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
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
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['server/**/*.ts', 'migrations/**/*.ts', 'scripts/**', 'bench/**', 'tests/**', '*.js', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests and the benchmark: `describe` blocks are long by nature, and `x!` on a value the test just
    // created fails the run as loudly as an assertion would.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'max-lines-per-function': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // waitForFunction without options asks on every animation frame: the browser draws all the while
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='waitForFunction'][arguments.length<3]",
          message: 'Pass BY_TIMER (tests/helpers/browser.ts) as the options: the default polls on every animation frame.',
        },
        {
          selector:
            "CallExpression[callee.property.name='waitForFunction'] > ObjectExpression.arguments:nth-child(3):not(:has(SpreadElement)):not(:has(Property[key.name='polling']))",
          message: 'Spread BY_TIMER (tests/helpers/browser.ts) into the options, or name the polling: the default polls on every animation frame.',
        },
      ],
    },
  },
  {
    // a migration is one schema step, read top to bottom
    files: ['migrations/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
);
