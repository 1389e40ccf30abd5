/**
 * A failure in one part of the analysis stays there: a rule that throws is reported once per file as a problem naming
 * the file and the rule, and every other rule still reports exactly what it reports without the failure. A helper
 * module whose read fails is treated as unreadable; the files importing it are still analysed.
 *
 * The failing rule is injected through `ProjectOptions.rules`, the engine's seam for the rule list.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Project, RULES, nodeFileSystem, type FileAnalysis, type FileSystemHost } from '../../server/src/engine';
import type { Rule } from '../../server/src/engine/rules/rule';
import { DEFAULT_SETTINGS, type RuleId } from '../../shared/settings';
import { FIXTURE_ROOTS, listFiles } from './helpers';
import { isAnalyzableFile } from '../../server/src/engine';

const EXAMPLE_APP = FIXTURE_ROOTS[0]!;

function failing(id: RuleId, how: 'checkAction' | 'checkFile', thrown: unknown): Rule {
  const original = RULES.find((rule) => rule.meta.id === id)!;
  const rule: Rule = { meta: original.meta };
  rule[how] = () => {
    throw thrown;
  };
  // Keep the other half of the rule, so only the failing part is missing from the results.
  const other = how === 'checkAction' ? 'checkFile' : 'checkAction';
  if (original[other]) (rule as unknown as Record<string, unknown>)[other] = original[other]!.bind(original);
  return rule;
}

function analyzeAll(rules?: readonly Rule[]): Map<string, FileAnalysis> {
  const project = new Project({ root: EXAMPLE_APP, rules });
  const out = new Map<string, FileAnalysis>();
  for (const file of listFiles(EXAMPLE_APP).filter(isAnalyzableFile)) out.set(file, project.analyzeFile(file, DEFAULT_SETTINGS));
  return out;
}

/**
 * Each rule's findings as `rule@start-end`, counting a finding that `covers` other checks for each of them: without
 * the failing rule, a check it used to cover is reported by its own rule at the same place.
 */
function findingKeys(analysis: FileAnalysis, except?: RuleId): string[] {
  return analysis.findings
    .flatMap((f) => [f.ruleId, ...(f.covers ?? [])].map((rule) => `${rule}@${f.start}-${f.end}`))
    .filter((key) => !key.startsWith(`${except}@`))
    .sort();
}

describe('a rule that throws is contained', () => {
  const baseline = analyzeAll();
  const actionFiles = [...baseline].filter(([, analysis]) => analysis.actions.length > 0).map(([file]) => file);

  const cases: { id: RuleId; how: 'checkAction' | 'checkFile'; thrown: unknown }[] = [
    { id: 'server-identity', how: 'checkAction', thrown: new TypeError("Cannot read properties of undefined (reading 'text')") },
    { id: 'validate-input', how: 'checkAction', thrown: 'a string, not an Error' },
    { id: 'server-only', how: 'checkFile', thrown: new RangeError('Maximum call stack size exceeded') },
  ];
  for (const { id, how, thrown } of cases) {
    test(`${id}.${how} throwing: one problem per file naming file and rule; every other rule reports as before`, (t) => {
      const rules = RULES.map((rule) => (rule.meta.id === id ? failing(id, how, thrown) : rule));
      const results = analyzeAll(rules);
      let problems = 0;
      for (const [file, analysis] of results) {
        const mine = analysis.problems.filter((p) => p.ruleId === id);
        const before = baseline.get(file)!;
        assert.deepEqual(findingKeys(analysis, id), findingKeys(before, id), `other rules changed in ${file}`);
        assert.deepEqual(
          analysis.actions.map((a) => a.name),
          before.actions.map((a) => a.name),
        );
        // Every action-level rule runs once per action: the rule failing for each must still be one problem.
        const ran = how === 'checkFile' ? before.hasActions || analysis.actions.length > 0 : analysis.actions.length > 0;
        if (!ran) continue;
        assert.equal(mine.length, 1, `${file}: ${JSON.stringify(analysis.problems)}`);
        assert.equal(mine[0]!.file, file);
        assert.match(mine[0]!.message, new RegExp(`${id}`));
        assert.match(mine[0]!.message, thrown instanceof Error ? new RegExp(escape(thrown.message)) : /a string, not an Error/);
        for (const action of analysis.actions) assert.notEqual(action.checks[id as keyof typeof action.checks], 'pass');
        problems++;
      }
      t.diagnostic(`${results.size} files, ${problems} with the failing rule reported once`);
      assert.ok(problems >= (how === 'checkFile' ? 1 : actionFiles.length));
    });
  }
});

describe('a helper that cannot be read is contained', () => {
  test('an I/O error reading an imported helper leaves its importers analysed, with the other rules intact', () => {
    const broken = path.join(EXAMPLE_APP, 'lib', 'auth.ts');
    const host: FileSystemHost = {
      ...nodeFileSystem,
      readFile(file) {
        if (path.resolve(file) === broken) throw Object.assign(new Error(`EIO: i/o error, read '${file}'`), { code: 'EIO' });
        return nodeFileSystem.readFile(file);
      },
    };
    const project = new Project({ root: EXAMPLE_APP, host });
    const baseline = analyzeAll();
    for (const file of listFiles(EXAMPLE_APP).filter(isAnalyzableFile)) {
      const analysis = project.analyzeFile(file, DEFAULT_SETTINGS);
      const before = baseline.get(file)!;
      assert.deepEqual(
        analysis.actions.map((a) => a.name),
        before.actions.map((a) => a.name),
        file,
      );
      // Auth and identity depend on the unreadable helper; the rules that do not must report the same.
      for (const id of ['revalidate-after-write', 'safe-errors', 'narrow-contract'] as const) {
        assert.deepEqual(
          analysis.findings.filter((f) => f.ruleId === id).map((f) => f.start),
          before.findings.filter((f) => f.ruleId === id).map((f) => f.start),
          `${id} in ${file}`,
        );
      }
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
