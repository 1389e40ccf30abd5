/**
 * The VS Code client: starts the language server (over stdio), shows its results in the "Server Actions" panel and
 * the status bar, and contributes the audit/export commands. All analysis happens in the server process.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, type LanguageClientOptions } from 'vscode-languageclient/node';
import {
  ChecklistChangedNotification,
  CONFIGURATION_SECTION,
  SHOW_RULE_DOCS_COMMAND,
  StatusNotification,
  type ChecklistChangedParams,
  type InitializationOptions,
  type StatusParams,
} from '../../shared/protocol';
import { ChecklistModel, type CheckNode, type FolderNode } from './checklist/model';
import { CHECKLIST_VIEW, ChecklistProvider, REVEAL_RANGE_COMMAND } from './checklist/provider';
import { auditWorkspace } from './commands/audit';
import { applyQuickFix, openRuleDocs, revealRange } from './commands/checks';
import { exportReport, type ExportOptions } from './commands/export';
import { serverProcess } from './serverProcess';
import { GuardStatusBar } from './status';

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
/** Workspace state: whether the panel shows failing actions only. */
const FAILING_ONLY_STATE = 'serverActionGuard.failingOnly';
/** Context keys for the manifest's `when` clauses. */
const CONTEXT = {
  starting: 'serverActionGuard.starting',
  failingOnly: 'serverActionGuard.failingOnly',
  hasActions: 'serverActionGuard.hasActions',
} as const;

let client: LanguageClient | undefined;
/** When this bundle finished loading: with activate's start, where a slow activation spends its time. */
const bundleLoaded = Date.now();

/** What `activate` returns (`vscode.extensions.getExtension(...).exports`), for integration tests and other extensions. */
export interface GuardExtensionApi {
  /** Resolves once the language server runs (rejects if it could not start). */
  ready: Promise<void>;
  /** The "Server Actions" panel's tree as currently shown: folders → files → actions → checks. */
  checklistTree(): FolderNode[];
}

