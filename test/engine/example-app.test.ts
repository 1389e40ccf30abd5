/**
 * The example app (and the monorepo fixture) against their manifests: every planted problem is reported on its
 * line, nothing of error or warning severity lands on a secure action, every action is found with its kind, and
 * there is no other noise. The manifests (`expected.json`) are the ground truth; the `// planted: <rule>` markers in
 * the sources must agree with them, which the first test of each fixture checks without the engine.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import ignore from 'ignore';
import { isAnalyzableFile, Project } from '../../server/src/engine';
import type { ActionKind, ActionSummary, FileAnalysis, Finding } from '../../server/src/engine';
import { CHECKLIST_RULE_IDS, DEFAULT_SETTINGS, RULE_IDS } from '../../shared/settings';
import type { ChecklistRuleId, RuleId } from '../../shared/settings';

interface PlantedProblem {
  file: string;
  /** Null for findings that belong to a file (a directive, an export, a client component), not to an action. */
  action: string | null;
  kind?: ActionKind;
  ruleId: RuleId;
  /** 1-based line where the finding starts. */
  line: number;
  note: string;
}

interface SecureAction {
  file: string;
  action: string;
  kind: ActionKind;
}

interface Manifest {
  planted: PlantedProblem[];
  secure: SecureAction[];
  /** Files that exist in the fixture but are git-ignored, so an audit must never read them. */
  ignored?: string[];
}

/** A finding with the file relative to the fixture root and a 1-based start line, as the manifest states them. */
interface Reported {
  file: string;
  line: number;
  finding: Finding;
}

const FIXTURES = join(__dirname, '..', 'fixtures');
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.next', '.git']);
const MARKER = /(?:\/\/|\{?\/\*)\s*planted:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;

function loadManifest(root: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Manifest;
}

/** Source files of the fixture as an audit sees them: analyzable, outside build output, not git-ignored. */
function sourceFiles(root: string): string[] {
  const gitignore = ignore();
  const gitignorePath = join(root, '.gitignore');
  if (existsSync(gitignorePath)) gitignore.add(readFileSync(gitignorePath, 'utf8'));
  const files: string[] = [];
  const walk = (relativeDir: string): void => {
    for (const entry of readdirSync(join(root, relativeDir), { withFileTypes: true })) {
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !gitignore.ignores(`${relativePath}/`)) walk(relativePath);
      } else if (entry.isFile() && isAnalyzableFile(entry.name) && !gitignore.ignores(relativePath)) {
        files.push(relativePath);
      }
    }
  };
  walk('');
  return files.sort();
}

function isReportable(finding: Finding): boolean {
  return finding.severity === 'error' || finding.severity === 'warning';
}

function describeReported(reported: Reported): string {
  const { finding } = reported;
  const action = finding.action ? ` [${finding.action}]` : '';
  return `${reported.file}:${reported.line} ${finding.ruleId} (${finding.severity})${action}: ${finding.message}`;
}

function describePlanted(problem: PlantedProblem): string {
  const action = problem.action ? ` [${problem.action}]` : '';
  return `${problem.file}:${problem.line} ${problem.ruleId}${action}: ${problem.note}`;
}

function section(title: string, lines: string[]): string {
  return lines.length === 0 ? '' : `\n${title} (${lines.length}):\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

/** A finding reports a planted problem on its line by its rule, or as one of the checks it covers (one problem, one finding). */
function matches(problem: PlantedProblem, reported: Reported): boolean {
  const rules = [reported.finding.ruleId, ...(reported.finding.covers ?? [])];
  return reported.file === problem.file && rules.includes(problem.ruleId) && reported.line === problem.line;
}

function actionKey(file: string, name: string): string {
  return `${file}#${name}`;
}

