import * as path from 'node:path';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ChecklistChangedNotification,
  StatusNotification,
  type FileChecklist,
  type StatusParams,
} from '../../../shared/protocol';
import { DEFAULT_SETTINGS, type GuardSettings } from '../../../shared/settings';
import {
  AnalysisCancelled,
  isAnalyzableFile,
  nodeFileSystem,
  skipReason,
  type AnalysisProblem,
  type CancellationToken,
  type FileAnalysis,
  type FileSystemHost,
  type SkipReason,
} from '../engine';
import { loadConfig } from '../node/config';
import { countActions, toFileChecklist } from './checklist';
import { toDiagnostics } from './diagnostics';
import { errorKey, type Logger } from './log';
import { ProjectRegistry } from './projects';
import { ResultStore, type FileResult, type ResultOrigin } from './results';
import { AnalysisScheduler } from './scheduler';
import { SettingsStore } from './settings';
import type { StartupProfile } from './startup';
import { isInside, pathToUri, uriToPath } from './uri';

export interface ServiceOptions {
  /** Quiet time after the last keystroke before a document is analysed. */
  debounceMs: number;
  host?: FileSystemHost;
  /** Milestones up to the first published diagnostics, logged once. */
  startup?: StartupProfile;
}

const CONFIG_FILES = new Set(['server-action-guard.config.json', 'package.json']);

/**
 * The language server's state: open documents, engine projects, settings, the latest analysis of every tracked
 * file and what has been published. server.ts only wires LSP messages to these methods.
 */
