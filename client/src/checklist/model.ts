/**
 * The "Server Actions" panel as plain data: files → actions → the eight checks, with labels, icons and context
 * values decided here so they can be unit tested without the editor. The tree provider only maps these nodes to
 * `vscode.TreeItem`s.
 */
import type { ActionChecklist, CheckStatus, ChecklistItem, FileChecklist, LspRange } from '../../../shared/protocol';
import type { ChecklistRuleId } from '../../../shared/settings';

/** A codicon id and an optional theme color id (rendered as `ThemeIcon(id, ThemeColor(color))`). */
export interface IconSpec {
  id: string;
  color?: string;
}

export type CheckContextValue = 'check.fail' | 'check.pass' | 'check.na';

export interface FileNode {
  kind: 'file';
  id: string;
  uri: string;
  label: string;
  description: string;
  tooltip: string;
  failingActions: number;
  actions: ActionNode[];
}

export interface ActionNode {
  kind: 'action';
  id: string;
  uri: string;
  name: string;
  label: string;
  description: string;
  tooltip: string;
  range: LspRange;
  failing: boolean;
  icon: IconSpec;
  contextValue: 'action.fail' | 'action.pass';
  checks: CheckNode[];
}

export interface CheckNode {
  kind: 'check';
  id: string;
  uri: string;
  action: string;
  ruleId: ChecklistRuleId;
  status: CheckStatus;
  label: string;
  description: string;
  tooltip: string;
  /** Where clicking goes: the first finding of the rule, or the action itself. */
  range: LspRange;
  icon: IconSpec;
  contextValue: CheckContextValue;
}

export type TreeNode = FileNode | ActionNode | CheckNode;

/** The eight checks as the panel names them, in checklist order. */
export const CHECK_LABELS: Record<ChecklistRuleId, string> = {
  'validate-input': 'Input validated',
  'require-auth': 'Auth required',
  'server-identity': 'Identity from the session',
  'server-only': 'Privileged code server-only',
  'safe-errors': 'Errors safe to return',
  'revalidate-after-write': 'Revalidated after write',
  'abuse-protection': 'Protected from abuse',
  'narrow-contract': 'Narrow input contract',
};

export const STATUS_ICONS: Record<CheckStatus, IconSpec> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  fail: { id: 'error', color: 'problemsErrorIcon.foreground' },
  'n/a': { id: 'circle-slash', color: 'disabledForeground' },
};

const STATUS_TEXT: Record<CheckStatus, string> = { pass: 'pass', fail: 'fail', 'n/a': 'not applicable' };
const CONTEXT_VALUES: Record<CheckStatus, CheckContextValue> = { pass: 'check.pass', fail: 'check.fail', 'n/a': 'check.na' };

const KIND_TEXT: Record<ActionChecklist['kind'], string> = {
  'file-directive': "exported from a 'use server' file",
  'inline-directive': "inline 'use server' function",
  'action-client': 'built with an action client',
};

export interface TreeOptions {
  /** The label of a file: its path relative to the workspace. */
  relativePath(uri: string): string;
}

/** The checklists the panel shows, one per file, as pushed by the server (checklistChanged, audit results). */
export class ChecklistModel {
  private readonly files = new Map<string, FileChecklist>();

  /** Returns whether anything visible changed. A file without actions leaves the panel. */
  update(checklist: FileChecklist): boolean {
    const previous = this.files.get(checklist.uri);
    if (checklist.actions.length === 0) return this.files.delete(checklist.uri);
    if (previous && JSON.stringify(previous) === JSON.stringify(checklist)) return false;
    this.files.set(checklist.uri, checklist);
    return true;
  }

  clear(): void {
    this.files.clear();
  }

  get size(): number {
    return this.files.size;
  }

  counts(): { actions: number; failingActions: number } {
    let actions = 0;
    let failingActions = 0;
    for (const file of this.files.values()) {
      for (const action of file.actions) {
        actions++;
        if (isFailing(action)) failingActions++;
      }
    }
    return { actions, failingActions };
  }

  tree(options: TreeOptions): FileNode[] {
    return [...this.files.values()]
      .map((file) => fileNode(file, options))
      .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
}

export function isFailing(action: ActionChecklist): boolean {
  return action.checks.some((check) => check.status === 'fail');
}

function fileNode(file: FileChecklist, options: TreeOptions): FileNode {
  const label = options.relativePath(file.uri);
  const seen = new Map<string, number>();
  const actions = [...file.actions]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((action) => {
      // Ids stay stable while the user types above an action (lines shift), so expansion state survives.
      const occurrence = seen.get(action.name) ?? 0;
      seen.set(action.name, occurrence + 1);
      return actionNode(file.uri, action, `${file.uri}#${action.name}#${occurrence}`);
    });
  const failingActions = actions.filter((action) => action.failing).length;
  const count = `${actions.length} ${actions.length === 1 ? 'action' : 'actions'}`;
  return {
    kind: 'file',
    id: file.uri,
    uri: file.uri,
    label,
    description: failingActions > 0 ? `${count}, ${failingActions} failing` : count,
    tooltip: `${label}: ${count}${failingActions > 0 ? `, ${failingActions} failing at least one check` : ', all checks pass'}`,
    failingActions,
    actions,
  };
}

function actionNode(uri: string, action: ActionChecklist, id: string): ActionNode {
  const checks = action.checks.map((check) => checkNode(uri, action, check, id));
  const failed = checks.filter((check) => check.status === 'fail');
  const failing = failed.length > 0;
  return {
    kind: 'action',
    id,
    uri,
    name: action.name,
    label: action.name,
    description: failing ? `${failed.length} failing` : 'all checks pass',
    tooltip: `${action.name} (${KIND_TEXT[action.kind] ?? action.kind})${
      failing ? `\nFailing: ${failed.map((check) => check.ruleId).join(', ')}` : ''
    }`,
    range: action.range,
    failing,
    icon: failing ? { id: 'warning', color: 'problemsWarningIcon.foreground' } : { id: 'shield', color: 'testing.iconPassed' },
    contextValue: failing ? 'action.fail' : 'action.pass',
    checks,
  };
}

function checkNode(uri: string, action: ActionChecklist, check: ChecklistItem, parentId: string): CheckNode {
  const label = CHECK_LABELS[check.ruleId] ?? check.ruleId;
  const status = check.status;
  const statusText = STATUS_TEXT[status] ?? String(status);
  const reason = check.reason?.trim();
  return {
    kind: 'check',
    id: `${parentId}/${check.ruleId}`,
    uri,
    action: action.name,
    ruleId: check.ruleId,
    status,
    label,
    description: reason || statusText,
    tooltip: `${check.ruleId}: ${statusText}${reason ? `\n${reason}` : ''}`,
    range: check.range ?? action.range,
    icon: STATUS_ICONS[status] ?? STATUS_ICONS['n/a'],
    contextValue: CONTEXT_VALUES[status] ?? 'check.na',
  };
}
