/**
 * A real JSON-RPC client for the bundled language server: spawns `node dist/server.js --stdio`, answers the
 * server's requests (workspace/configuration, registrations, progress creation) like an editor would, records every
 * notification, and keeps the raw stdout bytes to prove the server writes nothing but JSON-RPC frames there.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  createProtocolConnection,
  type CodeAction,
  type Diagnostic,
  type FileEvent,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import type { FileChecklist, StatusParams } from '../../shared/protocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
export const FIXTURE_APP = path.join(__dirname, 'fixtures', 'app');

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface StartOptions {
  /** Folder to copy into a fresh temp workspace (default: the fixture app). */
  fixture?: string;
  /** Settings answered for `workspace/configuration` (section `serverActionGuard`). */
  settings?: Record<string, unknown>;
  debounceMs?: number;
  /** Extra files written into the workspace before the server starts (relative path → text). */
  files?: Record<string, string>;
  /** The workspace folder's settings sent with `initialize` (`initializationOptions.folderSettings`), as VS Code does. */
  initialSettings?: Record<string, unknown>;
  /** Extra environment variables of the server process. */
  env?: Record<string, string>;
}

export class LspSession {
  readonly events = new EventEmitter();
  /** Latest published diagnostics per file path. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publish, in order. */
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly checklists = new Map<string, FileChecklist>();
  readonly statuses: StatusParams[] = [];
  readonly logs: { type: number; message: string }[] = [];
  readonly progress = new Map<string | number, ProgressValue[]>();
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** `window/showDocument` requests from the server (answered with success). */
  readonly shownDocuments: { uri: string; external?: boolean; takeFocus?: boolean }[] = [];
  configurationRequests = 0;
  settings: Record<string, unknown>;
  initializeResult!: InitializeResult;
  private readonly stdout: Buffer[] = [];
  private stderr = '';
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private exited: Promise<number | null>;

