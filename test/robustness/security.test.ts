/**
 * Safe in untrusted workspaces. The bundles load no code from the analysed workspace (statically: no dynamic
 * require/import/eval beyond one justified TypeScript path; at runtime: the CLI and the real language server run
 * under a preload that fails on any non-built-in require, child process, network or DNS use, and on writes into the
 * workspace), a workspace full of config files that would leave a marker if executed leaves none, config is JSON
 * only, the manifest declares untrusted-workspace support, and hostile names from the analysed code stay inert in
 * Markdown and keep JSON/SARIF valid.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { Project, applyEdits } from '../../server/src/engine';
import type { AuditReport } from '../../shared/protocol';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { describeRun, ensureBuilt, runCli, snapshotTree, validateSarif, type CliResult } from '../cli/helpers';
import { LspSession } from '../lsp/harness';
import { DIST, REPO, listFiles } from './helpers';

const GUARD = path.join(__dirname, 'preload', 'guard.cjs');

// ---------------------------------------------------------------------------------------------------------------
// Static: what the bundles can load

/**
 * Modules each bundle may require by name. Anything else — http, https, http2, dns, tls, dgram, vm, a package name —
 * fails the test. The reasons are the justification for each non-obvious entry.
 */
/** vm runs only code written in the bundle (checked below: every vm call has literal code), e.g. V8's `gc`. */
const CONSTANT_CODE_ONLY = {
  v8: 'memory: V8 flags and heap statistics',
  'node:v8': 'memory: V8 flags and heap statistics',
  vm: 'only with literal code (V8\'s gc function to bound memory in long runs); see the dynamic-code test',
  'node:vm': 'only with literal code (V8\'s gc function to bound memory in long runs); see the dynamic-code test',
};

/** What the audit adds: its own worker threads (a bundle of this package, never workspace code) and SARIF fingerprints. */
const AUDIT = {
  'node:os': 'audit: the core count that decides the thread count',
  'node:worker_threads': 'audit: workers that run dist/audit-worker.js (this package), never a workspace file',
  'node:crypto': 'SARIF: partialFingerprints are sha-256 of a finding\'s identity',
};

const ALLOWED_MODULES: Record<string, Record<string, string>> = {
  'cli.js': {
    fs: '', 'node:fs': '', path: '', 'node:path': '', os: '', crypto: '', url: '', 'node:url': '', util: '', 'node:util': '',
    perf_hooks: 'TypeScript: timing',
    inspector: "TypeScript: CPU profiling for tsc's --generateCpuProfile, never started by the CLI",
    'source-map-support': "TypeScript: optional stack-trace support, required only in tsc's debug mode, inside try/catch",
    ...AUDIT,
    ...CONSTANT_CODE_ONLY,
  },
  'server.js': {
    fs: '', 'node:fs': '', path: '', 'node:path': '', os: '', crypto: '', url: '', 'node:url': '', util: '', 'node:util': '',
    perf_hooks: 'TypeScript: timing',
    inspector: "TypeScript: CPU profiling for tsc's --generateCpuProfile, never started by the server",
    'source-map-support': "TypeScript: optional stack-trace support, required only in tsc's debug mode, inside try/catch",
    net: 'vscode-languageserver: the --pipe and --socket transports (the client uses IPC or stdio)',
    child_process: "vscode-languageserver: Files.resolveGlobalNodePath (npm's global folder), never called by the server",
    ...AUDIT,
    ...CONSTANT_CODE_ONLY,
  },
  'extension.js': {
    vscode: 'the VS Code API',
    fs: '', path: '', 'node:path': '', os: '', crypto: '', util: '',
    net: 'vscode-languageclient: pipe and socket transports',
    child_process: 'client/src/serverProcess.ts: spawns the bundled language server (node dist/server.js) and talks to it over stdio',
    readline: 'vscode-languageclient: reads the server process output',
  },
};

