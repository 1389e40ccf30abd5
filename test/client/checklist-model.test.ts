import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionChecklist, CheckStatus, FileChecklist } from '../../shared/protocol';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId, type Severity } from '../../shared/settings';
import { CHECK_LABELS, ChecklistModel, SEVERITY_ICONS, STATUS_ICONS, type FolderNode } from '../../client/src/checklist/model';

const relativePath = (uri: string) => decodeURIComponent(uri.replace('file:///ws/', ''));

type Check = CheckStatus | { status: 'fail'; severity?: Severity };

function action(name: string, line: number, checks: Partial<Record<ChecklistRuleId, Check>>, reasons: Partial<Record<ChecklistRuleId, string>> = {}): ActionChecklist {
  return {
    name,
    kind: 'file-directive',
    range: { start: { line, character: 22 }, end: { line, character: 22 + name.length } },
    checks: CHECKLIST_RULE_IDS.map((ruleId) => {
      const check = checks[ruleId] ?? 'pass';
      return {
        ruleId,
        ...(typeof check === 'string' ? { status: check } : check),
        ...(reasons[ruleId] ? { reason: reasons[ruleId], range: { start: { line: line + 2, character: 4 }, end: { line: line + 2, character: 30 } } } : {}),
      };
    }),
  };
}

const notes: FileChecklist = {
  uri: 'file:///ws/app/notes/actions.ts',
  actions: [
    action(
      'deleteNote',
      20,
      { 'require-auth': { status: 'fail', severity: 'error' }, 'server-identity': { status: 'fail', severity: 'warning' }, 'abuse-protection': 'n/a' },
      { 'require-auth': 'no session check before the write on line 23', 'server-identity': 'ownerId comes from FormData' },
    ),
    action('createNote', 4, { 'abuse-protection': 'n/a' }),
  ],
};
const notesForm: FileChecklist = {
  uri: 'file:///ws/app/notes/form.tsx',
  actions: [action('quickNote', 3, { 'revalidate-after-write': { status: 'fail', severity: 'info' } })],
};
const team: FileChecklist = {
  uri: 'file:///ws/app/(team)/actions.ts',
  actions: [action('invite', 2, { 'validate-input': { status: 'fail', severity: 'warning' } })],
};
const root: FileChecklist = { uri: 'file:///ws/actions.ts', actions: [action('ping', 1, {})] };
const deep: FileChecklist = {
  uri: 'file:///ws/apps/web/app/(dashboard)/settings/billing/actions.ts',
  actions: [action('upgradePlan', 8, {})],
};

function modelOf(...files: FileChecklist[]): ChecklistModel {
  const model = new ChecklistModel();
  for (const file of files) model.update(file);
  return model;
}

const labels = (folders: FolderNode[]) => folders.map((folder) => [folder.label, folder.files.map((file) => file.label)]);

test('files are grouped by folder: the top folder first (named after the workspace), then whole folder paths sorted', () => {
  const tree = modelOf(notes, notesForm, team, root, deep).tree({ relativePath, rootLabel: 'my-app' }).slice(1);
  assert.deepEqual(labels(tree), [
    ['app/(team)', ['actions.ts']],
    ['app/notes', ['actions.ts', 'form.tsx']],
    ['apps/web/app/(dashboard)/settings/billing', ['actions.ts']],
  ]);
  assert.deepEqual(labels(modelOf(notes, root).tree({ relativePath, rootLabel: 'my-app' })), [
    ['my-app', ['actions.ts']],
    ['app/notes', ['actions.ts']],
  ]);
  const billing = tree[2]!;
  assert.equal(billing.files[0]!.path, 'apps/web/app/(dashboard)/settings/billing/actions.ts', 'the whole path, from its start');
  assert.match(billing.files[0]!.tooltip, /^apps\/web\/app\/\(dashboard\)\/settings\/billing\/actions\.ts: 1 action/);
  assert.equal(tree[1]!.description, '3 actions, 2 failing');
  assert.equal(tree[1]!.files[0]!.description, '2 actions, 1 failing');
  assert.equal(tree[0]!.description, '1 action, 1 failing');
  assert.equal(billing.description, '1 action');
  assert.equal(modelOf(root).tree({ relativePath })[0]!.label, '.', 'without a workspace name');
  const ids = tree.flatMap((folder) => [folder.id, ...folder.files.map((file) => file.id)]);
  assert.equal(new Set(ids).size, ids.length, 'folder and file ids do not collide');
});