  private constructor(
    readonly workspace: string,
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve(code)));
  }

  static async start(options: StartOptions = {}): Promise<LspSession> {
    if (!fs.existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run \`npm run build\` first`);
    const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sag-lsp-')));
    fs.cpSync(options.fixture ?? FIXTURE_APP, workspace, { recursive: true });
    for (const [relative, text] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
      fs.writeFileSync(path.join(workspace, relative), text);
    }
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: workspace, stdio: 'pipe', env: { ...process.env, ...options.env } });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const session = new LspSession(workspace, child, connection, options.settings ?? {});
    child.stdout.on('data', (chunk: Buffer) => session.stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (session.stderr += chunk.toString()));
    session.wire();
    connection.listen();
    session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: session.uri(''),
      workspaceFolders: [{ uri: session.uri(''), name: 'app' }],
      initializationOptions: {
        debounceMs: options.debounceMs ?? 30,
        ...(options.initialSettings ? { folderSettings: { [session.uri('')]: options.initialSettings } } : {}),
      },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: false },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: false },
        },
        window: { workDoneProgress: true, showDocument: { support: true } },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: {
            isPreferredSupport: true,
            dataSupport: true,
            codeActionLiteralSupport: {
              codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll', 'source.fixAll.server-action-guard'] },
            },
          },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  private wire(): void {
    const c = this.connection;
    c.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(toPath(params.uri), params);
      this.publishes.push(params);
      this.events.emit('change');
    });
    c.onNotification('serverActionGuard/checklistChanged', (params: FileChecklist) => {
      this.checklists.set(toPath(params.uri), params);
      this.events.emit('change');
    });
    c.onNotification('serverActionGuard/status', (params: StatusParams) => {
      this.statuses.push(params);
      this.events.emit('change');
    });
    c.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      this.logs.push(params);
      this.events.emit('change');
    });
    c.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) => {
      this.configurationRequests++;
      return params.items.map((item) => (item.section === 'serverActionGuard' ? this.settings : null));
    });
    c.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('window/showDocument', (params: { uri: string; external?: boolean; takeFocus?: boolean }) => {
      this.shownDocuments.push(params);
      this.events.emit('change');
      return { success: true };
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Workspace and documents

  path(relative: string): string {
    return path.join(this.workspace, relative);
  }

  uri(relative: string): string {
    return pathToFileURL(this.path(relative)).href;
  }

  readDisk(relative: string): string {
    return fs.readFileSync(this.path(relative), 'utf8');
  }

  text(relative: string): string {
    const text = this.texts.get(this.path(relative));
    if (text === undefined) throw new Error(`${relative} is not open`);
    return text;
  }

  version(relative: string): number {
    return this.versions.get(this.path(relative)) ?? 0;
  }

  async open(relative: string, text = this.readDisk(relative)): Promise<string> {
    const file = this.path(relative);
    this.versions.set(file, 1);
    this.texts.set(file, text);
    const languageId = /\.tsx$/.test(file) ? 'typescriptreact' : /\.jsx?$/.test(file) ? 'javascript' : 'typescript';
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: this.uri(relative), languageId, version: 1, text },
    });
    return this.uri(relative);
  }

  /** Replaces the whole text with one incremental change (a range covering the old text). */
  async change(relative: string, newText: string): Promise<number> {
    const file = this.path(relative);
    const old = this.text(relative);
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    this.texts.set(file, newText);
    const end = TextDocument.create('', 'typescript', 0, old).positionAt(old.length);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: this.uri(relative), version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text: newText }],
    });
    return version;
  }

  /** Sends small incremental edits, one per notification (as an editor does while typing). */
  async type(relative: string, edits: readonly { range: Range; text: string }[]): Promise<number> {
    const file = this.path(relative);
    let version = this.versions.get(file) ?? 1;
    for (const edit of edits) {
      version++;
      const document = TextDocument.create('', 'typescript', 0, this.text(relative));
      this.texts.set(file, TextDocument.applyEdits(document, [{ range: edit.range, newText: edit.text }]));
      this.versions.set(file, version);
      await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: this.uri(relative), version },
        contentChanges: [{ range: edit.range, text: edit.text }],
      });
    }
    return version;
  }

  async save(relative: string): Promise<void> {
    fs.writeFileSync(this.path(relative), this.text(relative));
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: this.uri(relative) } });
  }

  async close(relative: string): Promise<void> {
    this.versions.delete(this.path(relative));
    this.texts.delete(this.path(relative));
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri(relative) } });
  }

  async writeAndNotify(relative: string, text: string | undefined, type: FileEvent['type']): Promise<void> {
    if (text === undefined) fs.rmSync(this.path(relative), { force: true });
    else {
      fs.mkdirSync(path.dirname(this.path(relative)), { recursive: true });
      fs.writeFileSync(this.path(relative), text);
    }
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: this.uri(relative), type }],
    });
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async codeActions(relative: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: this.uri(relative) },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** Applies a WorkspaceEdit to the open documents (as didChange) and to files on disk that are not open. */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const file = toPath(uri);
      const relative = path.relative(this.workspace, file);
      if (this.texts.has(file)) {
        await this.change(relative, applyTextEdits(this.text(relative), edits));
      } else {
        fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), edits));
        await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: 2 }] });
      }
    }
  }

  trackProgress(token: string): ProgressValue[] {
    const values: ProgressValue[] = [];
    this.progress.set(token, values);
    this.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      values.push(value as ProgressValue);
      this.events.emit('change');
    });
    return values;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Waiting

  /** Polls `probe` on every message from the server (and every 50 ms) until it returns a value. */
  waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        let value: T | undefined | false;
        try {
          value = probe();
        } catch {
          value = undefined;
        }
        if (value === undefined || value === false) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const onChange = (): void => void check();
      const interval = setInterval(onChange, 50);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearInterval(interval);
        clearTimeout(timer);
        this.events.off('change', onChange);
      };
      this.events.on('change', onChange);
      check();
    });
  }

  /** Diagnostics of a file once the server has published them for the given document version (or any, if none). */
  waitForDiagnostics(
    relative: string,
    predicate: (diagnostics: Diagnostic[]) => boolean = () => true,
    version?: number,
    timeoutMs?: number,
  ): Promise<Diagnostic[]> {
    const file = this.path(relative);
    return this.waitFor(
      `diagnostics of ${relative}${version !== undefined ? ` at version ${version}` : ''}`,
      () => {
        const published = this.diagnostics.get(file);
        if (!published) return undefined;
        if (version !== undefined && published.version !== version) return undefined;
        return predicate(published.diagnostics) ? published.diagnostics : undefined;
      },
      timeoutMs,
    );
  }

  describe(): string {
    const lines = ['published diagnostics:'];
    for (const [file, params] of this.diagnostics) {
      const codes = params.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
      lines.push(`  ${path.relative(this.workspace, file)} v${params.version ?? '-'}: ${codes.join(', ') || '(none)'}`);
    }
    lines.push(`checklists: ${[...this.checklists.keys()].map((f) => path.relative(this.workspace, f)).join(', ') || '(none)'}`);
    const recentLogs = this.logs.slice(-8).map((l) => `  [${l.type}] ${l.message.split('\n')[0]}`);
    if (recentLogs.length) lines.push('server log (last lines):', ...recentLogs);
    if (this.stderr) lines.push(`stderr: ${this.stderr.slice(-2000)}`);
    return lines.join('\n');
  }

  /** Text covered by a range in an open document (or the disk copy). */
  rangeText(relative: string, range: Range): string {
    const text = this.texts.get(this.path(relative)) ?? this.readDisk(relative);
    const document = TextDocument.create('', 'typescript', 0, text);
    return text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Shutdown

  /** Raw stdout as received; every byte must belong to a `Content-Length` framed JSON-RPC message. */
  stdoutFrames(): { frames: number; problem?: string } {
    const raw = Buffer.concat(this.stdout);
    let offset = 0;
    let frames = 0;
    while (offset < raw.length) {
      const headerEnd = raw.indexOf('\r\n\r\n', offset);
      if (headerEnd < 0) return { frames, problem: `unframed bytes at ${offset}: ${JSON.stringify(raw.subarray(offset, offset + 80).toString())}` };
      const headers = raw.subarray(offset, headerEnd).toString('ascii').split('\r\n');
      const length = headers.map((h) => /^Content-Length: (\d+)$/i.exec(h)).find(Boolean)?.[1];
      if (!length || headers.some((h) => !/^Content-(Length|Type): /i.test(h))) {
        return { frames, problem: `bad header at ${offset}: ${JSON.stringify(headers)}` };
      }
      const body = raw.subarray(headerEnd + 4, headerEnd + 4 + Number(length));
      if (body.length < Number(length)) return { frames, problem: `truncated frame at ${offset}` };
      try {
        const message = JSON.parse(body.toString('utf8')) as { jsonrpc?: string };
        if (message.jsonrpc !== '2.0') return { frames, problem: `not JSON-RPC 2.0 at ${offset}` };
      } catch {
        return { frames, problem: `frame at ${offset} is not JSON` };
      }
      frames++;
      offset = headerEnd + 4 + Number(length);
    }
    return { frames };
  }

  async stop(): Promise<number | null> {
    try {
      await Promise.race([
        this.connection.sendRequest(ShutdownRequest.type),
        new Promise((_, reject) => setTimeout(() => reject(new Error('shutdown timed out')), 5000)),
      ]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill();
    }
    const code = await Promise.race([this.exited, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    if (this.process.exitCode === null) this.process.kill('SIGKILL');
    this.connection.dispose();
    fs.rmSync(this.workspace, { recursive: true, force: true });
    return code;
  }

  stderrText(): string {
    return this.stderr;
  }
}

export function toPath(uri: string): string {
  return path.normalize(fileURLToPath(uri));
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('', 'typescript', 0, text), [...edits]);
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}
