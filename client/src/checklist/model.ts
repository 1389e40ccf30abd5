/**
 * The "Server Actions" panel as plain data: folders → files → actions → the eight checks, with labels, icons and
 * context values decided here so they can be unit tested without the editor. The tree provider only maps these nodes
 * to `vscode.TreeItem`s.
 */
import type { ActionChecklist, CheckStatus, ChecklistItem, FileChecklist, LspRange } from '../../../shared/protocol';
import type { ChecklistRuleId, Severity } from '../../../shared/settings';

/** A codicon id and an optional theme color id (rendered as `ThemeIcon(id, ThemeColor(color))`). */
export interface IconSpec {
  id: string;
  color?: string;
}

export type CheckContextValue = 'check.fail' | 'check.pass' | 'check.na';

/** The files of one folder, labelled with the folder's whole path relative to the workspace. */
export interface FolderNode {
  kind: 'folder';
  id: string;
  /** `app/(dashboard)/settings`; the workspace folder itself is `.` (or its name in a multi-root workspace). */
  label: string;
  description: string;
  tooltip: string;
  failingActions: number;
  files: FileNode[];
}

export interface FileNode {
  kind: 'file';
  id: string;
  uri: string;
  /** The file name; its folder is the parent node. */
  label: string;
  /** The path relative to the workspace, for the tooltip. */
  path: string;
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
  /** For a failing check, the severity of the finding behind it. */
  severity?: Severity;
  label: string;
  description: string;
  tooltip: string;
  /** Where clicking goes: the first finding of the rule, or the action itself. */
  range: LspRange;
  icon: IconSpec;
  contextValue: CheckContextValue;
}

export type TreeNode = FolderNode | FileNode | ActionNode | CheckNode;

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

/** A failing check looks like the finding behind it does in the Problems panel. */
export const SEVERITY_ICONS: Record<Severity, IconSpec> = {
  error: { id: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
};

export const STATUS_ICONS: Record<Exclude<CheckStatus, 'fail'>, IconSpec> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  'n/a': { id: 'circle-slash', color: 'disabledForeground' },
};

const PASSING_ACTION_ICON: IconSpec = { id: 'shield', color: 'testing.iconPassed' };
/** A failing check whose severity a server did not send (an older server): a warning, as it used to be. */
const UNKNOWN_SEVERITY: Severity = 'warning';
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

const STATUS_TEXT: Record<CheckStatus, string> = { pass: 'pass', fail: 'fail', 'n/a': 'not applicable' };
const CONTEXT_VALUES: Record<CheckStatus, CheckContextValue> = { pass: 'check.pass', fail: 'check.fail', 'n/a': 'check.na' };

const KIND_TEXT: Record<ActionChecklist['kind'], string> = {
  'file-directive': "exported from a 'use server' file",
  'inline-directive': "inline 'use server' function",
  'action-client': 'built with an action client',
};

export interface TreeOptions {
  /** A file's path relative to the workspace, with forward slashes (`app/notes/actions.ts`). */
  relativePath(uri: string): string;
  /** Only failing actions, and of those only their failing checks. */
  failingOnly?: boolean;
  /** The label of the folder of files at the top of the workspace (default `.`). */
  rootLabel?: string;
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

  /** Folders sorted by path, their files by name, actions in file order. */
  tree(options: TreeOptions): FolderNode[] {
    const byFolder = new Map<string, FileNode[]>();
    for (const file of this.files.values()) {
      const node = fileNode(file, options);
      if (!node) continue;
      const folder = folderOf(node.path);
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), node]);
    }
    return [...byFolder]
      .sort(([a], [b]) => compare(a, b))
      .map(([folder, files]) => folderNode(folder, files.sort((a, b) => compare(a.label, b.label)), options));
  }
}

export function isFailing(action: ActionChecklist): boolean {
  return action.checks.some((check) => check.status === 'fail');
}

