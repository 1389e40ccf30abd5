// The extension-host suite under @vscode/test-electron: a desktop VS Code, downloaded on first use into .vscode-test/
// (or VSCODE_EXECUTABLE), opens a temp copy of the fixture with the built extension under development and runs the
// same suite as test/e2e/run-ext-host-code-server.mjs. For a machine that can download VS Code (it cannot here: only
// the npm registry is reachable, hence the code-server runner). On Linux without a display, run it under xvfb-run.
//
//   npm run build && node --import tsx test/e2e/run-test-electron.mjs
//
// VSCODE_VERSION picks the VS Code release (default: 1.139.1, the one code-server 4.139.1 ships, so both runners test
// the same editor).
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSuite } from './lib/build-suite.mjs';
import { writeUserSettings } from './lib/vscode.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'server-action-guard-electron-'));
const workspace = path.join(work, 'workspace');
fs.cpSync(path.join(HERE, 'fixture'), workspace, { recursive: true });
const userData = path.join(work, 'user-data');
writeUserSettings(userData);
const resultsFile = path.join(work, 'results.json');

let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION ?? '1.139.1',
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
    extensionDevelopmentPath: path.resolve(process.env.E2E_EXTENSION_DIR ?? ROOT),
    extensionTestsPath: await buildSuite(path.join(work, 'suite')),
    extensionTestsEnv: { E2E_RESULTS_FILE: resultsFile },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      path.join(work, 'extensions'),
    ],
  });
} catch (error) {
  console.error(`the extension-host suite failed: ${error instanceof Error ? error.message : String(error)}`);
}

const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : [];
for (const result of results) console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name}${result.ok ? '' : `: ${result.error}`}`);
const failed = results.filter((r) => !r.ok).length + (exitCode !== 0 && results.every((r) => r.ok) ? 1 : 0);
console.log(`${results.length - results.filter((r) => !r.ok).length} passed, ${failed} failed`);
fs.rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
