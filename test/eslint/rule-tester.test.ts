/**
 * Every rule through ESLint's own RuleTester, on every case of the engine's rule tests (test/rules/<rule-id>.test.ts):
 * each case becomes a project on disk (with its settings as server-action-guard.config.json) and each of its source
 * files one RuleTester case with only the rule under test on, as `eslint --rule` would run it.
 *
 * What ESLint must report is what the audit report (the CLI's) says of that file with only that rule on: every
 * warning- and error-level finding with its message and range, the first safe fix as `output` (applied the way
 * ESLint applies fixes) and the other fixes as suggestions. The case's own markers keep the oracle honest: most of
 * the findings they expect of the rule are among ESLint's errors (not all: the rules change faster than this test).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { Project, applyEdits, isAnalyzableFile, type FileAnalysis, type Fix } from '../../server/src/engine';
import plugin from '../../server/src/eslint';
import { buildReport, relativePath } from '../../server/src/report';
import { RULE_IDS, resolveSettings, type RuleId } from '../../shared/settings';
import { DEFAULT_TSCONFIG, collectCasesOnly, normalizeFiles, parseMarkers, registry, type CaseBase, type Expected } from '../rules/tester';

// One node test per rule; RuleTester's cases run inside it, a failing one named in the error.
const inline = (name: string, body: () => void): void => {
  try {
    body();
  } catch (error) {
    if (error instanceof Error) error.message = `${name}: ${error.message}`;
    throw error;
  }
};
RuleTester.describe = inline;
RuleTester.it = inline;
RuleTester.itOnly = inline;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-eslint-rules-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface ProjectOnDisk {
  root: string;
  texts: Record<string, string>;
  expected: Expected[];
}

function writeProject(dir: string, c: CaseBase): ProjectOnDisk {
  const texts: Record<string, string> = {};
  const expected: Expected[] = [];
  for (const [relative, annotated] of Object.entries(normalizeFiles(c.files))) {
    const parsed = parseMarkers(relative, annotated);
    texts[relative] = parsed.text;
    expected.push(...parsed.expected);
  }
  if (!('tsconfig.json' in texts) && !('jsconfig.json' in texts)) texts['tsconfig.json'] = DEFAULT_TSCONFIG;
  if (c.settings) texts['server-action-guard.config.json'] = JSON.stringify(c.settings);
  for (const [relative, text] of Object.entries(texts)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  return { root: dir, texts, expected };
}

/** The audit report's findings of one rule, the others off, as the plugin runs the engine under `--rule`. */
function reportOf(project: ProjectOnDisk, ruleId: RuleId, raw: Record<string, unknown> | undefined) {
  const { settings } = resolveSettings(raw ?? {});
  for (const id of RULE_IDS) if (id !== ruleId) settings.rules[id] = 'off';
  const engine = new Project({ root: project.root });
  const files = Object.keys(project.texts).filter((file) => isAnalyzableFile(file) && !file.includes('node_modules/'));
  const analyses = files.map((file) => engine.analyzeFile(path.join(project.root, file), settings));
  return { analyses, report: buildReport(project.root, analyses, { files: files.length, durationMs: 0, version: '' }) };
}

/** A diagnostic's fixes with their edits: the finding's own, or every importer's fix of a module finding. */
function fixesOf(analyses: FileAnalysis[], root: string, diagnostic: { file: string; ruleId: string; message: string; range: { start: { line: number; column: number } } }): Fix[] {
  const fixes: Fix[] = [];
  for (const finding of analyses.flatMap((a) => a.findings)) {
    const place = finding.target ?? finding;
    const sameSpot =
      relativePath(root, place.file) === diagnostic.file &&
      place.range.start.line + 1 === diagnostic.range.start.line &&
      place.range.start.character + 1 === diagnostic.range.start.column &&
      finding.ruleId === diagnostic.ruleId;
    const sameMessage = finding.target ? diagnostic.message.startsWith(finding.target.message) : finding.message === diagnostic.message;
    if (!sameSpot || !sameMessage) continue;
    for (const fix of finding.fixes) if (!fixes.some((f) => f.title === fix.title)) fixes.push(fix);
    if (!finding.target) break;
  }
  return fixes;
}

