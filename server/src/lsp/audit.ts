import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { AuditWorkspaceResult, ExportReportParams, FileChecklist } from '../../../shared/protocol';
import type { GuardSettings } from '../../../shared/settings';
import type { CancellationToken, FileAnalysis } from '../engine';
import { collectFiles } from '../node/walk';
import { analyzeInThreads, auditThreads, workerScriptBeside } from '../node/workers';
import { buildReport, formatJson, formatMarkdown, formatSarif } from '../report';
import type { Logger } from './log';
import type { GuardService } from './service';
import { pathToUri } from './uri';

interface AuditRun {
  root: string;
  files: string[];
  durationMs: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Cancelled by the request's token, by the progress UI, or by a newer audit that replaces this one. */
class CombinedToken implements CancellationToken {
  superseded = false;
  constructor(private readonly tokens: readonly CancellationToken[]) {}
  get isCancellationRequested(): boolean {
    return this.superseded || this.tokens.some((token) => token.isCancellationRequested);
  }
}

/**
 * The workspace audit: every source file of the workspace folders through the engine, from disk unless open,
 * publishing diagnostics and checklists as it goes (so the Problems panel fills for files nobody opened), with
 * work-done progress and cancellation between files. The last run backs "Export Audit Report".
 */
export class WorkspaceAuditor {
  private last: AuditRun | undefined;
  private running: CombinedToken | undefined;

  constructor(
    private readonly service: GuardService,
    private readonly log: Logger,
    private readonly version: string,
  ) {}

  async run(
    folders: readonly string[],
    tokens: readonly CancellationToken[],
    progress: WorkDoneProgressReporter,
  ): Promise<AuditWorkspaceResult> {
    if (this.running) this.running.superseded = true;
    const token = new CombinedToken(tokens);
    this.running = token;
    const started = Date.now();
    progress.begin('Server Action Guard', 0, 'Finding files…', true);
    try {
      const plan = await this.plan(folders);
      const total = plan.length;
      progress.report(0, `0/${total} files`);
      const done: string[] = [];
      let lastReport = Date.now();
      const reportProgress = () => {
        if (Date.now() - lastReport >= 100 || done.length === total) {
          lastReport = Date.now();
          progress.report(Math.floor((done.length / Math.max(total, 1)) * 100), `${done.length}/${total} files`);
        }
      };
      const threads = auditThreads(total, threadsFromEnvironment());
      const workerScript = workerScriptBeside(__dirname);
      const inThreads = threads > 1 && this.service.readsFromDisk && fs.existsSync(workerScript);
      if (inThreads) {
        // Closed files on worker threads, one run per project and settings; open ones below, from their buffers.
        const documents = this.service.openDocuments();
        for (const group of groupByProject(plan.filter(({ file }) => !this.service.isOpen(file)), (file) => this.service.projects.rootFor(file))) {
          if (token.isCancellationRequested) break;
          const outcomes = await analyzeInThreads(group.files, {
            root: group.root,
            settings: group.settings,
            keepEdits: true,
            threads,
            workerScript,
            documents,
            token,
            onOutcome: (outcome) => {
              this.service.storeAuditResult(outcome.file, group.settings, outcome);
              done.push(outcome.file);
              reportProgress();
            },
          });
          if (!outcomes) break;
        }
      }
      for (const { file, settings } of plan) {
        if (inThreads && !this.service.isOpen(file)) continue;
        if (token.isCancellationRequested) break;
        if (this.service.isOpen(file)) await this.service.currentResult(this.service.uriOf(file));
        else this.service.analyzeAndStore(file, settings, 'audit', token);
        if (token.isCancellationRequested) break;
        done.push(file);
        reportProgress();
        await yieldToEventLoop();
      }
      // Threads finish in their own order; the run lists files in the plan's, as the single-threaded audit does.
      if (inThreads) {
        const order = new Map(plan.map(({ file }, index) => [file, index]));
        done.sort((a, b) => order.get(a)! - order.get(b)!);
      }
      const cancelled = done.length < total;
      const durationMs = Date.now() - started;
      if (!cancelled) this.last = { root: commonRoot(folders), files: done, durationMs };
      this.service.sendStatus();
      const result = this.summarize(done, cancelled, durationMs);
      this.log.info(
        `Audit ${cancelled ? 'cancelled' : 'finished'}: ${done.length}/${total} files, ${result.actions} actions ` +
          `(${result.failing} failing), ${result.findings} findings in ${durationMs} ms`,
      );
      return result;
    } finally {
      progress.done();
      if (this.running === token) this.running = undefined;
    }
  }

