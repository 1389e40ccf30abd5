import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Project, type FileAnalysis } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/settings';

const APP = path.resolve(__dirname, '..', 'fixtures', 'example-app');
const FILE = path.join(APP, 'app', '(dashboard)', 'settings', 'actions.ts');

/** Deterministic pseudo-random numbers, so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function comparable(analysis: FileAnalysis) {
  return {
    actions: analysis.actions.map(({ name, kind, start, end, checks }) => ({ name, kind, start, end, checks })),
    findings: analysis.findings.map(({ ruleId, start, end, message, severity, fixes }) => ({ ruleId, start, end, message, severity, fixes })),
  };
}

test('an edited buffer re-parsed incrementally analyses exactly like a fresh parse of the same text', () => {
  const original = fs.readFileSync(FILE, 'utf8');
  const editor = new Project({ root: APP });
  const next = random(7);
  let text = original;
  editor.setDocument(FILE, text);
  editor.analyzeFile(FILE, DEFAULT_SETTINGS);
  const snippets = ["formData.get('ownerId')", ' ', '\n', '{', '}', "'use server';", 'await db.post.delete({ where: { id } });', ')'];
  for (let edit = 0; edit < 300; edit++) {
    const at = Math.floor(next() * text.length);
    if (next() < 0.5) {
      text = text.slice(0, at) + snippets[Math.floor(next() * snippets.length)] + text.slice(at);
    } else {
      text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 12)));
    }
    // Every tenth edit returns to the original text, where findings are known to exist.
    if (edit % 10 === 9) text = original;
    editor.setDocument(FILE, text);
    const incremental = editor.analyzeFile(FILE, DEFAULT_SETTINGS);
    const fresh = new Project({ root: APP });
    fresh.setDocument(FILE, text);
    assert.deepEqual(comparable(incremental), comparable(fresh.analyzeFile(FILE, DEFAULT_SETTINGS)), `after edit ${edit}`);
  }
  editor.setDocument(FILE, original);
  assert.ok(editor.analyzeFile(FILE, DEFAULT_SETTINGS).findings.length > 0, 'the original text has findings');
});
