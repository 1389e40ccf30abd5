/**
 * The language server entry: LSP messages wired to the service. Runs over stdio (`node dist/server.js --stdio`, for
 * any editor) or Node IPC (`--node-ipc`, how VS Code starts it); createConnection picks the transport from argv.
 */
import * as fs from 'node:fs';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CodeActionParams,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { version } from '../../../package.json';
import {
  AuditWorkspaceRequest,
  ChecklistRequest,
  ExportReportRequest,
  FIX_ALL_KIND,
  RULE_DOCS_COMMAND,
  SHOW_RULE_DOCS_COMMAND,
  type AuditWorkspaceParams,
  type AuditWorkspaceResult,
  type ChecklistParams,
  type ChecklistResult,
  type ExportReportParams,
  type ExportReportResult,
  type InitializationOptions,
} from '../../../shared/protocol';
import type { CancellationToken } from '../engine';
import { WorkspaceAuditor } from './audit';
import { fixAllAction, quickFixActions, wantsKind, type DocumentView } from './codeActions';
import { isRuleId, ruleDocsUri } from './docs';
import { Logger, describeError } from './log';
import { GuardService } from './service';
import { StartupProfile } from './startup';
import { uriToPath } from './uri';

const WATCHED_GLOB = '**/*.{ts,tsx,js,jsx,mts,cts,mjs,cjs}';
const WATCHED_CONFIGS = ['**/tsconfig.json', '**/jsconfig.json', '**/package.json', '**/server-action-guard.config.json'];

const startup = new StartupProfile();
startup.mark('bundle loaded');
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = new Logger(connection.console);
let service: GuardService | undefined;
let auditor: WorkspaceAuditor | undefined;
let watchFilesDynamically = false;
let progressSupported = false;
let showDocumentSupported = false;

process.on('uncaughtException', (error) => log.error('Unexpected error (the server keeps running)', error));
process.on('unhandledRejection', (error) => log.error('Unhandled rejection (the server keeps running)', error));

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as { [K in keyof InitializationOptions]?: unknown };
  const debounceMs =
    typeof options.debounceMs === 'number' && options.debounceMs >= 0 ? Math.min(options.debounceMs, 5000) : 200;
  startup.mark('initialize');
  service = new GuardService(connection, documents, log, { debounceMs, startup });
  auditor = new WorkspaceAuditor(service, log, version);
  service.settings.setPullSupported(params.capabilities.workspace?.configuration === true);
  watchFilesDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  progressSupported = params.capabilities.window?.workDoneProgress === true;
  showDocumentSupported = params.capabilities.window?.showDocument?.support === true;
  service.setWorkspaceFolders(initialFolders(params));
  if (options.folderSettings && typeof options.folderSettings === 'object') {
    service.settings.seed(options.folderSettings as Record<string, unknown>);
  }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: [RULE_DOCS_COMMAND, SHOW_RULE_DOCS_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'server-action-guard', version },
  };
});

connection.onInitialized(() => {
  startup.mark('initialized');
  if (watchFilesDynamically) {
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [WATCHED_GLOB, ...WATCHED_CONFIGS].map((globPattern) => ({ globPattern })),
      })
      .catch((error: unknown) => log.error('Could not register file watchers', error));
  }
  if (service && connection.workspace) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
      const folders = service!.projects.workspaceFolders().filter((f) => !removed.has(f));
      for (const added of event.added) {
        const folder = uriToPath(added.uri);
        if (folder) folders.push(folder);
      }
      service!.setWorkspaceFolders(folders);
    });
  }
  log.info(`Server Action Guard ${version} started (node ${process.version})`);
});

documents.onDidChangeContent((event) => guard('didChange', () => service?.documentChanged(event.document)));
documents.onDidClose((event) => guard('didClose', () => service?.documentClosed(event.document)));
documents.onDidSave((event) => guard('didSave', () => service?.documentSaved(event.document)));

connection.onDidChangeConfiguration((params) => guard('didChangeConfiguration', () => service?.configurationChanged(params.settings)));

connection.onDidChangeWatchedFiles((params) =>
  guard('didChangeWatchedFiles', () => {
    const changes = params.changes.flatMap((change) => {
      const file = uriToPath(change.uri);
      return file ? [{ file, deleted: change.type === FileChangeType.Deleted }] : [];
    });
    service?.filesChanged(changes);
  }),
);

connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
  try {
    if (!service) return [];
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const document = documents.get(params.textDocument.uri);
    const view = documentView(params.textDocument.uri, document);
    if (wantsKind(only, CodeActionKind.QuickFix)) {
      const hasDocs = (ruleId: string): boolean => isRuleId(ruleId) && ruleDocsUri(ruleId) !== undefined;
      actions.push(...quickFixActions(view, params.context.diagnostics, { hasDocs }));
    }
    if (wantsKind(only, FIX_ALL_KIND) && only !== undefined) {
      const file = uriToPath(params.textDocument.uri);
      const result = await service.currentResult(params.textDocument.uri);
      if (file && result) {
        const fixAll = fixAllAction(params.textDocument.uri, service.results.diagnosticsOf(file));
        if (fixAll) actions.push(fixAll);
      }
    }
    return actions;
  } catch (error) {
    log.error('Code actions failed', error);
    return [];
  }
});

connection.onExecuteCommand(async (params) => {
  const ruleId: unknown = params.arguments?.[0];
  const uri = isRuleId(ruleId) ? ruleDocsUri(ruleId) : undefined;
  if (params.command === RULE_DOCS_COMMAND) return uri ?? null;
  if (params.command !== SHOW_RULE_DOCS_COMMAND || !uri) return null;
  if (showDocumentSupported) {
    try {
      await connection.window.showDocument({ uri, takeFocus: true });
    } catch (error) {
      log.error(`Could not show ${uri}`, error);
    }
  }
  return uri;
});

connection.onRequest(ChecklistRequest, async (params: ChecklistParams): Promise<ChecklistResult> => {
  const uri = typeof params?.uri === 'string' ? params.uri : '';
  try {
    const result = service ? await service.currentResult(uri) : undefined;
    return result?.checklist ?? { uri, actions: [] };
  } catch (error) {
    log.error(`Checklist of ${uri} failed`, error);
    return { uri, actions: [] };
  }
});

connection.onRequest(AuditWorkspaceRequest, async (params: AuditWorkspaceParams, token): Promise<AuditWorkspaceResult> => {
  if (!service || !auditor) throw new Error('server not initialized');
  const tokens: CancellationToken[] = [token];
  let progress: WorkDoneProgressReporter;
  if (params?.workDoneToken !== undefined) {
    progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
  } else if (progressSupported) {
    const serverProgress = await connection.window.createWorkDoneProgress();
    tokens.push(serverProgress.token);
    progress = serverProgress;
  } else {
    progress = { begin() {}, report() {}, done() {} };
  }
  return auditor.run(requestedFolders(params?.uris), tokens, progress);
});

connection.onRequest(ExportReportRequest, async (params: ExportReportParams): Promise<ExportReportResult> => {
  if (!service || !auditor) throw new Error('server not initialized');
  const format = params?.format === 'sarif' || params?.format === 'json' ? params.format : 'markdown';
  return { content: await auditor.export(format, requestedFolders(undefined)) };
});

connection.onShutdown(() => service?.dispose());

function initialFolders(params: InitializeParams): string[] {
  const fromFolders = (params.workspaceFolders ?? []).flatMap((folder) => {
    const file = uriToPath(folder.uri);
    return file ? [file] : [];
  });
  if (fromFolders.length > 0) return fromFolders;
  const root = params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? undefined);
  return root ? [root] : [];
}

function requestedFolders(uris: unknown): string[] {
  const folders = service?.projects.workspaceFolders() ?? [];
  if (!Array.isArray(uris) || uris.length === 0) return [...folders];
  return uris.flatMap((uri) => {
    const folder = typeof uri === 'string' ? uriToPath(uri) : undefined;
    return folder ? [folder] : [];
  });
}

function documentView(uri: string, document: TextDocument | undefined): DocumentView {
  const text = document?.getText() ?? readDisk(uri);
  const lines = text?.split(/\r?\n/);
  return {
    uri,
    version: document?.version,
    lineText: (line) => lines?.[line],
    eol: text?.includes('\r\n') ? '\r\n' : '\n',
  };
}

function readDisk(uri: string): string | undefined {
  const file = uriToPath(uri);
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A handler that throws is logged; the notification is dropped, the server stays up. */
function guard(what: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    log.error(`${what} failed: ${describeError(error)}`);
  }
}

documents.listen(connection);
connection.listen();
