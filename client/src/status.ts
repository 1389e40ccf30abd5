import * as vscode from 'vscode';
import type { StatusParams } from '../../shared/protocol';

/**
 * The status bar item: "starting…" until the server's first analysis, then the failing Server Actions of the
 * workspace (hidden while there are none); a click focuses the "Server Actions" panel.
 */
export class GuardStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('serverActionGuard.status', vscode.StatusBarAlignment.Left, 50);
  private status: StatusParams = { actions: 0, failingActions: 0 };
  private busy = false;
  private starting = true;

  constructor() {
    this.item.name = 'Server Action Guard';
    this.item.command = 'serverActionGuard.checklist.focus';
    this.render();
  }

  /** Back to "starting…" (the server restarts). */
  restart(): void {
    this.starting = true;
    this.status = { actions: 0, failingActions: 0 };
    this.render();
  }

  /** The first analysis is done, or there is nothing to analyse yet. */
  started(): void {
    this.starting = false;
    this.render();
  }

  update(status: StatusParams): void {
    this.status = status;
    this.starting = false;
    this.render();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  private render(): void {
    if (this.starting) {
      this.item.text = '$(sync~spin) Server Action Guard: starting…';
      this.item.tooltip = 'Server Action Guard: starting the language server and analysing the open files.';
      this.item.accessibilityInformation = { label: 'Server Action Guard: starting' };
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const { actions, failingActions } = this.status;
    if (actions === 0 && !this.busy) {
      this.item.hide();
      return;
    }
    const icon = this.busy ? '$(sync~spin)' : failingActions > 0 ? '$(shield)' : '$(pass)';
    this.item.text = `${icon} ${failingActions}`;
    this.item.accessibilityInformation = {
      label: `Server Action Guard: ${failingActions} of ${actions} server actions failing${this.busy ? ', auditing' : ''}`,
    };
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
