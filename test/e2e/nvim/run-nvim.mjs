// Neovim's built-in LSP client against `node dist/server.js --stdio`: runs probe.lua headless and asserts on the JSON
// it writes (nvim's exit code says nothing).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_IDS } from '../../../shared/settings.ts';
import { ACTIONS_AFTER_ZOD, ACTIONS_BEFORE } from '../expected.ts';
import { poll, startServer } from '../lib/processes.mjs';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'probe.lua');

export async function runNeovimSuite({ work, workspace, serverJs, timeoutMs = 60000 }) {
  fs.mkdirSync(work, { recursive: true });
  const out = path.join(work, 'nvim.json');
  const file = path.join(workspace, 'app', 'actions.ts');
  const started = Date.now();
  const nvim = startServer(process.env.E2E_NVIM || 'nvim', ['--headless', '--clean', '-n', '-c', `luafile ${PROBE}`], {
    env: {
      ...process.env,
      LSP_CMD: JSON.stringify([process.execPath, serverJs, '--stdio']),
      LSP_ROOT: workspace,
      LSP_FILE: file,
      LSP_RULE: 'validate-input',
      LSP_FIX: 'Wrap FormData reads in a zod schema',
      LSP_OUT: out,
      // nvim's log, shada and swap files stay in the work folder.
      XDG_CACHE_HOME: path.join(work, 'xdg-cache'),
      XDG_STATE_HOME: path.join(work, 'xdg-state'),
      XDG_DATA_HOME: path.join(work, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(work, 'xdg-config'),
    },
    logFile: path.join(work, 'nvim.log'),
  });
  try {
    await poll('nvim to write its JSON and exit', () => ({ done: nvim.exitStatus() !== undefined, seen: 'running' }), {
      timeoutMs,
      intervalMs: 50,
    });
  } catch (error) {
    console.log(`  ${error.message}`);
  } finally {
    await nvim.stop();
  }
  const probe = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : { error: 'nvim wrote no JSON' };
  console.log(
    `  nvim (${Date.now() - started} ms): steps ${JSON.stringify(probe.steps)}; ` +
      `diagnostics ${JSON.stringify((probe.diagnostics ?? []).map((d) => `${d.line + 1}:${d.code}`))}; ` +
      `code actions ${JSON.stringify((probe.code_actions ?? []).map((a) => a.title))}` +
      (probe.error ? `; error: ${probe.error}` : ''),
  );
  if (probe.server_stderr) console.log(`  server stderr: ${probe.server_stderr.slice(0, 500)}`);

  return [
    check('diagnostics with rule codes arrive over stdio', () => {
      assert.ok(probe.diagnostics?.length, `diagnostics arrived (probe error: ${probe.error ?? 'none'})`);
      for (const d of probe.diagnostics) {
        assert.equal(d.source, 'server-action-guard');
        assert.ok(RULE_IDS.includes(d.code), `code ${JSON.stringify(d.code)} is a rule id`);
      }
      const lines = ACTIONS_BEFORE.split('\n');
      const at = (code, needle) => probe.diagnostics.some((d) => d.code === code && lines[d.line].includes(needle));
      assert.ok(at('validate-input', "formData.get('title')"), 'validate-input on the title read');
      assert.ok(at('server-identity', "formData.get('ownerId')"), 'server-identity on the ownerId read');
    }),
    check('a code action applies and clears its diagnostic', () => {
      assert.ok(probe.applied, `a zod fix was applied (probe error: ${probe.error ?? 'none'})`);
      assert.equal(probe.text_after_fix, ACTIONS_AFTER_ZOD);
      assert.equal(
        probe.cleared,
        true,
        `"${probe.target?.message}" cleared; after the fix: ${JSON.stringify(probe.diagnostics_after_fix)}`,
      );
    }),
  ];
}

function check(name, assertion) {
  const started = Date.now();
  try {
    assertion();
    return { name, ok: true, ms: Date.now() - started };
  } catch (error) {
    return { name, ok: false, ms: Date.now() - started, error: error.message };
  }
}
