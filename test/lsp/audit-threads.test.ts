/**
 * The workspace audit on worker threads (`SERVER_ACTION_GUARD_THREADS`): the same result, diagnostics and
 * checklists as the audit on the server's own thread, side by side on the fixture app with an open, edited buffer
 * and generated action files; and cancellation stops it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { AuditWorkspaceResult } from '../../shared/protocol';
import { LspSession } from './harness';

const TEAM = 'app/team/actions.ts';

function generatedActions(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`app/generated/g${i}/actions.ts`] = `'use server';

import { db } from '@/lib/db';
import { auth } from '@/lib/auth';

export async function updateItem${i}(formData: FormData) {
  ${i % 2 === 0 ? "const session = await auth();\n  if (!session) throw new Error('unauthorized');\n  " : ''}await db.item.update({ where: { id: String(formData.get('id')) }, data: { name: String(formData.get('name')) } });
}
`;
  }
  return files;
}

/** What an audit leaves in the editor, with the workspace's own (temporary) path taken out so that two sessions compare. */
function editorState(lsp: LspSession, result: AuditWorkspaceResult): { result: AuditWorkspaceResult; diagnostics: unknown } {
  const diagnostics = [...lsp.diagnostics.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, params]) => [file, params.diagnostics]);
  const text = JSON.stringify({ result: { ...result, durationMs: 0 }, diagnostics });
  return JSON.parse(text.split(lsp.workspace).join('<workspace>'));
}

/** Until the server has published nothing for half a second: re-checks after the audit have landed. */
async function quiet(lsp: LspSession): Promise<void> {
  for (let seen = -1; seen !== lsp.publishes.length; ) {
    seen = lsp.publishes.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('workspace audit on worker threads', () => {
  const files = generatedActions(40);
  let single: LspSession;
  let threaded: LspSession;
  before(async () => {
    [single, threaded] = await Promise.all([
      LspSession.start({ files, env: { SERVER_ACTION_GUARD_THREADS: '1' } }),
      LspSession.start({ files, env: { SERVER_ACTION_GUARD_THREADS: '2' } }),
    ]);
  });
  after(async () => {
    await Promise.all([single.stop(), threaded.stop()]);
  });

  test('reports what the single-threaded audit reports, open buffers included', async () => {
    const states = [];
    for (const lsp of [single, threaded]) {
      // An unsaved edit: the audit must see the buffer, not the disk, on every thread.
      await lsp.open(TEAM);
      await lsp.change(TEAM, `${lsp.readDisk(TEAM)}\nexport async function extra(id: string) {\n  await db.member.delete({ where: { id } });\n}\n`);
      const result = (await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {})) as AuditWorkspaceResult;
      assert.equal(result.cancelled, false);
      assert.equal(result.files, 48);
      await lsp.waitFor('diagnostics of every generated file', () => Object.keys(files).every((file) => lsp.diagnostics.has(lsp.path(file))));
      await quiet(lsp);
      states.push(editorState(lsp, result));
    }
    assert.ok(states[0]!.result.findings > 40, `findings: ${states[0]!.result.findings}`);
    assert.deepEqual(states[1], states[0]);
  });
});

describe('workspace audit on worker threads, cancelled', () => {
  const files = generatedActions(400);
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start({ files, env: { SERVER_ACTION_GUARD_THREADS: '2' } });
  });
  after(async () => {
    await lsp.stop();
  });

  test('cancelling the request stops the workers and the next audit completes', async () => {
    const progress = lsp.trackProgress('audit-threads-cancel');
    const source = new CancellationTokenSource();
    const pending = lsp.connection.sendRequest('serverActionGuard/auditWorkspace', { workDoneToken: 'audit-threads-cancel' }, source.token) as Promise<AuditWorkspaceResult>;
    await lsp.waitFor('a progress report past the first batch', () =>
      progress.find((p) => p.kind === 'report' && /^[1-9]\d*\/408 files$/.test((p as { message?: string }).message ?? '')),
    );
    source.cancel();
    const result = await pending;
    assert.equal(result.cancelled, true);
    assert.ok(result.files > 0 && result.files < 408, `stopped after ${result.files} of 408 files`);
    const again = (await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {})) as AuditWorkspaceResult;
    assert.equal(again.cancelled, false);
    assert.equal(again.files, 408);
  });
});
