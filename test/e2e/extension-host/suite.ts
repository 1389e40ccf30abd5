/**
 * Extension-host integration tests: run inside a real VS Code extension host with the full `vscode` API, against the
 * built extension (dist/) and the fixture workspace in test/e2e/fixture.
 *
 * One suite, two launchers: test/e2e/run-test-electron.mjs (@vscode/test-electron, where VS Code can be downloaded)
 * and test/e2e/run-ext-host-code-server.mjs (the VS Code server shipped in code-server, started with the smoke-test
 * driver). Both load the esbuilt bundle of this file as `extensionTestsPath` and call `run()`; it rejects when a
 * scenario failed. With E2E_RESULTS_FILE set, per-scenario results are also written there as JSON.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AuditWorkspaceResult } from '../../../shared/protocol';
import { CHECKLIST_RULE_IDS } from '../../../shared/settings';
import { ACTIONS_AFTER_SESSION, ACTIONS_AFTER_ZOD, ACTIONS_BEFORE } from '../expected';

const EXTENSION_ID = 'server-action-guard.server-action-guard';
const SOURCE = 'server-action-guard';
const ZOD_FIX = /^Wrap FormData reads in a zod schema/;
const SESSION_FIX = /^Replace client ownerId with the session/;
/** The planted problems: unvalidated FormData in createNote, a client-supplied ownerId in assignNote. */
const UNVALIDATED_NOTE: Target = { rule: 'validate-input', action: 'createNote' };
const CLIENT_OWNER: Target = { rule: 'server-identity', action: 'assignNote', message: /'ownerId'/ };
const UNCHECKED_TEAM_HELPER: Target = { rule: 'require-auth', action: 'addTopic' };

interface ScenarioResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

interface Scenario {
  name: string;
  run: () => Promise<void>;
}

function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

/** Polls `check` until it reports done; on timeout fails with what was awaited and what was last seen. */
async function waitFor<T>(
  what: string,
  check: () => { done: boolean; seen: T } | Promise<{ done: boolean; seen: T }>,
  timeoutMs = 30000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, seen } = await check();
    if (done) return seen;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(seen)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}

function guardDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** The `export async function <name>` that encloses `line` (the fixture only declares actions that way). */
function actionAt(document: vscode.TextDocument, line: number): string | undefined {
  for (let l = line; l >= 0; l--) {
    const match = /^export async function (\w+)/.exec(document.lineAt(l).text);
    if (match) return match[1];
  }
  return undefined;
}

interface Seen {
  rule: string;
  action: string | undefined;
  line: number;
  text: string;
}

function describeDiagnostics(document: vscode.TextDocument): Seen[] {
  return guardDiagnostics(document.uri).map((d) => ({
    rule: ruleOf(d),
    action: actionAt(document, d.range.start.line),
    line: d.range.start.line + 1,
    text: document.getText(d.range).slice(0, 80),
  }));
}

/** Which diagnostic a scenario is about: its rule, the action it is in and, where an action has several, its message. */
interface Target {
  rule: string;
  action: string;
  message?: RegExp;
}

function label(target: Target): string {
  return `the ${target.rule} diagnostic in ${target.action}${target.message ? ` matching ${target.message}` : ''}`;
}

function findDiagnostic(document: vscode.TextDocument, target: Target): vscode.Diagnostic | undefined {
  return guardDiagnostics(document.uri).find(
    (d) =>
      ruleOf(d) === target.rule &&
      actionAt(document, d.range.start.line) === target.action &&
      (!target.message || target.message.test(d.message)),
  );
}

function waitForDiagnostic(document: vscode.TextDocument, target: Target): Promise<vscode.Diagnostic> {
  return waitFor<vscode.Diagnostic | Seen[]>(label(target), () => {
    const found = findDiagnostic(document, target);
    return found ? { done: true, seen: found } : { done: false, seen: describeDiagnostics(document) };
  }) as Promise<vscode.Diagnostic>;
}

