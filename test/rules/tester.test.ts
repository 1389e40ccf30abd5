/** The rule tester itself: marker parsing and the comparison that every rule test relies on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DB } from './fixtures';
import { code, createProject, parseMarkers, runInvalid, runValid } from './tester';

describe('rule tester', () => {
  it('strips marker lines and maps them to the code line above', () => {
    const { text, expected } = parseMarkers(
      'app/actions.ts',
      [
        "const id = formData.get('userId');",
        '//         ^^^^^^^^^^^^^^^^^^^^^^ server-identity',
        '//         ^^^^^^^^^^^^^^^^^^^^^^ validate-input warning: FormData field',
        "'use server';",
        '^^^^^^^^^^^^ misplaced-directive',
        'await db.post.update({',
        '//    ^^^^^^^^^^^^^^^^ require-auth +2 error',
        '  data: {},',
        '});',
        '// ^^^ this is not a rule id, so the line stays',
      ].join('\n'),
    );
    assert.equal(text, ["const id = formData.get('userId');", "'use server';", 'await db.post.update({', '  data: {},', '});', '// ^^^ this is not a rule id, so the line stays'].join('\n'));
    assert.deepEqual(
      expected.map((e) => [e.ruleId, e.line, e.startColumn, e.endColumn, e.extraLines, e.severity, e.message]),
      [
        ['server-identity', 1, 12, 34, 0, undefined, undefined],
        ['validate-input', 1, 12, 34, 0, 'warning', 'FormData field'],
        ['misplaced-directive', 2, 1, 13, 0, undefined, undefined],
        ['require-auth', 3, 7, 23, 2, 'error', undefined],
      ],
    );
  });

  it('the code tag strips the common indentation and cooks escapes', () => {
    const text = code`
      const a = \`x\${1}\`;
        nested();
    `;
    assert.equal(text, 'const a = `x${1}`;\n  nested();\n');
  });

  const files = {
    ...DB,
    'app/actions.ts': code`
      'use server';
      import { db } from '@/lib/db';

      export async function purge() {
        await db.post.deleteMany({});
        //    ^^^^^^^^^^^^^^^^^^^^^^ require-auth
      }
    `,
  };

  it('accepts exactly the marked findings', () => {
    runInvalid('require-auth', { name: '', files });
  });

  it('fails on a missing marker, a wrong column and a finding of the rule in a valid case', () => {
    const shifted = { ...files, 'app/actions.ts': files['app/actions.ts'].replace('//    ^', '//     ^') };
    assert.throws(() => runInvalid('require-auth', { name: '', files: shifted }), /expected but not reported[\s\S]*reported but not expected/);
    const unmarked = { ...files, 'app/actions.ts': files['app/actions.ts'].replace(/\n\s*\/\/ +\^+ require-auth/, '') };
    assert.throws(() => runValid('require-auth', { name: '', files: unmarked }), /reported but not expected/);
    assert.throws(() => runInvalid('require-auth', { name: '', files: unmarked }), /needs at least one require-auth marker/);
  });

  it('the engine sees the code without the markers', () => {
    const project = createProject(files);
    assert.ok(!project.texts['app/actions.ts']!.includes('^^^'));
    assert.equal(project.analyze('app/actions.ts').findings.find((f) => f.ruleId === 'require-auth')?.range.start.line, 4);
  });
});