test('actions in file order, eight checks in checklist order', () => {
  const [notesFile] = modelOf(notes).tree({ relativePath })[0]!.files;
  assert.deepEqual(notesFile!.actions.map((a) => a.name), ['createNote', 'deleteNote']);
  const deleteNote = notesFile!.actions[1]!;
  assert.deepEqual(deleteNote.checks.map((c) => c.ruleId), [...CHECKLIST_RULE_IDS]);
  assert.deepEqual(deleteNote.checks.map((c) => c.label), CHECKLIST_RULE_IDS.map((id) => CHECK_LABELS[id]));
});

test('a failing check shows the icon of the severity behind it; passing and n/a checks their own', () => {
  const tree = modelOf(notes, notesForm).tree({ relativePath });
  const [actionsFile, formFile] = tree[0]!.files;
  const deleteNote = actionsFile!.actions[1]!;
  const check = (ruleId: ChecklistRuleId) => deleteNote.checks.find((c) => c.ruleId === ruleId)!;

  assert.equal(check('require-auth').severity, 'error');
  assert.deepEqual(check('require-auth').icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
  assert.deepEqual(check('server-identity').icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
  const info = formFile!.actions[0]!.checks.find((c) => c.ruleId === 'revalidate-after-write')!;
  assert.deepEqual(info.icon, { id: 'info', color: 'problemsInfoIcon.foreground' });
  assert.match(check('require-auth').tooltip, /^require-auth: fail \(error\)\nno session check/);

  assert.deepEqual(check('validate-input').icon, STATUS_ICONS.pass);
  assert.equal(check('validate-input').severity, undefined);
  assert.deepEqual(check('abuse-protection').icon, STATUS_ICONS['n/a']);

  // The action carries its worst failing check's icon; an all-pass action the shield.
  assert.deepEqual(deleteNote.icon, SEVERITY_ICONS.error);
  assert.deepEqual(formFile!.actions[0]!.icon, SEVERITY_ICONS.info);
  assert.deepEqual(modelOf(team).tree({ relativePath })[0]!.files[0]!.actions[0]!.icon, SEVERITY_ICONS.warning);
  assert.equal(actionsFile!.actions[0]!.icon.id, 'shield');
});

test('a failing check without a severity (an older server) shows a warning; unknown values degrade', () => {
  const model = modelOf({ uri: 'file:///ws/x.ts', actions: [action('x', 0, { 'require-auth': 'fail' })] });
  model.update({
    uri: 'file:///ws/y.ts',
    actions: [
      {
        name: 'y',
        kind: 'action-client',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        checks: [
          { ruleId: 'future-rule' as ChecklistRuleId, status: 'maybe' as CheckStatus },
          { ruleId: 'require-auth', status: 'fail', severity: 'fatal' as Severity },
        ],
      },
    ],
  });
  const [x, y] = model.tree({ relativePath })[0]!.files;
  assert.deepEqual(x!.actions[0]!.checks.find((c) => c.ruleId === 'require-auth')!.icon, SEVERITY_ICONS.warning);
  const [future, fatal] = y!.actions[0]!.checks;
  assert.equal(future!.label, 'future-rule');
  assert.equal(future!.contextValue, 'check.na');
  assert.ok(future!.icon.id);
  assert.deepEqual(fatal!.icon, SEVERITY_ICONS.warning);
});

test('check nodes: reasons as descriptions, context values for the menus, ranges to reveal', () => {
  const deleteNote = modelOf(notes).tree({ relativePath })[0]!.files[0]!.actions[1]!;
  const auth = deleteNote.checks.find((c) => c.ruleId === 'require-auth')!;
  assert.equal(auth.status, 'fail');
  assert.equal(auth.contextValue, 'check.fail');
  assert.equal(auth.description, 'no session check before the write on line 23');
  assert.deepEqual(auth.range, { start: { line: 22, character: 4 }, end: { line: 22, character: 30 } }, 'the finding, not the action');

  const validate = deleteNote.checks.find((c) => c.ruleId === 'validate-input')!;
  assert.equal(validate.contextValue, 'check.pass');
  assert.equal(validate.description, 'pass');
  assert.deepEqual(validate.range, deleteNote.range, 'without a finding the check reveals the action');

  const abuse = deleteNote.checks.find((c) => c.ruleId === 'abuse-protection')!;
  assert.equal(abuse.contextValue, 'check.na');
  assert.equal(abuse.description, 'not applicable');
});

test('action nodes: failing actions say how many checks fail', () => {
  const [createNote, deleteNote] = modelOf(notes).tree({ relativePath })[0]!.files[0]!.actions;
  assert.equal(deleteNote!.failing, true);
  assert.equal(deleteNote!.description, '2 failing');
  assert.equal(deleteNote!.contextValue, 'action.fail');
  assert.match(deleteNote!.tooltip, /Failing: require-auth, server-identity/);
  assert.equal(createNote!.failing, false);
  assert.equal(createNote!.description, 'all checks pass');
  assert.equal(createNote!.contextValue, 'action.pass');
});

test('"failing only" keeps failing actions and their failing checks, and drops files and folders left empty', () => {
  const model = modelOf(notes, notesForm, team, root, deep);
  const tree = model.tree({ relativePath, failingOnly: true });
  assert.deepEqual(labels(tree), [
    ['app/(team)', ['actions.ts']],
    ['app/notes', ['actions.ts', 'form.tsx']],
  ]);
  const notesFile = tree[1]!.files[0]!;
  assert.deepEqual(notesFile.actions.map((a) => a.name), ['deleteNote']);
  assert.deepEqual(notesFile.actions[0]!.checks.map((c) => c.ruleId), ['require-auth', 'server-identity']);
  // Counts still describe the whole file, and ids do not depend on the filter (expansion state survives toggling).
  assert.equal(notesFile.description, '2 actions, 1 failing');
  const unfiltered = model.tree({ relativePath }).find((folder) => folder.label === 'app/notes')!;
  assert.equal(unfiltered.files[0]!.actions[1]!.id, notesFile.actions[0]!.id);
  assert.equal(unfiltered.id, tree[1]!.id);

  assert.deepEqual(modelOf(root, deep).tree({ relativePath, failingOnly: true }), [], 'nothing failing: an empty tree');
});

test('ids are stable while lines shift and unique for same-named actions', () => {
  const model = modelOf(notes);
  const actionIds = () => model.tree({ relativePath })[0]!.files[0]!.actions.map((a) => a.id);
  const before = actionIds();
  model.update({ ...notes, actions: notes.actions.map((a) => ({ ...a, range: { start: { line: a.range.start.line + 5, character: 0 }, end: { line: a.range.start.line + 5, character: 9 } } })) });
  assert.deepEqual(actionIds(), before);

  model.update({ uri: 'file:///ws/a.ts', actions: [action('save', 1, {}), action('save', 9, {})] });
  const top = model.tree({ relativePath }).find((f) => f.label === '.')!;
  const ids = top.files[0]!.actions.flatMap((a) => [a.id, ...a.checks.map((c) => c.id)]);
  assert.equal(new Set(ids).size, ids.length);
});

test('updates: unchanged data reports no change, an empty checklist removes the file, counts follow', () => {
  const model = new ChecklistModel();
  assert.equal(model.update(notes), true);
  assert.equal(model.update(structuredClone(notes)), false);
  assert.equal(model.update(team), true);
  assert.deepEqual(model.counts(), { actions: 3, failingActions: 2 });
  assert.equal(model.update({ uri: team.uri, actions: [] }), true);
  assert.equal(model.update({ uri: team.uri, actions: [] }), false);
  assert.deepEqual(model.counts(), { actions: 2, failingActions: 1 });
  assert.equal(model.size, 1);
  model.clear();
  assert.deepEqual(model.tree({ relativePath }), []);
});