function waitForNoDiagnostic(document: vscode.TextDocument, target: Target): Promise<unknown> {
  return waitFor(`${label(target)} to clear`, () => ({
    done: !findDiagnostic(document, target),
    seen: describeDiagnostics(document),
  }));
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  // The command asks every provider, TypeScript's own included; while tsserver loads the project its provider can
  // be cancelled, which cancels the whole command. Ask again until an answer comes.
  const actions = await waitFor('code actions', async () => {
    try {
      const answer = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return { done: true, seen: answer ?? [] };
    } catch (error) {
      if ((error as Error).name !== 'Canceled' && (error as Error).message !== 'Canceled') throw error;
      return { done: false, seen: [] as (vscode.CodeAction | vscode.Command)[] };
    }
  });
  // A provider may answer with bare Commands; only CodeActions carry edits and kinds.
  return actions.filter((a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string');
}

async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `workspace edit of "${action.title}" applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** The id of the contributed command whose title ends with `title` ("Server Action Guard: Audit Workspace"). */
function contributedCommand(title: string): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  const commands: { command: string; title: string; category?: string }[] =
    extension?.packageJSON.contributes?.commands ?? [];
  const command = commands.find((c) => c.title === title || c.title.endsWith(`: ${title}`));
  assert.ok(command, `a contributed command titled "${title}" (have: ${commands.map((c) => c.title).join(', ')})`);
  return command.command;
}

async function openActions(): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceUri('app', 'actions.ts'));
  await vscode.window.showTextDocument(document);
  return document;
}

/** The last "Audit Workspace" result: the checklists it returns are what the "Server Actions" panel is built from. */
let audit: AuditWorkspaceResult | undefined;

/** Failing checks per action once both fixes are applied, as the panel should show them. */
const FAILING_AFTER_FIXES: Record<string, Record<string, string[]>> = {
  'app/actions.ts': { createNote: [], assignNote: ['server-identity', 'validate-input'] },
  'app/admin/actions.ts': { deleteUser: ['require-auth', 'server-identity', 'validate-input'] },
  'app/team/actions.ts': { addTopic: [] },
};

const scenarios: Scenario[] = [
  {
    name: 'diagnostics with rule codes, docs links and precise ranges appear on the fixture',
    async run() {
      const document = await openActions();
      assert.equal(document.getText(), ACTIONS_BEFORE, 'fixture app/actions.ts is as committed');
      const validate = await waitForDiagnostic(document, UNVALIDATED_NOTE);
      const identity = await waitForDiagnostic(document, CLIENT_OWNER);
      log(`diagnostics: ${JSON.stringify(describeDiagnostics(document))}`);
      for (const diagnostic of [validate, identity]) {
        const code = diagnostic.code;
        assert.ok(typeof code === 'object', `code carries a docs link: ${JSON.stringify(code)}`);
        // The rule's page shipped with the extension, not a web site.
        assert.equal(code.target.scheme, 'file', `docs link ${code.target.toString()}`);
        assert.ok(code.target.path.endsWith(`/docs/rules/${ruleOf(diagnostic)}.md`), `docs link ${code.target.toString()}`);
        const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(code.target));
        assert.ok(page.startsWith(`# ${ruleOf(diagnostic)}\n`), `the page of ${ruleOf(diagnostic)}`);
        assert.equal(diagnostic.range.start.line, diagnostic.range.end.line, 'range is one expression, not the action');
      }
      assert.match(document.getText(identity.range), /ownerId/, 'server-identity points at the client ownerId');
    },
  },
  {
    name: 'executeCodeActionProvider offers the zod and the session fixes',
    async run() {
      const document = await openActions();
      const validate = await waitForDiagnostic(document, UNVALIDATED_NOTE);
      const identity = await waitForDiagnostic(document, CLIENT_OWNER);
      const zodTitles = (await quickFixes(document.uri, validate.range)).map((a) => a.title);
      const sessionTitles = (await quickFixes(document.uri, identity.range)).map((a) => a.title);
      log(`quick fixes at validate-input: ${JSON.stringify(zodTitles)}; at server-identity: ${JSON.stringify(sessionTitles)}`);
      assert.ok(zodTitles.some((t) => ZOD_FIX.test(t)), 'zod fix offered');
      assert.ok(sessionTitles.some((t) => SESSION_FIX.test(t)), 'session fix offered');
    },
  },
  {
    name: 'applying "Wrap FormData reads in a zod schema" gives the expected text and clears validate-input',
    async run() {
      const document = await openActions();
      const validate = await waitForDiagnostic(document, UNVALIDATED_NOTE);
      const fix = (await quickFixes(document.uri, validate.range)).find((a) => ZOD_FIX.test(a.title));
      assert.ok(fix, 'zod fix offered');
      await applyCodeAction(fix);
      assert.equal(document.getText(), ACTIONS_AFTER_ZOD);
      await document.save();
      await waitForNoDiagnostic(document, UNVALIDATED_NOTE);
    },
  },
  {
    name: 'applying "Replace client ownerId with the session" gives the expected text and clears server-identity',
    async run() {
      const document = await openActions();
      const identity = await waitForDiagnostic(document, CLIENT_OWNER);
      const fix = (await quickFixes(document.uri, identity.range)).find((a) => SESSION_FIX.test(a.title));
      assert.ok(fix, 'session fix offered');
      await applyCodeAction(fix);
      assert.equal(document.getText(), ACTIONS_AFTER_SESSION);
      await document.save();
      await waitForNoDiagnostic(document, CLIENT_OWNER);
    },
  },
  {
    name: '"Audit Workspace" fills diagnostics for files that were never opened',
    async run() {
      const admin = workspaceUri('app', 'admin', 'actions.ts');
      const opened = vscode.workspace.textDocuments.some((d) => d.uri.toString() === admin.toString());
      assert.ok(!opened, 'app/admin/actions.ts has not been opened');
      audit = await vscode.commands.executeCommand<AuditWorkspaceResult>(contributedCommand('Audit Workspace'));
      assert.ok(audit && !audit.cancelled, `the audit completed (result: ${JSON.stringify(audit)?.slice(0, 200)})`);
      const rules = await waitFor('require-auth on the never-opened app/admin/actions.ts', () => {
        const seen = guardDiagnostics(admin).map(ruleOf);
        return { done: seen.includes('require-auth'), seen };
      });
      log(`app/admin/actions.ts after the audit: ${JSON.stringify(rules)}`);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === admin.toString()), 'still not open');
    },
  },
  {
    name: 'the checklists behind the "Server Actions" panel match the actions and their diagnostics',
    async run() {
      await vscode.commands.executeCommand('serverActionGuard.checklist.focus');
      const result: AuditWorkspaceResult | undefined =
        audit ?? (await vscode.commands.executeCommand<AuditWorkspaceResult>(contributedCommand('Audit Workspace')));
      assert.ok(result?.checklists, 'the audit command returns the checklists it puts in the panel');
      const checklists = result.checklists;
      for (const [file, expected] of Object.entries(FAILING_AFTER_FIXES)) {
        const uri = workspaceUri(...file.split('/'));
        const checklist = checklists.find((c) => vscode.Uri.parse(c.uri).fsPath === uri.fsPath);
        assert.ok(checklist, `${file} has a checklist (have ${checklists.map((c) => c.uri).join(', ')})`);
        assert.deepEqual(checklist.actions.map((a) => a.name), Object.keys(expected), `actions of ${file}`);
        const document = await vscode.workspace.openTextDocument(uri);
        for (const action of checklist.actions) {
          assert.deepEqual(action.checks.map((c) => c.ruleId), [...CHECKLIST_RULE_IDS], `${action.name}: eight checks in order`);
          const failing: string[] = action.checks.filter((c) => c.status === 'fail').map((c) => c.ruleId).sort();
          // Info findings ("could not verify") do not fail a check; errors and warnings do.
          const diagnosed = [
            ...new Set(
              guardDiagnostics(uri)
                .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
                .filter((d) => actionAt(document, d.range.start.line) === action.name)
                .map(ruleOf)
                .filter((rule) => (CHECKLIST_RULE_IDS as readonly string[]).includes(rule)),
            ),
          ].sort();
          log(`${file} ${action.name}: failing ${JSON.stringify(failing)}, diagnosed ${JSON.stringify(diagnosed)}`);
          assert.deepEqual(failing, expected[action.name], `${action.name}: failing checks`);
          assert.deepEqual(diagnosed.filter((rule) => !failing.includes(rule)), [], `${action.name}: every diagnosed check fails`);
          // A check without a diagnostic of its own fails on the finding that stands for it (several rules seeing one
          // problem at one place make one diagnostic): the check reveals that diagnostic.
          for (const rule of failing.filter((r) => !diagnosed.includes(r))) {
            const range = action.checks.find((c) => c.ruleId === rule)?.range;
            const covering = guardDiagnostics(uri).find(
              (d) =>
                range &&
                d.range.start.line === range.start.line &&
                d.range.start.character === range.start.character &&
                d.range.end.line === range.end.line &&
                d.range.end.character === range.end.character,
            );
            assert.ok(covering, `${action.name}: ${rule} fails on a diagnostic at ${JSON.stringify(range)}`);
            log(`${file} ${action.name}: ${rule} fails on the ${ruleOf(covering)} diagnostic at line ${covering.range.start.line + 1}`);
          }
        }
      }
    },
  },
  {
    name: 'a custom auth helper in serverActionGuard.authFunctions changes require-auth results',
    async run() {
      const document = await vscode.workspace.openTextDocument(workspaceUri('app', 'team', 'actions.ts'));
      await vscode.window.showTextDocument(document);
      await waitForDiagnostic(document, UNCHECKED_TEAM_HELPER);
      const config = () => vscode.workspace.getConfiguration('serverActionGuard', document.uri);
      await config().update('authFunctions', ['ensureTeamMember'], vscode.ConfigurationTarget.Workspace);
      try {
        await waitForNoDiagnostic(document, UNCHECKED_TEAM_HELPER);
      } finally {
        await config().update('authFunctions', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await waitForDiagnostic(document, UNCHECKED_TEAM_HELPER);
    },
  },
];

export async function run(): Promise<void> {
  const results: ScenarioResult[] = [];
  const record = (name: string, started: number, error?: unknown) => {
    const ms = Date.now() - started;
    const message = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
    results.push({ name, ok: message === undefined, ms, error: message });
    log(`${message === undefined ? 'PASS' : 'FAIL'} ${name} (${ms} ms)${message === undefined ? '' : `: ${message}`}`);
    if (process.env.E2E_RESULTS_FILE) fs.writeFileSync(process.env.E2E_RESULTS_FILE, JSON.stringify(results, null, 2));
  };
  const activation = Date.now();
  let activated = false;
  try {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed in the host`);
    await extension.activate();
    activated = true;
    record('the extension activates', activation);
  } catch (error) {
    record('the extension activates', activation, error);
  }
  for (const scenario of scenarios) {
    const started = Date.now();
    if (!activated) {
      record(scenario.name, started, 'not run: the extension did not activate');
      continue;
    }
    try {
      await scenario.run();
      record(scenario.name, started);
    } catch (error) {
      record(scenario.name, started, error);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  log(`${results.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} extension-host scenario(s) failed`);
}
