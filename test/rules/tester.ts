/**
 * Rule tester: typescript-eslint's RuleTester crossed with rust-analyzer's inline markers.
 *
 * Each case is a small virtual project (path → text) analysed by the real engine through an in-memory file system.
 * Expected diagnostics are marked right under the code they cover:
 *
 *   const id = formData.get('userId');
 *   //         ^^^^^^^^^^^^^^^^^^^^^^ server-identity
 *
 * A marker line is `//`, spaces, carets, a rule id and optionally a severity and a message fragment:
 *
 *   //   ^^^^^^^^^^^ require-auth info: Could not verify
 *
 * The carets sit under the columns the finding covers on the line above (the nearest line that is not a marker).
 * For a finding in the first two columns, leave out the `//`: a line of carets alone is a marker too.
 * A finding spanning several lines is marked with carets up to the end of its first line and `+N` for the number of
 * further lines it covers (its end column on the last line is not asserted). Marker lines are removed before
 * analysis, so they never shift the code the engine sees.
 *
 * For the rule under test, and every rule that appears in a marker, the set of findings must match the markers
 * exactly. `valid` cases must produce no finding of the rule under test. Fix cases apply one fix (chosen by title
 * prefix), compare the whole output, then re-analyse: the output parses, the targeted finding is gone (and the
 * output's own markers match), and the same fix is no longer offered or changes nothing.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import {
  applyEdits,
  isAnalyzableFile,
  Project,
  type CheckStatus,
  type FileAnalysis,
  type FileSystemHost,
  type Finding,
  type Fix,
  type TextEdit,
} from '../../server/src/engine';
import { scriptKindOf } from '../../server/src/engine/project';
import { RULE_IDS, resolveSettings, type ChecklistRuleId, type GuardSettings, type RuleId, type Severity } from '../../shared/settings';

export const ROOT = '/project';

/** Every case gets this tsconfig unless it brings its own: `@/…` resolves from the project root, as in create-next-app. */
export const DEFAULT_TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, jsx: 'preserve', baseUrl: '.', paths: { '@/*': ['./*'] } } });

/** A virtual project: relative path → text. A bare string is the single file `app/actions.ts`. */
export type Files = Record<string, string> | string;

export interface CaseBase {
  name: string;
  files: Files;
  /** Raw settings, as a user would write them in server-action-guard.config.json (validated like the CLI does). */
  settings?: Record<string, unknown>;
  /** A known gap: the case runs but its failure is reported as todo, with this reason. */
  todo?: string;
  only?: boolean;
}

export interface ValidCase extends CaseBase {
  /** Checklist status per action name and rule (e.g. `{ saveNote: { 'require-auth': 'pass' } }`). */
  checks?: Record<string, Partial<Record<ChecklistRuleId, CheckStatus>>>;
}

export type InvalidCase = ValidCase;

export interface FixCase extends CaseBase {
  /** Title prefix (or pattern) of the fix to apply. */
  fix: string | RegExp;
  /** Expected text of every file the fix changes (files not listed must stay unchanged). Markers allowed. */
  output: Files;
  /** Whether the fix is marked safe (applied automatically) or unsafe (a suggestion). */
  safe?: boolean;
}

/** Asserts that no finding of the rule offers a fix matching `fix`. */
export interface NoFixCase extends CaseBase {
  noFix: string | RegExp;
}

