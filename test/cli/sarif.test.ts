/**
 * What GitHub code scanning reads from the SARIF log: rule help and descriptions, security severities, fingerprints
 * that follow a finding when lines move, and the documented upload limits. Every log is checked against the SARIF
 * 2.1.0 schema.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { AuditReport, ReportDiagnostic } from '../../shared/protocol';
import { RULE_IDS, type Severity } from '../../shared/settings';
import { ruleMeta } from '../../server/src/engine';
import { formatSarif } from '../../server/src/report';
import { FINGERPRINT_KEY, MAX_RELATED_LOCATIONS, MAX_RESULTS } from '../../server/src/report/formatters/sarif';
import { TINY_APP } from './fixtures/tiny-app';
import { describeRun, ensureBuilt, makeTempDir, removeTempDirs, runCli, validateSarif, writeTree } from './helpers';

/** GitHub's documented maxima: the upload is rejected past these. */
const UPLOAD = { resultsPerRun: 25_000, locationsPerResult: 1_000, tagsPerRule: 20, gzippedBytes: 10 * 1024 * 1024 };

async function sarifOf(dir: string): Promise<any> {
  const result = await runCli(['audit', '--format', 'sarif', '--fail-on', 'never'], { cwd: dir, timeoutMs: 120_000 });
  assert.equal(result.code, 0, describeRun(result));
  const log = JSON.parse(result.stdout);
  const check = validateSarif(log);
  assert.ok(check.valid, check.errors);
  return log;
}

describe('SARIF for code scanning', () => {
  let app: string;
  let log: any;

  before(async () => {
    ensureBuilt();
    app = makeTempDir('sarif-app');
    writeTree(app, TINY_APP);
    log = await sarifOf(app);
  });
  after(removeTempDirs);

  it("describes every rule with its docs page as help and a short description", () => {
    const rules = log.runs[0].tool.driver.rules;
    assert.deepEqual(rules.map((r: { id: string }) => r.id), [...RULE_IDS]);
    for (const rule of rules) {
      const meta = ruleMeta(rule.id)!;
      assert.equal(rule.shortDescription.text, meta.description);
      assert.equal(rule.help.markdown, meta.docs);
      assert.match(rule.help.markdown, /## What it does/);
      assert.ok(rule.properties.tags.length <= 10, 'code scanning shows ten tags per rule');
    }
  });

  it('ranks the security rules with a security-severity and CWE tags, and only them', () => {
    const rules = log.runs[0].tool.driver.rules;
    const security = rules.filter((r: any) => r.properties.tags.includes('security'));
    assert.ok(security.some((r: any) => r.id === 'require-auth'));
    assert.ok(security.some((r: any) => r.id === 'server-identity'));
    for (const rule of rules) {
      const severity = rule.properties['security-severity'];
      if (!rule.properties.tags.includes('security')) {
        assert.equal(severity, undefined, `${rule.id} is not a security rule`);
        continue;
      }
      assert.match(severity, /^\d+(\.\d)?$/, `${rule.id}: a number as a string, as code scanning reads it`);
      assert.ok(Number(severity) > 0 && Number(severity) <= 10);
      assert.ok(rule.properties.tags.some((tag: string) => /^external\/cwe\/cwe-\d+$/.test(tag)), `${rule.id} names its CWE`);
    }
    const rank = (id: string) => Number(rules.find((r: any) => r.id === id).properties['security-severity']);
    assert.ok(rank('require-auth') >= 7 && rank('server-identity') >= 7, 'a missing auth check and a client-chosen owner rank high');
    assert.ok(rank('safe-errors') < rank('require-auth'));
  });

  it('keeps every fingerprint when the code above the findings moves', async () => {
    const results = log.runs[0].results;
    assert.ok(results.length >= 5, 'the app has findings');
    const fingerprints = results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'one fingerprint per finding');

    const moved = makeTempDir('sarif-moved');
    // Two lines after each file's first line: below a directive, above everything the findings are about.
    const shifted = Object.fromEntries(
      Object.entries(TINY_APP).map(([file, text]) => [file, /\.[jt]sx?$/.test(file) ? text.replace('\n', '\n// moved\n// down\n') : text]),
    );
    writeTree(moved, shifted);
    const after = (await sarifOf(moved)).runs[0].results;
    const identity = (r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri, r.partialFingerprints[FINGERPRINT_KEY]];
    assert.deepEqual(after.map(identity), results.map(identity));
    const line = (r: any): number => r.locations[0].physicalLocation.region.startLine;
    const below = results.map((r: any, i: number) => [line(r), line(after[i])]).filter(([was]: number[]) => was > 1);
    assert.ok(below.length >= 5, 'findings below the first line');
    assert.ok(below.every(([was, now]: number[]) => now === was + 2), 'every finding below the first line moved two lines down');
  });

  it('stays within the upload limits: the most severe 5,000 results, 100 related locations each', () => {
    const severities: Severity[] = ['info', 'warning', 'error'];
    const diagnostics: ReportDiagnostic[] = Array.from({ length: 6_000 }, (_, i) => ({
      ruleId: RULE_IDS[i % RULE_IDS.length]!,
      severity: severities[i % 3]!,
      message: `finding ${i}`,
      file: `app/f${i % 40}/actions.ts`,
      range: { start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 5 } },
      related: i === 2 ? Array.from({ length: 300 }, (_, j) => ({ file: `lib/m${j}.ts`, line: 1, column: 1, message: 'imported here' })) : undefined,
      fixes: [],
    }));
    const report: AuditReport = {
      tool: { name: 'server-action-guard', version: '0.0.0-test' },
      root: '/work/app',
      actions: [],
      diagnostics,
      summary: { files: 40, actions: 0, failing: 0, durationMs: 1 },
    };
    const text = formatSarif(report);
    const big = JSON.parse(text);
    const check = validateSarif(big);
    assert.ok(check.valid, check.errors);
    const run = big.runs[0];
    assert.equal(run.results.length, MAX_RESULTS);
    assert.ok(run.results.length <= UPLOAD.resultsPerRun);
    const levels = (level: string) => run.results.filter((r: any) => r.level === level).length;
    assert.equal(levels('error'), 2_000, 'every error is kept');
    assert.equal(levels('warning'), 2_000, 'every warning is kept');
    assert.equal(levels('note'), 1_000, 'notes fill what is left');
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^1000 less severe results left out/);
    for (const result of run.results) assert.ok(1 + (result.relatedLocations?.length ?? 0) <= UPLOAD.locationsPerResult);
    assert.equal(run.results.find((r: any) => r.message.text === 'finding 2').relatedLocations.length, MAX_RELATED_LOCATIONS);
    for (const rule of run.tool.driver.rules) assert.ok(rule.properties.tags.length <= UPLOAD.tagsPerRule);
    assert.ok(gzipSync(text).length < UPLOAD.gzippedBytes);
  });

  it('writes no invocation when nothing is left out', () => {
    assert.equal(log.runs[0].invocations, undefined);
  });
});

describe('the SARIF golden files', () => {
  it('carry the fingerprints and rule properties', () => {
    const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden', 'example-app.sarif'), 'utf8'));
    const run = golden.runs[0];
    assert.ok(run.results.every((r: any) => typeof r.partialFingerprints?.[FINGERPRINT_KEY] === 'string'));
    assert.ok(run.tool.driver.rules.every((r: any) => Array.isArray(r.properties?.tags)));
  });
});
