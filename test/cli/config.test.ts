import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFIG_FILE_NAME, loadConfig } from '../../server/src/node/config';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { makeTempDir, removeTempDirs, writeTree } from './helpers';

describe('loadConfig', () => {
  after(removeTempDirs);

  it('uses the defaults when the project has no configuration', () => {
    const root = makeTempDir('config-none');
    writeTree(root, { 'package.json': '{"name":"app"}' });
    const config = loadConfig(root);
    assert.deepEqual(config, { settings: DEFAULT_SETTINGS, errors: [] });
  });

  it('reads server-action-guard.config.json, extending the built-in name lists', () => {
    const root = makeTempDir('config-file');
    writeTree(root, {
      [CONFIG_FILE_NAME]: JSON.stringify({
        $schema: './node_modules/server-action-guard/schema.json',
        rules: { 'abuse-protection': 'off', 'safe-errors': 'error' },
        authFunctions: ['requireUser'],
        exclude: ['legacy/**'],
        maxFileSizeKb: 64,
      }),
      'package.json': JSON.stringify({ serverActionGuard: { authFunctions: ['ignoredBecauseTheFileWins'] } }),
    });
    const config = loadConfig(root);
    assert.equal(config.source, path.join(root, CONFIG_FILE_NAME));
    assert.deepEqual(config.errors, []);
    assert.equal(config.fatal, undefined);
    assert.deepEqual(config.settings.rules, { 'abuse-protection': 'off', 'safe-errors': 'error' });
    assert.deepEqual(config.settings.authFunctions, ['requireUser']);
    assert.deepEqual(config.settings.exclude, ['legacy/**']);
    assert.equal(config.settings.maxFileSizeKb, 64);
    assert.ok(config.settings.identityFields.includes('ownerId'), 'defaults are kept');
  });

  it('reads the "serverActionGuard" key of package.json', () => {
    const root = makeTempDir('config-package');
    writeTree(root, {
      'package.json': JSON.stringify({ name: 'app', serverActionGuard: { rateLimitFunctions: ['checkRateLimit'] } }),
    });
    const config = loadConfig(root);
    assert.equal(config.source, path.join(root, 'package.json'));
    assert.deepEqual(config.errors, []);
    assert.deepEqual(config.settings.rateLimitFunctions, ['checkRateLimit']);
  });

  it('names the file and the key of every value with a wrong type, and keeps the defaults for them', () => {
    const root = makeTempDir('config-types');
    writeTree(root, {
      [CONFIG_FILE_NAME]: JSON.stringify({
        enable: 'yes',
        authFunctions: 'requireUser',
        rules: { 'require-auth': 'loud', 'no-such-rule': 'error' },
        maxFileSizeKb: -1,
        colour: true,
      }),
    });
    const file = path.join(root, CONFIG_FILE_NAME);
    const config = loadConfig(root);
    assert.equal(config.fatal, undefined);
    const expected = [
      /"enable" must be a boolean/,
      /"authFunctions" must be an array of strings/,
      /"rules\.require-auth" must be one of error, warning, info, off/,
      /"rules\.no-such-rule": unknown rule id/,
      /"maxFileSizeKb" must be a positive number/,
      /unknown setting "colour"/,
    ];
    assert.equal(config.errors.length, expected.length, config.errors.join('\n'));
    config.errors.forEach((error, i) => {
      assert.ok(error.startsWith(`${file}: `), error);
      assert.match(error, expected[i]!);
    });
    assert.deepEqual(config.settings, DEFAULT_SETTINGS);
  });

  it('reports wrong types under the package.json key with the key in the message', () => {
    const root = makeTempDir('config-package-types');
    writeTree(root, { 'package.json': JSON.stringify({ serverActionGuard: ['not', 'an', 'object'] }) });
    const config = loadConfig(root);
    assert.deepEqual(config.errors, [
      `${path.join(root, 'package.json')} "serverActionGuard": settings must be an object, got an array`,
    ]);
  });

  it('reports an implicit config file that is not JSON as an error, not as fatal', () => {
    const root = makeTempDir('config-invalid');
    writeTree(root, { [CONFIG_FILE_NAME]: '{ "enable": true, // comments are not JSON\n}' });
    const config = loadConfig(root);
    assert.equal(config.fatal, undefined);
    assert.equal(config.errors.length, 1);
    assert.match(
      config.errors[0]!,
      new RegExp(`^${escapeRegExp(path.join(root, CONFIG_FILE_NAME))}: invalid JSON \\(`),
    );
    assert.deepEqual(config.settings, DEFAULT_SETTINGS);
  });

  it('treats an explicit config that is missing or not JSON as fatal', () => {
    const root = makeTempDir('config-explicit');
    writeTree(root, { 'broken.json': '{"enable": tru', 'good.json': '\uFEFF{"identityFields": ["customerId"]}' });
    const missing = loadConfig(root, path.join(root, 'nope.json'));
    assert.equal(missing.fatal, `${path.join(root, 'nope.json')}: config file not found`);
    const broken = loadConfig(root, path.join(root, 'broken.json'));
    assert.match(broken.fatal ?? '', /broken\.json: invalid JSON \(/);
    const good = loadConfig(root, path.join(root, 'good.json'));
    assert.equal(good.fatal, undefined);
    assert.ok(good.settings.identityFields.includes('customerId'), 'a BOM before the JSON is accepted');
    assert.equal(good.source, path.join(root, 'good.json'));
  });

  it('ignores a package.json that does not parse (it holds no settings of ours)', () => {
    const root = makeTempDir('config-bad-package');
    writeTree(root, { 'package.json': '{ broken' });
    assert.deepEqual(loadConfig(root), { settings: DEFAULT_SETTINGS, errors: [] });
  });

  it('never executes configuration code from the workspace', () => {
    const root = makeTempDir('config-code');
    const marker = path.join(root, 'executed');
    const payload = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { enable: false };`;
    writeTree(root, {
      'server-action-guard.config.js': payload,
      'server-action-guard.config.mjs': payload,
      'server-action-guard.config.ts': payload,
      'package.json': JSON.stringify({ serverActionGuard: './server-action-guard.config.js' }),
    });
    const config = loadConfig(root);
    assert.equal(fs.existsSync(marker), false);
    assert.equal(config.settings.enable, true);
    assert.deepEqual(config.errors, [
      `${path.join(root, 'package.json')} "serverActionGuard": settings must be an object, got the string "./server-action-guard.config.js"`,
    ]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
