import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE, RULE_DOCS_COMMAND, type LspRange } from '../../../shared/protocol';
import type { CheckNode } from '../checklist/model';

export function toRange(range: LspRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** Opens the file with the range selected (clicking an action or a check in the panel). */
export async function revealRange(uri: string, range: LspRange): Promise<vscode.TextEditor> {
  const selection = toRange(range);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection, preserveFocus: false });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

interface FixChoice extends vscode.QuickPickItem {
  action: vscode.CodeAction;
}

/**
 * "Apply Quick Fix…" on a failed check: the quick fixes of that rule at the check's range, picked from a list and
 * applied; without any, the editor's own quick-fix menu opens at the range.
 */
export async function applyQuickFix(node: CheckNode): Promise<void> {
  const uri = vscode.Uri.parse(node.uri);
  const range = toRange(node.range);
  await revealRange(node.uri, node.range);
  const offered =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  const fixes = offered
    .filter((action): action is vscode.CodeAction => typeof (action as vscode.Command).command !== 'string')
    .filter((action) => action.diagnostics?.some((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === node.ruleId));
  if (fixes.length === 0) {
    await vscode.commands.executeCommand('editor.action.quickFix');
    return;
  }
  const choice = await vscode.window.showQuickPick<FixChoice>(
    fixes.map((action) => ({
      label: action.title,
      description: action.isPreferred ? 'preferred' : undefined,
      action,
    })),
    { title: `Quick fixes for ${node.ruleId} in ${node.action}`, placeHolder: 'Apply a fix' },
  );
  if (!choice) return;
  if (choice.action.edit) await vscode.workspace.applyEdit(choice.action.edit);
  if (choice.action.command) {
    await vscode.commands.executeCommand(choice.action.command.command, ...(choice.action.command.arguments ?? []));
  }
}

/**
 * "Open Rule Docs" and the "Show documentation for <rule>" code action: the rule's page shipped with the extension
 * (the server knows where), as a Markdown preview beside the editor.
 */
export async function openRuleDocs(client: LanguageClient, node: Pick<CheckNode, 'ruleId'>): Promise<void> {
  const url: unknown = await client.sendRequest(ExecuteCommandRequest.type, { command: RULE_DOCS_COMMAND, arguments: [node.ruleId] });
  if (typeof url !== 'string') {
    void vscode.window.showWarningMessage(`Server Action Guard: no docs for ${node.ruleId}`);
    return;
  }
  const uri = vscode.Uri.parse(url);
  if (uri.scheme === 'file') await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  else await vscode.env.openExternal(uri);
}

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? code.value : code;
}
