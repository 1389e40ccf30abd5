/**
 * Every fix the engine offers on any case of any rule — not only the ones with a before/after test — must produce
 * code that parses, clear the finding it targets, keep the user's code, and not offer itself again with a change.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Finding, Fix } from '../../server/src/engine';
import { RULE_IDS } from '../../shared/settings';
import { applyFix, collectCasesOnly, createProject, registry, syntaxErrors, type CaseBase } from './tester';

/** Identifiers and string literals of a text, to check a fix drops none of them (it may add and move code). */
function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

function droppedTokens(before: string, after: string, replaced: Set<string>): string[] {
  const kept = tokens(after);
  const dropped: string[] = [];
  for (const [token, count] of tokens(before)) {
    if (replaced.has(token)) continue;
    if ((kept.get(token) ?? 0) < count) dropped.push(token);
  }
  return dropped;
}

/** Tokens a fix is allowed to remove: the text it replaces. */
function replacedTokens(fix: Fix, texts: Record<string, string>): Set<string> {
  const out = new Set<string>();
  for (const edit of fix.edits) {
    const file = path.posix.relative('/project', edit.file);
    const removed = texts[file]?.slice(edit.start, edit.end) ?? '';
    for (const token of tokens(removed).keys()) out.add(token);
  }
  return out;
}

function checkFix(c: CaseBase, finding: Finding, fix: Fix): void {
  const project = createProject(c.files, c.settings);
  const output = applyFix(project.texts, fix);
  for (const [file, text] of Object.entries(output)) {
    if (text === project.texts[file]) continue;
    assert.deepEqual(syntaxErrors(file, text), [], `"${fix.title}" leaves syntax errors in ${file}:\n${text}`);
    assert.deepEqual(droppedTokens(project.texts[file]!, text, replacedTokens(fix, project.texts)), [], `"${fix.title}" drops code from ${file}`);
  }
  const after = createProject(output, c.settings);
  const findings = after.analyzeAll().flatMap((a) => a.findings);
  // A fix moved from a covered check clears that check: the kept finding stops covering it, or goes.
  const target = fix.ruleId ?? finding.ruleId;
  const same = (f: Finding): boolean =>
    f.file === finding.file && (target === finding.ruleId ? f.ruleId === target && f.message === finding.message : f.ruleId === target || (f.covers ?? []).includes(target));
  const beforeCount = project.analyzeAll().flatMap((a) => a.findings).filter(same).length;
  assert.ok(findings.filter(same).length < beforeCount, `"${fix.title}" does not clear: ${finding.message}\n${Object.values(output).join('\n---\n')}`);
  // Other actions may still need the same fix; the fixed action must not.
  const sameAction = findings.filter((f) => f.file === finding.file && f.action === finding.action);
  for (const again of sameAction.flatMap((f) => f.fixes).filter((f) => f.title === fix.title)) {
    assert.deepEqual(applyFix(after.texts, again), after.texts, `"${fix.title}" is offered again and changes the code again`);
  }
}

describe('every offered fix', () => {
  before(async () => {
    collectCasesOnly();
    for (const id of RULE_IDS) {
      const file = path.join(__dirname, `${id}.test.ts`);
      if (fs.existsSync(file)) await import(file);
    }
  });

  for (const id of RULE_IDS) {
    it(`${id}: parses, clears its finding, keeps the code, is idempotent`, () => {
      const tests = registry.get(id);
      assert.ok(tests, `no cases registered for ${id}`);
      let checked = 0;
      for (const c of [...(tests.valid ?? []), ...(tests.invalid ?? []), ...(tests.fixes ?? []), ...(tests.noFixes ?? [])]) {
        const project = createProject(c.files, c.settings);
        for (const analysis of project.analyzeAll()) {
          for (const finding of analysis.findings) {
            for (const fix of finding.fixes) {
              checkFix(c, finding, fix);
              checked++;
            }
          }
        }
      }
      assert.ok(checked >= 0);
    });
  }
});
