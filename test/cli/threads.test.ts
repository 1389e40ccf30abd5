/**
 * The audit on worker threads reports exactly what the single-threaded audit reports: both are run live, side by
 * side, on the example app and on the benchmark's 100-action-file corpus (never against stored findings, which
 * change with the rules).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeRun, ensureBuilt, REPO, runCli } from './helpers';

const EXAMPLE_APP = path.join(REPO, 'test', 'fixtures', 'example-app');

async function auditJson(target: string, threads: number): Promise<{ report: Record<string, unknown>; stderr: string }> {
  const result = await runCli(['audit', target, '--format', 'json', '--fail-on', 'never', '--threads', String(threads)], { timeoutMs: 120_000 });
  assert.equal(result.code, 0, describeRun(result));
  const report = JSON.parse(result.stdout) as { summary: Record<string, unknown> };
  delete report.summary.durationMs;
  return { report, stderr: result.stderr };
}

describe('audit on worker threads', () => {
  let corpus: string;
  let scratch: string;
  before(async () => {
    ensureBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-threads-'));
    const { ensureCorpus } = (await import(path.join(REPO, 'bench', 'generate.mjs'))) as {
      ensureCorpus: (options: { size: number; root: string }) => { dir: string };
    };
    corpus = ensureCorpus({ size: 100, root: scratch }).dir;
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('reports the example app identically on one and on three threads', async () => {
    const [one, three] = await Promise.all([auditJson(EXAMPLE_APP, 1), auditJson(EXAMPLE_APP, 3)]);
    assert.ok((one.report.diagnostics as unknown[]).length > 0, 'the example app has planted findings');
    assert.deepEqual(three.report, one.report);
    assert.equal(three.stderr, one.stderr);
  });

  it('reports the 100 corpus identically on one and on two threads', async () => {
    const one = await auditJson(corpus, 1);
    const two = await auditJson(corpus, 2);
    assert.ok((one.report.actions as unknown[]).length >= 100, 'the corpus has its actions');
    assert.deepEqual(two.report, one.report);
    assert.equal(two.stderr, one.stderr);
  });

  it('rejects a thread count that is not a positive whole number', async () => {
    for (const value of ['0', '1.5', 'many']) {
      const result = await runCli(['audit', EXAMPLE_APP, '--threads', value]);
      assert.equal(result.code, 2, describeRun(result));
      assert.match(result.stderr, /--threads must be a whole number/);
    }
  });
});
