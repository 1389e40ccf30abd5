import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LspSession, codes } from './harness';

const SECURE = 'app/notes/secure-actions.ts';
const HELPER = 'lib/auth.ts';
const GUARD_LINE = "  if (!session?.user?.id) redirect('/login');\n";

const hasRequireAuth = (d: { code?: unknown }[]) => d.some((x) => x.code === 'require-auth');

describe('cross-file facts follow the imported auth helper', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp.stop();
  });

  test('an action guarded by requireUser() from @/lib/auth (tsconfig paths) passes require-auth', async () => {
    await lsp.open(SECURE);
    const diagnostics = await lsp.waitForDiagnostics(SECURE, () => true, 1);
    assert.ok(!hasRequireAuth(diagnostics), `unexpected: ${codes(diagnostics).join(', ')}`);
    const checklist = await lsp.waitFor('the checklist', () => lsp.checklists.get(lsp.path(SECURE)));
    assert.equal(checklist.actions[0]?.checks.find((c) => c.ruleId === 'require-auth')?.status, 'pass');
  });

  test('editing the open helper buffer so it no longer exits re-checks the dependent action', async () => {
    await lsp.open(HELPER);
    const original = lsp.text(HELPER);
    assert.ok(original.includes(GUARD_LINE));
    const published = lsp.publishes.length;
    await lsp.change(HELPER, original.replace(GUARD_LINE, ''));
    const diagnostics = await lsp.waitForDiagnostics(SECURE, hasRequireAuth);
    assert.ok(lsp.publishes.length > published);
    const requireAuth = diagnostics.find((d) => d.code === 'require-auth')!;
    assert.ok(requireAuth.range.start.line >= 12, 'reported inside the action');

    await lsp.change(HELPER, original);
    await lsp.waitForDiagnostics(SECURE, (d) => !hasRequireAuth(d));
    await lsp.close(HELPER);
  });

  test('a helper changed on disk (didChangeWatchedFiles) re-checks the open dependent action', async () => {
    const original = lsp.readDisk(HELPER);
    await lsp.writeAndNotify(HELPER, original.replace(GUARD_LINE, ''), 2);
    await lsp.waitForDiagnostics(SECURE, hasRequireAuth);
    await lsp.writeAndNotify(HELPER, original, 2);
    await lsp.waitForDiagnostics(SECURE, (d) => !hasRequireAuth(d));
  });

  test('saving the helper from the editor re-checks dependents too', async () => {
    await lsp.open(HELPER);
    const original = lsp.text(HELPER);
    // The buffer change alone already re-checks; the save must keep the result consistent with the disk.
    await lsp.change(HELPER, original.replace(GUARD_LINE, ''));
    await lsp.save(HELPER);
    await lsp.waitForDiagnostics(SECURE, hasRequireAuth);
    await lsp.change(HELPER, original);
    await lsp.save(HELPER);
    await lsp.waitForDiagnostics(SECURE, (d) => !hasRequireAuth(d));
    await lsp.close(HELPER);
  });

  test('a deleted helper makes the dependent unverifiable, restoring it fixes it', async () => {
    const original = lsp.readDisk(HELPER);
    await lsp.writeAndNotify(HELPER, undefined, 3);
    await lsp.waitForDiagnostics(SECURE, hasRequireAuth);
    await lsp.writeAndNotify(HELPER, original, 1);
    await lsp.waitForDiagnostics(SECURE, (d) => !hasRequireAuth(d));
  });
});
