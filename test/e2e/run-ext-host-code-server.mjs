// Runs the extension-host suite inside the VS Code server shipped with code-server: what @vscode/test-electron does,
// without Electron. The server is started with --enable-smoke-test-driver; the workbench, opened in headless chromium
// with an `extensionDevelopmentPath` + `extensionTestsPath` payload, loads the extension under development, runs the
// suite's `run()` in the extension host and reports the exit code through `window.codeAutomationExit`.
//
// Used by test/e2e/run.mjs; standalone: node run-ext-host-code-server.mjs <workspace> [extension-dir]
// (after `source .e2e-tools/env.sh` and `npm run build`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';
import { buildSuite } from './lib/build-suite.mjs';
import { fatal, poll } from './lib/processes.mjs';
import { startTestServer } from './lib/vscode.mjs';

export async function runExtensionHostSuite({ work, workspace, extensionDir, timeoutMs = 240000 }) {
  fs.mkdirSync(work, { recursive: true });
  const suiteFile = await buildSuite(path.join(work, 'suite'));
  const resultsFile = path.join(work, 'results.json');
  // The extension host inherits the server's environment, which is how the suite learns where to write.
  const { port, server } = await startTestServer({ work, env: { E2E_RESULTS_FILE: resultsFile } });
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(suiteFile)],
  ]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
  const browser = await launchBrowser({ label: 'extension-host' });
  let exitCode;
  try {
    await browser.page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
    });
    browser.page.on('console', (message) => {
      const text = message.text();
      if (text.includes('[e2e]')) console.log(`  ${text.slice(text.indexOf('[e2e]'))}`);
      else if (message.type() === 'error' && /server-action-guard|activat|Extension Host/i.test(text)) {
        console.log(`  [workbench] ${text.slice(0, 300)}`);
      }
    });
    await browser.page.goto(url);
    await poll(
      'the suite to finish (window.codeAutomationExit)',
      () => {
        const exit = server.exitStatus();
        if (exit) throw fatal(`VS Code server exited (${JSON.stringify(exit)}); see ${server.logFile}`);
        return { done: exitCode !== undefined, seen: readResults(resultsFile).map((r) => `${r.ok ? 'PASS' : 'FAIL'} ${r.name}`) };
      },
      { timeoutMs, intervalMs: 250 },
    ).catch((error) => console.log(`  ${error.message}`));
    if (exitCode !== 0) await browser.page.screenshot({ path: path.join(work, 'extension-host-final.png') }).catch(() => {});
  } finally {
    await browser.close();
    await server.stop();
  }
  const results = readResults(resultsFile);
  if (exitCode !== 0 && results.every((r) => r.ok)) {
    results.push({
      name: 'the suite ran to completion',
      ok: false,
      error: `exit code ${exitCode ?? 'none (timed out)'}; see ${server.logFile}`,
    });
  }
  return results;
}

function readResults(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [workspace, extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')] =
    process.argv.slice(2);
  const work = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'e2e-ext-host-'));
  const results = await runExtensionHostSuite({ work, workspace: path.resolve(workspace), extensionDir });
  console.log(JSON.stringify(results, null, 2));
  process.exit(results.length && results.every((r) => r.ok) ? 0 : 1);
}
