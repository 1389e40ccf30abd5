import * as vscode from 'vscode';
import type { StatusParams } from '../../shared/protocol';

/** The status bar item: failing Server Actions in the workspace; a click focuses the "Server Actions" panel. */
export class GuardStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('serverActionGuard.status', vscode.StatusBarAlignment.Left, 50);
  private status: StatusParams = { actions: 0, failingActions: 0 };
  private busy = false;

  constructor() {
    this.item.name = 'Server Action Guard';
    this.item.command = 'serverActionGuard.checklist.focus';
    this.render();
  }

  update(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  private render(): void {
    const { actions, failingActions } = this.status;
    if (actions === 0 && !this.busy) {
      this.item.hide();
      return;
    }
    const icon = this.busy ? '$(sync~spin)' : failingActions > 0 ? '$(shield)' : '$(pass)';
    this.item.text = `${icon} ${failingActions}`;
    this.item.tooltip =
      `Server Action Guard: ${failingActions} of ${actions} server ${actions === 1 ? 'action fails' : 'actions fail'} ` +
      `at least one check${this.busy ? ' (auditing…)' : ''}. Click to open the Server Actions panel.`;
    this.item.backgroundColor = failingActions > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
