import * as vscode from 'vscode';
import { ChecklistModel, type IconSpec, type TreeNode } from './model';

export const CHECKLIST_VIEW = 'serverActionGuard.checklist';
export const REVEAL_RANGE_COMMAND = 'serverActionGuard.revealRange';

/** The "Server Actions" tree: the model's nodes as tree items; clicking an action or a check reveals its range. */
export class ChecklistProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(readonly model: ChecklistModel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!element) {
      const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
      return this.model.tree({ relativePath: (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri), multiRoot) });
    }
    if (element.kind === 'file') return element.actions;
    if (element.kind === 'action') return element.checks;
    return [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.resourceUri = vscode.Uri.parse(node.uri);
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.contextValue = 'file';
      return item;
    }
    const state =
      node.kind === 'action'
        ? node.failing
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = themeIcon(node.icon);
    item.contextValue = node.contextValue;
    if (node.kind === 'action' || node.status !== 'n/a') {
      item.command = {
        command: REVEAL_RANGE_COMMAND,
        title: 'Reveal',
        arguments: [node.uri, node.range],
      };
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function themeIcon(icon: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}
