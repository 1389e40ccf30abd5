/**
 * Files an editor or a CI checkout can hold that are not the code the rules were written for: huge, binary, with a
 * BOM or CRLF line ends, not UTF-8, one very long line, nested thousands of levels deep, symlink loops, broken
 * tsconfigs and configs with wrong types. The engine must answer each with findings or a visible problem (never an
 * exception) within a budget, and the CLI must say what it skipped on stderr and exit with a sane code.
 *
 * Large files: the engine skips files over `maxFileSizeKb` (default 1024) with a problem message naming the size and
 * the setting; files up to the limit are analysed completely, in time linear in their size.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Project, applyEdits, type FileAnalysis } from '../../server/src/engine';
import type { AuditReport } from '../../shared/protocol';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { describeRun, ensureBuilt, makeTempDir, removeTempDirs, runCli, writeTree } from '../cli/helpers';
import { LspSession } from '../lsp/harness';
import { timed } from './helpers';

const NESTING = 5000;

/** One insecure action whose only client value sits inside `expression(read)`. */
function nestedAction(expression: (read: string) => string): string {
  return `'use server';\n\nexport async function nested(formData: FormData) {\n  const value = ${expression(`formData.get('ownerId')`)};\n  await db.post.create({ data: { value } });\n}\n`;
}

const DEEP: Record<string, string> = {
  parentheses: nestedAction((read) => `${'('.repeat(NESTING)}${read}${')'.repeat(NESTING)}`),
  'unclosed parentheses': nestedAction((read) => `${'('.repeat(NESTING)}${read}`),
  ternaries: nestedAction((read) => `${Array.from({ length: NESTING }, (_, i) => `${read} === '${i}' ? ${i} :`).join(' ')} 0`),
  'binary operators': nestedAction((read) => Array.from({ length: NESTING }, () => read).join(' + ')),
  'call arguments': nestedAction((read) => `${'wrap('.repeat(NESTING)}${read}${')'.repeat(NESTING)}`),
  'member chains': nestedAction((read) => `${read}${'.trim()'.repeat(NESTING)}`),
  'array literals': nestedAction((read) => `${'['.repeat(NESTING)}${read}${']'.repeat(NESTING)}`),
  'object literals': nestedAction((read) => `${'{ a: '.repeat(NESTING)}${read}${' }'.repeat(NESTING)}`),
  'template literals': nestedAction((read) => `${'`${'.repeat(NESTING)}${read}${'}`'.repeat(NESTING)}`),
  'arrow functions': nestedAction((read) => `${'() => '.repeat(NESTING)}${read}`),
  'prefix operators': nestedAction((read) => `${'!'.repeat(NESTING)}${read}`),
  'nested blocks': `'use server';\n\nexport async function nested(formData: FormData) {\n${'if (formData) {'.repeat(NESTING)}\n  await db.post.create({ data: { ownerId: formData.get('ownerId') } });\n${'}'.repeat(NESTING)}\n}\n`,
};

const INSECURE = `'use server';\n\nexport async function save(formData: FormData) {\n  await db.post.create({ data: { ownerId: formData.get('ownerId') } });\n}\n`;

/**
 * `count` insecure actions: three findings each (require-auth, revalidate, and server-identity, which covers
 * validate-input and narrow-contract for the one client ownerId).
 */
function manyActions(targetBytes: number): { text: string; actions: number } {
  const parts = [`'use server';\n`];
  let length = parts[0]!.length;
  let actions = 0;
  for (;;) {
    const action = `\nexport async function save${actions}(formData: FormData) {\n  await db.post.create({ data: { ownerId: formData.get('ownerId') } });\n}\n`;
    if (length + action.length > targetBytes) break;
    parts.push(action);
    length += action.length;
    actions++;
  }
  return { text: parts.join(''), actions };
}

function codesOf(analysis: FileAnalysis): string[] {
  return analysis.findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);
}