/** Dynamic loads that are in the bundles on purpose, recognised by the code around them. */
const ALLOWED_DYNAMIC: { bundle: string; context: RegExp; reason: string }[] = [
  {
    bundle: 'cli.js|server.js',
    context: /return \{ module: require\(modulePath\), modulePath, error: void 0 \}/,
    reason: "TypeScript's sys.require, used by tsserver to load plugins; the engine never calls it (no language service plugins)",
  },
];

interface BundleScan {
  modules: Set<string>;
  dynamic: string[];
}

function scanBundle(file: string): BundleScan {
  const text = fs.readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const modules = new Set<string>();
  const dynamic: string[] = [];
  const context = (node: ts.Node) => text.slice(Math.max(0, node.getStart(sourceFile) - 80), node.getEnd() + 40).replace(/\s+/g, ' ');
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loader =
        (ts.isIdentifier(callee) && ['require', '__require', 'eval'].includes(callee.text)) ||
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isPropertyAccessExpression(callee) && callee.name.text === 'require' && /^(module|Module)$/.test(callee.expression.getText(sourceFile)));
      if (loader) {
        const argument = node.arguments[0];
        if (argument && ts.isStringLiteralLike(argument) && !(ts.isIdentifier(callee) && callee.text === 'eval')) modules.add(argument.text);
        else dynamic.push(context(node));
      }
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') dynamic.push(context(node));
    // vm compiles code: allowed only when that code is a literal in the bundle.
    const vmCall =
      (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^(runInNewContext|runInThisContext|runInContext|compileFunction|Script|SourceTextModule)$/.test(node.expression.name.text);
    if (vmCall) {
      const code = (node as ts.CallExpression | ts.NewExpression).arguments?.[0];
      if (!code || !ts.isStringLiteralLike(code)) dynamic.push(context(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { modules, dynamic };
}

describe('the bundles load no code from the workspace', () => {
  before(ensureBuilt);

  for (const bundle of Object.keys(ALLOWED_MODULES)) {
    test(`${bundle}: requires only the modules it needs, and nothing from the network stack`, (t) => {
      const { modules } = scanBundle(path.join(DIST, bundle));
      const unexpected = [...modules].filter((name) => !(name in ALLOWED_MODULES[bundle]!));
      t.diagnostic(`${bundle} requires: ${[...modules].sort().join(', ')}`);
      assert.deepEqual(unexpected, [], `${bundle} requires modules nobody justified`);
      // worker_threads is allowed only as justified in AUDIT: the workers run this package's own audit-worker.js.
      for (const forbidden of ['http', 'https', 'http2', 'dns', 'tls', 'dgram', 'undici']) {
        assert.ok(!modules.has(forbidden) && !modules.has(`node:${forbidden}`), `${bundle} requires ${forbidden}`);
      }
      if (bundle === 'cli.js') assert.ok(!modules.has('child_process') && !modules.has('net'), 'the CLI needs no processes or sockets');
    });

    test(`${bundle}: no dynamic require, import() or eval of a computed path beyond the justified one`, () => {
      const { dynamic } = scanBundle(path.join(DIST, bundle));
      const unexpected = dynamic.filter(
        (context) => !ALLOWED_DYNAMIC.some((allowed) => new RegExp(`^(${allowed.bundle})$`).test(bundle) && allowed.context.test(context)),
      );
      assert.deepEqual(unexpected, []);
    });
  }

  test('the manifest declares untrusted-workspace support and says why it is safe', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      capabilities?: { untrustedWorkspaces?: { supported?: boolean | string; description?: string } };
    };
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.ok(untrusted, 'capabilities.untrustedWorkspaces is missing');
    assert.equal(untrusted.supported, true);
    assert.match(untrusted.description ?? '', /never (runs|executes)/i);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Runtime: a hostile workspace

/** Code that leaves `<markers>/<name>` behind if anything runs it. */
function marker(markers: string, name: string, esm = false): string {
  const target = JSON.stringify(path.join(markers, name));
  return esm
    ? `import { writeFileSync } from 'node:fs';\nwriteFileSync(${target}, 'executed');\nexport default {};\n`
    : `require('fs').writeFileSync(${target}, 'executed');\nmodule.exports = {};\n`;
}

const HOSTILE_DIR = `app/"><img src=x onerror=alert(1)> \u202Eevil`;
const NEWLINE_DIR = 'app/new\nline';
const HOSTILE_FIELD = `<script>alert("field")</script>`;

function hostileWorkspace(markers: string): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: 'hostile',
      private: true,
      main: 'index.js',
      scripts: { postinstall: `node -e "require('fs').writeFileSync('${path.join(markers, 'postinstall')}', 'x')"` },
      serverActionGuard: { authFunctions: ['requireUser'] },
    }),
    'server-action-guard.config.json': JSON.stringify({ authFunctions: ['requireUser'], exclude: ['generated/**'] }),
    'server-action-guard.config.js': marker(markers, 'config.js'),
    'server-action-guard.config.mjs': marker(markers, 'config.mjs', true),
    'server-action-guard.config.cjs': marker(markers, 'config.cjs'),
    'index.js': marker(markers, 'index.js'),
    'next.config.js': marker(markers, 'next.config.js'),
    'next.config.mjs': marker(markers, 'next.config.mjs', true),
    'next.config.ts': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(path.join(markers, 'next.config.ts'))}, 'x');\nexport default {};\n`,
    'postcss.config.js': marker(markers, 'postcss.config.js'),
    'tailwind.config.js': marker(markers, 'tailwind.config.js'),
    'babel.config.js': marker(markers, 'babel.config.js'),
    '.eslintrc.js': marker(markers, '.eslintrc.js'),
    'eslint.config.mjs': marker(markers, 'eslint.config.mjs', true),
    'tsconfig.json': JSON.stringify({
      extends: './tsconfig.base.json',
      compilerOptions: { plugins: [{ name: 'evil-plugin' }], paths: { '@/*': ['./*'] } },
    }),
    'tsconfig.base.json': JSON.stringify({ compilerOptions: { strict: true, moduleResolution: 'bundler', module: 'esnext' } }),
    'node_modules/evil-plugin/package.json': JSON.stringify({ name: 'evil-plugin', main: 'index.js' }),
    'node_modules/evil-plugin/index.js': marker(markers, 'ts-plugin'),
    'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', version: '99.0.0', main: 'lib/typescript.js' }),
    'node_modules/typescript/lib/typescript.js': marker(markers, 'workspace-typescript'),
    'node_modules/server-only/package.json': JSON.stringify({ name: 'server-only', main: 'index.js' }),
    'node_modules/server-only/index.js': marker(markers, 'server-only'),
    'node_modules/zod/package.json': JSON.stringify({ name: 'zod', main: 'index.js' }),
    'node_modules/zod/index.js': marker(markers, 'zod'),
    'lib/auth.js': `${marker(markers, 'lib-auth.js')}\nexports.requireUser = async function requireUser() { throw new Error('no session'); };\n`,
    'app/actions.js': `'use server';\n${marker(markers, 'actions.js')}\nexport async function save(formData) {\n  await db.post.create({ data: { ownerId: formData.get('ownerId') } });\n}\n`,
    'app/actions.ts': `'use server';\n\nimport 'server-only';\nimport { z } from 'zod';\nimport { requireUser } from '@/lib/auth';\n\nexport async function update(formData: FormData) {\n  await requireUser();\n  await db.post.update({ where: { id: String(formData.get('id')) }, data: { title: z.string().parse(formData.get('title')) } });\n}\n`,
    [`${HOSTILE_DIR}/actions.ts`]: `'use server';\n\nexport async function s\u00e1v\u00e9\u2118\u1d4b3(formData: FormData) {\n  await db.post.create({ data: { ownerId: formData.get('ownerId'), note: formData.get(${JSON.stringify(HOSTILE_FIELD)}), quote: formData.get('"\\'\\n|') } });\n}\n`,
    [`${NEWLINE_DIR}/actions.ts`]: `'use server';\n\nexport async function newline(formData: FormData) {\n  await db.post.create({ data: { userId: formData.get('userId') } });\n}\n`,
  };
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), text);
  }
}

interface Guarded {
  log: string;
  env: Record<string, string>;
}

function guardEnv(workspace: string, readOnly: boolean): Guarded {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sag-guard-')), 'violations.log');
  fs.writeFileSync(log, '');
  const env: Record<string, string> = { NODE_OPTIONS: `--require ${GUARD}`, SAG_GUARD_LOG: log, SAG_GUARD_WORKSPACE: workspace };
  if (readOnly) env.SAG_GUARD_READONLY = '1';
  return { log, env };
}

function violations(guarded: Guarded): string {
  return fs.readFileSync(guarded.log, 'utf8');
}

describe('a hostile workspace: nothing in it runs, nothing leaves the machine', () => {
  let workspace: string;
  let markers: string;
  before(() => {
    ensureBuilt();
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sag-hostile-')));
    markers = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-markers-'));
    writeFiles(workspace, hostileWorkspace(markers));
  });
  after(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(markers, { recursive: true, force: true });
  });

  test('the guard preload itself catches what it should (a require from the workspace, a socket, a process)', async () => {
    const guarded = guardEnv(workspace, true);
    const probe = path.join(os.tmpdir(), `sag-guard-probe-${process.pid}.js`);
    fs.writeFileSync(
      probe,
      `for (const attempt of [() => require(${JSON.stringify(path.join(workspace, 'next.config.js'))}), () => require('net').connect(80, 'example.com'), () => require('child_process').execSync('true'), () => require('dns').lookup('example.com', () => {}), () => require('fs').writeFileSync(${JSON.stringify(path.join(workspace, 'x'))}, '')]) { try { attempt(); } catch {} }\n`,
    );
    const run = await runCli([], { cli: probe, env: guarded.env });
    fs.rmSync(probe);
    const log = violations(guarded);
    for (const expected of ['next.config.js', 'net.connect', 'child_process.execSync', 'dns.lookup', 'fs.writeFileSync']) assert.match(log, new RegExp(expected.replace('.', '\\.')), `${expected} not caught:\n${log}\n${describeRun(run)}`);
    assert.deepEqual(fs.readdirSync(markers), []);
  });

  test('CLI in every format, with --config and with --fix: no marker, no violation, config read as JSON', async () => {
    const runs: CliResult[] = [];
    const readOnly = guardEnv(workspace, true);
    const snapshot = snapshotTree(workspace);
    for (const args of [
      ['--format', 'text'],
      ['--format', 'json'],
      ['--format', 'sarif'],
      ['--config', path.join(workspace, 'server-action-guard.config.json'), '--format', 'json'],
    ]) {
      runs.push(await runCli(['audit', workspace, ...args], { cwd: workspace, env: readOnly.env, timeoutMs: 60_000 }));
    }
    assert.deepEqual(snapshotTree(workspace), snapshot, 'the CLI wrote to the workspace without --fix');
    const fixing = guardEnv(workspace, false);
    runs.push(await runCli(['audit', workspace, '--fix'], { cwd: workspace, env: fixing.env, timeoutMs: 60_000 }));
    for (const run of runs) assert.ok(run.code === 0 || run.code === 1, describeRun(run));
    assert.equal(violations(readOnly) + violations(fixing), '', 'the CLI did something forbidden');
    assert.deepEqual(fs.readdirSync(markers), [], 'workspace code was executed');
    // The JS config files would have set nothing; the JSON one and the package.json key are what was read.
    const report = JSON.parse(runs[1]!.stdout) as AuditReport;
    assert.ok(report.actions.some((a) => a.name === 'update' && a.checks['require-auth'] === 'pass'), JSON.stringify(report.actions));
  });

  test('language server: open, edit, code actions, workspace audit and every export format: no marker, no violation', async () => {
    const guarded = guardEnv(workspace, true);
    const saved = { ...process.env };
    Object.assign(process.env, guarded.env);
    let lsp: LspSession | undefined;
    try {
      lsp = await LspSession.start({ fixture: workspace });
    } finally {
      for (const key of Object.keys(guarded.env)) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
    try {
      for (const file of ['app/actions.ts', 'app/actions.js', `${HOSTILE_DIR}/actions.ts`, 'next.config.js', 'lib/auth.js']) {
        await lsp.open(file);
        const diagnostics = await lsp.waitForDiagnostics(file, () => true, 1).catch(() => []);
        if (diagnostics.length > 0) await lsp.codeActions(file, diagnostics[0]!.range, diagnostics);
      }
      await lsp.type('app/actions.ts', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }]);
      await lsp.setSettings({ authFunctions: ['requireUser'] });
      const audit = (await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {})) as { files: number };
      assert.ok(audit.files >= 4, JSON.stringify(audit));
      for (const format of ['markdown', 'sarif', 'json']) {
        const exported = (await lsp.connection.sendRequest('serverActionGuard/exportReport', { format })) as { content: string };
        assert.ok(exported.content.length > 0);
      }
    } finally {
      const code = await lsp.stop();
      assert.equal(code, 0, lsp.stderrText());
    }
    assert.equal(violations(guarded), '', 'the server did something forbidden');
    assert.deepEqual(fs.readdirSync(markers), [], 'workspace code was executed');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile names in reports

describe('names from the analysed code stay inert in reports', () => {
  let workspace: string;
  let markdown: string;
  let sarifText: string;
  let jsonText: string;
  let text: CliResult;

  before(async () => {
    ensureBuilt();
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sag-names-')));
    const markers = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-markers-'));
    writeFiles(workspace, hostileWorkspace(markers));
    const json = await runCli(['audit', workspace, '--format', 'json'], { timeoutMs: 60_000 });
    const sarif = await runCli(['audit', workspace, '--format', 'sarif'], { timeoutMs: 60_000 });
    text = await runCli(['audit', workspace, '--format', 'text'], { timeoutMs: 60_000 });
    jsonText = json.stdout;
    sarifText = sarif.stdout;
    const lsp = await LspSession.start({ fixture: workspace });
    try {
      await lsp.connection.sendRequest('serverActionGuard/auditWorkspace', {});
      markdown = ((await lsp.connection.sendRequest('serverActionGuard/exportReport', { format: 'markdown' })) as { content: string }).content;
    } finally {
      await lsp.stop();
    }
    fs.rmSync(markers, { recursive: true, force: true });
  });
  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  test('JSON is valid and carries paths, names and messages exactly', () => {
    const report = JSON.parse(jsonText) as AuditReport;
    const files = new Set(listFiles(workspace).map((file) => path.relative(workspace, file)));
    for (const action of report.actions) assert.ok(files.has(action.file), `${JSON.stringify(action.file)} is not a file of the workspace`);
    assert.ok(report.actions.some((a) => a.file === `${HOSTILE_DIR}/actions.ts` && a.name === 's\u00e1v\u00e9\u2118\u1d4b3'));
    assert.ok(report.actions.some((a) => a.file === `${NEWLINE_DIR}/actions.ts`));
    assert.ok(report.diagnostics.some((d) => d.message.includes(HOSTILE_FIELD)), 'the hostile field name should reach the message verbatim');
  });

  test('SARIF is valid SARIF 2.1.0 and its artifact URIs decode to the real paths', () => {
    const log = JSON.parse(sarifText) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const check = validateSarif(log);
    assert.ok(check.valid, check.errors);
    const uris = log.runs.flatMap((run) => run.results.flatMap((r) => r.locations.map((l) => l.physicalLocation.artifactLocation.uri)));
    const decoded = uris.map((uri) => decodeURIComponent(uri.replace(/^file:\/\//, '')));
    assert.ok(decoded.some((uri) => uri.endsWith(`${HOSTILE_DIR}/actions.ts`)), JSON.stringify(uris));
    assert.ok(decoded.some((uri) => uri.endsWith(`${NEWLINE_DIR}/actions.ts`)), JSON.stringify(uris));
    for (const uri of uris) assert.doesNotMatch(uri, /[\s"<>\u202E]/, `unencoded character in ${JSON.stringify(uri)}`);
  });

  test('Markdown has no live HTML, no broken table rows and no raw bidi controls', () => {
    assert.ok(markdown.includes('alert'), 'the hostile names should be in the report, escaped');
    assert.doesNotMatch(markdown, /<script|<img|<\/script/i);
    assert.doesNotMatch(markdown, /\u202E/);
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) assert.ok(line.trimEnd().endsWith('|'), `broken table row: ${JSON.stringify(line)}`);
    const rows = markdown.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l));
    const widths = new Set(rows.filter((l) => l.includes('Severity') || /\| (🔴|🟠|🔵)/.test(l)).map((l) => l.split(/(?<!\\)\|/).length));
    assert.ok(widths.size <= 1, `findings rows with different cell counts: ${[...widths].join(', ')}`);
  });

  test('text output keeps one finding per line and shows no raw control or bidi characters', () => {
    assert.ok(text.code === 1, describeRun(text));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text.stdout, /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    const locations = text.stdout.split('\n').filter((line) => /actions\.ts:\d+:\d+/.test(line));
    assert.ok(locations.some((line) => line.includes('new') && line.includes('line')), text.stdout);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Fixes: names from the workspace become string literals, never code


function fixedText(root: string, relative: string, text: string, title: RegExp): { fixed: string; file: string } {
  const project = new Project({ root });
  const file = path.join(root, relative);
  project.setDocument(file, text);
  const fix = project
    .analyzeFile(file, DEFAULT_SETTINGS)
    .findings.flatMap((f) => f.fixes)
    .find((f) => title.test(f.title));
  assert.ok(fix, `no fix matching ${title}`);
  return { fixed: applyEdits(text, fix.edits.filter((e) => e.file === file)), file };
}

function stringArguments(file: string, text: string, callee: string): string[] {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parseErrors = (sourceFile as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  assert.deepEqual(parseErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')), [], `the fix does not parse:\n${text}`);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(sourceFile).endsWith(callee)) {
      const argument = node.arguments[0];
      out.push(argument && ts.isStringLiteral(argument) ? argument.text : `<not a string literal: ${argument?.getText(sourceFile)}>`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

describe('fixes turn names from the workspace into string literals, never into code', () => {
  const segments = [`what's-new`, `x'+require("child_process").execSync("id")+'`, 'a\\b', '${x}`'];

  for (const segment of segments) {
    test(`revalidatePath for a route folder named ${JSON.stringify(segment)}`, () => {
      const text = `'use server';\n\nexport async function save(formData: FormData) {\n  const session = await auth();\n  if (!session) throw new Error('no');\n  await db.post.create({ data: { title: String(formData.get('title')) } });\n}\n`;
      const { fixed, file } = fixedText('/virtual/injection', `app/${segment}/actions.ts`, text, /^Add revalidatePath/);
      assert.deepEqual(stringArguments(file, fixed, 'revalidatePath'), [`/${segment}`]);
    });

    test(`the zod schema for a FormData field named ${JSON.stringify(segment)}`, () => {
      const text = `'use server';\n\nexport async function save(formData: FormData) {\n  const session = await auth();\n  if (!session) throw new Error('no');\n  await db.post.create({ data: { title: String(formData.get(${JSON.stringify(segment)})) } });\n  revalidatePath('/');\n}\n`;
      const { fixed, file } = fixedText('/virtual/injection', 'app/actions.ts', text, /^Wrap FormData reads in a zod schema/);
      assert.ok(stringArguments(file, fixed, '.get').every((field) => field === segment), fixed);
    });
  }
});
