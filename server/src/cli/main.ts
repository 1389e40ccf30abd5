/**
 * `server-action-guard audit`: the engine without the editor. Only the report goes to stdout (so `--format json`
 * and `--format sarif` can be piped); notes about skipped files, engine problems and applied fixes go to stderr.
 * Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration errors or no file
 * to audit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../../package.json';
import type { AuditReport } from '../../../shared/protocol';
import type { GuardSettings, Severity } from '../../../shared/settings';
import { Project, applyEdits, type FileAnalysis, type Finding, type Fix, type TextEdit } from '../engine';
import { loadConfig } from '../node/config';
import { relieveMemory } from '../node/memory';
import { collectFiles, type CollectedFiles } from '../node/walk';
import {
  analyzeForAudit,
  analyzeInThreads,
  auditThreads,
  HEAP_HEADROOM_BYTES,
  THREADS_MIN_CORES,
  THREADS_MIN_FILES,
  workerScriptBeside,
  type AuditJob,
  type FileOutcome,
} from '../node/workers';
import { buildReport, formatJson, formatSarif, formatText, isAtLeast, relativePath } from '../report';

const NAME = 'server-action-guard';
const VERSION: string = packageJson.version;
const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_ON = ['error', 'warning', 'never'] as const;
/** `--fix` repeats while fixes apply, for fixes that were skipped because they overlapped another one. */
const MAX_FIX_PASSES = 10;

const HELP = `Usage: ${NAME} audit [paths...] [options]

Finds security mistakes in Next.js App Router Server Actions.

Paths default to the current folder. The project root (for relative paths, tsconfig and configuration) is the
nearest folder at or above the audited paths that holds a package.json.

Options:
  --format text|json|sarif     Output format (default: text)
  --fail-on error|warning|never
                               Exit with 1 when a finding is at or above this severity (default: error)
  --config <file>              Read settings from this JSON file instead of server-action-guard.config.json
                               or the "serverActionGuard" key of package.json
  --fix                        Apply the fixes marked safe and print what changed (never writes without it)
  --quiet                      Print findings only: no checklist, totals or per-file notes
  --threads <n>                Analyse on n threads (1: this one only). Default: one per core, up to 4, from
                               ${THREADS_MIN_FILES} files on, on machines of ${THREADS_MIN_CORES} cores or more (one thread
                               otherwise); --fix runs on one thread
  -h, --help                   Show this help
  -v, --version                Show the version

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage or configuration error,
or no file to audit (every file git-ignored, excluded or skipped).
`;

class UsageError extends Error {}