  /** Renders the last complete audit with the live state of open files, auditing first when there is none. */
  async export(format: ExportReportParams['format'], folders: readonly string[]): Promise<string> {
    if (!this.last) await this.run(folders, [], nullProgress);
    const run = this.last;
    if (!run) return '';
    const analyses: FileAnalysis[] = [];
    for (const file of run.files) {
      const result = this.service.results.get(file);
      if (result) analyses.push(result.analysis);
    }
    const report = buildReport(run.root, analyses, {
      files: run.files.length,
      durationMs: run.durationMs,
      version: this.version,
    });
    if (format === 'sarif') return formatSarif(report);
    if (format === 'json') return formatJson(report);
    return formatMarkdown(report);
  }

  private async plan(folders: readonly string[]): Promise<{ file: string; settings: GuardSettings }[]> {
    const plan: { file: string; settings: GuardSettings }[] = [];
    const seen = new Set<string>();
    for (const folder of folders) {
      const settings = await this.service.settings.get(pathToUri(folder));
      this.service.markAudited(folder);
      if (!settings.enable) continue;
      let collected;
      try {
        collected = collectFiles(folder, { exclude: settings.exclude, testFiles: settings.testFiles, maxFileSizeKb: settings.maxFileSizeKb });
      } catch (error) {
        this.log.error(`Could not list the files of ${folder}`, error);
        continue;
      }
      for (const skipped of collected.skipped) {
        this.log.warnOnce(`audit-skip:${skipped.path}:${skipped.reason}`, `Skipped ${skipped.path}: ${skipped.reason}`);
      }
      for (const left of collected.leftOut) {
        this.log.warnOnce(`audit-left-out:${left.path}:${left.reason}`, `Not auditing ${left.path}, which ${left.reason}`);
      }
      for (const file of collected.files) {
        const normalized = path.normalize(file);
        if (seen.has(normalized)) continue;
        seen.add(normalized);
        plan.push({ file: normalized, settings });
      }
    }
    return plan;
  }

  private summarize(files: readonly string[], cancelled: boolean, durationMs: number): AuditWorkspaceResult {
    const checklists: FileChecklist[] = [];
    let actions = 0;
    let failing = 0;
    let findings = 0;
    for (const file of files) {
      const result = this.service.results.get(file);
      if (!result) continue;
      findings += result.analysis.findings.length;
      if (result.checklist.actions.length === 0) continue;
      checklists.push(result.checklist);
      for (const action of result.checklist.actions) {
        actions++;
        if (action.checks.some((check) => check.status === 'fail')) failing++;
      }
    }
    return { cancelled, files: files.length, actions, failing, findings, durationMs, checklists };
  }
}

/** `SERVER_ACTION_GUARD_THREADS=n` forces the audit's thread count (1: the server's own thread only). */
function threadsFromEnvironment(): number | undefined {
  const value = Number(process.env.SERVER_ACTION_GUARD_THREADS);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** Plan entries by project root and settings object, in plan order. */
function groupByProject(
  plan: readonly { file: string; settings: GuardSettings }[],
  rootOf: (file: string) => string,
): { root: string; settings: GuardSettings; files: string[] }[] {
  const groups = new Map<string, { root: string; settings: GuardSettings; files: string[] }[]>();
  const out: { root: string; settings: GuardSettings; files: string[] }[] = [];
  for (const { file, settings } of plan) {
    const root = rootOf(file);
    const candidates = groups.get(root) ?? [];
    let group = candidates.find((candidate) => candidate.settings === settings);
    if (!group) {
      group = { root, settings, files: [] };
      candidates.push(group);
      groups.set(root, candidates);
      out.push(group);
    }
    group.files.push(file);
  }
  return out;
}

const nullProgress: WorkDoneProgressReporter = { begin() {}, report() {}, done() {} };

/** The deepest folder containing every given folder (the report's root for a multi-root workspace). */
export function commonRoot(folders: readonly string[]): string {
  if (folders.length === 0) return process.cwd();
  let root = path.normalize(folders[0]!);
  for (const folder of folders.slice(1)) {
    while (path.relative(root, folder).startsWith('..')) {
      const parent = path.dirname(root);
      if (parent === root) break;
      root = parent;
    }
  }
  return root;
}
