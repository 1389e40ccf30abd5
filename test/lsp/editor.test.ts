/**
 * What the editor shows besides diagnostics, through a real JSON-RPC client: the "Disable <rule> for this file" and
 * "Show documentation for <rule>" code actions, the docs links, the severity behind each failing check, when the first
 * status arrives, and that a problem shared by every file is logged once.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { RULE_DOCS_COMMAND, SHOW_RULE_DOCS_COMMAND, type FileChecklist } from '../../shared/protocol';
import { ruleMeta } from '../../server/src/engine';
import { LspSession, codes } from './harness';

const REASON = 'TODO: say why this is safe';

const ACTIONS = `'use server';

import { db } from '@/lib/db';

export async function updateProfile(formData: FormData) {
  await db.profile.update({ where: { id: String(formData.get('id')) }, data: { name: String(formData.get('name')) } });
}
`;

const FORM = `// The signed-in user's profile form.
"use client";

import { updateProfile } from './actions';

export function ProfileForm({ userId }: { userId: string }) {
  return (
    <form action={updateProfile}>
      <input type="hidden" name="ownerId" value={userId} />
      <input name="name" />
    </form>
  );
}
`;

const PAGE = `import { db } from '@/lib/db';

export default function NotesPage() {
  async function addNote(formData: FormData) {
    'use server';
    await db.note.create({ data: { title: String(formData.get('title')) } });
  }
  return <form action={addNote}><input name="title" /></form>;
}
`;

const FILES = {
  'app/profile/actions.ts': ACTIONS,
  'app/profile/profile-form.tsx': FORM,
  'app/notes/page.tsx': PAGE,
  'app/legacy/actions.ts': ACTIONS.replace(
    "'use server';\n",
    "'use server';\n// server-action-guard-disable-file revalidate-after-write -- the legacy admin has no cached pages\n",
  ),
};

async function titles(lsp: LspSession, file: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return lsp.codeActions(file, diagnostic.range, [diagnostic], ['quickfix']);
}

function actionTitled(actions: CodeAction[], title: string): CodeAction {
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `"${title}" offered; got ${actions.map((a) => a.title).join(' | ')}`);
  return action;
}

describe('editor actions, docs, checklist severities and start-up over stdio', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = await LspSession.start({ files: FILES });
  });
  after(async () => {
    await lsp.stop();
  });

  test('no status before the first analysis: a client can show "starting…" until one arrives', async () => {
    // Requests are answered in order: a status sent on `initialized` would have arrived before this answer.
    await lsp.executeCommand(RULE_DOCS_COMMAND, ['require-auth']);
    assert.deepEqual(lsp.statuses, []);
    await lsp.open('app/profile/actions.ts');
    await lsp.waitForDiagnostics('app/profile/actions.ts', (d) => d.length > 0, 1);
    const status = await lsp.waitFor('a status after the first analysis', () => lsp.statuses[0]);
    assert.deepEqual(status, { actions: 1, failingActions: 1 });
  });

  test('every diagnostic links to its rule page shipped with the server, a file that exists', async () => {
    const diagnostics = lsp.diagnostics.get(lsp.path('app/profile/actions.ts'))!.diagnostics;
    for (const diagnostic of diagnostics) {
      const href = diagnostic.codeDescription?.href ?? '';
      assert.match(href, new RegExp(`^file:///.*/docs/rules/${String(diagnostic.code)}\\.md$`));
      assert.match(fs.readFileSync(fileURLToPath(href), 'utf8'), new RegExp(`^# ${String(diagnostic.code)}\\n`));
    }
  });

  test('"Show documentation for <rule>" asks the client to show the rule page; the docs command names it', async () => {
    const diagnostics = lsp.diagnostics.get(lsp.path('app/profile/actions.ts'))!.diagnostics;
    const target = diagnostics.find((d) => d.code === 'require-auth')!;
    const show = actionTitled(await titles(lsp, 'app/profile/actions.ts', target), 'Show documentation for require-auth');
    assert.equal(show.kind, 'quickfix');
    assert.equal(show.edit, undefined);
    assert.deepEqual(show.command, { title: show.title, command: SHOW_RULE_DOCS_COMMAND, arguments: ['require-auth'] });
    assert.ok(lsp.initializeResult.capabilities.executeCommandProvider?.commands.includes(SHOW_RULE_DOCS_COMMAND));

    const uri = await lsp.executeCommand(show.command!.command, show.command!.arguments!);
    assert.equal(uri, target.codeDescription?.href);
    assert.deepEqual(lsp.shownDocuments, [{ uri, takeFocus: true }]);
    assert.equal(await lsp.executeCommand(RULE_DOCS_COMMAND, ['require-auth']), uri);
    assert.equal(await lsp.executeCommand(RULE_DOCS_COMMAND, ['no-such-rule']), null);
    assert.equal(await lsp.executeCommand(SHOW_RULE_DOCS_COMMAND, ['no-such-rule']), null);
    assert.equal(lsp.shownDocuments.length, 1);
  });

  test('the quick-fix menu per rule: fixes, then disable for this line, for this file, and the docs', async () => {
    const diagnostics = lsp.diagnostics.get(lsp.path('app/profile/actions.ts'))!.diagnostics;
    const target = diagnostics.find((d) => d.code === 'validate-input')!;
    const offered = (await titles(lsp, 'app/profile/actions.ts', target)).map((a) => a.title);
    const own = offered.filter((t) => /(Disable|Show documentation for) validate-input/.test(t));
    assert.deepEqual(own, [
      'Disable validate-input for this line',
      'Disable validate-input for this file',
      'Show documentation for validate-input',
    ]);
    assert.ok(offered.indexOf(own[0]!) > 0 || offered.length === own.length, `fixes come first: ${offered.join(' | ')}`);
  });

  test('"Disable <rule> for this file" goes right after the directive, silences the rule and keeps the directive first', async () => {
    const file = 'app/profile/actions.ts';
    const before = lsp.diagnostics.get(lsp.path(file))!.diagnostics;
    const target = before.find((d) => d.code === 'require-auth')!;
    await lsp.applyEdit(actionTitled(await titles(lsp, file, target), 'Disable require-auth for this file').edit!);
    assert.equal(
      lsp.text(file),
      ACTIONS.replace("'use server';\n", `'use server';\n// server-action-guard-disable-file require-auth -- ${REASON}\n`),
    );
    const after = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    assert.ok(!codes(after).includes('require-auth'), `require-auth still reported: ${codes(after).join(', ')}`);
    // The other findings stay: the file is still read as a 'use server' file.
    assert.ok(codes(after).includes('server-identity'), `server-identity gone too: ${codes(after).join(', ')}`);

    const identity = after.find((d) => d.code === 'server-identity')!;
    await lsp.applyEdit(actionTitled(await titles(lsp, file, identity), 'Disable server-identity for this file').edit!);
    assert.match(lsp.text(file), /^'use server';\n\/\/ server-action-guard-disable-file require-auth, server-identity -- TODO/);
    const again = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    assert.deepEqual(codes(again).filter((c) => c === 'require-auth' || c === 'server-identity'), []);
    assert.ok(!(await titles(lsp, file, again[0]!)).some((a) => /Disable (require-auth|server-identity) for this file/.test(a.title)));
  });

  test('a file that already disables another rule gets the new one added to that comment', async () => {
    const file = 'app/legacy/actions.ts';
    await lsp.open(file);
    const diagnostics = await lsp.waitForDiagnostics(file, (d) => d.length > 0, 1);
    assert.ok(!codes(diagnostics).includes('revalidate-after-write'), 'the existing comment works');
    const target = diagnostics.find((d) => d.code === 'validate-input')!;
    await lsp.applyEdit(actionTitled(await titles(lsp, file, target), 'Disable validate-input for this file').edit!);
    assert.equal(
      lsp.text(file).split('\n')[1],
      '// server-action-guard-disable-file revalidate-after-write, validate-input -- the legacy admin has no cached pages',
    );
    const after = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    assert.ok(!codes(after).includes('validate-input'));
  });

  test('in a client component, after a header comment and a double-quoted "use client", in the file\'s own line endings', async () => {
    const file = 'app/profile/profile-form.tsx';
    const crlf = FORM.replace(/\n/g, '\r\n');
    await lsp.open(file, crlf);
    const diagnostics = await lsp.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'narrow-contract'), 1);
    const target = diagnostics.find((d) => d.code === 'narrow-contract')!;
    await lsp.applyEdit(actionTitled(await titles(lsp, file, target), 'Disable narrow-contract for this file').edit!);
    assert.equal(
      lsp.text(file),
      crlf.replace('"use client";\r\n', `"use client";\r\n// server-action-guard-disable-file narrow-contract -- ${REASON}\r\n`),
    );
    const after = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    assert.ok(!codes(after).includes('narrow-contract'));
  });

  test('without a file directive (an inline action) the comment opens the file', async () => {
    const file = 'app/notes/page.tsx';
    await lsp.open(file);
    const diagnostics = await lsp.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'require-auth'), 1);
    const target = diagnostics.find((d) => d.code === 'require-auth')!;
    await lsp.applyEdit(actionTitled(await titles(lsp, file, target), 'Disable require-auth for this file').edit!);
    assert.equal(lsp.text(file), `// server-action-guard-disable-file require-auth -- ${REASON}\n${PAGE}`);
    const after = await lsp.waitForDiagnostics(file, () => true, lsp.version(file));
    assert.ok(!codes(after).includes('require-auth'));
    assert.ok(codes(after).includes('validate-input'), 'the inline action is still found');
  });
});

