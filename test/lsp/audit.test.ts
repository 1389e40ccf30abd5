import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { AuditWorkspaceResult } from '../../shared/protocol';
import { LspSession, codes, toPath } from './harness';

const NOTES = 'app/notes/actions.ts';
const TEAM = 'app/team/actions.ts';

function generatedActions(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`app/generated/g${i}/actions.ts`] = `'use server';

import { db } from '@/lib/db';

export async function updateItem${i}(formData: FormData) {
  await db.item.update({ where: { id: String(formData.get('id')) }, data: { name: String(formData.get('name')) } });
}
`;
  }
  return files;
}

describe('workspace audit', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp.stop();
  });

  test('audits every file with work-done progress and publishes diagnostics for files that are not open', async () => {
    const progress = lsp.trackProgress('audit-1');
    const result = (await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {
      workDoneToken: 'audit-1',
    })) as AuditWorkspaceResult;
    assert.equal(result.cancelled, false);
    assert.equal(result.files, 8, 'the eight source files of the fixture (package.json and tsconfig are not sources)');
    assert.ok(result.actions >= 3, `actions: ${result.actions}`);
    assert.ok(result.failing >= 1 && result.failing <= result.actions);
    assert.ok(result.findings >= 2);
    const checklistFiles = result.checklists.map((c) => toPath(c.uri));
    assert.ok(checklistFiles.includes(lsp.path(NOTES)), checklistFiles.join(', '));
    assert.ok(checklistFiles.includes(lsp.path(TEAM)), checklistFiles.join(', '));

    await lsp.waitFor('the progress end', () => progress.find((p) => p.kind === 'end'));
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal((progress[0] as { cancellable?: boolean }).cancellable, true);
    const reports = progress.filter((p) => p.kind === 'report') as { message?: string; percentage?: number }[];
    assert.ok(reports.some((r) => r.message === '8/8 files' && r.percentage === 100), JSON.stringify(reports));
    assert.ok(reports.every((r) => /^\d+\/8 files$/.test(r.message ?? '')), JSON.stringify(reports));

    // NOTES was never opened, its diagnostics came from the audit.
    const notes = await lsp.waitForDiagnostics(NOTES, (d) => d.length > 0);
    assert.ok(codes(notes).includes('require-auth'), codes(notes).join(', '));
    assert.ok(codes(notes).includes('server-identity'), codes(notes).join(', '));
    await lsp.waitFor('the notes checklist', () => lsp.checklists.get(lsp.path(NOTES))?.actions.length === 1);
    await lsp.waitFor('a status naming the failing actions', () =>
      lsp.statuses.find((s) => s.actions === result.actions && s.failingActions === result.failing),
    );
  });

  test('a file created on disk after the audit is analysed; a deleted one is cleared', async () => {
    const created = 'app/extra/actions.ts';
    await lsp.writeAndNotify(created, lsp.readDisk(NOTES), 1);
    await lsp.waitForDiagnostics(created, (d) => d.some((x) => x.code === 'require-auth'));
    await lsp.writeAndNotify(created, undefined, 3);
    await lsp.waitForDiagnostics(created, (d) => d.length === 0);
  });

  test('closing an audited file keeps its audit results (re-read from disk)', async () => {
    await lsp.open(NOTES);
    await lsp.waitForDiagnostics(NOTES, (d) => d.length > 0, 1);
    const before = lsp.publishes.length;
    await lsp.close(NOTES);
    const notesPublishes = () => lsp.publishes.slice(before).filter((p) => toPath(p.uri) === lsp.path(NOTES));
    const republished = await lsp.waitFor('a republish from disk after close', () => notesPublishes()[0]);
    assert.ok(codes(republished.diagnostics).includes('require-auth'));
    assert.equal(republished.version, undefined, 'no document version once closed');
    assert.ok(notesPublishes().every((p) => p.diagnostics.length > 0), 'never cleared in between');
  });

  test('exports the audit as Markdown, SARIF and JSON', async () => {
    const markdown = (await lsp.connection.sendRequest('serverActionGuard/exportReport', { format: 'markdown' })) as { content: string };
    assert.match(markdown.content, /^# Server Action Guard audit report/);
    assert.match(markdown.content, /createNote/);
    const sarif = JSON.parse(
      ((await lsp.connection.sendRequest('serverActionGuard/exportReport', { format: 'sarif' })) as { content: string }).content,
    ) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'require-auth'));
    const json = JSON.parse(
      ((await lsp.connection.sendRequest('serverActionGuard/exportReport', { format: 'json' })) as { content: string }).content,
    ) as { root: string; actions: { file: string; name: string }[]; summary: { files: number } };
    assert.equal(json.root, lsp.workspace);
    assert.ok(json.actions.some((a) => a.file === NOTES && a.name === 'createNote'), JSON.stringify(json.actions));
    assert.equal(json.summary.files, 8);
  });
});

describe('workspace audit cancellation', () => {
  let lsp: LspSession;
  const generated = generatedActions(400);
  before(async () => {
    lsp = await LspSession.start({ files: generated });
  });
  after(async () => {
    await lsp.stop();
  });

  test('cancelling the request stops the audit between files and reports how far it got', async () => {
    const progress = lsp.trackProgress('audit-cancel');
    const source = new CancellationTokenSource();
    const pending = lsp.connection.sendRequest(
      'serverActionGuard/auditWorkspace',
      { workDoneToken: 'audit-cancel' },
      source.token,
    ) as Promise<AuditWorkspaceResult>;
    await lsp.waitFor('a progress report past the first file', () =>
      progress.find((p) => p.kind === 'report' && /^[1-9]\d*\/408 files$/.test((p as { message?: string }).message ?? '')),
    );
    source.cancel();
    const result = await pending;
    assert.equal(result.cancelled, true);
    assert.ok(result.files > 0 && result.files < 408, `stopped after ${result.files} of 408 files`);
    await lsp.waitFor('the progress end', () => progress.find((p) => p.kind === 'end'));
    // The server is still responsive and a new audit completes.
    const again = (await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {})) as AuditWorkspaceResult;
    assert.equal(again.cancelled, false);
    assert.equal(again.files, 408);
  });
});
