/**
 * The real `eslint` command with a flat config (`import guard from 'server-action-guard/eslint'`, resolved through
 * the package's `exports`), against the real CLI's JSON on the same folder: the example app and a small app set up
 * like create-next-app with an eslint-config-next-shaped config. Finding for finding at warning and error level
 * (info has no ESLint severity), with the fixes: a safe fix is ESLint's `fix`, the others its suggestions.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ESLint } from 'eslint';
import type { AuditReport, ReportDiagnostic } from '../../shared/protocol';
import { RULES } from '../../server/src/engine';
import { REPO, describeRun, ensureBuilt, makeTempDir, removeTempDirs, runCli, writeTree } from '../cli/helpers';
import { NEXT_APP, exampleAppConfig, nextShapedConfig } from './fixture';

const EXAMPLE_APP = path.join(REPO, 'test', 'fixtures', 'example-app');
const ESLINT_BIN = path.join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');
const PREFIX = 'server-action-guard/';
/** Inside the package (git-ignored), so that the config resolves `server-action-guard/eslint` by the package's name. */
const CONFIGS = path.join(REPO, '.tmp', `eslint-cli-${process.pid}`);

interface EslintRun {
  code: number | null;
  results: ESLint.LintResult[];
  stderr: string;
}

function runEslint(cwd: string, config: string, args: string[]): Promise<EslintRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ESLINT_BIN, '--config', config, '--format', 'json', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => {
      let results: ESLint.LintResult[] = [];
      try {
        results = JSON.parse(stdout) as ESLint.LintResult[];
      } catch {
        stderr += `\n(stdout is not JSON: ${stdout.slice(0, 500)})`;
      }
      resolve({ code, results, stderr });
    });
  });
}

async function audit(dir: string, extra: string[] = []): Promise<AuditReport> {
  const result = await runCli(['audit', dir, '--format', 'json', '--fail-on', 'never', ...extra], { timeoutMs: 120_000 });
  assert.equal(result.code, 0, describeRun(result));
  return JSON.parse(result.stdout) as AuditReport;
}

function writeConfig(name: string, text: string): string {
  fs.mkdirSync(CONFIGS, { recursive: true });
  const file = path.join(CONFIGS, name);
  fs.writeFileSync(file, text);
  return file;
}

type Row = [file: string, line: number, column: number, endLine: number, endColumn: number, ruleId: string, message: string];

const byPlace = (a: Row, b: Row): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function cliRows(report: AuditReport, files?: Set<string>): Row[] {
  return warningsAndErrors(report)
    .filter((d) => !files || files.has(d.file))
    .map((d): Row => [d.file, d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column, d.ruleId, d.message])
    .sort(byPlace);
}

function eslintRows(run: EslintRun, root: string): Row[] {
  return ourMessages(run, root)
    .map(({ file, message: m }): Row => [file, m.line, m.column, m.endLine!, m.endColumn!, m.ruleId!.slice(PREFIX.length), m.message])
    .sort(byPlace);
}

function warningsAndErrors(report: AuditReport): ReportDiagnostic[] {
  return report.diagnostics.filter((d) => d.severity !== 'info');
}

function ourMessages(run: EslintRun, root: string): { file: string; message: ESLint.LintResult['messages'][number] }[] {
  return run.results.flatMap((result) =>
    result.messages
      .filter((m) => m.ruleId?.startsWith(PREFIX))
      .map((message) => ({ file: path.relative(root, result.filePath).split(path.sep).join('/'), message })),
  );
}

