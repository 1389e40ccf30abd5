import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionChecklist, CheckStatus, FileChecklist } from '../../shared/protocol';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId } from '../../shared/settings';
import { CHECK_LABELS, ChecklistModel, STATUS_ICONS } from '../../client/src/checklist/model';

const relativePath = (uri: string) => uri.replace('file:///ws/', '');

function action(name: string, line: number, statuses: Partial<Record<ChecklistRuleId, CheckStatus>>, reasons: Partial<Record<ChecklistRuleId, string>> = {}): ActionChecklist {
  return {
    name,
    kind: 'file-directive',
    range: { start: { line, character: 22 }, end: { line, character: 22 + name.length } },
    checks: CHECKLIST_RULE_IDS.map((ruleId) => ({
      ruleId,
      status: statuses[ruleId] ?? 'pass',
      ...(reasons[ruleId] ? { reason: reasons[ruleId], range: { start: { line: line + 2, character: 4 }, end: { line: line + 2, character: 30 } } } : {}),
    })),
  };
}

const notes: FileChecklist = {
  uri: 'file:///ws/app/notes/actions.ts',
  actions: [
    action('deleteNote', 20, { 'require-auth': 'fail', 'server-identity': 'fail', 'abuse-protection': 'n/a' }, {
      'require-auth': 'no session check before the write on line 23',
      'server-identity': 'ownerId comes from FormData',
    }),
    action('createNote', 4, { 'abuse-protection': 'n/a' }),
  ],
};
const team: FileChecklist = { uri: 'file:///ws/app/(team)/actions.ts', actions: [action('invite', 2, { 'validate-input': 'fail' })] };

test('files sorted by path, actions in file order, eight checks in checklist order', () => {
  const model = new ChecklistModel();
  model.update(notes);
  model.update(team);
  const tree = model.tree({ relativePath });
  assert.deepEqual(tree.map((f) => f.label), ['app/(team)/actions.ts', 'app/notes/actions.ts']);
  const notesNode = tree[1]!;
  assert.deepEqual(notesNode.actions.map((a) => a.name), ['createNote', 'deleteNote']);
  assert.equal(notesNode.description, '2 actions, 1 failing');
  assert.equal(tree[0]!.description, '1 action, 1 failing');
  const deleteNote = notesNode.actions[1]!;
  assert.deepEqual(deleteNote.checks.map((c) => c.ruleId), [...CHECKLIST_RULE_IDS]);
  assert.deepEqual(deleteNote.checks.map((c) => c.label), CHECKLIST_RULE_IDS.map((id) => CHECK_LABELS[id]));
});

test('check nodes: status icons, reasons as descriptions, context values for the menus, ranges to reveal', () => {
  const model = new ChecklistModel();
  model.update(notes);
  const deleteNote = model.tree({ relativePath })[0]!.actions[1]!;
  const auth = deleteNote.checks.find((c) => c.ruleId === 'require-auth')!;
  assert.equal(auth.status, 'fail');
  assert.deepEqual(auth.icon, STATUS_ICONS.fail);
  assert.equal(auth.icon.id, 'error');
  assert.equal(auth.contextValue, 'check.fail');
  assert.equal(auth.description, 'no session check before the write on line 23');
  assert.match(auth.tooltip, /^require-auth: fail\nno session check/);
  assert.deepEqual(auth.range, { start: { line: 22, character: 4 }, end: { line: 22, character: 30 } }, 'the finding, not the action');

  const validate = deleteNote.checks.find((c) => c.ruleId === 'validate-input')!;
  assert.equal(validate.contextValue, 'check.pass');
  assert.equal(validate.icon.id, 'pass');
  assert.equal(validate.description, 'pass');
  assert.deepEqual(validate.range, deleteNote.range, 'without a finding the check reveals the action');

  const abuse = deleteNote.checks.find((c) => c.ruleId === 'abuse-protection')!;
  assert.equal(abuse.contextValue, 'check.na');
  assert.equal(abuse.icon.id, 'circle-slash');
  assert.equal(abuse.description, 'not applicable');
});

test('action nodes: failing actions say how many checks fail and carry a warning icon', () => {
  const model = new ChecklistModel();
  model.update(notes);
  const [createNote, deleteNote] = model.tree({ relativePath })[0]!.actions;
  assert.equal(deleteNote!.failing, true);
  assert.equal(deleteNote!.description, '2 failing');
  assert.equal(deleteNote!.contextValue, 'action.fail');
  assert.equal(deleteNote!.icon.id, 'warning');
  assert.match(deleteNote!.tooltip, /Failing: require-auth, server-identity/);
  assert.equal(createNote!.failing, false);
  assert.equal(createNote!.description, 'all checks pass');
  assert.equal(createNote!.contextValue, 'action.pass');
});

test('ids are stable while lines shift and unique for same-named actions', () => {
  const model = new ChecklistModel();
  model.update(notes);
  const before = model.tree({ relativePath })[0]!.actions.map((a) => a.id);
  model.update({ ...notes, actions: notes.actions.map((a) => ({ ...a, range: { start: { line: a.range.start.line + 5, character: 0 }, end: { line: a.range.start.line + 5, character: 9 } } })) });
  assert.deepEqual(model.tree({ relativePath })[0]!.actions.map((a) => a.id), before);

  model.update({ uri: 'file:///ws/a.ts', actions: [action('save', 1, {}), action('save', 9, {})] });
  const ids = model.tree({ relativePath }).find((f) => f.label === 'a.ts')!.actions.flatMap((a) => [a.id, ...a.checks.map((c) => c.id)]);
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

test('unknown statuses or rule ids from a newer server degrade instead of throwing', () => {
  const model = new ChecklistModel();
  model.update({
    uri: 'file:///ws/x.ts',
    actions: [
      {
        name: 'x',
        kind: 'action-client',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        checks: [{ ruleId: 'future-rule' as ChecklistRuleId, status: 'maybe' as CheckStatus }],
      },
    ],
  });
  const check = model.tree({ relativePath })[0]!.actions[0]!.checks[0]!;
  assert.equal(check.label, 'future-rule');
  assert.equal(check.contextValue, 'check.na');
  assert.ok(check.icon.id);
});
