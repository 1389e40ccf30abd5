import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CONFIGURATION_SECTION } from '../../shared/protocol';
import { DEFAULT_SETTINGS, RULE_IDS } from '../../shared/settings';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const properties: Record<string, { default?: unknown; scope?: string; description?: string; markdownDescription?: string; properties?: Record<string, unknown> }> =
  manifest.contributes.configuration.properties;

test('contributed settings mirror GuardSettings, plus trace.server', () => {
  const expected = [...Object.keys(DEFAULT_SETTINGS).map((key) => `${CONFIGURATION_SECTION}.${key}`), `${CONFIGURATION_SECTION}.trace.server`];
  assert.deepEqual(Object.keys(properties).sort(), expected.sort());
  for (const [key, schema] of Object.entries(properties)) {
    assert.ok(schema.description || schema.markdownDescription, `${key} has a description`);
    assert.ok('default' in schema, `${key} has a default`);
    assert.ok(schema.scope, `${key} has a scope`);
  }
  assert.equal(properties[`${CONFIGURATION_SECTION}.enable`]!.default, DEFAULT_SETTINGS.enable);
  assert.equal(properties[`${CONFIGURATION_SECTION}.maxFileSizeKb`]!.default, DEFAULT_SETTINGS.maxFileSizeKb);
  assert.deepEqual(Object.keys(properties[`${CONFIGURATION_SECTION}.rules`]!.properties ?? {}).sort(), [...RULE_IDS].sort());
});

test('every contributed command is registered by the client, and menus only name contributed commands', () => {
  const source = ['extension.ts', 'checklist/provider.ts'].map((f) => fs.readFileSync(path.join(ROOT, 'client/src', f), 'utf8')).join('\n');
  const commands: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  for (const command of commands) {
    const registered = source.includes(`registerCommand('${command}'`) || (command === 'serverActionGuard.revealRange' && source.includes("REVEAL_RANGE_COMMAND = 'serverActionGuard.revealRange'"));
    assert.ok(registered, `${command} is registered`);
  }
  for (const entries of Object.values(manifest.contributes.menus) as { command: string }[][]) {
    for (const entry of entries) assert.ok(commands.includes(entry.command), `${entry.command} is contributed`);
  }
});

test('activation, untrusted workspaces and the engine range', () => {
  for (const language of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact']) {
    assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`));
  }
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  assert.match(manifest.capabilities.untrustedWorkspaces.description, /never runs/);
  assert.equal(manifest.engines.vscode, '^1.91.0');
});

test('.vscodeignore is an allow-list that ships the bundles and no sourcemaps', () => {
  const lines = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const kept of ['!package.json', '!dist/extension.js', '!dist/server.js', '!dist/cli.js', '!syntaxes/**', '!README.md', '!LICENSE']) {
    assert.ok(lines.includes(kept), kept);
  }
  assert.ok(lines.includes('**/*.map'));
});

test('the npm package carries the CLI, the ESLint plugin, the server and the rule docs, and no sources or tests', () => {
  // `files` in package.json decides; without it npm would fall back to .gitignore, which leaves out dist/.
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const files: string[] = JSON.parse(run.stdout)[0].files.map((f: { path: string }) => f.path);
  for (const entry of [manifest.bin['server-action-guard'], manifest.exports['./eslint'], manifest.main, 'dist/server.js', 'dist/audit-worker.js']) {
    assert.ok(files.includes(entry.replace(/^\.\//, '')), `${entry} is in the package`);
  }
  for (const id of RULE_IDS) assert.ok(files.includes(`docs/rules/${id}.md`), `docs/rules/${id}.md is in the package`);
  assert.deepEqual(files.filter((f) => /^(server|client|shared|test|bench|eval|scripts)\//.test(f) || f.endsWith('.map') || f.endsWith('.vsix')), []);
});