/** ESLint's one fixing pass: fixes in order of their range, an overlapping one left for the next pass. */
function applyOnePass(text: string, fixes: Fix[]): string {
  const ranges = fixes
    .map((fix) => ({ fix, start: Math.min(...fix.edits.map((e) => e.start)), end: Math.max(...fix.edits.map((e) => e.end)) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let last = Number.NEGATIVE_INFINITY;
  const taken: Fix[] = [];
  for (const range of ranges) {
    if (last >= range.start) continue;
    taken.push(range.fix);
    last = range.end;
  }
  return applyEdits(text, taken.flatMap((fix) => fix.edits));
}

/** Per rule: the RuleTester cases, and how many of the engine cases' markers of the rule the report holds. */
const cases = new Map<RuleId, { valid: RuleTester.ValidTestCase[]; invalid: RuleTester.InvalidTestCase[]; markers: number; markersFound: number }>();

before(async () => {
  collectCasesOnly();
  for (const id of RULE_IDS) await import(`../rules/${id}.test`);
  for (const id of RULE_IDS) {
    const tests = registry.get(id);
    const entry = { valid: [] as RuleTester.ValidTestCase[], invalid: [] as RuleTester.InvalidTestCase[], markers: 0, markersFound: 0 };
    cases.set(id, entry);
    const all = [...(tests?.valid ?? []), ...(tests?.invalid ?? []), ...(tests?.fixes ?? []), ...(tests?.noFixes ?? [])];
    all.forEach((c, index) => {
      const project = writeProject(path.join(scratch, id, String(index)), c);
      const { analyses, report } = reportOf(project, id, c.settings);
      const diagnostics = report.diagnostics.filter((d) => d.severity !== 'info');
      const targeted = new Set(analyses.flatMap((a) => a.findings).filter((f) => f.target).map((f) => `${relativePath(project.root, f.file)}:${f.range.start.line + 1}`));
      for (const marker of project.expected) {
        if (c.todo !== undefined || marker.ruleId !== id || marker.severity === 'info' || targeted.has(`${marker.file}:${marker.line}`)) continue;
        entry.markers++;
        if (diagnostics.some((d) => d.ruleId === id && d.file === marker.file && d.range.start.line === marker.line)) entry.markersFound++;
      }
      for (const file of Object.keys(project.texts).filter((f) => isAnalyzableFile(f) && !f.includes('node_modules/')).sort()) {
        const text = project.texts[file]!;
        const filename = path.join(project.root, file);
        const name = `${c.name} (${file})`;
        const errors = diagnostics
          .filter((d) => d.file === file)
          .map((d) => {
            const fixes = fixesOf(analyses, project.root, d).filter((fix) => fix.edits.length > 0 && fix.edits.every((e) => e.file === filename));
            const safe = fixes.find((fix) => fix.safe);
            const suggestions = fixes.filter((fix) => fix !== safe);
            return {
              error: {
                message: d.message,
                line: d.range.start.line,
                column: d.range.start.column,
                endLine: d.range.end.line,
                endColumn: d.range.end.column,
                suggestions: suggestions.map((fix) => ({ desc: fix.title, output: applyEdits(text, fix.edits) })),
              },
              safe,
            };
          });
        if (errors.length === 0) {
          // Helpers without directives or forms are no case of any rule: linting them says nothing.
          if (/use server|use client|<form/.test(text)) entry.valid.push({ name, code: text, filename });
          continue;
        }
        const safeFixes = errors.flatMap((e) => (e.safe ? [e.safe] : []));
        entry.invalid.push({
          name,
          code: text,
          filename,
          errors: errors.map((e) => e.error),
          output: safeFixes.length > 0 ? applyOnePass(text, safeFixes) : null,
        });
      }
    });
  }
});

describe('ESLint RuleTester on the engine rule cases', () => {
  const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

  for (const id of RULE_IDS) {
    it(`${id}: ESLint reports what the audit reports, fixes and suggestions included`, () => {
      const entry = cases.get(id)!;
      assert.ok(entry.invalid.length >= 3, `${id} has invalid cases`);
      assert.ok(entry.valid.length > 0, `${id} has valid cases`);
      // The oracle is the engine itself; the rule cases' markers show it is not an empty one.
      assert.ok(entry.markersFound > entry.markers / 2, `${id}: ${entry.markersFound} of ${entry.markers} markers are in the report`);
      tester.run(id, plugin.rules[id]!, { valid: entry.valid, invalid: entry.invalid });
    });
  }
});