describe('engine: odd files give findings or a visible problem, never an exception', () => {
  const root = '/virtual/odd-app';
  const analyzeText = (name: string, text: string, settings = DEFAULT_SETTINGS) => {
    const project = new Project({ root });
    const file = path.join(root, 'app', name);
    project.setDocument(file, text);
    return timed(() => project.analyzeFile(file, settings));
  };

  for (const [shape, text] of Object.entries(DEEP)) {
    test(`${NESTING} levels of ${shape}`, () => {
      const { value: analysis, ms } = analyzeText('nested.ts', text);
      const tooDeep = analysis.problems.find((p) => /nested too deeply/.test(p.message));
      assert.ok(tooDeep || analysis.findings.length > 0, `neither findings nor a problem: ${JSON.stringify(analysis.problems)}`);
      assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
    });
  }

  test('after a stack overflow the parser and engine still give the same results for ordinary code', () => {
    const fresh = analyzeText('save.ts', INSECURE).value;
    const project = new Project({ root });
    for (const [shape, text] of Object.entries(DEEP)) {
      const deep = path.join(root, 'app', `${shape.replace(/\W/g, '-')}.ts`);
      project.setDocument(deep, text);
      project.analyzeFile(deep, DEFAULT_SETTINGS);
    }
    const file = path.join(root, 'app', 'save.ts');
    project.setDocument(file, INSECURE);
    const after = project.analyzeFile(file, DEFAULT_SETTINGS);
    assert.deepEqual(codesOf(after), codesOf(fresh));
    assert.equal(fresh.findings.length, 3);
  });

  test('a deeply nested helper imported by an action does not break the action', () => {
    const project = new Project({ root });
    const helper = path.join(root, 'lib', 'deep.ts');
    project.setDocument(helper, `export const deep = ${'('.repeat(NESTING)}1${')'.repeat(NESTING)};\n`);
    const file = path.join(root, 'app', 'uses-deep.ts');
    project.setDocument(file, INSECURE.replace("'use server';\n", "'use server';\n\nimport { deep } from '../lib/deep';\nvoid deep;\n"));
    const analysis = project.analyzeFile(file, DEFAULT_SETTINGS);
    assert.equal(analysis.findings.length, 3, JSON.stringify(analysis.problems));
  });

  test('a 5 MB generated file is skipped with a message naming its size and maxFileSizeKb, open or on disk', () => {
    const { text } = manyActions(5 * 1024 * 1024);
    const open = analyzeText('huge.ts', text);
    assert.deepEqual(open.value.findings, []);
    assert.match(open.value.problems.map((p) => p.message).join('\n'), /skipped: 5\d{3} KB is over maxFileSizeKb \(1024\)/);
    assert.ok(open.ms < 5000, `took ${open.ms.toFixed(0)} ms to skip`);

    const dir = makeTempDir('huge');
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'huge.ts'), text);
    const onDisk = timed(() => new Project({ root: dir }).analyzeFile(path.join(dir, 'app', 'huge.ts'), DEFAULT_SETTINGS));
    assert.match(onDisk.value.problems.map((p) => p.message).join('\n'), /over maxFileSizeKb \(1024\)/);
    assert.ok(onDisk.ms < 1000, `took ${onDisk.ms.toFixed(0)} ms to skip from disk`);
  });

  test('a file just under the limit (1 MB, thousands of actions) is analysed completely, in linear time', (t) => {
    const { text, actions } = manyActions(1024 * 1024 - 1);
    const { value: analysis, ms } = analyzeText('big.ts', text);
    t.diagnostic(`${(text.length / 1024).toFixed(0)} KB, ${actions} actions, ${analysis.findings.length} findings in ${ms.toFixed(0)} ms`);
    assert.equal(analysis.actions.length, actions);
    assert.equal(analysis.findings.length, actions * 3);
    // Linear work is a few seconds on a slow machine; the quadratic version this guards against took minutes.
    assert.ok(ms < 30_000, `took ${ms.toFixed(0)} ms`);
  });

  test('one very long line (a 600 KB minified file with 5,000 actions) is analysed within the budget', () => {
    const line = `'use server'; ${Array.from({ length: 5000 }, (_, i) => `export async function a${i}(formData: FormData) { await db.post.create({ data: { ownerId: formData.get('ownerId') } }); }`).join(' ')}`;
    assert.ok(line.length > 500_000 && !line.includes('\n'));
    const { value: analysis, ms } = analyzeText('minified.ts', line);
    assert.equal(analysis.actions.length, 5000);
    assert.ok(analysis.findings.every((f) => f.range.start.line === 0));
    assert.ok(ms < 30_000, `took ${ms.toFixed(0)} ms`);
  });

  test('binary content with a .ts name is skipped as not text', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + (i >> 3)) % 256));
    const { value: analysis } = analyzeText('binary.ts', bytes.toString('latin1'));
    assert.deepEqual(analysis.findings, []);
    assert.match(analysis.problems.map((p) => p.message).join('\n'), /does not look like text/);
  });

  test('a BOM changes nothing: same findings, ranges and fix edits as without it', () => {
    const plain = analyzeText('plain.ts', INSECURE).value;
    const bom = analyzeText('plain.ts', `\uFEFF${INSECURE}`).value;
    assert.deepEqual(codesOf(bom), codesOf(plain));
    const edits = (a: FileAnalysis) => a.findings.flatMap((f) => f.fixes.flatMap((x) => x.edits.map((e) => [e.start, e.end, e.newText])));
    assert.deepEqual(edits(bom), edits(plain));
  });

  test('CRLF: findings on the same lines as with LF, and every fix writes CRLF only', () => {
    const crlf = INSECURE.replace(/\n/g, '\r\n');
    const lf = analyzeText('crlf.ts', INSECURE).value;
    const analysis = analyzeText('crlf.ts', crlf).value;
    assert.deepEqual(codesOf(analysis), codesOf(lf));
    const fixes = analysis.findings.flatMap((f) => f.fixes);
    assert.ok(fixes.length >= 2, `expected fixes, got ${fixes.map((f) => f.title).join(', ')}`);
    for (const fix of fixes) {
      const fixed = applyEdits(crlf, fix.edits);
      assert.doesNotMatch(fixed.replace(/\r\n/g, ''), /[\r\n]/, `${fix.title} left a bare line break:\n${JSON.stringify(fixed)}`);
    }
  });

  test('text decoded from bytes that are not UTF-8 is analysed like any other', () => {
    const latin1 = Buffer.from(INSECURE.replace('formData: FormData', 'formData: FormData /* caf\u00e9 \u00ff */'), 'latin1');
    const { value: analysis } = analyzeText('latin1.ts', latin1.toString('utf8'));
    assert.equal(analysis.findings.length, 3, JSON.stringify(analysis.problems));
  });
});

