/**
 * The GitHub Actions workflow of docs/ci.md, run locally and offline: its `run:` steps execute in a small app as
 * the runner's bash would run them, with this checkout's package, ESLint and typescript-eslint linked into the app's
 * node_modules in place of `npm ci`. `uses:` steps cannot run here; they are checked against what the run steps
 * produce (the upload reads the file the audit writes, with the permission it needs).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { AuditReport } from '../../shared/protocol';
import { REPO, describeRun, ensureBuilt, makeTempDir, removeTempDirs, runCli, validateSarif, writeTree } from '../cli/helpers';
import { NEXT_APP, nextShapedConfig } from './fixture';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

function workflowOf(markdown: string): Workflow {
  const block = /```yaml\n(name:[\s\S]*?)```/.exec(markdown);
  assert.ok(block, 'docs/ci.md shows the workflow as a yaml block');
  return parse(block[1]!) as Workflow;
}

/** `npm ci` as far as it can go offline: the packages the workflow uses, linked from this checkout, with their bins. */
function linkPackages(app: string): void {
  const modules = path.join(app, 'node_modules');
  const link = (name: string, target: string) => {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(target, path.join(modules, name), 'dir');
  };
  link('server-action-guard', REPO);
  for (const name of ['eslint', 'typescript-eslint', '@typescript-eslint/parser']) link(name, path.join(REPO, 'node_modules', name));
  const bin = (name: string, script: string) => {
    fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
    fs.writeFileSync(path.join(modules, '.bin', name), `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`, { mode: 0o755 });
  };
  bin('server-action-guard', path.join(REPO, 'dist', 'cli.js'));
  bin('eslint', path.join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js'));
}

/** A `run:` step as the ubuntu runner runs it: `bash --noprofile --norc -eo pipefail`. */
function runStep(app: string, command: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
    cwd: app,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CI: 'true', npm_config_offline: 'true', npm_config_update_notifier: 'false', NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docs/ci.md: the GitHub Actions workflow', () => {
  const workflow = workflowOf(fs.readFileSync(path.join(REPO, 'docs', 'ci.md'), 'utf8'));
  let app: string;
  let report: AuditReport;

  before(async () => {
    ensureBuilt();
    app = makeTempDir('ci-app');
    writeTree(app, { ...NEXT_APP, 'eslint.config.mjs': nextShapedConfig() });
    linkPackages(app);
    const audit = await runCli(['audit', '--format', 'json', '--fail-on', 'never'], { cwd: app });
    assert.equal(audit.code, 0, describeRun(audit));
    report = JSON.parse(audit.stdout) as AuditReport;
  });
  after(removeTempDirs);

  it('runs on pushes and pull requests', () => {
    assert.ok('push' in workflow.on && 'pull_request' in workflow.on);
  });

  it('audit job: writes the SARIF the upload step sends, fails on error-level findings, and may upload', () => {
    const job = workflow.jobs.audit!;
    assert.equal(job.permissions?.['security-events'], 'write', 'uploading to code scanning needs security-events: write');
    const upload = job.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'the job uploads with github/codeql-action/upload-sarif');
    assert.match(upload.if ?? '', /!cancelled\(\)|always\(\)/, 'the upload runs when the audit step failed the job');
    const sarifFile = String(upload.with?.sarif_file);

    let audited = false;
    for (const step of job.steps) {
      if (!step.run || step.run.trim() === 'npm ci') continue;
      const result = runStep(app, step.run);
      assert.equal(result.status, 1, `"${step.run}" fails the job on error-level findings:\n${result.stderr}`);
      audited = true;
    }
    assert.ok(audited, 'the job runs the audit');
    const log = JSON.parse(fs.readFileSync(path.join(app, sarifFile), 'utf8'));
    const check = validateSarif(log);
    assert.ok(check.valid, check.errors);
    assert.equal(log.runs[0].results.length, report.diagnostics.length, 'every finding is in the uploaded file');
    assert.ok(log.runs[0].results.every((r: { partialFingerprints?: object }) => r.partialFingerprints));
  });

  it('eslint job: fails on the error-level findings the CLI reports, with the same count', () => {
    const job = workflow.jobs.eslint!;
    const lint = job.steps.find((step) => step.run && /\beslint\b/.test(step.run));
    assert.ok(lint, 'the job runs eslint');
    const result = runStep(app, `${lint.run!.trim()} --format json`);
    assert.equal(result.status, 1, `eslint fails the job:\n${result.stderr}`);
    const results = JSON.parse(result.stdout) as { messages: { ruleId: string | null; severity: number }[] }[];
    const ours = results.flatMap((r) => r.messages).filter((m) => m.ruleId?.startsWith('server-action-guard/'));
    assert.equal(ours.length, report.diagnostics.filter((d) => d.severity !== 'info').length);
  });
});
