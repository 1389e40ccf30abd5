/**
 * Meta-tests: every rule is registered, named after its file, documented (in its meta and in docs/rules), tested
 * with valid and invalid cases, and every fix it offers has a before/after test.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { docsPath, RULES } from '../../server/src/engine';
import type { Rule } from '../../server/src/engine/rules/rule';
import { RULE_IDS, type RuleId } from '../../shared/settings';
import { renderAll, RULE_SETTINGS } from '../../scripts/gen-docs';
import { collectCasesOnly, createProject, registry, type RuleTests } from './tester';

const REPO = path.resolve(__dirname, '../..');
const RULES_DIR = path.join(REPO, 'server/src/engine/rules');
const HEADINGS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead'];

/** Fix titles name the field, module, route or function they act on; compare their shape. */
function titleShape(title: string): string {
  return title
    .replace(/'[^']*'/g, "'…'")
    .replace(/^Replace client \S+ with/, 'Replace client … with')
    .replace(/^Make \S+ async/, 'Make … async')
    .replace(/\(\s*'…'(,\s*'…')?\s*\)/, '(…)');
}

describe('rule registry', () => {
  it('registers exactly the rule ids of shared/settings.ts, in checklist order', () => {
    assert.deepEqual(
      RULES.map((r) => r.meta.id),
      [...RULE_IDS],
    );
  });

  it('one rule per file, named after its id, and every rule file registered', async () => {
    const files = fs
      .readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'rule.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    assert.deepEqual(files, [...RULE_IDS].sort());
    for (const id of files) {
      const module = (await import(path.join(RULES_DIR, `${id}.ts`))) as Record<string, unknown>;
      const exported = Object.values(module).filter((value): value is Rule => typeof value === 'object' && value !== null && 'meta' in value);
      assert.equal(exported.length, 1, `${id}.ts exports one rule`);
      assert.equal(exported[0]!.meta.id, id, `${id}.ts exports the rule ${exported[0]!.meta.id}`);
      assert.ok(RULES.includes(exported[0]!), `${id} is registered in rules/index.ts`);
    }
  });
});

describe('rule meta', () => {
  for (const rule of RULES) {
    const { meta } = rule;
    it(`${meta.id}: description, docs block, messages`, () => {
      assert.ok(meta.description.trim().length > 10 && !meta.description.includes('\n'), 'a one-line description');
      let at = -1;
      for (const heading of HEADINGS) {
        const index = meta.docs.indexOf(`${heading}\n`);
        assert.ok(index > at, `docs has "${heading}" after the previous heading`);
        at = index;
      }
      assert.ok(/```ts\n[\s\S]+?```/.test(meta.docs.slice(meta.docs.indexOf('## Example'))), 'the example is a ts code block');
      const messages = Object.entries(meta.messages);
      assert.ok(messages.length > 0, 'has messages');
      for (const [id, message] of messages) {
        assert.ok(message.trim().length > 20, `message ${id} is not empty`);
        assert.ok(/[.!?]$/.test(message.trim()), `message ${id} is a sentence that says what to do`);
      }
      assert.ok(['error', 'warning', 'info'].includes(meta.defaultSeverity));
      assert.ok(fs.existsSync(path.join(__dirname, '..', '..', docsPath(meta.id))), `${docsPath(meta.id)} exists`);
      assert.ok(Array.isArray(RULE_SETTINGS[meta.id]), 'gen-docs knows which settings affect the rule');
    });
  }
});

describe('rule docs pages', () => {
  it('docs/rules/<id>.md, docs/rules/README.md, docs/LIBRARIES.md and the README list are what scripts/gen-docs.ts renders', () => {
    const pages = renderAll();
    // A page per rule, the index, the libraries page and the README's libraries list.
    assert.equal(pages.size, RULES.length + 3);
    for (const [file, text] of pages) {
      const relative = path.relative(REPO, file);
      assert.ok(fs.existsSync(file), `${relative} is missing: run node --import tsx scripts/gen-docs.ts`);
      assert.equal(fs.readFileSync(file, 'utf8'), text, `${relative} is out of date: run node --import tsx scripts/gen-docs.ts`);
    }
  });

  it('every rule page is linked from the index', () => {
    const index = fs.readFileSync(path.join(REPO, 'docs/rules/README.md'), 'utf8');
    for (const rule of RULES) assert.ok(index.includes(`](${rule.meta.id}.md)`), `${rule.meta.id} is in the index`);
  });
});

describe('rule tests', () => {
  before(async () => {
    collectCasesOnly();
    for (const id of RULE_IDS) {
      const file = path.join(__dirname, `${id}.test.ts`);
      if (fs.existsSync(file)) await import(file);
    }
  });

  for (const rule of RULES) {
    const id: RuleId = rule.meta.id;
    it(`${id}: has a test file with valid and invalid cases`, () => {
      assert.ok(fs.existsSync(path.join(__dirname, `${id}.test.ts`)), `test/rules/${id}.test.ts exists`);
      const tests: RuleTests | undefined = registry.get(id);
      assert.ok(tests, `test/rules/${id}.test.ts calls ruleTester('${id}', …)`);
      assert.ok((tests.valid?.length ?? 0) >= 3, 'at least three valid cases');
      assert.ok((tests.invalid?.length ?? 0) >= 3, 'at least three invalid cases');
    });

    it(`${id}: fixable matches the fixes it offers, and every fix it offers has a before/after test`, () => {
      const tests = registry.get(id)!;
      const offered = new Set<string>();
      for (const c of [...(tests.invalid ?? []), ...(tests.fixes ?? [])]) {
        for (const analysis of createProject(c.files, c.settings).analyzeAll()) {
          for (const finding of analysis.findings) {
            for (const fix of finding.fixes) if ((fix.ruleId ?? finding.ruleId) === id) offered.add(fix.title);
          }
        }
      }
      if (!rule.meta.fixable) {
        assert.deepEqual([...offered], [], `${id} is not marked fixable but offers fixes`);
        assert.equal(tests.fixes?.length ?? 0, 0);
        return;
      }
      assert.ok((tests.fixes?.length ?? 0) > 0, `${id} is fixable: it needs at least one fix test`);
      assert.ok(offered.size > 0, `${id} is marked fixable but none of its cases offers a fix`);
      const tested = (tests.fixes ?? []).map((c) => c.fix);
      for (const title of offered) {
        const covered = tested.some((wanted) =>
          typeof wanted === 'string' ? titleShape(title).startsWith(titleShape(wanted)) || title.startsWith(wanted) : wanted.test(title),
        );
        assert.ok(covered, `no fix test for "${title}" (shape "${titleShape(title)}")`);
      }
    });
  }
});