describe('CLI: odd files are reported on stderr, the rest is still audited', () => {
  let dir: string;
  let report: AuditReport;
  let result: Awaited<ReturnType<typeof runCli>>;

  before(async () => {
    ensureBuilt();
    dir = makeTempDir('odd-cli');
    const crlfWithBom = `\uFEFF${INSECURE.replace('save', 'saveCrlf')}`.replace(/\n/g, '\r\n');
    writeTree(dir, {
      // An app with a sign-in: the insecure action's client ownerId and missing session check are errors there.
      'package.json': '{ "name": "odd-app", "private": true, "dependencies": { "next-auth": "5.0.0-beta.29" } }\n',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "paths": { "@/*": ["./*"] } } }\n',
      'tsconfig.base.json': '{ "extends": "./tsconfig.json" }\n',
      'app/actions.ts': INSECURE,
      'app/huge.ts': manyActions(5 * 1024 * 1024).text,
      'app/binary.ts': Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)),
      'app/crlf-bom.ts': crlfWithBom,
      'app/latin1.ts': Buffer.from(INSECURE.replace('save', 'saveLatin1').replace('{\n', '{ // caf\u00e9 \u00ff\n'), 'latin1'),
      'app/deep.ts': DEEP.parentheses!,
      'app/minified.ts': INSECURE.replace(/\n\s*/g, ' ').replace('save', 'saveMinified'),
    });
    fs.symlinkSync('..', path.join(dir, 'app', 'loop'));
    fs.symlinkSync(path.join(dir, 'app'), path.join(dir, 'app', 'again'));
    result = await runCli(['audit', dir, '--format', 'json'], { timeoutMs: 60_000 });
    report = JSON.parse(result.stdout) as AuditReport;
  });
  after(removeTempDirs);

  test('exits 1 for the findings, with a valid report of the readable files on stdout', () => {
    assert.equal(result.code, 1, describeRun(result));
    const actions = report.actions.map((a) => `${a.file}#${a.name}`).sort();
    assert.deepEqual(actions, ['app/actions.ts#save', 'app/crlf-bom.ts#saveCrlf', 'app/latin1.ts#saveLatin1', 'app/minified.ts#saveMinified']);
  });

  test('names each skipped file and the reason on stderr', () => {
    assert.match(result.stderr, /app\/huge\.ts: .*(1024 KB|maxFileSizeKb)/);
    assert.match(result.stderr, /app\/binary\.ts: .*does not look like text/);
    assert.match(result.stderr, /app\/deep\.ts: .*nested too deeply/);
    assert.match(result.stderr, /Circularity detected/);
  });

  test('walks the symlink loops once', () => {
    assert.equal(new Set(report.actions.map((a) => a.file)).size, report.actions.length / 1);
    assert.ok(report.summary.files <= 8, `files: ${report.summary.files}`);
  });

  test('--fix on a CRLF file with a BOM keeps the BOM and CRLF and edits the right place', async () => {
    const file = path.join(dir, 'app', 'crlf-bom.ts');
    const fixed = await runCli(['audit', file, '--fix', '--format', 'json'], { timeoutMs: 60_000 });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(fixed.stderr, /fixed app\/crlf-bom\.ts:\d+: /, describeRun(fixed));
    assert.ok(text.startsWith('\uFEFF\'use server\';\r\n'), JSON.stringify(text.slice(0, 40)));
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, `bare line break in ${JSON.stringify(text)}`);
    assert.match(text, /\r\n {2}revalidatePath\('\/'\);\r\n/, JSON.stringify(text));
  });

  test('a tsconfig that is not JSON is named on stderr; the audit goes on', async () => {
    const broken = makeTempDir('bad-tsconfig');
    writeTree(broken, { 'package.json': '{ "dependencies": { "next-auth": "5.0.0-beta.29" } }', 'tsconfig.json': '{ "compilerOptions": { "paths": ', 'app/actions.ts': INSECURE });
    const run = await runCli(['audit', broken, '--format', 'json'], { timeoutMs: 60_000 });
    assert.equal(run.code, 1, describeRun(run));
    assert.match(run.stderr, /tsconfig\.json/);
    assert.equal((JSON.parse(run.stdout) as AuditReport).actions.length, 1);
  });

  const badConfigs: Record<string, string> = {
    'wrong types': '{ "maxFileSizeKb": "big", "authFunctions": "requireUser", "rules": { "require-auth": "loud" } }',
    'invalid JSON': '{ "authFunctions": [',
    'a JSON array': '[]',
  };
  for (const [what, config] of Object.entries(badConfigs)) {
    test(`a config file with ${what} is a clear error on stderr and exit code 2`, async () => {
      const project = makeTempDir('bad-config');
      writeTree(project, { 'package.json': '{}', 'server-action-guard.config.json': config, 'app/actions.ts': INSECURE });
      const run = await runCli(['audit', project, '--format', 'json'], { timeoutMs: 60_000 });
      assert.equal(run.code, 2, describeRun(run));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /server-action-guard\.config\.json/);
      if (what === 'wrong types') {
        for (const key of ['maxFileSizeKb', 'authFunctions', 'rules.require-auth']) assert.match(run.stderr, new RegExp(`"${key}"`));
      }
    });
  }
});

