import * as vscode from 'vscode';
import { ChecklistModel, type FolderNode, type IconSpec, type TreeNode } from './model';

export const CHECKLIST_VIEW = 'serverActionGuard.checklist';
export const REVEAL_RANGE_COMMAND = 'serverActionGuard.revealRange';

/**
 * The "Server Actions" tree: the model's nodes as tree items, every level collapsed until the user opens it (a
 * workspace has hundreds of actions of nine rows each); clicking an action or a check reveals its range.
 */
export class ChecklistProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  failingOnly = false;

  constructor(readonly model: ChecklistModel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  roots(): FolderNode[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const multiRoot = folders.length > 1;
    return this.model.tree({
      relativePath: (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri), multiRoot),
      failingOnly: this.failingOnly,
      rootLabel: multiRoot ? undefined : folders[0]?.name,
    });
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!element) return this.roots();
    if (element.kind === 'folder') return element.files;
    if (element.kind === 'file') return element.actions;
    if (element.kind === 'action') return element.checks;
    return [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.label, collapsed);
      item.id = node.id;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.contextValue = 'folder';
      return item;
    }
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.label, collapsed);
      item.id = node.id;
      item.resourceUri = vscode.Uri.parse(node.uri);
      item.iconPath = vscode.ThemeIcon.File;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.contextValue = 'file';
      return item;
    }
    const item = new vscode.TreeItem(node.label, node.kind === 'action' ? collapsed : vscode.TreeItemCollapsibleState.None);
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
