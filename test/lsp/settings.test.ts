import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LspSession, codes } from './harness';

const TEAM = 'app/team/actions.ts';
const NOTES = 'app/notes/actions.ts';
const hasRequireAuth = (d: { code?: unknown }[]) => d.some((x) => x.code === 'require-auth');

describe('settings pulled with workspace/configuration', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp.stop();
  });

  test('settings are requested per document with the serverActionGuard section', async () => {
    await lsp.open(TEAM);
    await lsp.waitForDiagnostics(TEAM, () => true, 1);
    assert.ok(lsp.configurationRequests >= 1);
  });

  test('a custom auth helper name (authFunctions) changes the result after didChangeConfiguration', async () => {
    const before = await lsp.waitForDiagnostics(TEAM, () => true, 1);
    assert.ok(hasRequireAuth(before), `checkpoint() is unknown by default: ${codes(before).join(', ')}`);
    const requests = lsp.configurationRequests;
    await lsp.setSettings({ authFunctions: ['checkpoint'] });
    const after = await lsp.waitForDiagnostics(TEAM, (d) => !hasRequireAuth(d));
    assert.ok(lsp.configurationRequests > requests, 'the cache was dropped and settings pulled again');
    assert.ok(!hasRequireAuth(after));
  });

  test('rule severities: "off" removes a rule, a severity overrides the default', async () => {
    await lsp.open(NOTES);
    await lsp.waitForDiagnostics(NOTES, hasRequireAuth, 1);
    await lsp.setSettings({ rules: { 'require-auth': 'off', 'validate-input': 'info' } });
    const after = await lsp.waitForDiagnostics(NOTES, (d) => !hasRequireAuth(d));
    const validate = after.find((d) => d.code === 'validate-input');
    assert.ok(validate, `validate-input kept: ${codes(after).join(', ')}`);
    assert.equal(validate.severity, 3, 'info maps to DiagnosticSeverity.Information');
  });

  test('enable: false clears every diagnostic and the checklist; enabling brings them back', async () => {
    await lsp.setSettings({ enable: false });
    await lsp.waitForDiagnostics(NOTES, (d) => d.length === 0);
    await lsp.waitFor('the empty checklist', () => lsp.checklists.get(lsp.path(NOTES))?.actions.length === 0);
    await lsp.setSettings({});
    await lsp.waitForDiagnostics(NOTES, hasRequireAuth);
  });

  test('settings of the wrong type are reported in the log and the rest still applies', async () => {
    await lsp.setSettings({ authFunctions: 'checkpoint', maxFileSizeKb: 'big', rules: { 'no-such-rule': 'error' } });
    await lsp.waitFor('a warning naming authFunctions', () => lsp.logs.find((l) => l.type === 2 && /"authFunctions" must be/.test(l.message)));
    await lsp.waitFor('a warning naming the unknown rule', () => lsp.logs.find((l) => /no-such-rule/.test(l.message)));
    await lsp.waitForDiagnostics(NOTES, hasRequireAuth);
  });

  test('trace.server in the same section is not mistaken for an analysis setting', async () => {
    const logged = lsp.logs.length;
    await lsp.setSettings({ trace: { server: 'verbose' } });
    await lsp.waitForDiagnostics(NOTES, hasRequireAuth);
    await lsp.waitForDiagnostics(TEAM, hasRequireAuth);
    assert.ok(!lsp.logs.slice(logged).some((l) => /unknown setting "trace"/.test(l.message)));
  });
});

describe("the project's config file (shared with the CLI) under the editor settings", () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start({ files: { 'server-action-guard.config.json': JSON.stringify({ authFunctions: ['checkpoint'] }) } });
  });
  after(async () => {
    await lsp.stop();
  });

  test('settings from server-action-guard.config.json apply, and a change to the file refreshes', async () => {
    await lsp.open(TEAM);
    const first = await lsp.waitForDiagnostics(TEAM, () => true, 1);
    assert.ok(!hasRequireAuth(first), `checkpoint() is an auth helper per the config file: ${codes(first).join(', ')}`);
    await lsp.writeAndNotify('server-action-guard.config.json', JSON.stringify({ authFunctions: [] }), 2);
    await lsp.waitForDiagnostics(TEAM, hasRequireAuth);
  });

  test('editor settings refine the config file', async () => {
    await lsp.setSettings({ authFunctions: ['checkpoint'] });
    await lsp.waitForDiagnostics(TEAM, (d) => !hasRequireAuth(d));
  });
});

describe('settings sent with initialize', () => {
  test('serve the first analyses without a workspace/configuration round trip, until the configuration changes', async () => {
    // What the client would answer if asked differs from what it sent: the answer shows which one was used.
    const lsp = await LspSession.start({ initialSettings: { rules: { 'require-auth': 'off' } }, settings: {} });
    try {
      const first = await lsp.open(NOTES).then(() => lsp.waitForDiagnostics(NOTES, (d) => d.length > 0, 1));
      assert.ok(!hasRequireAuth(first), `the settings sent with initialize apply: ${codes(first).join(', ')}`);
      assert.equal(lsp.configurationRequests, 0, 'no round trip before the first analysis');
      await lsp.setSettings({});
      await lsp.waitForDiagnostics(NOTES, hasRequireAuth);
      assert.ok(lsp.configurationRequests >= 1, 'after a change the server asks');
    } finally {
      await lsp.stop();
    }
  });
});
