import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExportReportRequest, type ExportReportParams, type ExportReportResult } from '../../../shared/protocol';

interface FormatChoice extends vscode.QuickPickItem {
  format: ExportReportParams['format'];
  extension: string;
  filter: string;
}

const FORMATS: FormatChoice[] = [
  { label: 'Markdown', detail: 'A readable report with a checklist per Server Action', format: 'markdown', extension: 'md', filter: 'Markdown' },
  { label: 'SARIF', detail: 'SARIF 2.1.0 for GitHub code scanning and SARIF viewers', format: 'sarif', extension: 'sarif', filter: 'SARIF' },
  { label: 'JSON', detail: 'The audit report JSON contract (same as the CLI)', format: 'json', extension: 'json', filter: 'JSON' },
];

/** Arguments for running the command without pickers (keybindings, tasks, tests). */
export interface ExportOptions {
  format?: ExportReportParams['format'];
  target?: vscode.Uri | string;
}

/** "Export Audit Report": pick a format and a file, render the last audit on the server (auditing first if none). */
export async function exportReport(client: LanguageClient, options: ExportOptions = {}): Promise<vscode.Uri | undefined> {
  const choice = options.format
    ? FORMATS.find((format) => format.format === options.format)
    : await vscode.window.showQuickPick(FORMATS, { title: 'Export Audit Report', placeHolder: 'Report format' });
  if (!choice) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target =
    typeof options.target === 'string'
      ? vscode.Uri.file(options.target)
      : (options.target ??
        (await vscode.window.showSaveDialog({
          title: 'Export Audit Report',
          defaultUri: folder ? vscode.Uri.joinPath(folder, `server-action-guard-report.${choice.extension}`) : undefined,
          filters: { [choice.filter]: [choice.extension] },
        })));
  if (!target) return undefined;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Server Action Guard: exporting report' },
      () => client.sendRequest<ExportReportResult>(ExportReportRequest, { format: choice.format } satisfies ExportReportParams),
    );
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.content));
  } catch (error) {
    void vscode.window.showErrorMessage(`Server Action Guard: export failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`Server Action Guard: report saved to ${target.fsPath}`, 'Open').then((open) => {
    if (open) void vscode.window.showTextDocument(target);
  });
  return target;
}
