/**
 * The VS Code client: starts the language server over Node IPC, shows its results in the "Server Actions" panel and
 * the status bar, and contributes the audit/export commands. All analysis happens in the server process.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ChecklistChangedNotification,
  CONFIGURATION_SECTION,
  StatusNotification,
  type ChecklistChangedParams,
  type StatusParams,
} from '../../shared/protocol';
import { ChecklistModel, type CheckNode, type FileNode } from './checklist/model';
import { CHECKLIST_VIEW, ChecklistProvider, REVEAL_RANGE_COMMAND } from './checklist/provider';
import { auditWorkspace } from './commands/audit';
import { applyQuickFix, openRuleDocs, revealRange } from './commands/checks';
import { exportReport, type ExportOptions } from './commands/export';
import { GuardStatusBar } from './status';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

let client: LanguageClient | undefined;

/** What `activate` returns (`vscode.extensions.getExtension(...).exports`), for integration tests and other extensions. */
export interface GuardExtensionApi {
  /** Resolves once the language server runs (rejects if it could not start). */
  ready: Promise<void>;
  /** The "Server Actions" panel's tree as currently shown: files → actions → checks. */
  checklistTree(): FileNode[];
}

export async function activate(context: vscode.ExtensionContext): Promise<GuardExtensionApi> {
  const output = vscode.window.createOutputChannel('Server Action Guard', { log: true });
  const model = new ChecklistModel();
  const provider = new ChecklistProvider(model);
  const view = vscode.window.createTreeView(CHECKLIST_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  const statusBar = new GuardStatusBar();
  context.subscriptions.push(output, provider, view, statusBar);

  const refreshView = (): void => {
    provider.refresh();
    const { actions, failingActions } = model.counts();
    view.badge = failingActions > 0 ? { value: failingActions, tooltip: `${failingActions} of ${actions} server actions failing` } : undefined;
  };

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    outputChannel: output,
    // The server pulls settings per resource; this only tells it when they changed.
    synchronize: { configurationSection: CONFIGURATION_SECTION },
  };
  const languageClient = new LanguageClient(CONFIGURATION_SECTION, 'Server Action Guard', serverOptions, clientOptions);
  client = languageClient;

  context.subscriptions.push(
    languageClient.onNotification(ChecklistChangedNotification, (checklist: ChecklistChangedParams) => {
      if (model.update(checklist)) refreshView();
    }),
    languageClient.onNotification(StatusNotification, (status: StatusParams) => statusBar.update(status)),
    vscode.commands.registerCommand('serverActionGuard.auditWorkspace', () =>
      auditWorkspace(languageClient, {
        onResult: (result) => {
          let changed = false;
          for (const checklist of result.checklists) changed = model.update(checklist) || changed;
          if (changed) refreshView();
        },
        setBusy: (busy) => statusBar.setBusy(busy),
      }),
    ),
    vscode.commands.registerCommand('serverActionGuard.exportReport', (options?: ExportOptions) =>
      exportReport(languageClient, options && typeof options === 'object' ? options : {}),
    ),
    vscode.commands.registerCommand('serverActionGuard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('serverActionGuard.restartServer', async () => {
      model.clear();
      refreshView();
      statusBar.update({ actions: 0, failingActions: 0 });
      await languageClient.restart();
    }),
    vscode.commands.registerCommand(REVEAL_RANGE_COMMAND, (uri: string, range: CheckNode['range']) => revealRange(uri, range)),
    vscode.commands.registerCommand('serverActionGuard.applyQuickFix', (node?: CheckNode) =>
      node?.kind === 'check' ? applyQuickFix(node) : vscode.commands.executeCommand('editor.action.quickFix'),
    ),
    vscode.commands.registerCommand('serverActionGuard.openRuleDocs', (node?: CheckNode) =>
      node?.ruleId ? openRuleDocs(languageClient, node) : undefined,
    ),
  );

  const ready = languageClient.start();
  ready.catch((error: unknown) => {
    output.error(`The language server failed to start: ${error instanceof Error ? error.stack : String(error)}`);
    void vscode.window.showErrorMessage('Server Action Guard: the language server failed to start. See the output channel.');
  });
  return {
    ready,
    checklistTree: () => provider.getChildren() as FileNode[],
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
