/**
 * The `exclude` setting in the editor means what it means for the CLI: route folders like `(marketing)` are literal
 * names, not glob groups, and a glob naming a folder skips the files in it. Open files and the workspace audit agree.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIX_ALL_KIND, type AuditWorkspaceResult } from '../../shared/protocol';
import { FIXTURE_APP, LspSession, codes, toPath } from './harness';

const UNGUARDED = fs.readFileSync(path.join(FIXTURE_APP, 'app', 'notes', 'actions.ts'), 'utf8');
const GROUPED = 'app/(marketing)/actions.ts';
const PLAIN = 'app/marketing/actions.ts';
const IN_EXCLUDED_FOLDER = 'app/team/actions.ts';
const START = { line: 0, character: 0 };

describe('exclude globs in the language server', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start({
      settings: { exclude: ['app/(marketing)/**', 'app/team'] },
      files: { [GROUPED]: UNGUARDED, [PLAIN]: UNGUARDED },
    });
  });
  after(async () => {
    await lsp.stop();
  });

  /** Published diagnostics of an open file once its analysis has run (a fix-all request waits for it). */
  async function settledDiagnostics(relative: string): Promise<string[]> {
    await lsp.codeActions(relative, { start: START, end: START }, [], [FIX_ALL_KIND]);
    return codes(lsp.diagnostics.get(lsp.path(relative))?.diagnostics ?? []);
  }

  test('app/(marketing)/** skips the route group folder, not a folder named marketing', async () => {
    await lsp.open(GROUPED);
    await lsp.open(PLAIN);
    const plain = await lsp.waitForDiagnostics(PLAIN, (d) => d.length > 0, 1);
    assert.ok(codes(plain).includes('require-auth'), codes(plain).join(', '));
    assert.deepEqual(await settledDiagnostics(GROUPED), []);
  });

  test('a glob naming a folder skips the files in it', async () => {
    await lsp.open(IN_EXCLUDED_FOLDER);
    assert.deepEqual(await settledDiagnostics(IN_EXCLUDED_FOLDER), []);
  });

  test('the workspace audit skips the same files', async () => {
    const result = (await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {})) as AuditWorkspaceResult;
    const audited = result.checklists.map((checklist) =>
      path.relative(lsp.workspace, toPath(checklist.uri)).split(path.sep).join('/'),
    );
    assert.ok(audited.includes(PLAIN), audited.join(', '));
    assert.ok(!audited.includes(GROUPED), audited.join(', '));
    assert.ok(!audited.includes(IN_EXCLUDED_FOLDER), audited.join(', '));
  });
});
