import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { AuditReport, ReportDiagnostic } from '../../shared/protocol';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId } from '../../shared/settings';
import { labelFileProblems, markdown, scoreApp, totals, type LabelFile, type LabelledAction } from '../../eval/scoring';

const REPO = path.resolve(__dirname, '..', '..');

function action(file: string, name: string, line: number, fails: ChecklistRuleId[], na: ChecklistRuleId[] = []): LabelledAction {
  const checks = Object.fromEntries(
    CHECKLIST_RULE_IDS.map((rule) => [rule, fails.includes(rule) ? 'fail: planted' : na.includes(rule) ? 'n/a: nothing to judge' : 'pass: fine']),
  ) as Record<ChecklistRuleId, string>;
  return { file, name, line, checks };
}

function labels(actions: LabelledAction[]): LabelFile {
  return { id: 'app', repo: 'acme/app', commit: 'a'.repeat(40), root: '.', actions };
}

function finding(ruleId: ChecklistRuleId, severity: ReportDiagnostic['severity'], file: string, action?: string): ReportDiagnostic {
  const at = { line: 1, column: 1 };
  return { ruleId, severity, message: `${ruleId} here`, file, range: { start: at, end: at }, action, fixes: [] };
}

function report(actions: [string, string][], diagnostics: ReportDiagnostic[]): AuditReport {
  const checks = Object.fromEntries(CHECKLIST_RULE_IDS.map((rule) => [rule, 'pass'])) as AuditReport['actions'][number]['checks'];
  return {
    tool: { name: 'server-action-guard', version: '0' },
    root: '/app',
    actions: actions.map(([file, name]) => ({ file, name, line: 1, column: 1, kind: 'file-directive', checks })),
    diagnostics,
    summary: { files: 1, actions: actions.length, failing: 0, durationMs: 0 },
  };
}

