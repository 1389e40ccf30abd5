/**
 * The CLI as users and CI run it: `node dist/cli.js` in a child process, checking exit codes, what goes to stdout
 * and stderr, the JSON contract and SARIF validity on whatever the engine reports today.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditReport } from '../../shared/protocol';
import { CHECKLIST_RULE_IDS, RULE_IDS } from '../../shared/settings';
import { TINY_APP } from './fixtures/tiny-app';
import {
  REPO,
  asUnprivilegedUser,
  describeRun,
  ensureBuilt,
  makeTempDir,
  removeTempDirs,
  runCli,
  validateSarif,
  writeTree,
} from './helpers';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

function parseReport(stdout: string): AuditReport {
  try {
    return JSON.parse(stdout) as AuditReport;
  } catch (error) {
    throw new Error(`stdout is not JSON (${(error as Error).message}):\n${stdout}`);
  }
}

/** The contract of shared/protocol.ts, checked field by field on real output. */
function assertContract(report: AuditReport, root: string): void {
  assert.deepEqual(Object.keys(report), ['tool', 'root', 'actions', 'diagnostics', 'summary']);
  assert.deepEqual(report.tool, { name: 'server-action-guard', version: VERSION });
  assert.equal(report.root, root);
  const isRelative = (file: string) => !file.startsWith('/') && !file.includes('\\') && !file.startsWith('..');
  for (const action of report.actions) {
    assert.ok(isRelative(action.file), `relative forward-slash path: ${action.file}`);
    assert.ok(fs.existsSync(path.join(root, action.file)), `${action.file} exists under the root`);
    assert.equal(typeof action.name, 'string');
    assert.ok(Number.isInteger(action.line) && action.line >= 1, `1-based line: ${action.line}`);
    assert.ok(Number.isInteger(action.column) && action.column >= 1, `1-based column: ${action.column}`);
    assert.ok(['file-directive', 'inline-directive', 'action-client'].includes(action.kind), action.kind);
    assert.deepEqual(
      Object.keys(action.checks).sort(),
      [...CHECKLIST_RULE_IDS].sort(),
      `all eight checks for ${action.name}`,
    );
    for (const status of Object.values(action.checks)) assert.ok(['pass', 'fail', 'n/a'].includes(status), status);
  }
  for (const diagnostic of report.diagnostics) {
    assert.ok((RULE_IDS as readonly string[]).includes(diagnostic.ruleId), diagnostic.ruleId);
    assert.ok(['error', 'warning', 'info'].includes(diagnostic.severity), diagnostic.severity);
    assert.ok(diagnostic.message.length > 0);
    assert.ok(isRelative(diagnostic.file), `relative forward-slash path: ${diagnostic.file}`);
    const { start, end } = diagnostic.range;
    for (const position of [start, end]) {
      assert.ok(position.line >= 1 && position.column >= 1, `1-based: ${JSON.stringify(position)}`);
    }
    assert.ok(
      end.line > start.line || (end.line === start.line && end.column >= start.column),
      'range ends after it starts',
    );
    for (const fix of diagnostic.fixes) assert.deepEqual(Object.keys(fix), ['title', 'safe']);
  }
  const order = (a: { file: string; line: number; column: number }) => [a.file, a.line, a.column] as const;
  const isSorted = <T>(items: T[], key: (item: T) => readonly [string, number, number]) =>
    items.every((item, i) => {
      if (i === 0) return true;
      const [f1, l1, c1] = key(items[i - 1]!);
      const [f2, l2, c2] = key(item);
      return f1 < f2 || (f1 === f2 && (l1 < l2 || (l1 === l2 && c1 <= c2)));
    });
  assert.ok(isSorted(report.actions, order), 'actions sorted by file then position');
  assert.ok(
    isSorted(report.diagnostics, (d) => [d.file, d.range.start.line, d.range.start.column]),
    'diagnostics sorted by file then position',
  );
  assert.equal(report.summary.actions, report.actions.length);
  assert.equal(report.summary.failing, report.actions.filter((a) => Object.values(a.checks).includes('fail')).length);
  assert.ok(Number.isInteger(report.summary.durationMs) && report.summary.durationMs >= 0);
}