/** The folder part of a relative path, `.` for a file at the top. */
function folderOf(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash < 0 ? '.' : relativePath.slice(0, slash);
}

function folderNode(folder: string, files: FileNode[], options: TreeOptions): FolderNode {
  const label = folder === '.' ? (options.rootLabel ?? '.') : folder;
  const actions = files.reduce((sum, file) => sum + file.actions.length, 0);
  const failingActions = files.reduce((sum, file) => sum + file.failingActions, 0);
  const fileCount = plural(files.length, 'file');
  return {
    kind: 'folder',
    id: `folder:${folder}`,
    label,
    description: `${plural(actions, 'action')}${failingActions > 0 ? `, ${failingActions} failing` : ''}`,
    tooltip: `${label}: ${fileCount}, ${plural(actions, 'action')}${failingActions > 0 ? `, ${failingActions} failing` : ''}`,
    failingActions,
    files,
  };
}

function fileNode(file: FileChecklist, options: TreeOptions): FileNode | undefined {
  const relative = options.relativePath(file.uri);
  const seen = new Map<string, number>();
  const all = [...file.actions]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((action) => {
      // Ids stay stable while the user types above an action (lines shift), so expansion state survives.
      const occurrence = seen.get(action.name) ?? 0;
      seen.set(action.name, occurrence + 1);
      return actionNode(file.uri, action, `${file.uri}#${action.name}#${occurrence}`, options);
    });
  const failingActions = all.filter((action) => action.failing).length;
  const actions = options.failingOnly ? all.filter((action) => action.failing) : all;
  if (actions.length === 0) return undefined;
  const count = plural(all.length, 'action');
  return {
    kind: 'file',
    id: file.uri,
    uri: file.uri,
    label: relative.slice(relative.lastIndexOf('/') + 1),
    path: relative,
    description: failingActions > 0 ? `${count}, ${failingActions} failing` : count,
    tooltip: `${relative}: ${count}${failingActions > 0 ? `, ${failingActions} failing at least one check` : ', all checks pass'}`,
    failingActions,
    actions,
  };
}

function actionNode(uri: string, action: ActionChecklist, id: string, options: TreeOptions): ActionNode {
  const all = action.checks.map((check) => checkNode(uri, action, check, id));
  const failed = all.filter((check) => check.status === 'fail');
  const failing = failed.length > 0;
  const worst = failed.reduce<Severity | undefined>(
    (most, check) => (!most || SEVERITY_RANK[check.severity!] > SEVERITY_RANK[most] ? check.severity : most),
    undefined,
  );
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
    icon: worst ? SEVERITY_ICONS[worst] : PASSING_ACTION_ICON,
    contextValue: failing ? 'action.fail' : 'action.pass',
    checks: options.failingOnly ? failed : all,
  };
}

function checkNode(uri: string, action: ActionChecklist, check: ChecklistItem, parentId: string): CheckNode {
  const label = CHECK_LABELS[check.ruleId] ?? check.ruleId;
  const status = check.status;
  const statusText = STATUS_TEXT[status] ?? String(status);
  const reason = check.reason?.trim();
  const severity = status === 'fail' ? (SEVERITY_ICONS[check.severity!] ? check.severity! : UNKNOWN_SEVERITY) : undefined;
  return {
    kind: 'check',
    id: `${parentId}/${check.ruleId}`,
    uri,
    action: action.name,
    ruleId: check.ruleId,
    status,
    ...(severity ? { severity } : {}),
    label,
    description: reason || statusText,
    tooltip: `${check.ruleId}: ${statusText}${severity ? ` (${severity})` : ''}${reason ? `\n${reason}` : ''}`,
    range: check.range ?? action.range,
    icon: severity ? SEVERITY_ICONS[severity] : (STATUS_ICONS[status as Exclude<CheckStatus, 'fail'>] ?? STATUS_ICONS['n/a']),
    contextValue: CONTEXT_VALUES[status] ?? 'check.na',
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Code-unit order, so the panel does not depend on the machine's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
