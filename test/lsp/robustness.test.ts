import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession } from './harness';

const ACTIONS = 'app/notes/actions.ts';

function clientDiagnostic(line: number, data: unknown, code = 'require-auth'): Diagnostic {
  return {
    range: { start: { line, character: 2 }, end: { line, character: 10 } },
    message: 'test',
    source: 'server-action-guard',
    code,
    data,
  };
}

describe('language server plumbing and bad input', () => {
  let lsp: LspSession;
  before(async () => {
    // A debounce well above scheduling hiccups on a loaded machine, so the burst test measures supersession only.
    lsp = await LspSession.start({
      debounceMs: 150,
      files: {
        'app/forms/hidden.tsx': `'use client';

export function Hidden({ action }: { action: (data: FormData) => Promise<void> }) {
  return (
    <form action={action}>
      <input type="hidden" name="ownerId" value="1" />
    </form>
  );
}
`,
        'app/suppressed.ts': `'use server';

export async function go(formData: FormData) {
  // server-action-guard-disable-next-line validate-input -- reviewed
  await fetch('https://example.invalid', { method: 'POST', body: formData });
}
`,
        'lib/garbage.ts': '\u0000\u0001\u0002\uFFFD binary \u0000 {{{{ ((( \'use server\' export async function',
      },
    });
  });
  after(async () => {
    const frames = lsp.stdoutFrames();
    const code = await lsp.stop();
    assert.equal(frames.problem, undefined, `stdout must hold only JSON-RPC frames: ${frames.problem}`);
    assert.ok(frames.frames > 10);
    assert.equal(code, 0, 'clean exit after shutdown/exit');
  });

  test('fixes carried in diagnostic data become quick fixes without re-analysis, safe ones preferred', async () => {
    await lsp.open(ACTIONS);
    await lsp.waitForDiagnostics(ACTIONS, () => true, 1);
    const uri = lsp.uri(ACTIONS);
    const edit = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '// x\n' };
    const diagnostic = clientDiagnostic(6, {
      ruleId: 'require-auth',
      version: 1,
      fixes: [
        { title: 'Unsafe fix', safe: false, changes: { [uri]: [edit] } },
        { title: 'Safe fix', safe: true, changes: { [uri]: [edit], 'file:///elsewhere/helper.ts': [edit] } },
      ],
    });
    const actions = await lsp.codeActions(ACTIONS, diagnostic.range, [diagnostic]);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Unsafe fix', 'quickfix', false],
        ['Safe fix', 'quickfix', true],
        ['Disable require-auth for this line', 'quickfix', false],
        ['Disable require-auth for this file', 'quickfix', false],
        ['Show documentation for require-auth', 'quickfix', false],
      ],
    );
    assert.deepEqual(Object.keys(actions[1]!.edit!.changes!), [uri, 'file:///elsewhere/helper.ts'], 'edits may target other files');
  });

  test('fixes computed on an older version of the document are not offered', async () => {
    const uri = lsp.uri(ACTIONS);
    const edit = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '// x\n' };
    const stale = clientDiagnostic(6, { ruleId: 'require-auth', version: 0, fixes: [{ title: 'Stale', safe: true, changes: { [uri]: [edit] } }] });
    const actions = await lsp.codeActions(ACTIONS, stale.range, [stale]);
    assert.deepEqual(actions.map((a) => a.title), [
      'Disable require-auth for this line',
      'Disable require-auth for this file',
      'Show documentation for require-auth',
    ]);
  });

  test('malformed data and foreign diagnostics never break the request', async () => {
    const foreign = { ...clientDiagnostic(6, undefined), source: 'eslint' };
    const garbage = clientDiagnostic(6, 'garbage');
    const actions = await lsp.codeActions(ACTIONS, garbage.range, [foreign, garbage, clientDiagnostic(6, { ruleId: 1, fixes: 'x' })]);
    assert.deepEqual(actions.map((a) => a.title), [
      'Disable require-auth for this line',
      'Disable require-auth for this file',
      'Show documentation for require-auth',
    ]);
  });

  test('the disable comment takes the indentation of the line', async () => {
    const [action] = await lsp.codeActions(ACTIONS, clientDiagnostic(6, undefined).range, [clientDiagnostic(6, undefined)], ['quickfix']);
    const edits = action!.edit!.changes![lsp.uri(ACTIONS)]!;
    assert.deepEqual(edits, [
      {
        range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } },
        newText: '  // server-action-guard-disable-next-line require-auth -- TODO: say why this is safe\n',
      },
    ]);
  });

  test('an existing disable-next-line comment gets the rule added instead of a second comment', async () => {
    const file = 'app/suppressed.ts';
    await lsp.open(file);
    const diagnostic = clientDiagnostic(4, undefined, 'require-auth');
    const [action] = await lsp.codeActions(file, diagnostic.range, [diagnostic], ['quickfix']);
    assert.equal(action?.title, 'Disable require-auth for this line');
    const edits = action!.edit!.changes![lsp.uri(file)]!;
    assert.deepEqual(edits, [
      { range: { start: { line: 3, character: 57 }, end: { line: 3, character: 57 } }, newText: ', require-auth' },
    ]);
    const already = clientDiagnostic(4, undefined, 'validate-input');
    assert.deepEqual(
      (await lsp.codeActions(file, already.range, [already], ['quickfix'])).map((a) => a.title),
      ['Disable validate-input for this file', 'Show documentation for validate-input'],
      'no second line comment',
    );
  });

  test('between JSX children the disable comment is a JSX comment', async () => {
    const file = 'app/forms/hidden.tsx';
    await lsp.open(file);
    const diagnostic = clientDiagnostic(5, undefined, 'narrow-contract');
    const [action] = await lsp.codeActions(file, diagnostic.range, [diagnostic], ['quickfix']);
    assert.equal(
      action!.edit!.changes![lsp.uri(file)]![0]!.newText,
      '      {/* server-action-guard-disable-next-line narrow-contract -- TODO: say why this is safe */}\n',
    );
  });

  test('rule docs URL through workspace/executeCommand', async () => {
    const url = await lsp.connection.sendRequest('workspace/executeCommand', {
      command: 'serverActionGuard.server.ruleDocsUrl',
      arguments: ['server-identity'],
    });
    assert.match(String(url), /^file:\/\/\/.*\/docs\/rules\/server-identity\.md$/);
    assert.equal(
      await lsp.connection.sendRequest('workspace/executeCommand', { command: 'serverActionGuard.server.ruleDocsUrl', arguments: ['nope'] }),
      null,
    );
  });

  test('binary garbage with a .ts name, untitled documents and unknown URIs are survived', async () => {
    await lsp.open('lib/garbage.ts');
    await lsp.waitForDiagnostics('lib/garbage.ts', () => true, 1);
    await lsp.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'untitled:Untitled-1', languageId: 'typescript', version: 1, text: "'use server'; export const x = 1;" },
    });
    await lsp.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///%E0%A4%A/broken.ts', languageId: 'typescript', version: 1, text: '' },
    });
    const checklist = await lsp.connection.sendRequest('serverActionGuard/checklist', { uri: 'untitled:Untitled-1' });
    assert.deepEqual(checklist, { uri: 'untitled:Untitled-1', actions: [] });
    assert.deepEqual(await lsp.connection.sendRequest('serverActionGuard/checklist', {}), { uri: '', actions: [] });
    await assert.rejects(lsp.connection.sendRequest('serverActionGuard/noSuchRequest', {}), /Unhandled method/);
    const actions = await lsp.codeActions('nowhere/missing.ts', clientDiagnostic(1, undefined).range, [clientDiagnostic(1, undefined)]);
    assert.deepEqual(actions, []);
    // Still answering real work afterwards.
    const checklistAfter = (await lsp.connection.sendRequest('serverActionGuard/checklist', { uri: lsp.uri(ACTIONS) })) as {
      actions: unknown[];
    };
    assert.equal(checklistAfter.actions.length, 1);
  });

  test('a burst of keystrokes is analysed once for the latest version, superseded work is dropped', async () => {
    const file = 'app/notes/actions.ts';
    const before = lsp.publishes.length;
    const text = lsp.text(file);
    const line = text.split('\n').length - 1;
    const edits = Array.from({ length: 60 }, (_, i) => ({
      range: { start: { line, character: i }, end: { line, character: i } },
      text: 'x',
    }));
    const last = await lsp.type(file, edits);
    await lsp.waitForDiagnostics(file, () => true, last);
    const forFile = lsp.publishes.slice(before).filter((p) => p.uri === lsp.uri(file));
    assert.ok(forFile.length <= 3, `60 edits led to ${forFile.length} analyses`);
    assert.equal(forFile.at(-1)!.version, last);
  });
});