function expectedExit(report: AuditReport, failOn: 'error' | 'warning' | 'never'): number {
  if (failOn === 'never') return 0;
  return report.diagnostics.some((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

describe('server-action-guard CLI', () => {
  let app: string;

  before(() => {
    ensureBuilt();
    app = makeTempDir('cli-app');
    writeTree(app, TINY_APP);
  });
  after(removeTempDirs);

  describe('usage', () => {
    it('prints help and the package version', async () => {
      const help = await runCli(['--help']);
      assert.equal(help.code, 0, describeRun(help));
      assert.match(help.stdout, /^Usage: server-action-guard audit \[paths\.\.\.\] \[options\]/);
      for (const flag of ['--format', '--fail-on', '--config', '--fix', '--quiet', '--version']) {
        assert.ok(help.stdout.includes(flag), `help mentions ${flag}`);
      }
      const version = await runCli(['--version']);
      assert.equal(version.code, 0, describeRun(version));
      assert.equal(version.stdout, `${VERSION}\n`);
      assert.equal((await runCli(['audit', '--help'])).stdout, help.stdout);
    });

    const usageErrors: [string, string[], RegExp][] = [
      ['no command', [], /missing command/],
      ['an unknown command', ['scan', '.'], /unknown command "scan"/],
      ['an unknown option', ['audit', '--colour'], /Unknown option '--colour'/],
      ['a bad --format', ['audit', '--format', 'xml'], /--format must be one of text, json, sarif, got "xml"/],
      ['a bad --fail-on', ['audit', '--fail-on', 'info'], /--fail-on must be one of error, warning, never, got "info"/],
      ['--format without a value', ['audit', '--format'], /argument missing/],
      ['a path that does not exist', ['audit', 'no/such/folder'], /path not found: .*no\/such\/folder/],
    ];
    for (const [what, args, message] of usageErrors) {
      it(`exits 2 on ${what}, with a message on stderr and nothing on stdout`, async () => {
        const result = await runCli(args, { cwd: app });
        assert.equal(result.code, 2, describeRun(result));
        assert.match(result.stderr, message);
        assert.equal(result.stdout, '');
      });
    }
  });

  describe('configuration errors', () => {
    const cases: [string, Record<string, string>, string[], RegExp][] = [
      [
        'an invalid JSON config file',
        { 'server-action-guard.config.json': '{ "rules": { "require-auth": "error", } }' },
        [],
        /config error: .*server-action-guard\.config\.json: invalid JSON/,
      ],
      [
        'a config value of the wrong type',
        { 'server-action-guard.config.json': '{ "authFunctions": "requireUser" }' },
        [],
        /config error: .*server-action-guard\.config\.json: "authFunctions" must be an array of strings/,
      ],
      [
        'an unknown rule id',
        { 'server-action-guard.config.json': '{ "rules": { "require-mfa": "error" } }' },
        [],
        /config error: .*"rules\.require-mfa": unknown rule id/,
      ],
      [
        'a wrong type under the package.json key',
        { 'package.json': '{ "name": "x", "serverActionGuard": { "enable": "no" } }' },
        [],
        /config error: .*package\.json "serverActionGuard": "enable" must be a boolean/,
      ],
      [
        'a missing --config file',
        {},
        ['--config', 'missing.json'],
        /config error: .*missing\.json: config file not found/,
      ],
      [
        'an explicit --config that is not JSON',
        { 'custom.json': 'enable: true' },
        ['--config', 'custom.json'],
        /config error: .*custom\.json: invalid JSON/,
      ],
    ];
    for (const [what, files, args, message] of cases) {
      it(`exits 2 on ${what}, naming the file`, async () => {
        const dir = makeTempDir('cli-config');
        writeTree(dir, {
          'package.json': '{ "name": "x" }',
          'app/actions.ts': TINY_APP['app/posts/actions.ts']!,
          ...files,
        });
        const result = await runCli(['audit', ...args, '--format', 'json'], { cwd: dir });
        assert.equal(result.code, 2, describeRun(result));
        assert.match(result.stderr, message);
        assert.equal(result.stdout, '');
      });
    }

    it('audits nothing, and says so, when the configuration disables it', async () => {
      const dir = makeTempDir('cli-disabled');
      writeTree(dir, {
        'package.json': '{ "name": "x", "serverActionGuard": { "enable": false } }',
        'app/actions.ts': TINY_APP['app/posts/actions.ts']!,
      });
      const result = await runCli(['audit', '--format', 'json'], { cwd: dir });
      assert.equal(result.code, 0, describeRun(result));
      assert.match(result.stderr, /analysis is disabled by .*package\.json/);
      assert.equal(parseReport(result.stdout).summary.files, 0);
    });

    it('uses a valid --config file and the excludes it lists', async () => {
      const dir = makeTempDir('cli-config-ok');
      writeTree(dir, {
        'package.json': '{ "name": "x" }',
        'app/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'legacy/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'ci/guard.json': '{ "exclude": ["legacy/**"] }',
      });
      const result = await runCli(['audit', '--config', 'ci/guard.json', '--format', 'json', '--fail-on', 'never'], {
        cwd: dir,
      });
      assert.equal(result.code, 0, describeRun(result));
      const report = parseReport(result.stdout);
      assert.equal(report.summary.files, 1);
      assert.ok(report.actions.every((a) => !a.file.startsWith('legacy/')));
    });
  });

  describe('auditing a project', () => {
    it('prints the JSON contract on stdout and exits by --fail-on', async () => {
      const runs = await Promise.all(
        (['error', 'warning', 'never'] as const).map(async (failOn) => ({
          failOn,
          result: await runCli(['audit', '--format', 'json', '--fail-on', failOn], { cwd: app }),
        })),
      );
      for (const { failOn, result } of runs) {
        const report = parseReport(result.stdout);
        assertContract(report, app);
        assert.equal(result.code, expectedExit(report, failOn), `--fail-on ${failOn}: ${describeRun(result)}`);
        assert.ok(report.summary.files >= 10, `the tiny app's source files are analysed: ${report.summary.files}`);
        assert.ok(
          [...report.actions, ...report.diagnostics].every((entry) => !entry.file.startsWith('generated/')),
          'git-ignored files are not audited',
        );
      }
      const defaultRun = await runCli(['audit', '--format', 'json'], { cwd: app });
      assert.equal(defaultRun.code, expectedExit(parseReport(defaultRun.stdout), 'error'), describeRun(defaultRun));
    });

    it('finds the project root from a sub-folder or a file and reports paths relative to it', async () => {
      const fromSub = await runCli(['audit', 'app/posts', '--format', 'json', '--fail-on', 'never'], { cwd: app });
      assert.equal(fromSub.code, 0, describeRun(fromSub));
      const report = parseReport(fromSub.stdout);
      assertContract(report, app);
      assert.ok(report.actions.every((e) => e.file.startsWith('app/posts/')));
      // A finding shown at the module to change (a helper without import 'server-only') is there because an audited
      // file imports it.
      assert.ok(report.diagnostics.every((d) => d.file.startsWith('app/posts/') || (d.related ?? []).some((r) => r.file.startsWith('app/posts/'))));
      assert.equal(report.summary.files, 3);

      const fromFile = await runCli(
        ['audit', path.join(app, 'app', 'settings', 'actions.ts'), '--format', 'json', '--fail-on', 'never'],
        { cwd: path.join(app, 'lib') },
      );
      const single = parseReport(fromFile.stdout);
      assert.equal(single.root, app);
      assert.equal(single.summary.files, 1);
    });

    it('writes valid SARIF 2.1.0 with the same results as the JSON report', async () => {
      const [sarif, json] = await Promise.all([
        runCli(['audit', '--format', 'sarif', '--fail-on', 'never'], { cwd: app }),
        runCli(['audit', '--format', 'json', '--fail-on', 'never'], { cwd: app }),
      ]);
      assert.equal(sarif.code, 0, describeRun(sarif));
      const log = JSON.parse(sarif.stdout);
      const check = validateSarif(log);
      assert.ok(check.valid, check.errors);
      const report = parseReport(json.stdout);
      assert.deepEqual(
        log.runs[0].results.map((r: any) => [
          r.ruleId,
          decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri),
          r.locations[0].physicalLocation.region.startLine,
        ]),
        report.diagnostics.map((d) => [d.ruleId, d.file, d.range.start.line]),
      );
    });

    it('prints findings, a checklist line per action and totals as text', async () => {
      const result = await runCli(['audit', '--fail-on', 'never'], { cwd: app });
      assert.equal(result.code, 0, describeRun(result));
      const report = parseReport(
        (await runCli(['audit', '--format', 'json', '--fail-on', 'never'], { cwd: app })).stdout,
      );
      assert.doesNotMatch(result.stdout, /\u001b\[/, 'no colours when stdout is not a terminal');
      for (const d of report.diagnostics) {
        assert.ok(
          result.stdout.includes(`${d.file}:${d.range.start.line}:${d.range.start.column}`),
          `text shows ${d.file}:${d.range.start.line}:${d.range.start.column}`,
        );
      }
      for (const a of report.actions) assert.ok(result.stdout.includes(`${a.name}  ${a.file}:${a.line}:${a.column}`));
      assert.match(
        result.stdout,
        new RegExp(
          `in ${report.summary.files} files; ${report.actions.length} server actions?, ${report.summary.failing} failing \\(\\d+ ms\\)`,
        ),
      );
    });
  });

  describe('nothing to audit', () => {
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

    it("in a folder an enclosing repository's .gitignore ignores: says which .gitignore and exits 2", async () => {
      const repo = makeTempDir('cli-ignored');
      execFileSync('git', ['init', '-q'], { cwd: repo });
      writeTree(repo, {
        '.gitignore': 'node_modules/\nsandbox/\n',
        'package.json': '{ "name": "monorepo" }',
        'app/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'sandbox/app/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'sandbox/with-package/package.json': '{ "name": "try-out" }',
        'sandbox/with-package/app/actions.ts': TINY_APP['app/posts/actions.ts']!,
      });
      // Git itself ignores both folders.
      const checked = execFileSync('git', ['check-ignore', '-v', 'sandbox/app/actions.ts', 'sandbox/with-package/app/actions.ts'], {
        cwd: repo,
        encoding: 'utf8',
      });
      assert.equal(checked.split('\n').filter((line) => line.startsWith('.gitignore:2:sandbox/\t')).length, 2, checked);
      const gitignore = escape(path.join(repo, '.gitignore'));
      for (const folder of ['sandbox', 'sandbox/with-package']) {
        for (const args of [['audit', '.'], ['audit'], ['audit', '.', '--format', 'json']]) {
          const result = await runCli(args, { cwd: path.join(repo, folder) });
          assert.equal(result.code, 2, `${folder}: ${describeRun(result)}`);
          assert.equal(result.stdout, '', 'no report for nothing');
          assert.match(result.stderr, new RegExp(`^server-action-guard: no files to audit: \\. is ignored by ${gitignore} \\(pattern "sandbox/"\\)$`, 'm'));
        }
      }
      const fromTop = await runCli(['audit', 'sandbox'], { cwd: repo });
      assert.equal(fromTop.code, 2, describeRun(fromTop));
      assert.match(fromTop.stderr, new RegExp(`no files to audit: sandbox is ignored by ${gitignore}`));
      const rest = await runCli(['audit', '--format', 'json', '--fail-on', 'never'], { cwd: repo });
      assert.equal(rest.code, 0, describeRun(rest));
      assert.deepEqual([...new Set(parseReport(rest.stdout).actions.map((a) => a.file))], ['app/actions.ts']);
    });

    it('when every file is git-ignored, excluded or a test, or there is no source file, says so and exits 2', async () => {
      const dir = makeTempDir('cli-all-left-out');
      execFileSync('git', ['init', '-q'], { cwd: dir });
      writeTree(dir, {
        '.gitignore': 'generated/\n',
        'package.json': '{ "name": "x", "serverActionGuard": { "exclude": ["legacy/**"] } }',
        'generated/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'legacy/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'actions.test.ts': TINY_APP['app/posts/actions.ts']!,
        'README.md': '# x\n',
      });
      const all = await runCli(['audit'], { cwd: dir });
      assert.equal(all.code, 2, describeRun(all));
      assert.match(all.stderr, /no files to audit: every source file or folder in \. is left out \(1 ignored by a \.gitignore, 1 matching an exclude glob, 1 matching a testFiles glob\)/);
      const excluded = await runCli(['audit', 'legacy'], { cwd: dir });
      assert.equal(excluded.code, 2, describeRun(excluded));
      assert.match(excluded.stderr, /no files to audit: legacy matches the exclude glob "legacy\/\*\*"$/m);

      const empty = makeTempDir('cli-no-sources');
      writeTree(empty, { 'package.json': '{ "name": "x" }', 'notes.md': '# x\n' });
      const none = await runCli(['audit'], { cwd: empty });
      assert.equal(none.code, 2, describeRun(none));
      assert.match(none.stderr, /no files to audit: no TypeScript or JavaScript source files in \.$/m);
    });
  });

  describe('bad input', () => {
    it('reports skipped files on stderr and keeps stdout a valid report', async () => {
      const dir = makeTempDir('cli-bad-input');
      writeTree(dir, {
        'package.json': '{ "name": "x", "serverActionGuard": { "maxFileSizeKb": 300 } }',
        'app/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'app/huge.ts': `'use server';\nexport async function big() { return '${'x'.repeat(400 * 1024)}'; }\n`,
        'app/half-typed.ts': `'use server';\nexport async function save(formData: FormData) {\n  const title = formData.get('title'\n  await db.post.create({ data: { title `,
        'app/binary.ts': Buffer.from([0x00, 0xff, 0xfe, 0x27, 0x75, 0x73, 0x00, 0x80, 0x81, 0xc3, 0x28]),
        'app/bom-crlf.ts': `\uFEFF'use server';\r\n\r\nexport async function ping(formData: FormData) {\r\n  return formData.get('x');\r\n}\r\n`,
        'app/nested.ts': `export const deep = ${'['.repeat(3000)}${']'.repeat(3000)};\n`,
        'app/long-line.ts': `export const long = '${'y'.repeat(200_000)}';\n`,
      });
      execFileSync('mkfifo', [path.join(dir, 'app', 'pipe.ts')]);
      fs.symlinkSync(dir, path.join(dir, 'app', 'loop'));
      const result = await runCli(['audit', '--format', 'json', '--fail-on', 'never'], { cwd: dir, timeoutMs: 60_000 });
      assert.equal(result.code, 0, describeRun(result));
      const report = parseReport(result.stdout);
      assertContract(report, dir);
      assert.match(result.stderr, /skipped app\/huge\.ts: larger than 300 KB \(maxFileSizeKb\)/);
      assert.match(result.stderr, /skipped app\/pipe\.ts: not a regular file/);
      assert.equal(report.summary.files, 6, 'every other file is analysed once, the symlink loop adds none');

      const quiet = await runCli(['audit', '--quiet', '--fail-on', 'never'], { cwd: dir, timeoutMs: 60_000 });
      assert.equal(quiet.code, 0, describeRun(quiet));
      assert.match(quiet.stderr, /^server-action-guard: 2 file\(s\) skipped \(run without --quiet for details\)$/m);
      assert.doesNotMatch(quiet.stderr, /app\/huge\.ts/);
      assert.doesNotMatch(quiet.stdout, /Server Actions|in 6 files/, 'no checklist or totals');
    });

    const brokenTsconfigs: [string, Record<string, string>][] = [
      [
        'an extends cycle',
        {
          'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
          'tsconfig.base.json': '{ "extends": "./tsconfig.json" }',
        },
      ],
      ['invalid JSON', { 'tsconfig.json': '{ "compilerOptions": { "paths": ' }],
    ];
    for (const [what, files] of brokenTsconfigs) {
      it(`names a tsconfig.json with ${what} once on stderr and still audits`, async () => {
        const dir = makeTempDir('cli-tsconfig');
        writeTree(dir, {
          'package.json': '{ "name": "x" }',
          'app/posts/actions.ts': TINY_APP['app/posts/actions.ts']!,
          'app/other/actions.ts': TINY_APP['app/posts/actions.ts']!,
          ...files,
        });
        const result = await runCli(['audit', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
        assert.equal(result.code, 0, describeRun(result));
        assertContract(parseReport(result.stdout), dir);
        const mentions = result.stderr.split('\n').filter((line) => line.includes('tsconfig'));
        assert.equal(mentions.length, 1, `one line about the tsconfig:\n${result.stderr}`);
      });
    }

    it('reports unreadable files and folders with their path and goes on', async (t) => {
      const dir = makeTempDir('cli-unreadable');
      writeTree(dir, {
        'package.json': '{ "name": "x" }',
        'app/actions.ts': TINY_APP['app/posts/actions.ts']!,
        'app/locked.ts': TINY_APP['app/posts/actions.ts']!,
        'locked-folder/actions.ts': TINY_APP['app/posts/actions.ts']!,
      });
      fs.chmodSync(path.join(dir, 'app', 'locked.ts'), 0o000);
      fs.chmodSync(path.join(dir, 'locked-folder'), 0o000);
      t.after(() => fs.chmodSync(path.join(dir, 'locked-folder'), 0o755));
      const result = await runCli(['audit', '--format', 'json', '--fail-on', 'never'], {
        cwd: dir,
        ...asUnprivilegedUser(),
      });
      assert.equal(result.code, 0, describeRun(result));
      assert.match(result.stderr, /skipped app\/locked\.ts: cannot be read \(EACCES\)/);
      assert.match(result.stderr, /skipped locked-folder: folder cannot be read \(EACCES\)/);
      const report = parseReport(result.stdout);
      assert.equal(report.summary.files, 1);
    });
  });
});
