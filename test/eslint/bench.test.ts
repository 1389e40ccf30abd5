/**
 * The benchmark's ESLint suite in its smoke size (`npm run bench -- eslint --smoke`: the 100 corpus, one run each),
 * so the harness and both ESLint invocations cannot rot. No target is asserted (a shared test machine says nothing
 * about speed); what is asserted is that both runs lint the same files without a parse error and the figures are there.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt } from '../cli/helpers';

const repo = path.resolve(__dirname, '..', '..');

interface Figures {
  wallMs: number;
  files: number;
  fatal: number;
  peakRssMb: number;
}
interface Results {
  eslint: { corpus: number; plain: Figures; plugin: Figures & { findings: number }; pluginOverPlain: number };
  targets: { label: string; value: number; pass: boolean }[];
}

describe('benchmark: eslint suite, smoke run', () => {
  let scratch: string;
  let results: Results;
  let output: string;

  before(async () => {
    ensureBuilt();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-eslint-smoke-'));
    const out = path.join(scratch, 'results.json');
    const args = ['bench/run.mjs', 'eslint', '--smoke', '--no-build', '--corpus-root', path.join(scratch, 'corpus'), '--out', out];
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    output = run.stdout;
    assert.equal(run.code, 0, `bench exited with ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
    results = JSON.parse(fs.readFileSync(out, 'utf8')) as Results;
  });
  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('lints the same files with and without the plugin, and the plugin finds the planted flaws', () => {
    const { eslint } = results;
    assert.equal(eslint.corpus, 100);
    assert.ok(eslint.plain.files > 100, `${eslint.plain.files} files`);
    assert.equal(eslint.plugin.files, eslint.plain.files);
    assert.equal(eslint.plain.fatal, 0);
    assert.equal(eslint.plugin.fatal, 0);
    assert.ok(eslint.plugin.findings > 0);
    for (const run of [eslint.plain, eslint.plugin]) assert.ok(run.wallMs > 0 && run.peakRssMb > 0, JSON.stringify(run));
    assert.equal(eslint.pluginOverPlain, eslint.plugin.wallMs / eslint.plain.wallMs);
  });

  it('prints the ratio against its target', () => {
    const target = results.targets.find((t) => t.label === 'eslint 100: with server-action-guard / plain');
    assert.ok(target, JSON.stringify(results.targets));
    assert.equal(target.value, results.eslint.pluginOverPlain);
    assert.ok(output.includes(target.label) && output.includes('ESLint on the 100 corpus'), output);
  });
});