export class GuardService {
  readonly projects: ProjectRegistry;
  readonly settings: SettingsStore;
  readonly results: ResultStore;
  private readonly scheduler: AnalysisScheduler;
  private readonly host: FileSystemHost;
  /** Open documents by file path, with the URI as the client spells it. */
  private readonly openUris = new Map<string, string>();
  /** Workspace folders covered by a workspace audit: their files stay tracked from disk when not open. */
  private readonly auditedFolders = new Set<string>();
  private readonly configBases = new Map<string, GuardSettings>();
  private lastStatus: string | undefined;
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly log: Logger,
    private readonly options: ServiceOptions,
  ) {
    this.host = options.host ?? nodeFileSystem;
    this.projects = new ProjectRegistry(this.host);
    this.settings = new SettingsStore(connection, log, (scopeUri) => this.configBase(scopeUri));
    this.results = new ResultStore({
      publishDiagnostics: (file, diagnostics, version) => this.publishDiagnostics(file, diagnostics, version),
      publishChecklist: (checklist) => this.publishChecklist(checklist),
      isOpen: (file) => this.openUris.has(file),
    });
    this.scheduler = new AnalysisScheduler(
      (uri, token) => this.analyzeTracked(uri, token),
      options.debounceMs,
      (uri, error) => this.log.errorOnce(`analysis:${uri}:${errorKey(error)}`, `Analysis of ${uri} failed`, error),
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Documents

  documentChanged(document: TextDocument): void {
    const file = uriToPath(document.uri);
    if (!file || !isAnalyzableFile(file)) {
      // Nothing to analyse is an answer too: the client's "starting…" ends with the first status.
      this.scheduleStatus();
      return;
    }
    const opened = !this.openUris.has(file);
    if (opened) this.options.startup?.mark('first document opened');
    this.openUris.set(file, document.uri);
    this.projects.setDocument(file, document.getText());
    // A document just opened is analysed right away; typing is debounced.
    this.scheduler.schedule(document.uri, opened ? 0 : this.options.debounceMs);
    // Open files that import this one see its buffer through the project: re-check them after it settles.
    for (const dependent of this.projects.dependentsOf(file)) {
      const uri = this.openUris.get(dependent);
      if (uri) this.scheduler.schedule(uri, this.options.debounceMs * 2, 'low');
    }
  }

  documentClosed(document: TextDocument): void {
    const file = uriToPath(document.uri);
    this.settings.forget(document.uri);
    this.scheduler.cancel(document.uri);
    if (!file || !this.openUris.has(file)) return;
    this.openUris.delete(file);
    this.projects.closeDocument(file);
    // Re-analysing from disk keeps an audited file's results (the disk may differ from the closed buffer);
    // a file outside any audit is simply cleared.
    this.scheduler.schedule(pathToUri(file), 0);
    this.rescheduleDependents(file);
  }

  /** Saved buffers match the disk now; helpers saved from the editor invalidate cross-file facts like a disk change. */
  documentSaved(document: TextDocument): void {
    const file = uriToPath(document.uri);
    if (file) this.filesChanged([{ file, deleted: false }]);
  }

  /** The document's current analysis, running a pending one first so callers never see an outdated version. */
  async currentResult(uri: string): Promise<FileResult | undefined> {
    const file = uriToPath(uri);
    if (!file) return undefined;
    // Keyed by the client's spelling of the URI, whatever spelling the request used.
    await this.scheduler.flush(this.uriOf(file));
    let result = this.results.get(file);
    if (!result && this.openUris.has(file)) {
      await this.analyzeTracked(this.uriOf(file), { isCancellationRequested: false });
      result = this.results.get(file);
    }
    return result;
  }

  isOpen(file: string): boolean {
    return this.openUris.has(file);
  }

  uriOf(file: string): string {
    return this.openUris.get(file) ?? pathToUri(file);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Workspace changes

  setWorkspaceFolders(folders: readonly string[]): void {
    this.projects.setFolders(folders);
    for (const folder of [...this.auditedFolders]) if (!folders.includes(folder)) this.auditedFolders.delete(folder);
    this.configBases.clear();
    this.settings.reset();
    this.reanalyzeAll();
  }

  configurationChanged(pushed: unknown): void {
    this.settings.reset(pushed);
    this.reanalyzeAll();
  }

  /** Files created, changed or deleted on disk (watched files, or a save). */
  filesChanged(changes: readonly { file: string; deleted: boolean }[]): void {
    let rebuild = false;
    let reconfigure = false;
    const affected = new Set<string>();
    for (const { file, deleted } of changes) {
      if (CONFIG_FILES.has(path.basename(file))) reconfigure = true;
      if (this.projects.fileChanged(file)) {
        rebuild = true;
        continue;
      }
      if (!isAnalyzableFile(file)) continue;
      if (!this.openUris.has(file) && (deleted || this.isAudited(file))) affected.add(file);
      for (const dependent of this.projects.dependentsOf(file)) affected.add(dependent);
    }
    if (reconfigure) {
      this.configBases.clear();
      this.settings.reset();
    }
    if (rebuild || reconfigure) {
      this.reanalyzeAll();
      return;
    }
    for (const file of affected) {
      if (this.openUris.has(file)) this.scheduler.schedule(this.uriOf(file));
      else if (this.isAudited(file) || this.results.get(file)) this.scheduler.schedule(this.uriOf(file), undefined, 'low');
    }
  }

  private rescheduleDependents(file: string): void {
    for (const dependent of this.projects.dependentsOf(file)) {
      if (this.openUris.has(dependent) || this.results.get(dependent)) {
        this.scheduler.schedule(this.uriOf(dependent), undefined, 'low');
      }
    }
  }

  /** Every tracked file again (settings or project layout changed). */
  reanalyzeAll(): void {
    for (const uri of this.openUris.values()) this.scheduler.schedule(uri);
    for (const result of [...this.results.values()]) {
      if (!this.openUris.has(result.file)) this.scheduler.schedule(this.uriOf(result.file), undefined, 'low');
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Analysis

  markAudited(folder: string): void {
    this.auditedFolders.add(folder);
  }

  isAudited(file: string): boolean {
    for (const folder of this.auditedFolders) if (isInside(folder, file)) return true;
    return false;
  }

  /** The scheduler's job: analyse an open buffer, or an audited file from disk, or forget the file. */
  private async analyzeTracked(uri: string, token: CancellationToken): Promise<void> {
    const file = uriToPath(uri);
    if (!file) return;
    if (!isAnalyzableFile(file)) return this.forget(file);
    const openUri = this.openUris.get(file);
    const document = openUri ? this.documents.get(openUri) : undefined;
    if (document) {
      const version = document.version;
      const settings = await this.settings.get(document.uri);
      this.options.startup?.mark('settings');
      if (token.isCancellationRequested || this.documents.get(document.uri)?.version !== version) return;
      this.analyzeAndStore(file, settings, 'open', token, version, document.getText().length);
      return;
    }
    if (!this.isAudited(file) || !this.host.fileExists(file)) return this.forget(file);
    const settings = await this.settingsForFile(file);
    if (token.isCancellationRequested || this.openUris.has(file)) return;
    this.analyzeAndStore(file, settings, 'audit', token, undefined, this.host.fileSize?.(file));
  }

  /** Settings for a file that is not open: those of its workspace folder. */
  settingsForFile(file: string): Promise<GuardSettings> {
    const folder = this.projects.folderOf(file);
    return this.settings.get(pathToUri(folder ?? path.dirname(file)));
  }

  /**
   * Analyses one file and stores the result (publishing diagnostics and the checklist). Returns the analysis, or
   * undefined when the work was cancelled or the file is not analysed under these settings. Content the engine
   * cannot read as source is its to skip: it reports that as a problem, and an open document still gets a publish.
   */
  analyzeAndStore(
    file: string,
    settings: GuardSettings,
    origin: ResultOrigin,
    token: CancellationToken,
    version?: number,
    sizeBytes?: number,
  ): FileAnalysis | undefined {
    const skipped = this.skipReasonOf(file, settings, sizeBytes);
    if (skipped) {
      const note = skipNote(skipped);
      if (note) this.log.warnOnce(`skip:${file}:${note}`, `Skipped ${file}: ${note}`);
      this.forget(file);
      return undefined;
    }
    const analysis = this.analyze(file, settings, token);
    if (!analysis) return undefined;
    this.store(file, settings, origin, analysis, version);
    return analysis;
  }

  /**
   * Stores an analysis made on an audit worker thread as `analyzeAndStore` would have stored its own: a file the
   * settings skip is forgotten, the engine's problems are logged, and the file's dependencies are recorded so that a
   * change to a helper re-checks it. `error` is an analysis that failed there.
   */
  storeAuditResult(file: string, settings: GuardSettings, outcome: { analysis: FileAnalysis } | { error: string }): void {
    if (this.skipReasonOf(file, settings, this.host.fileSize?.(file))) {
      this.forget(file);
      return;
    }
    if ('error' in outcome) {
      this.log.errorOnce(`engine:${file}:${outcome.error}`, `Analysis of ${file} failed`, outcome.error);
      this.store(file, settings, 'audit', { file, hasActions: false, actions: [], findings: [], problems: [], dependencies: [] });
      return;
    }
    for (const problem of outcome.analysis.problems ?? []) this.logProblem(file, problem);
    this.projects.projectFor(file).recordDependencies(file, outcome.analysis.dependencies);
    this.store(file, settings, 'audit', outcome.analysis);
  }

  /** Whether the workspace audit may run on worker threads: files come from the disk, as a worker reads them. */
  get readsFromDisk(): boolean {
    return this.host === nodeFileSystem;
  }

  /** The text of every open document, by path: an audit worker analyses with the buffers the editor holds. */
  openDocuments(): [string, string][] {
    return this.documents.all().flatMap((document) => {
      const file = uriToPath(document.uri);
      return file ? [[file, document.getText()] as [string, string]] : [];
    });
  }

  private store(file: string, settings: GuardSettings, origin: ResultOrigin, analysis: FileAnalysis, version?: number): void {
    const uri = this.uriOf(file);
    const diagnostics = toDiagnostics(analysis, {
      settings,
      uriOf: (target) => this.uriOf(target),
      versionOf: (target) => (target === file ? version : undefined),
    });
    this.results.set({ file, origin, version, analysis, diagnostics, checklist: toFileChecklist(uri, analysis, settings) });
    this.scheduleStatus();
  }

  /** Exclude globs are relative to the file's workspace folder, as the setting documents. */
  private skipReasonOf(file: string, settings: GuardSettings, sizeBytes: number | undefined): SkipReason | undefined {
    const base = this.projects.folderOf(file) ?? this.projects.rootFor(file);
    return skipReason({ relativePath: path.relative(base, file).split(path.sep).join('/'), sizeBytes }, settings);
  }

  /** Runs the engine; a crash in it is logged and becomes an empty result, never a dead server. */
  analyze(file: string, settings: GuardSettings, token: CancellationToken): FileAnalysis | undefined {
    let analysis: FileAnalysis;
    try {
      analysis = this.projects.projectFor(file).analyzeFile(file, settings, token);
    } catch (error) {
      if (error instanceof AnalysisCancelled || token.isCancellationRequested) return undefined;
      this.log.errorOnce(`engine:${file}:${errorKey(error)}`, `Analysis of ${file} failed`, error);
      return { file, hasActions: false, actions: [], findings: [], problems: [], dependencies: [] };
    }
    for (const problem of analysis.problems ?? []) this.logProblem(file, problem);
    return analysis;
  }

  /**
   * Once per cause: a problem of a project config (the engine reports a broken tsconfig.json with every file it
   * analyses) is logged once per config and message, any other once per file and message.
   */
  private logProblem(file: string, problem: AnalysisProblem): void {
    const where = problem.ruleId ? `${problem.file} (rule ${problem.ruleId})` : problem.file;
    const config = problem.source ? { file: problem.source, detail: problem.message.replace(/^[^:]*[jt]sconfig[^:]*\.json: /, '') } : configOfProblem(problem.message);
    if (config) {
      const root = this.projects.rootFor(file);
      const text = `${path.resolve(root, config.file)}: ${config.detail}`;
      this.log.warnOnce(`problem:${text}`, `${text} (first seen analysing ${where})`);
      return;
    }
    this.log.warnOnce(`problem:${where}:${problem.message}`, `${where}: ${problem.message}`);
  }

  forget(file: string): void {
    this.results.delete(file, this.uriOf(file));
    this.scheduleStatus();
  }

  /** A project's config file (the CLI's) is the base that editor settings refine. */
  private configBase(scopeUri: string): GuardSettings {
    const scope = uriToPath(scopeUri);
    if (!scope) return DEFAULT_SETTINGS;
    const folder = this.projects.folderOf(scope) ?? (isAnalyzableFile(scope) ? path.dirname(scope) : scope);
    const candidates = isAnalyzableFile(scope) ? [this.projects.rootFor(scope), folder] : [folder];
    for (const dir of new Set(candidates)) {
      let base = this.configBases.get(dir);
      if (!base) {
        const loaded = loadConfig(dir);
        for (const error of loaded.errors) this.log.warnOnce(`config:${error}`, `Config: ${error}`);
        base = loaded.source ? loaded.settings : DEFAULT_SETTINGS;
        this.configBases.set(dir, base);
      }
      if (base !== DEFAULT_SETTINGS) return base;
    }
    return DEFAULT_SETTINGS;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Output

  private publishDiagnostics(file: string, diagnostics: Diagnostic[], version: number | undefined): void {
    const uri = this.uriOf(file);
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
    const profile = this.options.startup?.finish('first diagnostics published');
    if (profile) this.log.info(profile);
  }

  private publishChecklist(checklist: FileChecklist): void {
    void this.connection.sendNotification(ChecklistChangedNotification, checklist);
  }

  status(): StatusParams {
    return countActions([...this.results.values()].map((result) => result.checklist));
  }

  /** Coalesces status updates: an audit of thousands of files sends a handful, not one per file. */
  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.sendStatus();
    }, 50);
  }

  sendStatus(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification, status);
  }

  dispose(): void {
    this.scheduler.dispose();
    if (this.statusTimer) clearTimeout(this.statusTimer);
  }
}

/**
 * The project config a problem message starts with ("tsconfig.json: …", as the engine words problems of the
 * compiler setup shared by every file of a project), if any.
 */
function configOfProblem(message: string): { file: string; detail: string } | undefined {
  const match = /^(.*?(?:^|[\\/])[jt]sconfig[^\\/:]*\.json): (.+)$/s.exec(message);
  return match ? { file: match[1]!, detail: match[2]! } : undefined;
}

/** What the output channel says about a skip: nothing for those the user asked for (disabled, excluded…). */
function skipNote(reason: SkipReason): string | undefined {
  if (reason.kind !== 'too-large') return undefined;
  return `larger than ${reason.maxFileSizeKb} KB (serverActionGuard.maxFileSizeKb)`;
}
