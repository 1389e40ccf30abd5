/**
 * The CLI writes to the audited project only with --fix, then only the fixes marked safe, and says what it changed.
 * Checked against whatever fixes the engine offers on the tiny app today.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditReport } from '../../shared/protocol';
import { TINY_APP } from './fixtures/tiny-app';
import { describeRun, ensureBuilt, makeTempDir, removeTempDirs, runCli, snapshotTree, writeTree } from './helpers';

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const content = (entry: string | undefined) => entry?.split(' ')[0];
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => content(before.get(name)) !== content(after.get(name))).sort();
}

function fixedLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('fixed '));
}

async function auditJson(cwd: string, extra: string[] = []): Promise<{ report: AuditReport; stderr: string }> {
  const result = await runCli(['audit', '--format', 'json', '--fail-on', 'never', ...extra], { cwd });
  assert.equal(result.code, 0, describeRun(result));
  return { report: JSON.parse(result.stdout) as AuditReport, stderr: result.stderr };
}

describe('--fix', () => {
  before(ensureBuilt);
  after(removeTempDirs);

  it('is the only way the CLI writes to the project', async () => {
    const app = makeTempDir('fix-readonly');
    writeTree(app, TINY_APP);
    const before = snapshotTree(app);
    for (const args of [
      [],
      ['--format', 'json'],
      ['--format', 'sarif'],
      ['--quiet'],
      ['app', '--fail-on', 'warning'],
    ]) {
      const result = await runCli(['audit', ...args], { cwd: app });
      assert.ok(result.code === 0 || result.code === 1, describeRun(result));
      assert.deepEqual(fixedLines(result.stderr), []);
    }
    assert.deepEqual(snapshotTree(app), before, 'no file was written, not even with the same content');
  });

  it('applies only safe fixes, prints each one, and a second run has nothing left to do', async () => {
    const app = makeTempDir('fix-apply');
    writeTree(app, TINY_APP);
    const { report: unfixed } = await auditJson(app);
    const safe = unfixed.diagnostics.filter((d) => d.fixes.some((f) => f.safe));
    const before = snapshotTree(app);

    const fixRun = await runCli(['audit', '--fix', '--format', 'json', '--fail-on', 'never'], { cwd: app });
    assert.equal(fixRun.code, 0, describeRun(fixRun));
    const fixedReport = JSON.parse(fixRun.stdout) as AuditReport;
    const afterFirst = snapshotTree(app);
    const changed = changedFiles(before, afterFirst);
    const lines = fixedLines(fixRun.stderr);

    if (safe.length === 0) {
      assert.deepEqual(changed, [], 'no safe fix offered, so nothing may change');
      assert.deepEqual(lines, []);
    } else {
      assert.ok(changed.length > 0, `safe fixes were offered but nothing changed:\n${describeRun(fixRun)}`);
      assert.ok(lines.length > 0, `changes are printed:\n${fixRun.stderr}`);
      for (const line of lines) {
        const match = /^fixed (.+):(\d+): (.+)$/.exec(line);
        assert.ok(match, `"${line}" names file:line and the fix`);
        const [, file, lineNumber, title] = match;
        assert.ok(fs.existsSync(path.join(app, file!)), `${file} is a file of the project`);
        assert.ok(Number(lineNumber) >= 1 && title!.length > 0);
      }
      const unsafeOnly = unfixed.diagnostics.filter((d) => d.fixes.length > 0 && d.fixes.every((f) => !f.safe));
      for (const d of unsafeOnly) {
        const touched = changed.includes(d.file) && !safe.some((s) => s.file === d.file);
        assert.ok(!touched, `${d.file} only had unsafe fixes (${d.fixes.map((f) => f.title).join(', ')}) but changed`);
      }
    }
    assert.deepEqual(
      fixedReport.diagnostics.filter((d) => d.fixes.some((f) => f.safe)),
      [],
      'after --fix no safe fix is left over',
    );

    const second = await runCli(['audit', '--fix', '--format', 'json', '--fail-on', 'never'], { cwd: app });
    assert.equal(second.code, 0, describeRun(second));
    assert.deepEqual(fixedLines(second.stderr), [], 'fixes are idempotent');
    assert.deepEqual(changedFiles(afterFirst, snapshotTree(app)), []);
  });

  it('does not rewrite a file whose bytes are not valid UTF-8', async () => {
    const app = makeTempDir('fix-encoding');
    writeTree(app, TINY_APP);
    const target = path.join(app, 'app', 'posts', 'actions.ts');
    const original = fs.readFileSync(target);
    // 'use server' must stay the first statement, so the Latin-1 byte goes into a comment after the file.
    const latin1 = Buffer.concat([original, Buffer.from('// Caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    fs.writeFileSync(target, latin1);
    const { report } = await auditJson(app);
    const result = await runCli(['audit', '--fix', '--format', 'json', '--fail-on', 'never'], { cwd: app });
    assert.equal(result.code, 0, describeRun(result));
    assert.ok(fs.readFileSync(target).equals(latin1), 'app/posts/actions.ts kept its exact bytes');
    const wouldFix = report.diagnostics.some((d) => d.file === 'app/posts/actions.ts' && d.fixes.some((f) => f.safe));
    if (wouldFix) assert.match(result.stderr, /not fixing app\/posts\/actions\.ts: it is not valid UTF-8/);
  });
});
