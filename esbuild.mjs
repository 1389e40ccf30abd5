// Bundles the extension client, the language server, the CLI and the ESLint plugin into dist/.
// `--production` minifies (release / .vsix); development builds keep sourcemaps.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

const production = process.argv.includes('--production');

/**
 * One module object for TypeScript: every `import ts from 'typescript'` of the engine would otherwise get its own
 * CommonJS-to-ESM copy of TypeScript's thousands of exports (21 copies, ~100–200 ms of the server's start-up).
 */
const typescriptOnce = {
  name: 'typescript-once',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, (args) =>
      args.namespace === 'typescript-once' ? undefined : { path: 'typescript', namespace: 'typescript-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'typescript-once' }, () => ({
      contents: "export default require('typescript');",
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js', plugins: [typescriptOnce] }),
  esbuild.build({ ...common, entryPoints: ['server/src/node/auditWorker.ts'], outfile: 'dist/audit-worker.js', plugins: [typescriptOnce] }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    plugins: [typescriptOnce],
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/eslint/index.ts'],
    outfile: 'dist/eslint.js',
    plugins: [typescriptOnce],
    // ESLint configs import the plugin as the module's default export: `module.exports` itself.
    footer: { js: 'module.exports = module.exports.default;' },
  }),
]);
