/**
 * The plugin as an editor integration runs it: one ESLint instance kept for the session, linting unsaved buffers
 * (`lintText`) again and again. Its projects are kept between lints; what changes must be analysed again, and so
 * must the files whose findings depend on it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../server/src/eslint';
import { makeTempDir, removeTempDirs, writeTree } from '../cli/helpers';
import { NEXT_APP } from './fixture';

/** Writes a file with a modification time that differs from the one before, however fast the test runs. */
let clock = Date.now() + 10_000;
function writeLater(file: string, text: string): void {
  fs.writeFileSync(file, text);
  const time = new Date((clock += 2_000));
  fs.utimesSync(file, time, time);
}

describe('the plugin in a long-lived ESLint (an editor)', () => {
  let app: string;
  let eslint: ESLint;

  const lint = async (file: string, text?: string): Promise<{ ruleId: string; line: number; message: string }[]> => {
    const filePath = path.join(app, file);
    const [result] = await eslint.lintText(text ?? fs.readFileSync(filePath, 'utf8'), { filePath });
    return result!.messages.map((m) => ({ ruleId: m.ruleId!, line: m.line, message: m.message }));
  };
  const rules = (messages: { ruleId: string }[]): string[] => messages.map((m) => m.ruleId).sort();

  before(() => {
    app = makeTempDir('eslint-editor');
    // requireStaff counts as a guard for what its body does (it redirects without a session), not for its name.
    writeTree(app, { ...NEXT_APP, 'server-action-guard.config.json': JSON.stringify({ rules: { 'abuse-protection': 'off' } }) });
    eslint = new ESLint({
      cwd: app,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended],
    });
  });
  after(removeTempDirs);

  it("follows a module's unsaved text: adding import 'server-only' clears the finding its importers put there", async () => {
    const before = await lint('lib/db.ts');
    assert.deepEqual(rules(before), ['server-action-guard/server-only']);
    assert.match(before[0]!.message, /files import it/);
    const marked = `import 'server-only';\n${fs.readFileSync(path.join(app, 'lib/db.ts'), 'utf8')}`;
    assert.deepEqual(await lint('lib/db.ts', marked), []);
    assert.deepEqual(await lint('lib/db.ts'), before, 'back to the text on disk, back to the finding');
  });

  it("follows an action file's unsaved text, and a helper changed on disk", async () => {
    const file = 'app/admin/actions.ts';
    const original = fs.readFileSync(path.join(app, file), 'utf8');
    const unguarded = (messages: { ruleId: string; line: number }[]) => messages.filter((m) => m.ruleId === 'server-action-guard/require-auth');
    assert.equal(unguarded(await lint(file)).length, 1, 'deleteComment has no auth check');
    const guarded = original.replace('export async function deleteComment(id: string) {\n', 'export async function deleteComment(id: string) {\n  await requireStaff();\n');
    assert.notEqual(guarded, original);
    assert.deepEqual(unguarded(await lint(file, guarded)), []);

    // The helper stops redirecting, on disk: the actions relying on it are unguarded.
    const helper = path.join(app, 'lib/staff.ts');
    const helperText = fs.readFileSync(helper, 'utf8');
    writeLater(helper, helperText.replace("  if (!session?.user?.staff) redirect('/login');\n", ''));
    assert.ok(unguarded(await lint(file, guarded)).length >= 2, 'banUser and deleteComment are unguarded now');
    writeLater(helper, helperText);
    assert.deepEqual(unguarded(await lint(file, guarded)), []);
  });

  it('reads the config file again when it changes', async () => {
    const file = 'app/admin/actions.ts';
    assert.ok((await lint(file)).some((m) => m.ruleId === 'server-action-guard/require-auth'));
    writeLater(path.join(app, 'server-action-guard.config.json'), JSON.stringify({ rules: { 'abuse-protection': 'off', 'require-auth': 'off' } }));
    assert.ok(!(await lint(file)).some((m) => m.ruleId === 'server-action-guard/require-auth'));
  });
});