interface AuditOptions {
  paths: string[];
  format: (typeof FORMATS)[number];
  failOn: (typeof FAIL_ON)[number];
  config?: string;
  fix: boolean;
  quiet: boolean;
  threads?: number;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
    stderr(`${NAME}: ${(error as Error).message}`);
    stderr(`Run '${NAME} --help' for usage.`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (parsed === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  return audit(parsed);
}

function parse(argv: string[]): AuditOptions | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      config: { type: 'string' },
      fix: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  if (values.help || positionals[0] === 'help') return 'help';
  if (values.version) return 'version';
  const [command, ...paths] = positionals;
  if (command === undefined) throw new UsageError('missing command (expected "audit")');
  if (command !== 'audit') throw new UsageError(`unknown command "${command}" (expected "audit")`);
  const format = values.format ?? 'text';
  if (!isOneOf(FORMATS, format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const failOn = values['fail-on'] ?? 'error';
  if (!isOneOf(FAIL_ON, failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got "${failOn}"`);
  if (values.config === '') throw new UsageError('--config needs a file name');
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UsageError(`--threads must be a whole number from 1 to 64, got "${values.threads}"`);
  }
  return { paths, format, failOn, config: values.config, fix: values.fix, quiet: values.quiet, threads };
}

async function audit(options: AuditOptions): Promise<number> {
  const started = performance.now();
  const targets = (options.paths.length > 0 ? options.paths : ['.']).map((p) => path.resolve(p));
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      stderr(`${NAME}: path not found: ${target}`);
      return 2;
    }
  }
  const root = findProjectRoot(targets);

  const config = loadConfig(root, options.config);
  if (config.fatal !== undefined || config.errors.length > 0) {
    for (const message of config.fatal !== undefined ? [config.fatal] : config.errors) {
      stderr(`${NAME}: config error: ${message}`);
    }
    return 2;
  }
  const settings = config.settings;

  const collected = settings.enable
    ? collectFiles(root, { exclude: settings.exclude, testFiles: settings.testFiles, maxFileSizeKb: settings.maxFileSizeKb, paths: targets })
    : { files: [], skipped: [], leftOut: [], passedOver: { gitIgnored: 0, excluded: 0, tests: 0 } };
  if (!settings.enable) stderr(`${NAME}: analysis is disabled by ${config.source ?? 'the configuration'}`);
  const skipped = collected.skipped.map((entry) => `${relativePath(root, entry.path)}: ${entry.reason}`);
  reportNotes(options.quiet, 'skipped', skipped);
  if (settings.enable && collected.files.length === 0) {
    // As ESLint does when every file is ignored: an audit of nothing is a mistake in what was asked, not a pass.
    stderr(`${NAME}: no files to audit: ${noFilesReason(targets, collected)}`);
    return 2;
  }

  const project = new Project({ root, scanImports: true });
  const job: AuditJob = { root, settings, keepEdits: options.fix };
  // --fix re-analyses after writing, with the project that saw the writes: one thread.
  const threads = options.fix ? 1 : auditThreads(collected.files.length, options.threads);
  const workerScript = workerScriptBeside(__dirname);
  let outcomes: FileOutcome[];
  if (threads > 1 && fs.existsSync(workerScript)) {
    const importScan = project.importScan(settings);
    outcomes = (await analyzeInThreads(collected.files, { ...job, threads, workerScript, local: project, importScan }))!;
  } else {
    outcomes = analyzeAll(project, collected.files, job);
  }
  let { analyses, notes } = collate(root, outcomes);
  if (options.fix) {
    const state: FixState = { applied: new Set(), refused: new Set() };
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const changed = applySafeFixes(root, analyses, state);
      if (changed.length === 0) break;
      for (const file of changed) project.fileChanged(file);
      ({ analyses, notes } = collate(root, analyzeAll(project, collected.files, job)));
    }
  }
  reportNotes(options.quiet, 'problem', notes);

  const report = buildReport(root, analyses, {
    files: collected.files.length,
    durationMs: Math.round(performance.now() - started),
    version: VERSION,
  });
  process.stdout.write(render(report, options));
  if (options.failOn === 'never') return 0;
  const threshold: Severity = options.failOn;
  return report.diagnostics.some((d) => isAtLeast(d.severity, threshold)) ? 1 : 0;
}

/** The single-threaded audit: every file on this thread, in order. */
function analyzeAll(project: Project, files: readonly string[], job: AuditJob): FileOutcome[] {
  return files.map((file, index) => {
    if (index % 50 === 0) relieveMemory(HEAP_HEADROOM_BYTES);
    return analyzeForAudit(project, file, job);
  });
}

/** The analyses in file order, and the engine's problems as notes: one note per problem, not one per file. */
function collate(root: string, outcomes: readonly FileOutcome[]): { analyses: FileAnalysis[]; notes: string[] } {
  const analyses: FileAnalysis[] = [];
  // Message → files it was reported for: a broken tsconfig.json is one problem, not one per file.
  const problems = new Map<string, Set<string>>();
  const note = (file: string, message: string) => {
    const reportedFor = problems.get(message) ?? new Set<string>();
    reportedFor.add(file);
    problems.set(message, reportedFor);
  };
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      // One file the engine cannot handle must not hide the findings of all the others.
      note(relativePath(root, outcome.file), `analysis failed: ${outcome.error}`);
      continue;
    }
    analyses.push(outcome.analysis);
    for (const problem of outcome.analysis.problems) {
      note(relativePath(root, problem.file), `${problem.message}${problem.ruleId ? ` [${problem.ruleId}]` : ''}`);
    }
  }
  const notes = [...problems].map(([message, files]) => {
    const [first] = files;
    return files.size === 1 ? `${first}: ${message}` : `${first}: ${message} (and ${files.size - 1} more files)`;
  });
  return { analyses, notes };
}

/** Why a walk found nothing to analyse, in the words of the paths as the user gave them (relative to the cwd). */
function noFilesReason(targets: readonly string[], collected: CollectedFiles): string {
  const shown = (file: string) => path.relative(process.cwd(), file) || '.';
  if (collected.leftOut.length > 0) {
    return collected.leftOut.map((folder) => `${shown(folder.path)} ${folder.reason}`).join('; ');
  }
  const where = targets.map(shown).join(', ');
  if (collected.skipped.length > 0) return `every source file in ${where} was skipped (see above)`;
  const { gitIgnored, excluded, tests } = collected.passedOver;
  if (gitIgnored + excluded + tests > 0) {
    const why = [
      gitIgnored > 0 ? `${gitIgnored} ignored by a .gitignore` : '',
      excluded > 0 ? `${excluded} matching an exclude glob` : '',
      tests > 0 ? `${tests} matching a testFiles glob` : '',
    ].filter(Boolean);
    return `every source file or folder in ${where} is left out (${why.join(', ')})`;
  }
  return `no TypeScript or JavaScript source files in ${where}`;
}

interface FixState {
  /** Finding and fix identities applied in earlier passes: a fix that did not clear its finding is not repeated. */
  applied: Set<string>;
  /** Files that cannot be rewritten safely (unreadable, not UTF-8), reported once. */
  refused: Set<string>;
}

/**
 * Applies the safe fixes of one analysis round to disk. A fix is taken whole or not at all: one that touches an
 * edit already taken in this pass (or a file outside the root) waits for the next pass, where it is recomputed
 * against the new text. Returns the files written.
 */
function applySafeFixes(root: string, analyses: readonly FileAnalysis[], state: FixState): string[] {
  const taken: { finding: Finding; fix: Fix; identity: string }[] = [];
  const takenEdits = new Map<string, TextEdit[]>();
  const seenEdits = new Set<string>();
  const findings = analyses
    .flatMap((analysis) => analysis.findings)
    .sort((a, b) => compare(a.file, b.file) || a.start - b.start);
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      if (!fix.safe || fix.edits.length === 0) continue;
      // The same fix reached through two analyses (a shared helper) is one fix.
      const edits = JSON.stringify(fix.edits.map((e) => [e.file, e.start, e.end, e.newText]));
      const identity = JSON.stringify([finding.file, finding.ruleId, finding.action, finding.message, fix.title]);
      if (seenEdits.has(edits) || state.applied.has(identity)) continue;
      seenEdits.add(edits);
      if (!fix.edits.every((edit) => isInside(root, edit.file) && !state.refused.has(edit.file))) continue;
      const conflicts = fix.edits.some((edit, i) =>
        [...(takenEdits.get(edit.file) ?? []), ...fix.edits.slice(0, i).filter((e) => e.file === edit.file)].some(
          (other) => overlaps(other, edit),
        ),
      );
      if (conflicts) continue;
      for (const edit of fix.edits) takenEdits.set(edit.file, [...(takenEdits.get(edit.file) ?? []), edit]);
      taken.push({ finding, fix, identity });
    }
  }

  // Check every file first, so that a fix spanning several files is applied to all of them or to none.
  const texts = new Map<string, string>();
  for (const file of takenEdits.keys()) {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(file);
    } catch (error) {
      stderr(`${NAME}: not fixing ${relativePath(root, file)}: cannot read it (${errorMessage(error)})`);
      state.refused.add(file);
      continue;
    }
    const text = raw.toString('utf8');
    // Decoding bytes that are not UTF-8 replaces them; writing that back would silently change the file.
    if (!Buffer.from(text, 'utf8').equals(raw)) {
      stderr(`${NAME}: not fixing ${relativePath(root, file)}: it is not valid UTF-8`);
      state.refused.add(file);
      continue;
    }
    texts.set(file, text);
  }
  const applicable = taken.filter(({ fix }) => fix.edits.every((edit) => texts.has(edit.file)));

  const editsByFile = new Map<string, TextEdit[]>();
  for (const { fix, identity } of applicable) {
    state.applied.add(identity);
    for (const edit of fix.edits) editsByFile.set(edit.file, [...(editsByFile.get(edit.file) ?? []), edit]);
  }
  const written: string[] = [];
  for (const [file, edits] of editsByFile) {
    const text = texts.get(file)!;
    // Engine offsets do not count a byte order mark (it strips one, as editors do): edit after it, keep it.
    const bom = text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
    const fixed = bom + applyEdits(text.slice(bom.length), edits);
    if (fixed === text) continue;
    fs.writeFileSync(file, fixed, 'utf8');
    written.push(file);
  }
  if (written.length === 0) return written;
  for (const { finding, fix } of applicable) {
    stderr(`fixed ${relativePath(root, finding.file)}:${finding.range.start.line + 1}: ${fix.title}`);
  }
  stderr(`${NAME}: applied ${applicable.length} safe fix(es) in ${written.length} file(s)`);
  return written;
}

function render(report: AuditReport, options: AuditOptions): string {
  switch (options.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'text':
      return formatText(report, { color: useColor(), quiet: options.quiet });
  }
}

/**
 * The project root is where package.json (and so tsconfig and the config file) lives: the nearest such folder at
 * or above what is audited, without leaving its git repository. Without one, the audited folder itself.
 */
function findProjectRoot(targets: readonly string[]): string {
  const folders = targets.map((target) => (fs.statSync(target).isDirectory() ? target : path.dirname(target)));
  const common = folders.reduce(commonAncestor);
  for (let dir = common; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (fs.existsSync(path.join(dir, '.git')) || dir === path.dirname(dir)) return common;
  }
}

function commonAncestor(a: string, b: string): string {
  const left = a.split(path.sep);
  const right = b.split(path.sep);
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return left.slice(0, i).join(path.sep) || path.sep;
}

function reportNotes(quiet: boolean, kind: 'skipped' | 'problem', notes: readonly string[]): void {
  if (notes.length === 0) return;
  if (quiet) {
    const what = kind === 'skipped' ? 'file(s) skipped' : 'analysis problem(s)';
    stderr(`${NAME}: ${notes.length} ${what} (run without --quiet for details)`);
    return;
  }
  for (const note of notes) stderr(`${NAME}: ${kind === 'skipped' ? 'skipped ' : ''}${note}`);
}

function overlaps(a: Pick<TextEdit, 'start' | 'end'>, b: Pick<TextEdit, 'start' | 'end'>): boolean {
  // Two insertions at one offset conflict too: their order would be arbitrary.
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function useColor(): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

// A closed pipe (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    stderr(`${NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 2;
  },
);