function checkFixture(name: string): void {
  const root = join(FIXTURES, name);
  const manifest = loadManifest(root);

  describe(`${name} fixture`, () => {
    it('manifest agrees with the planted markers in the sources and the git-ignored files are skipped', () => {
      const files = sourceFiles(root);
      const fromMarkers: string[] = [];
      for (const file of files) {
        readFileSync(join(root, file), 'utf8')
          .split('\n')
          .forEach((text, index) => {
            const marker = MARKER.exec(text);
            if (!marker) return;
            for (const ruleId of marker[1].split(',')) fromMarkers.push(`${file}:${index + 1} ${ruleId.trim()}`);
          });
      }
      const fromManifest = manifest.planted.map((problem) => `${problem.file}:${problem.line} ${problem.ruleId}`);
      assert.deepEqual([...fromMarkers].sort(), [...fromManifest].sort(), 'planted markers and expected.json differ');

      for (const problem of manifest.planted) {
        assert.ok((RULE_IDS as readonly string[]).includes(problem.ruleId), `unknown rule id in manifest: ${problem.ruleId}`);
        assert.ok(files.includes(problem.file), `manifest names a file the audit would not read: ${problem.file}`);
      }
      for (const secure of manifest.secure) {
        assert.ok(files.includes(secure.file), `manifest names a file the audit would not read: ${secure.file}`);
      }
      for (const ignored of manifest.ignored ?? []) {
        assert.ok(existsSync(join(root, ignored)), `ignored fixture file is missing: ${ignored}`);
        assert.ok(!files.includes(ignored), `git-ignored file was not skipped: ${ignored}`);
      }
    });

    describe('analysis', () => {
      const analyses = new Map<string, FileAnalysis>();
      const reported: Reported[] = [];
      const actions: { file: string; summary: ActionSummary }[] = [];

      before(() => {
        const project = new Project({ root });
        for (const file of sourceFiles(root)) {
          const analysis = project.analyzeFile(join(root, file), DEFAULT_SETTINGS);
          analyses.set(file, analysis);
          for (const finding of analysis.findings) {
            reported.push({ file, line: finding.range.start.line + 1, finding });
          }
          for (const summary of analysis.actions) actions.push({ file, summary });
        }
      });

      const problemsNote = (): string =>
        section(
          'analysis problems',
          [...analyses.values()].flatMap((analysis) => analysis.problems.map((p) => `${p.file}: ${p.message}`)),
        );

      it('reports every planted problem on its line with error or warning severity', () => {
        const missing = manifest.planted.filter(
          (problem) => !reported.some((r) => matches(problem, r) && isReportable(r.finding)),
        );
        const nearby = missing.flatMap((problem) =>
          reported
            .filter((r) => r.file === problem.file && (r.finding.ruleId === problem.ruleId || r.line === problem.line))
            .map(describeReported),
        );
        assert.equal(
          missing.length,
          0,
          `planted problems not reported:${section('missing', missing.map(describePlanted))}` +
            `${section('findings in the same files with the same rule or line', [...new Set(nearby)])}${problemsNote()}`,
        );
      });

      it('reports nothing of error or warning severity on the secure actions', () => {
        const secureKeys = new Set(manifest.secure.map((secure) => actionKey(secure.file, secure.action)));
        const onSecure = reported.filter(
          (r) => isReportable(r.finding) && r.finding.action && secureKeys.has(actionKey(r.file, r.finding.action)),
        );
        const failingChecks = actions
          .filter(({ file, summary }) => secureKeys.has(actionKey(file, summary.name)))
          .flatMap(({ file, summary }) =>
            CHECKLIST_RULE_IDS.filter((id) => summary.checks[id] === 'fail').map(
              (id) => `${file} [${summary.name}] ${id}: ${summary.reasons[id] ?? 'fail'}`,
            ),
          );
        assert.equal(
          onSecure.length + failingChecks.length,
          0,
          `secure actions were flagged:${section('findings', onSecure.map(describeReported))}` +
            `${section('failing checklist items', failingChecks)}`,
        );
      });

      it('finds every action of the manifest with its kind, and no other action', () => {
        const expected = new Map<string, ActionKind>();
        for (const problem of manifest.planted) {
          if (problem.action && problem.kind) expected.set(actionKey(problem.file, problem.action), problem.kind);
        }
        for (const secure of manifest.secure) expected.set(actionKey(secure.file, secure.action), secure.kind);

        const found = actions.map(({ file, summary }) => `${actionKey(file, summary.name)} ${summary.kind}`).sort();
        const wanted = [...expected].map(([key, kind]) => `${key} ${kind}`).sort();
        assert.deepEqual(
          found,
          wanted,
          `actions differ:${section('missing or wrong kind', wanted.filter((a) => !found.includes(a)))}` +
            `${section('unexpected or wrong kind', found.filter((a) => !wanted.includes(a)))}${problemsNote()}`,
        );
      });

      it("marks each planted rule as failing in its action's checklist", () => {
        const wrong: string[] = [];
        for (const problem of manifest.planted) {
          if (!problem.action || !(CHECKLIST_RULE_IDS as readonly string[]).includes(problem.ruleId)) continue;
          const found = actions.find(({ file, summary }) => file === problem.file && summary.name === problem.action);
          const status = found?.summary.checks[problem.ruleId as ChecklistRuleId];
          if (status !== 'fail') wrong.push(`${describePlanted(problem)} -> ${status ?? 'action not found'}`);
        }
        assert.equal(wrong.length, 0, `checklist items that should fail:${section('not failing', wrong)}`);
      });

      it('reports exactly the planted problems at error or warning severity (no extra noise)', () => {
        const reportable = reported.filter((r) => isReportable(r.finding));
        // Every finding stands for planted problems (one finding may stand for several checks at one place).
        const unmatched = reportable.filter((r) => !manifest.planted.some((problem) => matches(problem, r)));
        const extraCovers = reportable.flatMap((r) =>
          (r.finding.covers ?? []).filter((ruleId) => !manifest.planted.some((problem) => matches({ ...problem, ruleId: problem.ruleId }, { ...r, finding: { ...r.finding, ruleId, covers: undefined } }))).map((ruleId) => `${describeReported(r)} (covers ${ruleId}, not planted)`),
        );
        const missing = manifest.planted.filter((problem) => !reportable.some((r) => matches(problem, r)));
        assert.deepEqual(
          [...unmatched.map(describeReported), ...extraCovers, ...missing.map((p) => `missing: ${describePlanted(p)}`)],
          [],
          'findings and planted problems differ',
        );
      });
    });
  });
}

checkFixture('example-app');
checkFixture('monorepo');
