/**
 * Golden JSON and SARIF output of the CLI on the example apps. The root (a temporary or checkout-specific path),
 * the duration and the tool version are normalised; everything else must match byte for byte after parsing.
 * `UPDATE_GOLDEN=1 node --import tsx --test test/cli/golden.test.ts` rewrites the files in test/cli/golden/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TINY_APP } from './fixtures/tiny-app';
import {
  GOLDEN_DIR,
  REPO,
  UPDATE_GOLDEN,
  describeRun,
  ensureBuilt,
  makeTempDir,
  removeTempDirs,
  runCli,
  validateSarif,
  writeTree,
} from './helpers';

const EXAMPLE_APP = path.join(REPO, 'test', 'fixtures', 'example-app');

function normalise(stdout: string, root: string): unknown {
  const rootUrl = pathToFileURL(root).href;
  const value = JSON.parse(stdout.split(rootUrl).join('file:///<root>')) as Record<string, any>;
  if ('summary' in value) {
    value.root = value.root === root ? '<root>' : value.root;
    value.summary.durationMs = 0;
    value.tool.version = '<version>';
  } else {
    for (const run of value.runs) {
      run.tool.driver.version = '<version>';
      run.tool.driver.semanticVersion = '<version>';
      // The rule docs are tested with the rules; here only their presence matters.
      for (const rule of run.tool.driver.rules) if (rule.help) rule.help = '<docs>';
    }
  }
  return value;
}

function compareWithGolden(name: string, actual: unknown): void {
  const file = path.join(GOLDEN_DIR, name);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (UPDATE_GOLDEN) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  assert.ok(fs.existsSync(file), `${path.relative(REPO, file)} is missing: run with UPDATE_GOLDEN=1 to create it`);
  assert.deepEqual(
    actual,
    JSON.parse(fs.readFileSync(file, 'utf8')),
    `output differs from ${path.relative(REPO, file)}; if the change is intended, run with UPDATE_GOLDEN=1`,
  );
}

async function checkGolden(name: string, root: string, args: string[], cwd: string): Promise<void> {
  const [json, sarif] = await Promise.all([
    runCli(['audit', ...args, '--format', 'json', '--fail-on', 'never'], { cwd, timeoutMs: 120_000 }),
    runCli(['audit', ...args, '--format', 'sarif', '--fail-on', 'never'], { cwd, timeoutMs: 120_000 }),
  ]);
  assert.equal(json.code, 0, describeRun(json));
  assert.equal(sarif.code, 0, describeRun(sarif));
  const log = JSON.parse(sarif.stdout);
  const check = validateSarif(log);
  assert.ok(check.valid, check.errors);
  compareWithGolden(`${name}.json`, normalise(json.stdout, root));
  compareWithGolden(`${name}.sarif`, normalise(sarif.stdout, root));
}

describe('golden output', () => {
  before(ensureBuilt);
  after(removeTempDirs);

  it('matches for the tiny app', async () => {
    const app = makeTempDir('golden-tiny');
    writeTree(app, TINY_APP);
    await checkGolden('tiny-app', app, [], app);
  });

  it(
    'matches for test/fixtures/example-app',
    { skip: !fs.existsSync(EXAMPLE_APP) && 'no example app yet' },
    async () => {
      const report = await runCli(['audit', EXAMPLE_APP, '--format', 'json', '--fail-on', 'never'], { cwd: REPO });
      const root = (JSON.parse(report.stdout) as { root: string }).root;
      await checkGolden('example-app', root, [EXAMPLE_APP], REPO);
    },
  );
});