export async function activate(context: vscode.ExtensionContext): Promise<GuardExtensionApi> {
  const activated = Date.now();
  const output = vscode.window.createOutputChannel('Server Action Guard', { log: true });
  output.info(`Activating at ${new Date(activated).toISOString()} (${activated - bundleLoaded} ms after the extension bundle loaded)`);
  const model = new ChecklistModel();
  const provider = new ChecklistProvider(model);
  provider.failingOnly = context.workspaceState.get<boolean>(FAILING_ONLY_STATE, false);
  const view = vscode.window.createTreeView(CHECKLIST_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  const statusBar = new GuardStatusBar();
  context.subscriptions.push(output, provider, view, statusBar);

  let starting = true;
  const refreshView = (): void => {
    provider.refresh();
    const { actions, failingActions } = model.counts();
    view.description = provider.failingOnly ? 'failing only' : undefined;
    view.message = starting
      ? 'Analysing Server Actions…'
      : provider.failingOnly && actions > 0 && failingActions === 0
        ? `No failing Server Actions: all ${actions} pass their checks.`
        : undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT.starting, starting);
    void vscode.commands.executeCommand('setContext', CONTEXT.hasActions, actions > 0);
  };
  const setStarting = (value: boolean): void => {
    if (starting === value) return;
    starting = value;
    if (value) statusBar.restart();
    else statusBar.started();
    refreshView();
  };
  const setFailingOnly = async (value: boolean): Promise<void> => {
    provider.failingOnly = value;
    await context.workspaceState.update(FAILING_ONLY_STATE, value);
    await vscode.commands.executeCommand('setContext', CONTEXT.failingOnly, value);
    refreshView();
  };
  void vscode.commands.executeCommand('setContext', CONTEXT.failingOnly, provider.failingOnly);
  refreshView();

  const serverOptions = serverProcess(context.asAbsolutePath(path.join('dist', 'server.js')), {
    compileCache: path.join(context.globalStorageUri.fsPath, 'compile-cache'),
    // Like the language client: a debugged extension host gets a debuggable server.
    debug: process.execArgv.some((arg) => /^--(inspect|debug)(-brk)?(=|$)/.test(arg)),
  });
  const isServed = (document: vscode.TextDocument): boolean =>
    document.uri.scheme === 'file' && LANGUAGES.includes(document.languageId);
  // Start-up profile: when the editor told this extension about the first document the server will analyse.
  const firstOpen = vscode.workspace.onDidOpenTextDocument((document) => {
    if (!isServed(document)) return;
    firstOpen.dispose();
    output.info(`First document opened (${vscode.workspace.asRelativePath(document.uri)}) ${Date.now() - activated} ms after activation`);
  });
  context.subscriptions.push(firstOpen);
  let firstDiagnostics = true;
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    outputChannel: output,
    // The server pulls settings per resource after these first values; see the configuration listener below.
    initializationOptions: (): InitializationOptions => ({ folderSettings: folderSettings() }),
    middleware: {
      // The docs code action's command: shown here as a Markdown preview rather than as text by the server.
      executeCommand: (command, args, next) =>
        command === SHOW_RULE_DOCS_COMMAND && typeof args[0] === 'string'
          ? openRuleDocs(languageClient, { ruleId: args[0] as CheckNode['ruleId'] })
          : next(command, args),
      handleDiagnostics: (uri, diagnostics, next) => {
        if (firstDiagnostics) {
          firstDiagnostics = false;
          output.info(`First diagnostics (${vscode.workspace.asRelativePath(uri)}) ${Date.now() - activated} ms after activation`);
        }
        next(uri, diagnostics);
      },
    },
  };
  const languageClient = new LanguageClient(CONFIGURATION_SECTION, 'Server Action Guard', serverOptions, clientOptions);
  client = languageClient;

  context.subscriptions.push(
    // Only a change: the server has the settings from `initialize` (no notification at start-up, which would make it
    // drop them and ask again before its first analysis).
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(CONFIGURATION_SECTION) || !languageClient.isRunning()) return;
      void languageClient.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }),
    languageClient.onNotification(ChecklistChangedNotification, (checklist: ChecklistChangedParams) => {
      if (model.update(checklist)) refreshView();
    }),
    languageClient.onNotification(StatusNotification, (status: StatusParams) => {
      statusBar.update(status);
      setStarting(false);
    }),
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
      setStarting(true);
      refreshView();
      await languageClient.restart();
      waitForFirstAnalysis();
    }),
    vscode.commands.registerCommand('serverActionGuard.showFailingOnly', () => setFailingOnly(true)),
    vscode.commands.registerCommand('serverActionGuard.showAllActions', () => setFailingOnly(false)),
    vscode.commands.registerCommand(REVEAL_RANGE_COMMAND, (uri: string, range: CheckNode['range']) => revealRange(uri, range)),
    vscode.commands.registerCommand('serverActionGuard.applyQuickFix', (node?: CheckNode) =>
      node?.kind === 'check' ? applyQuickFix(node) : vscode.commands.executeCommand('editor.action.quickFix'),
    ),
    vscode.commands.registerCommand('serverActionGuard.openRuleDocs', (node?: CheckNode) =>
      node?.ruleId ? openRuleDocs(languageClient, node) : undefined,
    ),
  );

  /** The server's first status follows its first analysis; with no document for it to analyse, none comes. */
  const waitForFirstAnalysis = (): void => {
    if (!vscode.workspace.textDocuments.some(isServed)) setStarting(false);
  };

  output.info(`Starting the language server (${Date.now() - activated} ms after activation)`);
  const ready = languageClient.start();
  ready.then(
    () => {
      output.info(`Language server ready ${Date.now() - activated} ms after activation`);
      waitForFirstAnalysis();
    },
    (error: unknown) => {
      setStarting(false);
      output.error(`The language server failed to start: ${error instanceof Error ? error.stack : String(error)}`);
      void vscode.window.showErrorMessage('Server Action Guard: the language server failed to start. See the output channel.');
    },
  );
  return {
    ready,
    checklistTree: () => provider.roots(),
  };
}

/** The settings section of every workspace folder, as the language client answers `workspace/configuration`. */
function folderSettings(): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const section: unknown = vscode.workspace.getConfiguration(undefined, folder.uri).get(CONFIGURATION_SECTION);
    if (section !== undefined) settings[folder.uri.toString()] = JSON.parse(JSON.stringify(section)) as unknown;
  }
  return settings;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