describe('language server: odd files get a message in the output channel, once per file and reason', () => {
  let lsp: LspSession;
  before(async () => {
    ensureBuilt();
    lsp = await LspSession.start({
      files: {
        'app/deep.ts': DEEP.parentheses!,
        'app/binary.ts': '\u0000\u0001\u0002\u0003'.repeat(500),
        'app/huge.ts': manyActions(1100 * 1024).text,
      },
    });
  });
  after(async () => {
    if (lsp) await lsp.stop();
  });

  test('deeply nested, binary and oversized files are reported by name and reason, and the server keeps working', async () => {
    for (const file of ['app/deep.ts', 'app/binary.ts', 'app/huge.ts']) await lsp.open(file);
    // More edits to the deep file: the same problem must not be logged again on every keystroke.
    for (let i = 0; i < 5; i++) {
      await lsp.type('app/deep.ts', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
      await lsp.waitForDiagnostics('app/deep.ts', () => true, lsp.version('app/deep.ts'));
    }
    const messages = () => lsp.logs.map((log) => log.message);
    const logged = (file: string, reason: RegExp) => messages().filter((m) => m.includes(file) && reason.test(m));
    await lsp.waitFor('messages for the three files', () =>
      logged('deep.ts', /nested too deeply/).length > 0 && logged('binary.ts', /not look like text/).length > 0 && logged('huge.ts', /1024 KB|maxFileSizeKb/).length > 0,
    );
    assert.equal(logged('deep.ts', /nested too deeply/).length, 1, messages().join('\n'));
    await lsp.open('app/notes/actions.ts');
    const diagnostics = await lsp.waitForDiagnostics('app/notes/actions.ts', (d) => d.length > 0, 1);
    assert.ok(diagnostics.length > 0);
    assert.equal(lsp.process.exitCode, null);
  });
});