describe('scoring', () => {
  const labelled = labels([
    action('a.ts', 'create', 3, ['require-auth', 'validate-input']),
    action('a.ts', 'remove', 9, ['server-identity'], ['abuse-protection']),
    action('b.ts', 'hidden', 2, ['safe-errors']),
  ]);

  it('counts a warning or error of the rule on the action as a detection, info and other actions not', () => {
    const score = scoreApp(
      labelled,
      report(
        [
          ['a.ts', 'create'],
          ['a.ts', 'remove'],
          ['c.ts', 'unlabelled'],
        ],
        [
          finding('require-auth', 'error', 'a.ts', 'create'),
          finding('validate-input', 'info', 'a.ts', 'create'),
          finding('server-identity', 'warning', 'a.ts', 'create'),
          finding('abuse-protection', 'error', 'a.ts', 'remove'),
          finding('server-identity', 'warning', 'a.ts', 'other'),
          finding('require-auth', 'error', 'c.ts', 'unlabelled'),
        ],
      ),
    );
    assert.deepEqual(score.checks['require-auth'], { tp: 1, fp: 0, fn: 0, tn: 2 });
    assert.deepEqual(score.checks['validate-input'], { tp: 0, fp: 0, fn: 1, tn: 2 });
    assert.deepEqual(score.checks['server-identity'], { tp: 0, fp: 1, fn: 1, tn: 1 });
    assert.deepEqual(score.checks['abuse-protection'], { tp: 0, fp: 1, fn: 0, tn: 2 });
    assert.equal(score.errorFalsePositives, 1, 'the abuse-protection error on an n/a label; the server-identity warning is not an error');
    assert.equal(score.discovered, 2);
    assert.deepEqual(score.undiscovered, [{ file: 'b.ts', name: 'hidden' }]);
    assert.deepEqual(score.noise, { actions: 3, findings: 6, errors: 3, infos: 1 });
  });

  it('credits a finding that names several actions to each of them', () => {
    const shared = { ...finding('server-only', 'warning', 'a.ts', 'create'), actions: ['create', 'remove'] };
    const twoFails = labels([action('a.ts', 'create', 3, ['server-only']), action('a.ts', 'remove', 9, ['server-only'])]);
    const score = scoreApp(twoFails, report([['a.ts', 'create'], ['a.ts', 'remove']], [shared]));
    assert.deepEqual(score.checks['server-only'], { tp: 2, fp: 0, fn: 0, tn: 0 });
  });

  it('matches an inline action named differently by its line, but never to another labelled action', () => {
    const inline = labels([action('app/page.tsx', 'action', 10, ['require-auth']), action('app/page.tsx', 'save', 30, [])]);
    const found = report(
      [
        ['app/page.tsx', 'inline action'],
        ['app/page.tsx', 'save'],
      ],
      [finding('require-auth', 'error', 'app/page.tsx', 'inline action')],
    );
    found.actions[0]!.line = 11;
    found.actions[1]!.line = 30;
    const score = scoreApp(inline, found);
    assert.equal(score.discovered, 2);
    assert.deepEqual(score.checks['require-auth'], { tp: 1, fp: 0, fn: 0, tn: 1 });
    found.actions[0]!.line = 20;
    assert.equal(scoreApp(inline, found).discovered, 1, 'ten lines away is another action');
  });

  it('credits a finding that covers other checks to each of them', () => {
    const merged = { ...finding('server-identity', 'error', 'a.ts', 'create'), covers: ['validate-input' as const] };
    const score = scoreApp(labelled, report([['a.ts', 'create']], [merged]));
    assert.equal(score.checks['validate-input'].tp, 1);
    assert.equal(score.checks['server-identity'].fp, 1);
  });

  it('credits a finding at a module to the actions its related imports name', () => {
    const atModule = { ...finding('require-auth', 'warning', 'lib/db.ts'), related: [{ file: 'a.ts', line: 2, column: 1, actions: ['create'] }] };
    const score = scoreApp(labelled, report([['a.ts', 'create'], ['a.ts', 'remove']], [atModule]));
    assert.equal(score.checks['require-auth'].tp, 1);
    assert.equal(score.checks['require-auth'].fp, 0, 'remove is not named by the import');
  });

  it('adds apps up into precision and recall per check', () => {
    const first = scoreApp(labelled, report([['a.ts', 'create']], [finding('require-auth', 'warning', 'a.ts', 'create')]));
    const second = scoreApp(labelled, report([['a.ts', 'remove']], [finding('require-auth', 'warning', 'a.ts', 'remove')]));
    const all = totals([first, second]);
    assert.equal(all.checks['require-auth'].precision, 0.5);
    assert.equal(all.checks['require-auth'].recall, 0.5);
    assert.equal(all.checks['require-auth'].labelledFail, 2);
    assert.ok(Number.isNaN(all.checks['narrow-contract'].precision), 'no detection: precision undefined, not 1');
    assert.match(markdown([first, second]), /\| require-auth \| 2 \| 1 \| 1 \| 1 \| 0\.50 \| 0\.50 \|/);
  });

  it('rejects malformed label files with a sentence per problem', () => {
    const bad = labels([{ ...action('/abs/a.ts', 'x', 0, []), checks: { 'validate-input': 'maybe' } as never }]);
    const problems = labelFileProblems({ ...bad, commit: 'abc' });
    assert.ok(problems.some((p) => p.includes('full commit hash')));
    assert.ok(problems.some((p) => p.includes('relative to the root')));
    assert.ok(problems.some((p) => p.includes('1-based line')));
    assert.ok(problems.some((p) => p.includes('"maybe" has no verdict')));
    assert.ok(problems.some((p) => p.includes('no label for require-auth')));
  });
});

describe('the committed labels', () => {
  const dir = path.join(REPO, 'eval', 'labels');
  const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));

  it('are well-formed, one file per checkout named by its id', () => {
    for (const name of files) {
      const file = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as LabelFile;
      assert.equal(`${file.id}.json`, name);
      assert.deepEqual(labelFileProblems(file), [], name);
    }
  });
});
