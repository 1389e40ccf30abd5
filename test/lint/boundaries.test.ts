/**
 * `npm run lint` keeps the architecture's invariants: each one, broken on purpose, fails it, and the real tree breaks
 * none but the known cycles below. Boundaries are checked with ESLint's API on planted code at paths inside the
 * repository; cycles with dependency-cruiser on a copy of its config and planted files in a temporary folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '../..');
const LINTED = ['client/src', 'server/src', 'shared'];
const BOUNDARY_RULE = 'architecture/import-boundaries';

const source = (...lines: string[]): string => lines.map((line) => `${line}\n`).join('');

/** Cycles the real tree may keep: none. */
const KNOWN_CYCLES: string[] = [];

describe('npm run lint: import boundaries (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: REPO });

  async function boundaryErrors(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
    return result!.messages.filter((m) => m.ruleId === BOUNDARY_RULE && m.severity === 2).map((m) => m.message);
  }

  const violations: { invariant: string; file: string; code: string; names: RegExp }[] = [
    {
      invariant: 'the language server imports nothing from the CLI',
      file: 'server/src/lsp/planted.ts',
      code: "import { buildReport } from '../cli/report';\n",
      names: /lsp\/ imports nothing from cli\//,
    },
    {
      invariant: 'the language server imports nothing from the CLI, whatever an eslint-disable comment says',
      file: 'server/src/lsp/planted.ts',
      code: "// eslint-disable-next-line architecture/import-boundaries\nimport { main } from '../cli/main';\n",
      names: /lsp\/ imports nothing from cli\//,
    },
    {
      invariant: 'the CLI imports nothing from the language server, not even a type',
      file: 'server/src/cli/planted.ts',
      code: "import type { GuardService } from '../lsp/service';\n",
      names: /cli\/ imports nothing from lsp\//,
    },
    {
      invariant: 'the engine imports no vscode* package',
      file: 'server/src/engine/planted.ts',
      code: "import type { Diagnostic } from 'vscode-languageserver/node';\n",
      names: /the engine imports no adapter .* no vscode\* package/,
    },
    {
      invariant: 'the engine imports no adapter',
      file: 'server/src/engine/facts/planted.ts',
      code: "export { buildReport } from '../../report';\n",
      names: /the engine imports no adapter/,
    },
    {
      invariant: 'the engine uses no Node module but node:path outside its file-system host',
      file: 'server/src/engine/planted.ts',
      code: "import * as fs from 'node:fs';\n",
      names: /pure apart from its file-system host/,
    },
    {
      invariant: 'facts know no rule',
      file: 'server/src/engine/facts/planted.ts',
      code: "import { RULES } from '../rules';\n",
      names: /facts know no rule/,
    },
    {
      invariant: 'facts know no fix',
      file: 'server/src/engine/facts/planted.ts',
      code: "type Edits = typeof import('../fixes/edits');\nexport type { Edits };\n",
      names: /facts know no rule/,
    },
    {
      invariant: 'a rule reads no syntax (typescript)',
      file: 'server/src/engine/rules/planted-rule.ts',
      code: "import ts from 'typescript';\nexport const kind = ts.SyntaxKind.Block;\n",
      names: /rules read only facts/,
    },
    {
      invariant: 'a rule reads no syntax (engine/ast)',
      file: 'server/src/engine/rules/planted-rule.ts',
      code: "import { walk } from '../ast';\nexport { walk };\n",
      names: /rules read only facts/,
    },
    {
      invariant: 'report/ imports no adapter',
      file: 'server/src/report/planted.ts',
      code: "import { WorkspaceAuditor } from '../lsp/audit';\nexport { WorkspaceAuditor };\n",
      names: /report\/ serves both adapters/,
    },
    {
      invariant: 'report/ imports no vscode* package',
      file: 'server/src/report/planted.ts',
      code: "import type { Connection } from 'vscode-languageserver';\nexport type { Connection };\n",
      names: /report\/ serves both adapters/,
    },
    {
      invariant: 'adapters reach the engine through its index only',
      file: 'server/src/node/planted.ts',
      code: "const project = await import('../engine/project');\nexport { project };\n",
      names: /its one entry is server\/src\/engine\/index\.ts/,
    },
    {
      invariant: 'the client imports nothing from the server',
      file: 'client/src/planted.ts',
      code: "import { RULES } from '../../server/src/engine';\nexport { RULES };\n",
      names: /client\/ imports nothing from server\//,
    },
    {
      invariant: 'shared/ imports neither side',
      file: 'shared/planted.ts',
      code: "import type { FileAnalysis } from '../server/src/engine';\nexport type { FileAnalysis };\n",
      names: /shared\/ is the contract both sides import/,
    },
  ];
  for (const { invariant, file, code, names } of violations) {
    it(`fails when it is broken: ${invariant}`, async () => {
      const errors = await boundaryErrors(file, code);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, names);
    });
  }

  it('lets each layer import what it may', async () => {
    const allowed: Record<string, string> = {
      'server/src/engine/host.ts': source(
        "import * as fs from 'node:fs';",
        "import type { FileSystemHost } from './project';",
      ),
      'server/src/engine/planted.ts': source(
        "import * as path from 'node:path';",
        "import ts from 'typescript';",
        "import type { GuardSettings } from '../../../shared/settings';",
      ),
      'server/src/engine/rules/planted-rule.ts': source(
        "import type { Rule } from './rule';",
        "import { isMutatingName } from '../facts/knowledge';",
        "import { addRevalidate } from '../fixes/actionFixes';",
      ),
      'server/src/lsp/planted.ts': source(
        "import { Project } from '../engine';",
        "import { collectFiles } from '../node/walk';",
        "import { buildReport } from '../report';",
        "import type { AuditReport } from '../../../shared/protocol';",
        "import type { Connection } from 'vscode-languageserver/node';",
      ),
      'server/src/cli/planted.ts': source(
        "import { Project } from '../engine/index';",
        "import { loadConfig } from '../node/config';",
        "import { formatSarif } from '../report';",
        "import packageJson from '../../../package.json';",
      ),
      'client/src/planted.ts': source(
        "import * as vscode from 'vscode';",
        "import { StatusNotification } from '../../shared/protocol';",
      ),
    };
    for (const [file, code] of Object.entries(allowed)) assert.deepEqual(await boundaryErrors(file, code), [], file);
  });

  it('the real tree crosses no boundary', async () => {
    const results = await eslint.lintFiles(LINTED.map((dir) => path.join(REPO, dir)));
    const problems = results.flatMap((result) =>
      result.messages.map((m) => `${path.relative(REPO, result.filePath)}:${m.line} ${m.ruleId ?? ''} ${m.message}`),
    );
    assert.ok(results.length > 50, `linted only ${results.length} files`);
    assert.deepEqual(problems, []);
  });
});

