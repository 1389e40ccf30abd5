/**
 * Data-driven fact tests, in the spirit of rust-analyzer's: each folder under fixtures/ is a small project, and
 * `expected.facts` is the readable dump of the facts the engine extracts from its files (every file that can hold a
 * finding, in path order). A change in what the engine sees shows as a diff of that file. Regenerate with
 * UPDATE_FACTS=1 after checking the diff is what you meant.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Project, isAnalyzableFile } from '../../server/src/engine';
import { mayHoldFindings } from '../../server/src/engine/analyze';
import { dumpFacts } from '../../server/src/engine/facts/dump';
import { DEFAULT_SETTINGS } from '../../shared/settings';

const FIXTURES = path.join(__dirname, 'fixtures');

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesOf(full) : [full];
  });
}

describe('facts', () => {
  for (const name of fs.readdirSync(FIXTURES).sort()) {
    const root = path.join(FIXTURES, name);
    it(name, () => {
      const project = new Project({ root });
      const dumps = filesOf(root)
        .filter((file) => isAnalyzableFile(file) && mayHoldFindings(fs.readFileSync(file, 'utf8')))
        .sort()
        .map((file) => dumpFacts(project.factsOf(file, DEFAULT_SETTINGS)!));
      const actual = dumps.join('\n');
      const expectedFile = path.join(root, 'expected.facts');
      if (process.env.UPDATE_FACTS === '1') fs.writeFileSync(expectedFile, actual);
      assert.ok(fs.existsSync(expectedFile), `${expectedFile} is missing; run with UPDATE_FACTS=1 to write it`);
      assert.equal(actual, fs.readFileSync(expectedFile, 'utf8'), `facts of ${name} differ from expected.facts (UPDATE_FACTS=1 to accept)`);
    });
  }
});
