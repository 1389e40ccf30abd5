// Bundles the extension-host suite (TypeScript) into one CommonJS file the extension host can `require`.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'extension-host', 'suite.ts');

export async function buildSuite(outDir) {
  const outfile = path.join(outDir, 'suite.js');
  await esbuild.build({
    entryPoints: [SUITE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}
