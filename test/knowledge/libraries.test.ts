/**
 * Table-driven: every library descriptor carries examples of what it makes the engine recognise (a call on a line
 * marked `// <-`), and each one is checked against the facts the engine extracts from it. Adding a library adds its
 * examples here without touching this file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { Project, type FileSystemHost } from '../../server/src/engine';
import { LIBRARIES } from '../../server/src/engine/knowledge';
import type { ActionFacts } from '../../server/src/engine/facts/model';
import { DEFAULT_SETTINGS } from '../../shared/settings';

const ROOT = '/project';

function hostOf(files: Record<string, string>): FileSystemHost {
  return {
    readFile: (file) => files[file],
    fileExists: (file) => file in files,
    directoryExists: (dir) => Object.keys(files).some((file) => file.startsWith(`${dir}/`)),
  };
}

/** What the engine made of the call on the marked line, in the vocabulary of the examples. */
function seen(action: ActionFacts, line: number, sourceFile: ts.SourceFile): string[] {
  const on = (node: ts.Node): boolean => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1 === line;
  const out: string[] = [];
  for (const guard of action.authGuards) if (on(guard.node)) out.push(guard.kind === 'guard' ? 'auth-guard' : 'auth-getter');
  for (const session of action.uncheckedSessions) if (on(session.node)) out.push('auth-getter');
  for (const parse of action.schemaParses) if (on(parse.node)) out.push('validate');
  for (const limit of action.rateLimits) if (on(limit.node)) out.push('rate-limit');
  for (const marker of action.revalidates) if (on(marker.node)) out.push('revalidate', 'exit');
  for (const effect of action.sideEffects) if (on(effect.node)) out.push(effect.kind);
  return out;
}

describe('library descriptors', () => {
  it('every descriptor has an id of its own, packages and at least one example', () => {
    const ids = new Set<string>();
    for (const library of LIBRARIES) {
      assert.ok(!ids.has(library.id), `duplicate id ${library.id}`);
      ids.add(library.id);
      assert.ok(library.packages.length > 0, `${library.id} names no package`);
      assert.ok(library.examples.length > 0, `${library.id} has no example`);
    }
  });

  for (const library of LIBRARIES) {
    describe(library.name, () => {
      library.examples.forEach((example, index) => {
        it(`example ${index + 1}: ${example.expect}`, () => {
          const text = `'use server';\n${example.code}\n`;
          const line = text.split('\n').findIndex((l) => l.includes('// <-')) + 1;
          assert.ok(line > 0, 'the example marks its call with // <-');
          const file = `${ROOT}/app/actions.ts`;
          const project = new Project({ root: ROOT, host: hostOf({ [file]: text, [`${ROOT}/tsconfig.json`]: '{}' }) });
          const facts = project.factsOf(file, DEFAULT_SETTINGS)!;
          assert.equal(facts.actions.length, 1, 'the example declares one action');
          const found = seen(facts.actions[0]!, line, facts.sourceFile);
          if (example.expect === 'nothing') assert.deepEqual(found, [], 'the marked call does nothing the checklist cares about');
          else assert.ok(found.includes(example.expect), `expected ${example.expect} on line ${line}, saw ${found.join(', ') || 'nothing'}`);
        });
      });
    });
  }
});