describe('the severity behind each failing check', () => {
  test('follows the most severe finding of the rule, and the rule severity set in the settings', async () => {
    const lsp = await LspSession.start({ files: { 'app/profile/actions.ts': ACTIONS } });
    try {
      const file = 'app/profile/actions.ts';
      await lsp.open(file);
      const diagnostics = await lsp.waitForDiagnostics(file, (d) => d.length > 0, 1);
      const checklist = await lsp.waitFor('the checklist', () => lsp.checklists.get(lsp.path(file))?.actions[0]);
      const worst = (rule: string) =>
        Math.min(...diagnostics.filter((d) => d.code === rule).map((d) => d.severity ?? 4));
      const NAMES = ['', 'error', 'warning', 'info'];
      const failing = checklist.checks.filter((c) => c.status === 'fail');
      assert.ok(failing.length >= 3, JSON.stringify(checklist.checks));
      for (const check of checklist.checks) {
        if (check.status !== 'fail') {
          assert.equal(check.severity, undefined, `${check.ruleId} (${check.status}) has no severity`);
          continue;
        }
        // Without a diagnostic of its own, a check fails on the one that stands for it (merged at the same place, and
        // revealed by the check), or on a finding reported elsewhere (once, at a shared module): the rule's severity.
        const covering = diagnostics.find((d) => JSON.stringify(d.range) === JSON.stringify(check.range));
        const expected =
          NAMES[worst(check.ruleId)] ?? (covering ? NAMES[covering.severity!] : ruleMeta(check.ruleId)!.defaultSeverity);
        assert.equal(check.severity, expected, `${check.ruleId}: the most severe of its diagnostics`);
      }
      assert.equal(failing.find((c) => c.ruleId === 'require-auth')?.severity, 'error');
      assert.equal(failing.find((c) => c.ruleId === 'validate-input')?.severity, 'warning');

      await lsp.setSettings({ rules: { 'validate-input': 'error' } });
      const raised = await lsp.waitFor('validate-input failing at error level', () => {
        const check = lsp.checklists.get(lsp.path(file))?.actions[0]?.checks.find((c) => c.ruleId === 'validate-input');
        return check?.severity === 'error' ? check : undefined;
      });
      assert.equal(raised.status, 'fail');
      const requested = (await lsp.connection.sendRequest('serverActionGuard/checklist', { uri: lsp.uri(file) })) as FileChecklist;
      assert.deepEqual(requested.actions[0]!.checks, lsp.checklists.get(lsp.path(file))!.actions[0]!.checks);
    } finally {
      await lsp.stop();
    }
  });
});

describe('the output channel', () => {
  test('a broken tsconfig.json is logged once, not once per file analysed', async () => {
    const lsp = await LspSession.start({
      files: {
        'tsconfig.json': '{ "compilerOptions": { "paths": ',
        'app/profile/actions.ts': ACTIONS,
        'app/team/actions.ts': ACTIONS,
        'app/billing/actions.ts': ACTIONS,
      },
    });
    try {
      for (const file of ['app/profile/actions.ts', 'app/team/actions.ts', 'app/billing/actions.ts']) {
        await lsp.open(file);
        await lsp.waitForDiagnostics(file, (d) => d.length > 0, 1);
      }
      await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {});
      const mentions = lsp.logs.filter((log) => log.message.includes('tsconfig.json'));
      assert.equal(mentions.length, 1, `one line about the tsconfig:\n${mentions.map((l) => l.message).join('\n')}`);
      assert.match(mentions[0]!.message, new RegExp(`^${lsp.path('tsconfig.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    } finally {
      await lsp.stop();
    }
  });
});