describe('npm run lint: no import cycles (.dependency-cruiser.cjs)', () => {
  const tempDirs: string[] = [];
  after(() => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The cycles dependency-cruiser reports under `cwd`, each from its first module in code-unit order. */
  function cycles(cwd: string, paths: string[]): string[] {
    const bin = path.join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const args = [bin, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...paths];
    const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
    assert.ok(run.stdout.startsWith('{'), `dependency-cruiser failed (exit ${run.status}): ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      summary: { violations: { rule: { name: string }; from: string; cycle?: { name: string }[] }[] };
    };
    const found = report.summary.violations.map((violation) => {
      assert.equal(violation.rule.name, 'no-circular');
      const others = violation.cycle!.map((step) => step.name).filter((name) => name !== violation.from);
      const modules = [violation.from, ...others];
      const first = modules.indexOf([...modules].sort()[0]!);
      return [...modules.slice(first), ...modules.slice(0, first)].join(' → ');
    });
    return [...new Set(found)].sort();
  }

  it('fails on a cycle of type-only imports, and on a longer one across folders', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-lint-cycles-'));
    tempDirs.push(dir);
    for (const config of ['.dependency-cruiser.cjs', 'tsconfig.json']) {
      fs.copyFileSync(path.join(REPO, config), path.join(dir, config));
    }
    const planted: Record<string, string> = {
      'server/src/engine/project.ts': source(
        "import type { AnalyzeInput } from './analyze';",
        'export interface ModuleInfo { input?: AnalyzeInput }',
      ),
      'server/src/engine/analyze.ts': source(
        "import type { ModuleInfo } from './project';",
        'export interface AnalyzeInput { info?: ModuleInfo }',
      ),
      'server/src/lsp/audit.ts': source(
        "import { buildReport } from '../report';",
        'export const audit = () => buildReport();',
      ),
      'server/src/report/index.ts': source(
        "import { collectFiles } from '../node/walk';",
        'export const buildReport = () => collectFiles();',
      ),
      'server/src/node/walk.ts': source(
        "import { audit } from '../lsp/audit';",
        'export const collectFiles = () => typeof audit;',
      ),
      'server/src/cli/main.ts': source("import { buildReport } from '../report';", 'buildReport();'),
    };
    for (const [file, code] of Object.entries(planted)) {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), code);
    }
    assert.deepEqual(cycles(dir, ['server/src']), [
      'server/src/engine/analyze.ts → server/src/engine/project.ts',
      'server/src/lsp/audit.ts → server/src/report/index.ts → server/src/node/walk.ts',
    ]);
  });

  it('the real tree has no cycle but the known ones', () => {
    const unknown = cycles(REPO, LINTED).filter((cycle) => !KNOWN_CYCLES.includes(cycle));
    assert.deepEqual(unknown, []);
  });
});
