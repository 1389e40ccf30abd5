/**
 * Never lose code. Every fix the engine offers on every fixture project (and on the generated corpus) is applied to a
 * copy and must: parse; keep the project type-checking (`tsc --noEmit`, with the fixtures' real dependencies
 * installed; the example app, the monorepo and the library apps type-check cleanly before, so after any fix they
 * must too); clear the finding it targets; change nothing when offered again; and change only its own ranges (a line
 * diff of every edited file), removing code only inside the statement the finding is in. In the library apps, every
 * planted problem is offered its fix. Applying all safe fixes (fix-all, and the CLI's --fix) reaches a fixed point
 * that is idempotent; the CLI never writes without --fix.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { Project, applyEdits, isAnalyzableFile, type FileAnalysis, type Finding, type Fix } from '../../server/src/engine';
import { scriptKindOf } from '../../server/src/engine/project';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { describeRun, ensureBuilt, makeTempDir, removeTempDirs, runCli, snapshotTree } from '../cli/helpers';
import { FIXTURE_ROOTS, LIBRARY_APPS, corpusSources, listFiles } from './helpers';
import { TypeChecker, fixtureCopy, projectConfigs, runTsc, type TypeDiagnostic } from './typecheck';

interface FixtureCase {
  name: string;
  source: string;
  /** Type-checked with tsc; `clean` fixtures have no type errors at all before any fix. */
  typecheck: 'clean' | 'no-new-errors' | 'skip';
  /** Every `// planted: <rule>` marker sits in an action that has a finding of that rule offering a fix. */
  plantedFixes?: boolean;
}

const CASES: FixtureCase[] = [
  { name: 'example-app', source: FIXTURE_ROOTS[0]!, typecheck: 'clean' },
  { name: 'monorepo', source: FIXTURE_ROOTS[1]!, typecheck: 'clean' },
  // Both import packages that do not exist (`@acme/identity`, `@acme/gate`) on purpose: compare with the baseline.
  { name: 'e2e fixture', source: FIXTURE_ROOTS[2]!, typecheck: 'no-new-errors' },
  { name: 'lsp fixture', source: FIXTURE_ROOTS[3]!, typecheck: 'no-new-errors' },
  ...LIBRARY_APPS.map(({ name, root }): FixtureCase => ({ name, source: root, typecheck: 'clean', plantedFixes: true })),
  // The corpus is for breadth, not a project meant to compile (lib/db.ts has no Prisma schema).
  { name: 'generated corpus', source: '', typecheck: 'skip' },
];

/**
 * Failures found by this test and reported to the engine, matched by the start of their message. They are printed,
 * not failed on; one that no longer happens fails the test so that it is taken off this list.
 */
const KNOWN_ISSUES: { fixture: string; failure: string; reason: string }[] = [];

function corpusRoot(): string {
  const lib = corpusSources().find((s) => s.file.endsWith(`${path.sep}lib${path.sep}db.ts`))!;
  return path.dirname(path.dirname(lib.file));
}

function analyzeAll(root: string, overrides: ReadonlyMap<string, string> = new Map()): FileAnalysis[] {
  const project = new Project({ root });
  for (const [file, text] of overrides) project.setDocument(file, text);
  return listFiles(root)
    .filter(isAnalyzableFile)
    .map((file) => project.analyzeFile(file, DEFAULT_SETTINGS));
}

