/**
 * The engine behind the ESLint rules: one `Project` per project root (`projectRootOf`) and settings, whose analyses of
 * every file of the project are kept for the whole ESLint run (and, in an editor integration, for as long as ESLint
 * stays loaded).
 * A file's findings are what the CLI's audit report says of that file: its own findings, and the findings other files
 * put there (a module without `import 'server-only'`, reported at the module with the files that import it).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GuardSettings } from '../../../shared/settings';
import { Project, isAnalyzableFile, nodeFileSystem, type FileAnalysis, type FileSystemHost, type Fix, type Finding } from '../engine';
import { CONFIG_FILE_NAME, PACKAGE_JSON_KEY, loadConfig } from '../node/config';
import { collectFiles } from '../node/walk';
import { buildReport, relativePath } from '../report';
import type { ReportDiagnostic } from '../../../shared/protocol';

/** One finding as ESLint reports it in the file being linted: the report's diagnostic and its fixes with edits. */
export interface FileFinding {
  diagnostic: ReportDiagnostic;
  fixes: Fix[];
}

interface Analysed {
  /** The analysis' findings (what the report needs of it; the rest is dropped to keep a large run's memory small). */
  analysis: FileAnalysis;
  /** Digest of the text analysed (an editor buffer, or the disk's), without a byte order mark. */
  digest: string;
  /** Modification times of the files the analysis read besides this one, to notice a helper changed on disk. */
  dependencies: Map<string, number | undefined>;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/**
 * The folder a file's project starts at, where its config file is read and its relative paths start:
 *  - the nearest folder with a Server Action Guard config (server-action-guard.config.json, or package.json's
 *    `"serverActionGuard"` key): that configuration is meant for the files below it;
 *  - else ESLint's working folder when it holds the file and a package.json or tsconfig: the project `eslint .` lints,
 *    as the CLI audits it from there (the engine still resolves every file with its nearest tsconfig);
 *  - else the nearest tsconfig.json or jsconfig.json, else package.json, else the file's own folder.
 * One project for a monorepo linted from its root, not one per package: each would summarise the shared packages again.
 */
export function projectRootOf(file: string, cwd: string, cache: Map<string, string>): string {
  const start = path.dirname(path.resolve(file));
  const key = `${cwd}\0${start}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const nearest = (holds: (dir: string) => boolean): string | undefined => {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (holds(dir)) return dir;
      if (dir === path.dirname(dir)) return undefined;
    }
  };
  const inCwd = isWithin(start, cwd) && ['package.json', ...CONFIG_NAMES].some((name) => isFile(path.join(cwd, name)));
  const found =
    nearest(hasGuardConfig) ??
    (inCwd ? cwd : undefined) ??
    nearest((dir) => CONFIG_NAMES.some((name) => isFile(path.join(dir, name)))) ??
    nearest((dir) => isFile(path.join(dir, 'package.json'))) ??
    start;
  cache.set(key, found);
  return found;
}

function hasGuardConfig(dir: string): boolean {
  if (isFile(path.join(dir, CONFIG_FILE_NAME))) return true;
  const manifest = path.join(dir, 'package.json');
  if (!isFile(manifest)) return false;
  try {
    const value: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    return typeof value === 'object' && value !== null && PACKAGE_JSON_KEY in value;
  } catch {
    return false;
  }
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), child);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The project's settings from its config file, read again when the file changes. */
export class ConfigFiles {
  private readonly loaded = new Map<string, { stamp: string; settings: GuardSettings }>();

  settingsFor(root: string): GuardSettings {
    const stamp = [path.join(root, CONFIG_FILE_NAME), path.join(root, 'package.json')].map(mtimeOf).join(':');
    const cached = this.loaded.get(root);
    if (cached?.stamp === stamp) return cached.settings;
    const config = loadConfig(root);
    const errors = config.fatal !== undefined ? [config.fatal] : config.errors;
    if (errors.length > 0) throw new Error(`server-action-guard: config error: ${errors.join('; ')}`);
    this.loaded.set(root, { stamp, settings: config.settings });
    return config.settings;
  }
}

/**
 * A project root under one set of settings. The first question analyses every file the CLI would audit (so that a
 * module learns what its importers report about it, whichever file ESLint lints first); afterwards a file is analysed
 * again only when its text or a file its analysis read has changed, and so are the files that depend on it.
 */
export class LintProject {
  private readonly project: Project;
  /** Texts the engine read from disk since the last analysis, to know which text an analysis saw. */
  private readonly reads = new Map<string, string>();
  private readonly analysed = new Map<string, Analysed>();
  /** Files analysed from an editor's unsaved text (which the project holds), with that text's digest. */
  private readonly open = new Map<string, string>();
  private populated = false;
  private byFile: Map<string, FileFinding[]> | undefined;

  constructor(
    readonly root: string,
    private readonly settings: GuardSettings,
  ) {
    const host: FileSystemHost = {
      ...nodeFileSystem,
      readFile: (file) => {
        const text = nodeFileSystem.readFile(file);
        if (text !== undefined) this.reads.set(path.resolve(file), text);
        return text;
      },
    };
    this.project = new Project({ root, host });
  }

  /** What the audit report says of `file` when its text is `text`. */
  findingsOf(file: string, text: string): FileFinding[] {
    const target = path.resolve(file);
    if (!this.populated) this.populate();
    this.bringUpToDate(target, text);
    if (!this.byFile) this.byFile = this.index();
    return this.byFile.get(target) ?? [];
  }

  private populate(): void {
    this.populated = true;
    if (!this.settings.enable) return;
    const { files } = collectFiles(this.root, { exclude: this.settings.exclude, testFiles: this.settings.testFiles, maxFileSizeKb: this.settings.maxFileSizeKb });
    for (const file of files) this.analyse(file);
  }

  private bringUpToDate(file: string, text: string): void {
    const known = this.analysed.get(file);
    const changedOnDisk = known ? this.changedDependencies(known) : [];
    if (known && known.digest === digestOf(text) && changedOnDisk.length === 0) return;
    if (!known && !isAnalyzableFile(file)) return;
    const onDisk = readText(file);
    if (onDisk === text) {
      if (this.open.delete(file)) this.project.closeDocument(file);
      else this.project.fileChanged(file);
    } else {
      this.open.set(file, digestOf(text));
      this.project.setDocument(file, text);
    }
    this.analyse(file, text);
    for (const changed of [file, ...changedOnDisk]) this.refreshDependents(changed);
  }

  /** The files an analysis read that changed on disk since (a helper saved in the editor): the project forgets them. */
  private changedDependencies(entry: Analysed): string[] {
    const changed: string[] = [];
    for (const [dependency, mtime] of entry.dependencies) {
      if (this.open.has(dependency) || mtimeOf(dependency) === mtime) continue;
      this.project.fileChanged(dependency);
      changed.push(dependency);
    }
    return changed;
  }

  private refreshDependents(file: string): void {
    for (const dependent of this.project.dependentsOf(file)) {
      if (this.analysed.has(dependent)) this.analyse(dependent);
    }
  }

  /** Analyses a file: an open buffer's `text`, or else what the engine reads (the disk, or a buffer it holds). */
  private analyse(file: string, text?: string): void {
    this.byFile = undefined;
    this.reads.clear();
    let findings: Finding[] = [];
    let dependencies: string[] = [];
    try {
      ({ findings, dependencies } = this.project.analyzeFile(file, this.settings));
    } catch {
      // As in the CLI: one file the engine cannot handle must not hide the findings of all the others.
    }
    const digest = text !== undefined ? digestOf(text) : (this.open.get(file) ?? digestOf(stripBom(this.reads.get(file) ?? readText(file) ?? '')));
    this.reads.clear();
    const analysis: FileAnalysis = { file, hasActions: false, actions: [], findings, problems: [], dependencies };
    this.analysed.set(file, { analysis, digest, dependencies: new Map(dependencies.map((d) => [d, mtimeOf(d)] as const)) });
  }

  /**
   * Every file's findings as the CLI's report places them (one finding per module for all its importers, shared
   * helpers once), each with the edits of its fixes.
   */
  private index(): Map<string, FileFinding[]> {
    const analyses = [...this.analysed.values()].map((entry) => entry.analysis);
    const report = buildReport(this.root, analyses, { files: analyses.length, durationMs: 0, version: '' });
    const own = new Map<string, Fix[]>();
    const targeted = new Map<string, { message: string; fixes: Fix[] }[]>();
    for (const finding of analyses.flatMap((analysis) => analysis.findings)) {
      if (finding.target) {
        const key = placeKey(relativePath(this.root, finding.target.file), finding.target.range, finding.ruleId);
        const entries = targeted.get(key) ?? [];
        let entry = entries.find((e) => e.message === finding.target!.message);
        if (!entry) entries.push((entry = { message: finding.target.message, fixes: [] }));
        for (const fix of finding.fixes) if (!entry.fixes.some((f) => f.title === fix.title)) entry.fixes.push(fix);
        targeted.set(key, entries);
      } else {
        const key = `${placeKey(relativePath(this.root, finding.file), finding.range, finding.ruleId)}\0${finding.message}`;
        if (!own.has(key)) own.set(key, finding.fixes);
      }
    }
    const byFile = new Map<string, FileFinding[]>();
    for (const diagnostic of report.diagnostics) {
      const range = { start: toPosition(diagnostic.range.start), end: toPosition(diagnostic.range.end) };
      const place = placeKey(diagnostic.file, range, diagnostic.ruleId);
      const fixes =
        own.get(`${place}\0${diagnostic.message}`) ??
        targeted.get(place)?.find((entry) => diagnostic.message.startsWith(entry.message))?.fixes ??
        [];
      const file = path.resolve(this.root, diagnostic.file);
      byFile.set(file, [...(byFile.get(file) ?? []), { diagnostic, fixes }]);
    }
    return byFile;
  }
}

function placeKey(file: string, range: Finding['range'], ruleId: string): string {
  return JSON.stringify([file, range.start.line, range.start.character, range.end.line, range.end.character, ruleId]);
}

function toPosition(position: { line: number; column: number }): { line: number; character: number } {
  return { line: position.line - 1, character: position.column - 1 };
}

function readText(file: string): string | undefined {
  try {
    return stripBom(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function mtimeOf(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
