// Runs the real-editor suites against the built extension (dist/) and prints `N passed, N failed`:
//   ext-host  the extension-host suite in the VS Code server shipped with code-server (full `vscode` API)
//   ui        the real workbench: code-server in headless chromium, screenshots in test-results/e2e/
//   nvim      Neovim's built-in LSP client against `node dist/server.js --stdio`
// Start it through test/e2e/run.sh (toolchain setup + build). Arguments pick suites: run.sh nvim ui.
// E2E_EXTENSION_DIR tests another built copy of the extension (package.json + dist/); E2E_KEEP=1 keeps the work folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNeovimSuite } from './nvim/run-nvim.mjs';
import { runExtensionHostSuite } from './run-ext-host-code-server.mjs';
import { runWorkbenchScenarios } from './ui/workbench.mjs';
import { installUnpackedExtension, startCodeServer } from './lib/vscode.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const FIXTURE = path.join(HERE, 'fixture');
const SCREENSHOTS = path.join(ROOT, 'test-results', 'e2e');
const extensionDir = path.resolve(process.env.E2E_EXTENSION_DIR ?? ROOT);

const SUITES = {
  'ext-host': ({ work, workspace }) => runExtensionHostSuite({ work, workspace, extensionDir }),
  ui: async ({ work, workspace }) => {
    const installed = installUnpackedExtension(extensionDir, path.join(work, 'extensions'));
    console.log(`  installed ${installed.id} (${installed.copied.join(', ')})`);
    const { url, server } = await startCodeServer({ work, extensionsDir: path.join(work, 'extensions') });
    try {
      return await runWorkbenchScenarios({ url, workspace, screenshots: SCREENSHOTS, logs: path.join(work, 'code-server-data', 'logs') });
    } finally {
      await server.stop();
    }
  },
  nvim: ({ work, workspace }) => runNeovimSuite({ work, workspace, serverJs: path.join(extensionDir, 'dist', 'server.js') }),
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in SUITES));
if (unknown.length) {
  console.error(`unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
for (const variable of ['E2E_NODE24', 'E2E_CODE_SERVER', 'E2E_VSCODE_SERVER_MAIN', 'E2E_PLAYWRIGHT_DIR']) {
  if (!process.env[variable]) {
    console.error(`${variable} is not set: start the suites with test/e2e/run.sh (it runs scripts/setup-real-clients.sh)`);
    process.exit(2);
  }
}
for (const file of ['package.json', 'dist/extension.js', 'dist/server.js']) {
  if (!fs.existsSync(path.join(extensionDir, file))) {
    console.error(`${path.join(extensionDir, file)} is missing: run npm run build first`);
    process.exit(2);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'server-action-guard-e2e-'));
fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
console.log(`[e2e] extension ${extensionDir}; work folder ${work}`);

const summary = [];
for (const name of requested.length ? requested : Object.keys(SUITES)) {
  const suiteWork = path.join(work, name);
  const workspace = path.join(suiteWork, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  console.log(`\n[e2e] ${name}: workspace ${workspace}`);
  const started = Date.now();
  let results;
  try {
    results = await SUITES[name]({ work: suiteWork, workspace });
    if (!results.length) results = [{ name: 'the suite reported results', ok: false, error: 'no results' }];
  } catch (error) {
    results = [{ name: 'the suite ran', ok: false, error: error instanceof Error ? error.stack : String(error) }];
  }
  const seconds = (Date.now() - started) / 1000;
  summary.push({ name, seconds, results });
  const failed = results.filter((r) => !r.ok).length;
  console.log(`[e2e] ${name}: ${results.length - failed} passed, ${failed} failed in ${seconds.toFixed(1)} s`);
}

console.log('\n[e2e] summary');
for (const { name, seconds, results } of summary) {
  console.log(`  ${name} (${seconds.toFixed(1)} s)`);
  for (const result of results) {
    console.log(`    ${result.ok ? 'ok  ' : 'FAIL'} ${result.name}${result.ok ? '' : `\n         ${result.error}`}`);
  }
}
const all = summary.flatMap((s) => s.results);
const failed = all.filter((r) => !r.ok).length;
if (failed || process.env.E2E_KEEP === '1') console.log(`[e2e] logs and workspaces kept in ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
if (fs.existsSync(SCREENSHOTS)) console.log(`[e2e] screenshots in ${path.relative(ROOT, SCREENSHOTS)}/`);
console.log(`${all.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
