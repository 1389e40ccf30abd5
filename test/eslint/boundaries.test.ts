/**
 * `npm run lint` keeps the ESLint plugin a sibling of the CLI and the language server: planted imports across the
 * boundary, in either direction, fail the architecture rule (eslint.config.mjs), checked with ESLint's API on code at
 * paths inside the repository (nothing is written).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '../..');

describe('npm run lint: the ESLint plugin boundaries', () => {
  const eslint = new ESLint({ cwd: REPO });
  const boundaryErrors = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
    return result!.messages.filter((m) => m.ruleId === 'architecture/import-boundaries').map((m) => m.message);
  };

  const cases: { file: string; code: string; names: RegExp }[] = [
    { file: 'server/src/eslint/planted.ts', code: "import { main } from '../cli/main';\n", names: /eslint\/ imports nothing from lsp\/, cli\// },
    { file: 'server/src/eslint/planted.ts', code: "import { startServer } from '../lsp/server';\n", names: /eslint\/ imports nothing from lsp\/, cli\// },
    { file: 'server/src/eslint/planted.ts', code: "import type { Range } from 'vscode-languageserver';\n", names: /a vscode\* package/ },
    { file: 'server/src/eslint/planted.ts', code: "import { analyzeSourceFile } from '../engine/analyze';\n", names: /its one entry is server\/src\/engine\/index\.ts/ },
    { file: 'server/src/cli/planted.ts', code: "import plugin from '../eslint';\n", names: /cli\/ imports nothing from lsp\/, eslint\// },
    { file: 'server/src/lsp/planted.ts', code: "import plugin from '../eslint';\n", names: /lsp\/ imports nothing from cli\/, eslint\// },
    { file: 'server/src/report/planted.ts', code: "import plugin from '../eslint';\n", names: /report\/ serves both adapters/ },
    { file: 'server/src/engine/planted.ts', code: "import plugin from '../eslint';\n", names: /the engine imports no adapter/ },
  ];
  for (const { file, code, names } of cases) {
    it(`${file}: ${code.trim()}`, async () => {
      const errors = await boundaryErrors(file, code);
      assert.ok(errors.some((message) => names.test(message)), errors.join('\n') || 'no boundary error');
    });
  }

  it('the plugin as it is crosses no boundary', async () => {
    const results = await eslint.lintFiles(['server/src/eslint']);
    assert.ok(results.length >= 3);
    assert.deepEqual(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`)), []);
  });
});
