import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { AuditWorkspaceRequest, type AuditWorkspaceParams, type AuditWorkspaceResult } from '../../../shared/protocol';

export interface AuditHooks {
  onResult(result: AuditWorkspaceResult): void;
  setBusy(busy: boolean): void;
}

let counter = 0;

/**
 * "Server Action Guard: Audit Workspace": a cancellable progress notification fed by the server's work-done
 * progress (file counts), ending with a summary. Cancelling cancels the request; the server stops between files.
 */
export async function auditWorkspace(client: LanguageClient, hooks: AuditHooks): Promise<AuditWorkspaceResult | undefined> {
  hooks.setBusy(true);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Server Action Guard: auditing workspace', cancellable: true },
      async (progress, token) => {
        const workDoneToken = `server-action-guard-audit-${Date.now()}-${counter++}`;
        let reported = 0;
        const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') return;
          const increment = value.percentage !== undefined ? Math.max(0, value.percentage - reported) : undefined;
          if (value.percentage !== undefined) reported = Math.max(reported, value.percentage);
          progress.report({ message: value.message, increment });
        });
        try {
          const params: AuditWorkspaceParams = { workDoneToken };
          return await client.sendRequest<AuditWorkspaceResult>(AuditWorkspaceRequest, params, token);
        } finally {
          listener.dispose();
        }
      },
    );
    if (!result) return undefined;
    hooks.onResult(result);
    void announce(result);
    return result;
  } catch (error) {
    void vscode.window.showErrorMessage(`Server Action Guard: the audit failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    hooks.setBusy(false);
  }
}

async function announce(result: AuditWorkspaceResult): Promise<void> {
  const files = `${result.files} ${result.files === 1 ? 'file' : 'files'}`;
  const summary = result.cancelled
    ? `Audit cancelled after ${files}.`
    : `Audited ${files}: ${result.actions} server actions, ${result.failing} failing, ${result.findings} findings.`;
  const choice = await vscode.window.showInformationMessage(`Server Action Guard: ${summary}`, 'Show Panel', 'Export Report');
  if (choice === 'Show Panel') await vscode.commands.executeCommand('serverActionGuard.checklist.focus');
  if (choice === 'Export Report') await vscode.commands.executeCommand('serverActionGuard.exportReport');
}
