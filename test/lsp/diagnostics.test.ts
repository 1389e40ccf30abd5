import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession, codes } from './harness';

const ACTIONS = 'app/notes/actions.ts';
const INSECURE = `'use server';

import { db } from '@/lib/db';

export async function createNote(formData: FormData) {
  const title = formData.get('title');
  await db.note.create({
    data: { title: String(title), ownerId: String(formData.get('ownerId')) },
  });
}
`;

describe('diagnostics and quick fixes over stdio', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start({
      files: { 'app/drafts/actions.ts': INSECURE, 'app/archive/actions.ts': INSECURE },
    });
  });
  after(async () => {
    const frames = lsp.stdoutFrames();
    await lsp.stop();
    assert.equal(frames.problem, undefined, `stdout must hold only JSON-RPC frames: ${frames.problem}`);
  });

  test('initialize advertises incremental sync, code actions with fix-all, and workspace folders', () => {
    const { capabilities, serverInfo } = lsp.initializeResult;
    assert.equal(serverInfo?.name, 'server-action-guard');
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.server-action-guard'] });
    assert.equal(capabilities.workspace?.workspaceFolders?.supported, true);
  });

  test('the server registers file watchers for sources and project configs', async () => {
    const registration = await lsp.waitFor('a didChangeWatchedFiles registration', () =>
      lsp.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
    );
    const globs = (registration.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
    assert.ok(globs.some((g) => g.includes('tsx')), globs.join(', '));
    assert.ok(globs.includes('**/tsconfig.json'), globs.join(', '));
  });

  test('client FormData ownerId written to the DB without auth: require-auth and server-identity, precise ranges', async () => {
    await lsp.open(ACTIONS);
    const diagnostics = await lsp.waitForDiagnostics(ACTIONS, (d) => d.length > 0, 1);
    const found = codes(diagnostics);
    for (const expected of ['require-auth', 'server-identity', 'validate-input', 'revalidate-after-write']) {
      assert.ok(found.includes(expected), `expected ${expected} in ${found.join(', ')}`);
    }
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'server-action-guard');
      assert.equal(typeof diagnostic.code, 'string');
      assert.match(diagnostic.codeDescription?.href ?? '', new RegExp(`/${String(diagnostic.code)}\\.md$`));
      assert.ok([1, 2, 3].includes(diagnostic.severity ?? 0), `severity ${diagnostic.severity}`);
      assert.ok(Array.isArray((diagnostic.data as { fixes?: unknown[] })?.fixes), 'fixes travel in data');
      // Precise: the offending expression, never the whole action (lines 5–10 of the file).
      assert.ok(
        !(diagnostic.range.start.line <= 4 && diagnostic.range.end.line >= 9),
        `${String(diagnostic.code)} spans the whole function: ${JSON.stringify(diagnostic.range)}`,
      );
    }
    const identity = diagnostics.find((d) => d.code === 'server-identity')!;
    const identityText = lsp.rangeText(ACTIONS, identity.range);
    assert.match(identityText, /ownerId/, `server-identity range covers "${identityText}"`);
    assert.ok(identityText.length <= 60, `server-identity range is precise, got "${identityText}"`);
  });

  test('the checklist request lists the action with its eight checks', async () => {
    const checklist = (await lsp.connection.sendRequest('serverActionGuard/checklist', { uri: lsp.uri(ACTIONS) })) as {
      uri: string;
      actions: { name: string; kind: string; checks: { ruleId: string; status: string; reason?: string }[] }[];
    };
    assert.equal(checklist.uri, lsp.uri(ACTIONS));
    assert.deepEqual(
      checklist.actions.map((a) => [a.name, a.kind]),
      [['createNote', 'file-directive']],
    );
    const checks = Object.fromEntries(checklist.actions[0]!.checks.map((c) => [c.ruleId, c.status]));
    assert.deepEqual(Object.keys(checks), [
      'validate-input',
      'require-auth',
      'server-identity',
      'server-only',
      'safe-errors',
      'revalidate-after-write',
      'abuse-protection',
      'narrow-contract',
    ]);
    assert.equal(checks['require-auth'], 'fail');
    assert.equal(checks['server-identity'], 'fail');
    assert.equal(checks['validate-input'], 'fail');
    const failedWithRange = checklist.actions[0]!.checks.filter((c) => c.status === 'fail');
    assert.ok(failedWithRange.every((c) => c.reason), 'every failed check has a short reason');
    // The same checklist was pushed to the panel after the analysis.
    await lsp.waitFor('a checklistChanged notification', () => lsp.checklists.get(lsp.path(ACTIONS))?.actions.length === 1);
    const status = await lsp.waitFor('a status with one failing action', () =>
      lsp.statuses.find((s) => s.actions >= 1 && s.failingActions >= 1),
    );
    assert.ok(status.failingActions <= status.actions);
  });

  test('"Wrap FormData reads in a zod schema" applies and validate-input clears', async () => {
    const diagnostics = lsp.diagnostics.get(lsp.path(ACTIONS))!.diagnostics;
    const validate = diagnostics.find((d) => d.code === 'validate-input');
    assert.ok(validate, `validate-input diagnostic: ${codes(diagnostics).join(', ')}`);
    const actions = await lsp.codeActions(ACTIONS, validate.range, [validate]);
    const zod = actions.find((a) => /^Wrap FormData reads in a zod schema/.test(a.title));
    assert.ok(zod, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(zod.kind, 'quickfix');
    assert.ok(zod.edit?.changes?.[lsp.uri(ACTIONS)]?.length, 'the fix edits the action file');
    await lsp.applyEdit(zod.edit!);
    const after = await lsp.waitForDiagnostics(ACTIONS, () => true, lsp.version(ACTIONS));
    assert.ok(!codes(after).includes('validate-input'), `validate-input still reported: ${codes(after).join(', ')}`);
    assert.match(lsp.text(ACTIONS), /z\.object\(/);
    assert.match(lsp.text(ACTIONS), /safeParse/);
    assert.match(lsp.text(ACTIONS), /from ['"]zod['"]/);
  });

  test('"Replace client ownerId with the session" applies and server-identity clears', async () => {
    const diagnostics = lsp.diagnostics.get(lsp.path(ACTIONS))!.diagnostics;
    const identity = diagnostics.find((d) => d.code === 'server-identity');
    assert.ok(identity, `server-identity diagnostic: ${codes(diagnostics).join(', ')}`);
    const actions = await lsp.codeActions(ACTIONS, identity.range, [identity]);
    const replace = actions.find((a) => /^Replace client ownerId with the session/.test(a.title));
    assert.ok(replace, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    await lsp.applyEdit(replace.edit!);
    const after = await lsp.waitForDiagnostics(ACTIONS, () => true, lsp.version(ACTIONS));
    assert.ok(!codes(after).includes('server-identity'), `server-identity still reported: ${codes(after).join(', ')}`);
    assert.doesNotMatch(lsp.text(ACTIONS), /formData\.get\(['"]ownerId['"]\)/);
  });

  test('"Disable <rule> for this line" inserts an indented suppression comment that silences the rule', async () => {
    const file = 'app/drafts/actions.ts';
    await lsp.open(file);
    const diagnostics = await lsp.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'require-auth'), 1);
    const target = diagnostics.find((d) => d.code === 'require-auth')!;
    const actions = await lsp.codeActions(file, target.range, [target], ['quickfix']);
    const disable = actions.find((a) => a.title === 'Disable require-auth for this line');
    assert.ok(disable, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    const line = lsp.text(file).split('\n')[target.range.start.line]!;
    const indent = /^\s*/.exec(line)![0];
    await lsp.applyEdit(disable.edit!);
    const inserted = lsp.text(file).split('\n')[target.range.start.line]!;
    assert.match(inserted, new RegExp(`^${indent}// server-action-guard-disable-next-line require-auth -- \\S`));
    const after = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    assert.ok(
      !after.some((d) => d.code === 'require-auth' && d.range.start.line === target.range.start.line + 1),
      `require-auth still reported on the suppressed line: ${JSON.stringify(after.map((d) => [d.code, d.range.start.line]))}`,
    );
  });

  test('fix-all applies only safe fixes, without overlaps, and is idempotent', async () => {
    const file = 'app/archive/actions.ts';
    await lsp.open(file);
    const diagnostics = await lsp.waitForDiagnostics(file, (d) => d.length > 0, 1);
    const uri = lsp.uri(file);
    const fixesOf = (d: Diagnostic) => (d.data as { fixes: { title: string; safe: boolean; changes: Record<string, unknown[]> }[] }).fixes;
    const safeLocal = diagnostics.flatMap(fixesOf).filter((f) => f.safe && Object.keys(f.changes).every((u) => u === uri));
    const unsafeOnly = diagnostics.filter((d) => fixesOf(d).length > 0 && fixesOf(d).every((f) => !f.safe));
    const everything = { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } };
    const actions = await lsp.codeActions(file, everything, diagnostics, ['source.fixAll.server-action-guard']);
    assert.ok(actions.every((a) => a.kind === 'source.fixAll.server-action-guard'), 'only the fix-all kind was asked for');
    if (safeLocal.length === 0) {
      assert.equal(actions.length, 0, 'no safe fix, no fix-all action');
      return;
    }
    assert.equal(actions.length, 1);
    const fixAll = actions[0] as CodeAction;
    assert.deepEqual(Object.keys(fixAll.edit?.changes ?? {}), [uri], 'fix-all only edits the document itself');
    const before = lsp.text(file);
    await lsp.applyEdit(fixAll.edit!);
    assert.notEqual(lsp.text(file), before);
    const after = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    for (const diagnostic of unsafeOnly) {
      assert.ok(after.some((d) => d.code === diagnostic.code), `${String(diagnostic.code)} has only unsafe fixes and must remain`);
    }
    const again = await lsp.codeActions(file, everything, after, ['source.fixAll']);
    const textBefore = lsp.text(file);
    for (const action of again) await lsp.applyEdit(action.edit!);
    assert.equal(lsp.text(file), textBefore, 'a second fix-all changes nothing');
  });

  test('diagnostics clear when the file stops declaring server actions, and when it closes', async () => {
    const file = 'app/drafts/actions.ts';
    const version = await lsp.change(file, lsp.text(file).replace(`'use server';`, '// no longer server code'));
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, version);
    await lsp.waitFor('an empty checklist', () => lsp.checklists.get(lsp.path(file))?.actions.length === 0);
    await lsp.change(file, INSECURE);
    await lsp.waitForDiagnostics(file, (d) => d.length > 0);
    await lsp.close(file);
    await lsp.waitFor('diagnostics cleared on close', () => lsp.diagnostics.get(lsp.path(file))?.diagnostics.length === 0);
  });
});
