/** The plugin object ESLint loads: every engine rule under its id, with its meta, and the recommended config. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Linter } from 'eslint';
import packageJson from '../../package.json';
import { RULES, docsPath } from '../../server/src/engine';
import plugin from '../../server/src/eslint';

const REPO = path.resolve(__dirname, '..', '..');

describe('server-action-guard/eslint', () => {
  it('names itself and exposes every engine rule under its id', () => {
    assert.deepEqual(plugin.meta, { name: 'server-action-guard', version: packageJson.version });
    assert.deepEqual(Object.keys(plugin.rules), RULES.map((rule) => rule.meta.id));
  });

  for (const rule of RULES) {
    const { id } = rule.meta;
    it(`${id}: meta carries the engine's description, messages and docs page`, () => {
      const meta = plugin.rules[id]!.meta!;
      assert.equal(meta.type, 'problem');
      assert.equal(meta.docs!.description, rule.meta.description);
      assert.deepEqual(meta.messages, rule.meta.messages);
      assert.equal(meta.fixable, 'code');
      assert.equal(meta.hasSuggestions, true);
      const url = meta.docs!.url!;
      assert.ok(url.startsWith('file://'), url);
      assert.equal(path.relative(REPO, fileURLToPath(url)).split(path.sep).join('/'), docsPath(id));
      assert.ok(fs.existsSync(fileURLToPath(url)));
    });
  }

  it('recommends every rule at its default severity', () => {
    const recommended = plugin.configs.recommended;
    assert.equal(recommended.plugins!['server-action-guard'], plugin);
    assert.deepEqual(
      recommended.rules,
      Object.fromEntries(RULES.map((rule) => [`server-action-guard/${rule.meta.id}`, rule.meta.defaultSeverity === 'error' ? 'error' : 'warn'])),
    );
  });

  it('validates rule options against the settings they override', () => {
    const linter = new Linter();
    const lint = (options: unknown) =>
      linter.verify('export {};\n', [{ ...plugin.configs.recommended, rules: { 'server-action-guard/require-auth': ['error', options] } }], 'app.js');
    assert.doesNotThrow(() => lint({ authFunctions: ['requireAdmin'], publicActions: ['app/(marketing)/**'] }));
    assert.throws(() => lint({ authFunctions: 'requireAdmin' }), /"requireAdmin" should be array/);
    assert.throws(() => lint({ rules: { 'require-auth': 'off' } }), /additional properties/i);
  });
});
