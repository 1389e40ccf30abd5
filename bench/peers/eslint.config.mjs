// The peer a user would run instead: ESLint with typescript-eslint's parser in typed mode (the project service
// builds TypeScript programs from the corpus' tsconfig files) and one rule that needs type information.
// Run from the corpus root: `eslint --config bench/peers/eslint.config.mjs .`
import tseslint from 'typescript-eslint';

const root = process.cwd();

export default [
  { basePath: root, ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/*.d.ts'] },
  {
    basePath: root,
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
];