function syntaxErrors(file: string, text: string): string[] {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const diagnostics = (sourceFile as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  return diagnostics.map((d) => `${sourceFile.getLineAndCharacterOfPosition(d.start).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** The edited texts of a fix, file by file. */
function applyFix(fix: Fix, read: (file: string) => string): Map<string, { before: string; after: string }> {
  const out = new Map<string, { before: string; after: string }>();
  for (const file of new Set(fix.edits.map((edit) => edit.file))) {
    const before = read(file);
    out.set(file, { before, after: applyEdits(before, fix.edits.filter((edit) => edit.file === file)) });
  }
  return out;
}

/**
 * Lines of `before` that a line diff (longest common subsequence) does not keep in `after`. Every one of them must
 * lie in a range some edit replaced; everything else must come through unchanged and in order.
 */
function changedLines(before: string, after: string): { removed: number[]; added: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  // Strip the common head and tail first: fixes touch a few lines of files with hundreds.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const removed: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(head + i++);
    else j++;
  }
  while (i < x.length) removed.push(head + i++);
  return { removed, added: y.length - lcs[0]![0]! };
}

function lineRanges(text: string): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    ranges.push({ start, end: start + line.length });
    start += line.length + 1;
  }
  return ranges;
}

/** The top-level statement a finding sits in: the only place a fix may remove code from. */
function statementAround(text: string, file: string, offset: number): { start: number; end: number } {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const statement = sourceFile.statements.find((s) => s.getStart(sourceFile) <= offset && offset < s.end);
  return statement ? { start: statement.getFullStart(), end: statement.end } : { start: 0, end: text.length };
}

function removesCode(old: string, newText: string): boolean {
  const squash = (t: string) => t.replace(/\s+/g, '');
  return squash(old).length > 0 && !squash(newText).includes(squash(old));
}

const PLANTED = /\/\/\s*planted:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/g;

/** The rules whose fixes every library app plants a problem for. */
const FIXED_RULES = ['require-auth', 'server-identity', 'validate-input', 'revalidate-after-write', 'safe-errors'];

interface PlantedProblem {
  file: string;
  line: number;
  /** The top-level function the marker is in: the action the finding must belong to. */
  action: string | undefined;
  ruleId: string;
}

function plantedProblems(root: string): PlantedProblem[] {
  const planted: PlantedProblem[] = [];
  for (const file of listFiles(root).filter(isAnalyzableFile)) {
    const text = fs.readFileSync(file, 'utf8');
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
    for (const match of text.matchAll(PLANTED)) {
      const statement = sourceFile.statements.find((s) => s.getStart(sourceFile) <= match.index && match.index < s.end);
      const action = statement && ts.isFunctionDeclaration(statement) ? (statement.name?.text ?? 'default') : undefined;
      const line = sourceFile.getLineAndCharacterOfPosition(match.index).line + 1;
      for (const ruleId of match[1]!.split(',')) planted.push({ file, line, action, ruleId: ruleId.trim() });
    }
  }
  return planted;
}

type TypeBaseline = Map<TypeChecker, Map<string, number>>;

/** Diagnostics as a multiset keyed without line numbers (fixes move lines). */
function typeKeys(diagnostics: readonly TypeDiagnostic[], root: string): Map<string, number> {
  const keys = new Map<string, number>();
  for (const d of diagnostics) {
    const key = `${path.relative(root, d.file)} TS${d.code}: ${d.message}`;
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  return keys;
}

function newTypeErrors(baseline: Map<string, number>, now: Map<string, number>): string[] {
  return [...now].filter(([key, count]) => count > (baseline.get(key) ?? 0)).map(([key]) => key);
}

/**
 * The findings a fix must clear: the finding itself, or, for a fix moved from a covered check (fix.ruleId), any
 * finding of that check or covering it in the same file.
 */
function clearedBy(finding: Finding, fix: Fix): (f: Finding) => boolean {
  const target = fix.ruleId ?? finding.ruleId;
  return (f) =>
    f.file === finding.file &&
    (target === finding.ruleId ? f.ruleId === target && f.message === finding.message : f.ruleId === target || (f.covers ?? []).includes(target));
}

/** The fixes of the engine's fix-all: every safe fix, skipping one that overlaps an edit already taken this pass. */
function safeFixPass(analyses: readonly FileAnalysis[]): Fix[] {
  const taken: Fix[] = [];
  const edits: { file: string; start: number; end: number }[] = [];
  const seen = new Set<string>();
  const findings = analyses.flatMap((a) => a.findings).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
  for (const fix of findings.flatMap((f) => f.fixes)) {
    if (!fix.safe || fix.edits.length === 0) continue;
    const key = JSON.stringify(fix.edits.map((e) => [e.file, e.start, e.end, e.newText]));
    if (seen.has(key)) continue;
    seen.add(key);
    const clash = fix.edits.some((e, i) =>
      [...edits, ...fix.edits.slice(0, i)].some((t) => t.file === e.file && ((t.start < e.end && e.start < t.end) || t.start === e.start)),
    );
    if (clash) continue;
    taken.push(fix);
    edits.push(...fix.edits);
  }
  return taken;
}

/** Applies safe fixes pass by pass until none applies; returns the final texts of changed files and the pass count. */
function fixAll(root: string, maxPasses = 10): { texts: Map<string, string>; passes: number; applied: Fix[] } {
  const texts = new Map<string, string>();
  const applied: Fix[] = [];
  for (let pass = 1; pass <= maxPasses; pass++) {
    const fixes = safeFixPass(analyzeAll(root, texts));
    if (fixes.length === 0) return { texts, passes: pass - 1, applied };
    const byFile = new Map<string, Fix['edits']>();
    for (const edit of fixes.flatMap((f) => f.edits)) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    for (const [file, edits] of byFile) texts.set(file, applyEdits(texts.get(file) ?? fs.readFileSync(file, 'utf8'), edits));
    applied.push(...fixes);
  }
  throw new Error(`fix-all did not reach a fixed point in ${maxPasses} passes`);
}

describe('never lose code: every fix on every fixture', () => {
  const copies = new Map<string, string>();
  const counts: Record<string, { fixes: number; safe: number; typechecks: number }> = {};

  before(() => {
    for (const c of CASES) copies.set(c.name, c.typecheck === 'skip' ? fixtureCopy(corpusRoot(), false) : fixtureCopy(c.source));
  });
  after(() => {
    for (const copy of copies.values()) fs.rmSync(copy, { recursive: true, force: true });
  });

  for (const c of CASES) {
    test(`${c.name}: each fix parses, type-checks, clears its finding, is idempotent, and edits only its ranges`, (t) => {
      const root = copies.get(c.name)!;
      const checkers = c.typecheck === 'skip' ? [] : projectConfigs(root).map((config) => new TypeChecker(config));
      const baseline: TypeBaseline = new Map(checkers.map((checker) => [checker, typeKeys(checker.diagnostics(), root)]));
      if (c.typecheck === 'clean') {
        for (const [checker, keys] of baseline) assert.deepEqual([...keys.keys()], [], `${checker.config} does not type-check before any fix`);
      }
      const analyses = analyzeAll(root);
      const read = (file: string) => fs.readFileSync(file, 'utf8');
      const failures: string[] = [];
      const seen = new Set<string>();
      const stats = { fixes: 0, safe: 0, typechecks: 0 };
      for (const finding of analyses.flatMap((a) => a.findings)) {
        for (const fix of finding.fixes) {
          const identity = JSON.stringify(fix.edits.map((e) => [e.file, e.start, e.end, e.newText]));
          if (seen.has(identity)) continue;
          seen.add(identity);
          stats.fixes++;
          if (fix.safe) stats.safe++;
          const where = `${path.relative(root, finding.file)}:${finding.range.start.line + 1} ${finding.ruleId} "${fix.title}"`;
          const fail = (what: string) => failures.push(`${where}: ${what}`);
          const edited = applyFix(fix, read);

          for (const [file, { before, after }] of edited) {
            if (!file.startsWith(root + path.sep)) fail(`edits a file outside the project: ${file}`);
            const errors = syntaxErrors(file, after);
            if (errors.length > 0) fail(`${path.relative(root, file)} no longer parses: ${errors.join('; ')}`);
            const edits = fix.edits.filter((e) => e.file === file);
            const lines = lineRanges(before);
            for (const line of changedLines(before, after).removed) {
              const { start, end } = lines[line]!;
              if (!edits.some((e) => e.start <= end && start <= e.end)) fail(`changes line ${line + 1} of ${path.relative(root, file)}, which no edit covers`);
            }
            const allowed = file === finding.file ? statementAround(before, file, finding.start) : undefined;
            for (const edit of edits) {
              if (!removesCode(before.slice(edit.start, edit.end), edit.newText)) continue;
              if (!allowed || edit.start < allowed.start || edit.end > allowed.end) {
                fail(`removes ${JSON.stringify(before.slice(edit.start, edit.end))} outside the statement of the finding`);
              }
            }
          }

          const afterTexts = new Map([...edited].map(([file, { after }]) => [file, after]));
          for (const [checker, keys] of baseline) {
            checker.set(afterTexts);
            const introduced = newTypeErrors(keys, typeKeys(checker.diagnostics(), root));
            checker.set(new Map([...afterTexts.keys()].map((file) => [file, undefined])));
            stats.typechecks++;
            if (introduced.length > 0) fail(`new type errors for ${path.relative(root, checker.config)}: ${introduced.join('; ')}`);
          }

          const reanalysed = analyzeAll(root, afterTexts).flatMap((a) => a.findings);
          const same = clearedBy(finding, fix);
          const beforeCount = analyses.flatMap((a) => a.findings).filter(same).length;
          if (reanalysed.filter(same).length >= beforeCount) fail(`does not clear: ${finding.message}`);
          const offeredAgain = reanalysed
            .filter((f) => f.file === finding.file && f.action === finding.action)
            .flatMap((f) => f.fixes)
            .filter((again) => again.title === fix.title);
          for (const again of offeredAgain) {
            for (const [file, { before: original, after: once }] of applyFix(again, (f) => afterTexts.get(f) ?? read(f))) {
              if (original !== once) fail(`applied a second time it changes ${path.relative(root, file)} again`);
            }
          }
        }
      }
      for (const checker of checkers) checker.dispose();
      counts[c.name] = stats;
      t.diagnostic(`${stats.fixes} fixes (${stats.safe} safe), ${stats.typechecks} type-checks`);
      const known = KNOWN_ISSUES.filter((issue) => issue.fixture === c.name);
      for (const issue of known) {
        const matching = failures.filter((failure) => failure.startsWith(issue.failure));
        assert.ok(matching.length > 0, `known issue no longer happens, take it off KNOWN_ISSUES: ${issue.failure}`);
        t.diagnostic(`known issue (${issue.reason}): ${matching.join(' | ').slice(0, 300)}`);
      }
      const unexpected = failures.filter((failure) => !known.some((issue) => failure.startsWith(issue.failure)));
      assert.deepEqual(unexpected, [], unexpected.join('\n'));
      if (c.name !== 'generated corpus') assert.ok(stats.fixes > 0, 'a fixture without fixes tests nothing');
    });
  }

  for (const c of CASES.filter((x) => x.plantedFixes)) {
    test(`${c.name}: every planted problem is offered its fix`, (t) => {
      const root = copies.get(c.name)!;
      const planted = plantedProblems(root);
      assert.deepEqual(FIXED_RULES.filter((rule) => !planted.some((p) => p.ruleId === rule)), [], 'rules without a planted problem');
      const findings = analyzeAll(root).flatMap((a) => a.findings);
      const missing: string[] = [];
      for (const problem of planted) {
        const where = `${path.relative(root, problem.file)}:${problem.line} ${problem.action ?? '(no action)'} ${problem.ruleId}`;
        const offered = findings
          .filter((f) => f.file === problem.file && f.action === problem.action && (f.ruleId === problem.ruleId || (f.covers ?? []).some((id) => id === problem.ruleId)))
          .flatMap((f) => f.fixes.filter((fix) => fix.edits.length > 0 && (fix.ruleId ?? f.ruleId) === problem.ruleId));
        if (offered.length === 0) missing.push(where);
        else t.diagnostic(`${where}: ${[...new Set(offered.map((fix) => fix.title))].join(' | ')}`);
      }
      assert.deepEqual(missing, [], `planted problems without a fix:\n${missing.join('\n')}`);
    });
  }

  for (const c of CASES) {
    test(`${c.name}: fix-all of the safe fixes reaches an idempotent fixed point that still type-checks`, (t) => {
      const root = copies.get(c.name)!;
      const { texts, passes, applied } = fixAll(root);
      t.diagnostic(`${applied.length} safe fixes in ${passes} pass(es), ${texts.size} file(s) changed`);
      for (const [file, text] of texts) assert.deepEqual(syntaxErrors(file, text), [], `${file} no longer parses`);
      const again = safeFixPass(analyzeAll(root, texts));
      assert.deepEqual(again.map((f) => f.title), [], 'safe fixes still offered after fix-all');
      if (c.typecheck === 'skip') return;
      for (const config of projectConfigs(root)) {
        const checker = new TypeChecker(config);
        const baseline = typeKeys(checker.diagnostics(), root);
        checker.set(texts);
        assert.deepEqual(newTypeErrors(baseline, typeKeys(checker.diagnostics(), root)), [], `fix-all breaks ${config}`);
        checker.dispose();
      }
    });
  }

  test('the in-process type check reports what the tsc binary reports', () => {
    for (const c of CASES.filter((x) => x.typecheck !== 'skip')) {
      const root = copies.get(c.name)!;
      for (const config of projectConfigs(root)) {
        const checker = new TypeChecker(config);
        const inProcess = checker.diagnostics().length;
        checker.dispose();
        const tsc = runTsc(config);
        const lines = tsc.output.split('\n').filter((line) => /error TS\d+/.test(line)).length;
        assert.equal(lines, inProcess, `${config}:\n${tsc.output}`);
        assert.equal(tsc.code, inProcess === 0 ? 0 : 2);
      }
    }
  });

  test('counts', (t) => {
    t.diagnostic(JSON.stringify(counts));
  });
});

describe('the CLI writes only with --fix, and then only the safe fixes', () => {
  before(ensureBuilt);
  after(removeTempDirs);

  for (const c of CASES) {
    test(`${c.name}: no writes in any format without --fix; --fix equals fix-all, prints each fix, and is idempotent`, async () => {
      const project = makeTempDir('cli-fix');
      const source = c.typecheck === 'skip' ? corpusRoot() : c.source;
      fs.cpSync(source, project, { recursive: true, filter: (file) => path.basename(file) !== 'node_modules' });
      const snapshot = snapshotTree(project);
      for (const format of ['text', 'json', 'sarif']) {
        const run = await runCli(['audit', project, '--format', format], { timeoutMs: 60_000 });
        assert.ok(run.code === 0 || run.code === 1, describeRun(run));
        assert.deepEqual(snapshotTree(project), snapshot, `--format ${format} wrote to the project`);
      }

      const expected = fixAll(project);
      const run = await runCli(['audit', project, '--fix', '--format', 'json'], { timeoutMs: 60_000 });
      assert.ok(run.code === 0 || run.code === 1, describeRun(run));
      const printed = run.stderr.split('\n').filter((line) => line.startsWith('fixed '));
      const safeTitles = new Set(expected.applied.map((fix) => fix.title));
      for (const line of printed) assert.ok([...safeTitles].some((title) => line.endsWith(`: ${title}`)), `unexpected fix: ${line}`);
      assert.equal(printed.length, expected.applied.length, run.stderr);
      for (const file of listFiles(project)) {
        const wanted = expected.texts.get(file);
        const actual = fs.readFileSync(file, 'utf8');
        if (wanted !== undefined) assert.equal(actual, wanted, `--fix wrote something else to ${file}`);
        else assert.equal(snapshot.get(path.relative(project, file))?.split(' ')[0], snapshotTree(project).get(path.relative(project, file))?.split(' ')[0], `--fix changed ${file}`);
      }
      const rerun = snapshotTree(project);
      const second = await runCli(['audit', project, '--fix', '--format', 'json'], { timeoutMs: 60_000 });
      assert.deepEqual(second.stderr.split('\n').filter((line) => line.startsWith('fixed ')), []);
      assert.deepEqual(snapshotTree(project), rerun, 'a second --fix changed files');
    });
  }
});