/** The same findings, at the level `configs.recommended` gives each rule, with the CLI's fixes as ESLint's. */
function assertSameFindings(run: EslintRun, report: AuditReport, root: string): void {
  assert.ok(run.code === 0 || run.code === 1, `eslint exited with ${run.code}:\n${run.stderr}`);
  const fatal = run.results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`));
  assert.deepEqual(fatal, [], 'every file parses');
  assert.deepEqual(eslintRows(run, root), cliRows(report));

  const level = new Map(RULES.map((rule) => [rule.meta.id, rule.meta.defaultSeverity === 'error' ? 2 : 1]));
  const diagnostics = new Map(warningsAndErrors(report).map((d) => [JSON.stringify([d.file, d.range.start, d.ruleId, d.message]), d]));
  for (const { file, message } of ourMessages(run, root)) {
    const ruleId = message.ruleId!.slice(PREFIX.length);
    assert.equal(message.severity, level.get(ruleId as never), `${ruleId} reports at its recommended level`);
    const diagnostic = diagnostics.get(JSON.stringify([file, { line: message.line, column: message.column }, ruleId, message.message]))!;
    const safe = diagnostic.fixes.find((fix) => fix.safe);
    assert.equal(Boolean(message.fix), Boolean(safe), `${file}:${message.line} ${ruleId}: a fix exactly when the CLI has a safe one`);
    assert.deepEqual(
      (message.suggestions ?? []).map((s) => s.desc),
      diagnostic.fixes.filter((fix) => fix !== safe).map((fix) => fix.title),
      `${file}:${message.line} ${ruleId}: the other fixes are suggestions`,
    );
  }
}

describe('eslint with server-action-guard/eslint against the CLI', () => {
  let nextApp: string;
  let exampleConfig: string;
  let nextConfig: string;
  let nextReport: Promise<AuditReport>;

  before(() => {
    ensureBuilt();
    nextApp = makeTempDir('eslint-next-app');
    writeTree(nextApp, NEXT_APP);
    nextReport = audit(nextApp);
    exampleConfig = writeConfig('example-app.config.mjs', exampleAppConfig());
    nextConfig = writeConfig('next-app.config.mjs', nextShapedConfig());
  });
  after(() => {
    removeTempDirs();
    fs.rmSync(CONFIGS, { recursive: true, force: true });
  });

  it('reports the CLI findings of the example app one for one', async () => {
    const [run, report] = await Promise.all([runEslint(EXAMPLE_APP, exampleConfig, ['.']), audit(EXAMPLE_APP)]);
    assert.ok(warningsAndErrors(report).length >= 10, 'the example app has findings to compare');
    assertSameFindings(run, report, EXAMPLE_APP);
    assert.equal(run.code, 1, 'error-level findings fail the run');
  });

  it('reports the CLI findings of an app with an eslint-config-next-shaped config one for one', async () => {
    const [run, report] = await Promise.all([runEslint(nextApp, nextConfig, ['.']), nextReport]);
    const rules = new Set(warningsAndErrors(report).map((d) => d.ruleId));
    assert.ok(rules.size >= 4, `the app exercises several rules (${[...rules].join(', ')})`);
    assert.ok(!rules.has('abuse-protection'), 'the config file turns abuse-protection off for both');
    assert.ok(report.diagnostics.some((d) => d.file === 'lib/db.ts' && d.related?.length), 'a module finding carries its importers');
    assertSameFindings(run, report, nextApp);
    const linted = run.results.map((r) => path.relative(nextApp, r.filePath));
    assert.ok(!linted.some((file) => file.startsWith('.next')), 'build output is ignored');
  });

  it("reports a module's finding when that module alone is linted", async () => {
    const [run, report] = await Promise.all([runEslint(nextApp, nextConfig, ['lib/db.ts']), nextReport]);
    const rows = eslintRows(run, nextApp);
    assert.ok(rows.some(([, , , , , ruleId]) => ruleId === 'server-only'), 'the module finding is there');
    assert.deepEqual(rows, cliRows(report, new Set(['lib/db.ts'])));
  });

  it('lets rule options in the ESLint config override the config file', async () => {
    const options = { authFunctions: ['requireStaff', 'db.comment.delete'], publicActions: ['app/admin/**'] };
    const config = writeConfig('options.config.mjs', nextShapedConfig({ 'server-action-guard/require-auth': ['error', options] }));
    const merged = path.join(makeTempDir('eslint-options'), 'merged.json');
    fs.writeFileSync(merged, JSON.stringify({ ...JSON.parse(NEXT_APP['server-action-guard.config.json']!), ...options }));
    const [run, withOptions, without] = await Promise.all([runEslint(nextApp, config, ['.']), audit(nextApp, ['--config', merged]), nextReport]);
    const requireAuth = (rows: Row[]) => rows.filter(([, , , , , ruleId]) => ruleId === 'require-auth');
    assert.notDeepEqual(requireAuth(cliRows(withOptions)), requireAuth(cliRows(without)), 'the options change what require-auth reports');
    assert.deepEqual(requireAuth(eslintRows(run, nextApp)), requireAuth(cliRows(withOptions)));
  });
});