export interface RuleTests {
  valid?: ValidCase[];
  invalid?: InvalidCase[];
  fixes?: FixCase[];
  noFixes?: NoFixCase[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Markers

export interface Expected {
  file: string;
  ruleId: RuleId;
  /** 1-based line in the text the engine sees (markers removed). */
  line: number;
  /** 1-based, end exclusive, on `line`. */
  startColumn: number;
  endColumn: number;
  /** Further lines covered by the finding. */
  extraLines: number;
  severity?: Severity;
  message?: string;
}

const MARKER = /^(\s*)(?:\/\/(\s*))?(\^+)\s+([a-z-]+)(?:\s+\+(\d+))?(?:\s+(error|warning|info))?(?:\s*:\s*(.*?))?\s*$/;

/** Splits an annotated text into the code the engine sees and the diagnostics its markers expect. */
export function parseMarkers(file: string, annotated: string): { text: string; expected: Expected[] } {
  const lines = annotated.split('\n');
  const kept: string[] = [];
  const expected: Expected[] = [];
  for (const line of lines) {
    const match = MARKER.exec(line);
    if (!match || !(RULE_IDS as readonly string[]).includes(match[4]!)) {
      kept.push(line);
      continue;
    }
    if (kept.length === 0) throw new Error(`${file}: marker before any code: ${line}`);
    const start = match[1]!.length + (match[2] === undefined ? 0 : 2 + match[2].length);
    expected.push({
      file,
      ruleId: match[4] as RuleId,
      line: kept.length,
      startColumn: start + 1,
      endColumn: start + match[3]!.length + 1,
      extraLines: match[5] ? Number(match[5]) : 0,
      severity: match[6] as Severity | undefined,
      message: match[7] || undefined,
    });
  }
  return { text: kept.join('\n'), expected };
}

// ---------------------------------------------------------------------------------------------------------------------
// Virtual projects

export function normalizeFiles(files: Files): Record<string, string> {
  return typeof files === 'string' ? { 'app/actions.ts': files } : files;
}

/** An in-memory file system: the engine's real parsing and module resolution, without touching the disk. */
export function memoryHost(files: Map<string, string>): FileSystemHost {
  const directories = new Set<string>();
  for (const file of files.keys()) {
    for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
      directories.add(dir);
      if (dir === path.posix.dirname(dir)) break;
    }
  }
  return {
    readFile: (file) => files.get(file),
    fileExists: (file) => files.has(file),
    directoryExists: (dir) => directories.has(dir.replace(/\/$/, '') || '/'),
    realpath: (file) => file,
    fileSize: (file) => (files.has(file) ? Buffer.byteLength(files.get(file)!) : undefined),
    readDirectory: (dir) => {
      const prefix = dir.replace(/\/$/, '') + '/';
      const entries = new Map<string, boolean>();
      for (const file of files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const [name, ...rest] = file.slice(prefix.length).split('/');
        entries.set(name!, rest.length > 0 || (entries.get(name!) ?? false));
      }
      return [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
  };
}

export interface VirtualProject {
  project: Project;
  settings: GuardSettings;
  /** Relative path → text the engine sees. */
  texts: Record<string, string>;
  expected: Expected[];
  analyze(relative: string): FileAnalysis;
  /** Every analysable file, analysed. */
  analyzeAll(): FileAnalysis[];
}

export function abs(relative: string): string {
  return path.posix.join(ROOT, relative);
}

export function rel(absolute: string): string {
  return path.posix.relative(ROOT, absolute);
}

export function settingsFrom(raw: Record<string, unknown> | undefined): GuardSettings {
  const { settings, errors } = resolveSettings(raw ?? {});
  assert.deepEqual(errors, [], 'the case has invalid settings');
  return settings;
}

export function createProject(files: Files, rawSettings?: Record<string, unknown>): VirtualProject {
  const texts: Record<string, string> = {};
  const expected: Expected[] = [];
  for (const [relative, annotated] of Object.entries(normalizeFiles(files))) {
    const parsed = parseMarkers(relative, annotated);
    texts[relative] = parsed.text;
    expected.push(...parsed.expected);
  }
  if (!('tsconfig.json' in texts) && !('jsconfig.json' in texts)) texts['tsconfig.json'] = DEFAULT_TSCONFIG;
  const map = new Map(Object.entries(texts).map(([relative, text]) => [abs(relative), text]));
  const project = new Project({ root: ROOT, host: memoryHost(map) });
  const settings = settingsFrom(rawSettings);
  const analyze = (relative: string): FileAnalysis => project.analyzeFile(abs(relative), settings);
  return {
    project,
    settings,
    texts,
    expected,
    analyze,
    analyzeAll: () => Object.keys(texts).filter((f) => isAnalyzableFile(f) && !f.includes('node_modules/')).sort().map(analyze),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Comparison

function keyOf(e: Expected): string {
  const extra = e.extraLines > 0 ? ` +${e.extraLines}` : '';
  return `${e.file}:${e.line}:${e.startColumn}-${e.endColumn}${extra} ${e.ruleId}`;
}

/** A finding in the marker's terms: multi-line findings end at the end of their first line. */
function asExpected(finding: Finding, texts: Record<string, string>): Expected {
  const file = rel(finding.file);
  const { start, end } = finding.range;
  const lineText = texts[file]!.split('\n')[start.line] ?? '';
  const multi = end.line > start.line;
  return {
    file,
    ruleId: finding.ruleId,
    line: start.line + 1,
    startColumn: start.character + 1,
    endColumn: (multi ? lineText.replace(/\s+$/, '').length : end.character) + 1,
    extraLines: end.line - start.line,
    severity: finding.severity,
    message: finding.message,
  };
}

function describeFinding(finding: Finding, texts: Record<string, string>): string {
  const e = asExpected(finding, texts);
  const lineText = texts[e.file]!.split('\n')[e.line - 1] ?? '';
  const lead = e.startColumn >= 3 ? `${' '.repeat(e.startColumn - 3)}//` : ' '.repeat(e.startColumn - 1);
  const marker = `${lead}${'^'.repeat(Math.max(1, e.endColumn - e.startColumn))} ${e.ruleId}${e.extraLines ? ` +${e.extraLines}` : ''}`;
  return `${keyOf(e)} [${finding.severity}] ${finding.message}\n      ${lineText}\n      ${marker}`;
}

/**
 * Asserts that the findings of `rules` in the project are exactly the ones its markers expect. A finding that
 * `covers` a rule under test stands for that rule's finding at the same range (its message and level are the
 * covering rule's, so a marker's message and level are not compared there).
 */
export function assertFindings(findings: Finding[], expected: Expected[], rules: Set<RuleId>, texts: Record<string, string>): void {
  const views = findings.flatMap((finding) =>
    [finding.ruleId, ...(finding.covers ?? [])].filter((id) => rules.has(id)).map((ruleId) => ({ finding, ruleId, covered: ruleId !== finding.ruleId })),
  );
  const wanted = expected.filter((e) => rules.has(e.ruleId));
  const unmatched = [...views];
  const missing: Expected[] = [];
  for (const want of wanted) {
    const index = unmatched.findIndex(({ finding, ruleId, covered }) => {
      const got = { ...asExpected(finding, texts), ruleId };
      return (
        keyOf(got) === keyOf(want) &&
        (covered || !want.severity || want.severity === got.severity) &&
        (covered || !want.message || got.message!.includes(want.message))
      );
    });
    if (index === -1) missing.push(want);
    else unmatched.splice(index, 1);
  }
  if (missing.length === 0 && unmatched.length === 0) return;
  const lines: string[] = [];
  for (const m of missing) lines.push(`  expected but not reported: ${keyOf(m)}${m.severity ? ` [${m.severity}]` : ''}${m.message ? ` "${m.message}"` : ''}`);
  for (const { finding, ruleId, covered } of unmatched) lines.push(`  reported but not expected: ${covered ? `(${ruleId}, covered by) ` : ''}${describeFinding(finding, texts)}`);
  const all = findings.map((f) => `    ${keyOf(asExpected(f, texts))}${f.covers ? ` (covers ${f.covers.join(', ')})` : ''} [${f.severity}] ${f.message}`);
  assert.fail(`findings differ from the markers:\n${lines.join('\n')}\n  all findings:\n${all.join('\n') || '    (none)'}`);
}

function assertChecks(analyses: FileAnalysis[], checks: ValidCase['checks']): void {
  if (!checks) return;
  const actions = analyses.flatMap((a) => a.actions);
  for (const [name, expected] of Object.entries(checks)) {
    const action = actions.find((a) => a.name === name);
    assert.ok(action, `no action named ${name}; found: ${actions.map((a) => a.name).join(', ') || '(none)'}`);
    for (const [rule, status] of Object.entries(expected)) {
      const id = rule as ChecklistRuleId;
      assert.equal(action.checks[id], status, `${name}: ${rule} is ${action.checks[id]} (${action.reasons[id] ?? 'no reason'}), expected ${status}`);
    }
  }
}

function problemsOf(analyses: FileAnalysis[]): string[] {
  return analyses.flatMap((a) => a.problems.map((p) => `${rel(p.file)}: ${p.message}`));
}

// ---------------------------------------------------------------------------------------------------------------------
// Fixes

function matchesTitle(fix: Fix, wanted: string | RegExp): boolean {
  return typeof wanted === 'string' ? fix.title.startsWith(wanted) : wanted.test(fix.title);
}

/** Applies a fix's edits per file. */
export function applyFix(texts: Record<string, string>, fix: Fix): Record<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) {
    const file = rel(edit.file);
    assert.ok(file in texts, `fix edits a file outside the project: ${edit.file}`);
    byFile.set(file, [...(byFile.get(file) ?? []), edit]);
  }
  const out = { ...texts };
  for (const [file, edits] of byFile) out[file] = applyEdits(texts[file]!, edits);
  return out;
}

export function syntaxErrors(file: string, text: string): string[] {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const diagnostics = (sourceFile as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${file}:${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

function findFix(analyses: FileAnalysis[], ruleId: RuleId, wanted: string | RegExp, expected: Expected[], texts: Record<string, string>) {
  const marked = expected.filter((e) => e.ruleId === ruleId);
  for (const analysis of analyses) {
    for (const finding of analysis.findings) {
      if (finding.ruleId !== ruleId) continue;
      if (marked.length > 0) {
        const got = keyOf(asExpected(finding, texts));
        if (!marked.some((m) => keyOf(m) === got)) continue;
      }
      const fix = finding.fixes.find((f) => matchesTitle(f, wanted));
      if (fix) return { finding, fix };
    }
  }
  return undefined;
}

function runFixCase(ruleId: RuleId, c: FixCase): void {
  const before = createProject(c.files, c.settings);
  const analyses = before.analyzeAll();
  assert.deepEqual(problemsOf(analyses), [], 'the engine reported problems');
  const findings = analyses.flatMap((a) => a.findings);
  const found = findFix(analyses, ruleId, c.fix, before.expected, before.texts);
  const offered = findings.filter((f) => f.ruleId === ruleId).map((f) => `${keyOf(asExpected(f, before.texts))}: ${f.fixes.map((x) => x.title).join(' | ') || '(no fix)'}`);
  assert.ok(found, `no ${ruleId} finding offers a fix matching ${String(c.fix)}; offered:\n  ${offered.join('\n  ') || '(no findings)'}`);
  if (c.safe !== undefined) assert.equal(found.fix.safe, c.safe, `fix "${found.fix.title}" safe flag`);

  const output = applyFix(before.texts, found.fix);
  const expectedOutput: Record<string, string> = {};
  const expectedAfter: Expected[] = [];
  for (const [file, annotated] of Object.entries(normalizeFiles(c.output))) {
    const parsed = parseMarkers(file, annotated);
    expectedOutput[file] = parsed.text;
    expectedAfter.push(...parsed.expected);
  }
  for (const file of Object.keys(output)) {
    const wanted = expectedOutput[file] ?? before.texts[file];
    assert.equal(output[file], wanted, file in expectedOutput ? `fixed text of ${file}` : `${file} must not change`);
  }
  for (const file of Object.keys(expectedOutput)) assert.ok(file in output, `output names a file not in the project: ${file}`);
  for (const [file, text] of Object.entries(output)) {
    if (isAnalyzableFile(file)) assert.deepEqual(syntaxErrors(file, text), [], `fix output of ${file} has syntax errors`);
  }

  // Re-analyse the fixed project.
  const after = createProject(output, c.settings);
  const afterAnalyses = after.analyzeAll();
  const afterFindings = afterAnalyses.flatMap((a) => a.findings);
  const sameBefore = findings.filter((f) => f.ruleId === ruleId && f.file === found.finding.file && f.message === found.finding.message).length;
  const sameAfter = afterFindings.filter((f) => f.ruleId === ruleId && f.file === found.finding.file && f.message === found.finding.message).length;
  assert.ok(sameAfter < sameBefore, `the fixed code still reports: ${found.finding.message}`);
  // What is left of the rule after the fix is exactly what the output marks (usually nothing).
  const rules = new Set<RuleId>([ruleId, ...expectedAfter.map((e) => e.ruleId)]);
  assertFindings(afterFindings, expectedAfter, rules, after.texts);

  // Idempotent: the same fix is not offered again for the same action, or offering it changes nothing.
  for (const finding of afterFindings) {
    if (finding.ruleId !== ruleId || finding.action !== found.finding.action) continue;
    for (const fix of finding.fixes) {
      if (fix.title !== found.fix.title) continue;
      const again = applyFix(after.texts, fix);
      assert.deepEqual(again, after.texts, `fix "${fix.title}" is offered again after being applied and changes the code again`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Suites

function caseTest(name: string, c: CaseBase, body: () => void): void {
  const options = { todo: c.todo, only: c.only };
  it(name, options, body);
}

export function runValid(ruleId: RuleId, c: ValidCase): void {
  const project = createProject(c.files, c.settings);
  const analyses = project.analyzeAll();
  assert.deepEqual(problemsOf(analyses), [], 'the engine reported problems');
  const findings = analyses.flatMap((a) => a.findings);
  const rules = new Set<RuleId>([ruleId, ...project.expected.map((e) => e.ruleId)]);
  assertFindings(findings, project.expected, rules, project.texts);
  assertChecks(analyses, c.checks);
}

export function runInvalid(ruleId: RuleId, c: InvalidCase): void {
  const project = createProject(c.files, c.settings);
  assert.ok(
    project.expected.some((e) => e.ruleId === ruleId),
    `an invalid case needs at least one ${ruleId} marker`,
  );
  runValid(ruleId, c);
}

function runNoFix(ruleId: RuleId, c: NoFixCase): void {
  const project = createProject(c.files, c.settings);
  const findings = project.analyzeAll().flatMap((a) => a.findings.filter((f) => f.ruleId === ruleId));
  assert.ok(findings.length > 0, `expected at least one ${ruleId} finding`);
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => matchesTitle(f, c.noFix));
    assert.equal(fix, undefined, `unexpected fix "${fix?.title}" on ${finding.message}`);
  }
}

/** Registers the cases of one rule with node's test runner. */
export function ruleTester(ruleId: RuleId, tests: RuleTests): void {
  registry.set(ruleId, tests);
  if (collectOnly) return;
  describe(ruleId, () => {
    describe('valid', () => {
      for (const c of tests.valid ?? []) {
        caseTest(c.name, c, () => {
          assert.ok(!project(c).expected.some((e) => e.ruleId === ruleId), `a valid case must not mark ${ruleId}`);
          runValid(ruleId, c);
        });
      }
    });
    describe('invalid', () => {
      for (const c of tests.invalid ?? []) caseTest(c.name, c, () => runInvalid(ruleId, c));
    });
    if (tests.fixes?.length || tests.noFixes?.length) {
      describe('fixes', () => {
        for (const c of tests.fixes ?? []) caseTest(c.name, c, () => runFixCase(ruleId, c));
        for (const c of tests.noFixes ?? []) caseTest(c.name, c, () => runNoFix(ruleId, c));
      });
    }
  });
}

function project(c: CaseBase): { expected: Expected[] } {
  const expected: Expected[] = [];
  for (const [file, text] of Object.entries(normalizeFiles(c.files))) expected.push(...parseMarkers(file, text).expected);
  return { expected };
}

/** The cases registered by each rule's test file (read by the meta-tests). */
export const registry = new Map<RuleId, RuleTests>();
let collectOnly = false;

/** Makes `ruleTester` record cases without registering tests, so the meta-tests can import every rule's test file. */
export function collectCasesOnly(): void {
  collectOnly = true;
}

/**
 * Template tag that strips the common indentation and the first/last blank line, so cases can be indented.
 * Escapes are cooked: write \` and \${ for backticks and template holes in the analysed code.
 */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n') + '\n';
}
