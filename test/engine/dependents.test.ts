import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Project, type FileSystemHost } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/settings';

function memoryHost(files: Map<string, string>): FileSystemHost {
  return {
    readFile: (p) => files.get(p),
    fileExists: (p) => files.has(p),
    directoryExists: (d) => [...files.keys()].some((f) => f.startsWith(`${d}/`)),
  };
}

const ROOT = '/app';
const ACTION = `${ROOT}/app/actions.ts`;
const HELPER = `${ROOT}/lib/auth.ts`;
const HELPER_TEXT = `import { redirect } from 'next/navigation';\nimport { auth } from '@/auth';\nexport async function requireUser() {\n  const session = await auth();\n  if (!session?.user?.id) redirect('/login');\n  return session.user;\n}\n`;

test('an importer of a helper that does not exist yet depends on the helper once it is written', () => {
  const files = new Map([
    [`${ROOT}/tsconfig.json`, JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } })],
    [`${ROOT}/auth.ts`, `export const { auth } = NextAuth({});\n`],
    [ACTION, `'use server';\nimport { requireUser } from '@/lib/auth';\nimport { db } from '@/lib/db';\nexport async function save() {\n  await requireUser();\n  await db.post.create({ data: {} });\n}\n`],
  ]);
  const project = new Project({ root: ROOT, host: memoryHost(files) });
  const before = project.analyzeFile(ACTION, DEFAULT_SETTINGS).findings.filter((f) => f.ruleId === 'require-auth');
  assert.deepEqual(before.map((f) => f.severity), ['info'], 'an unreadable guard is unverified, not an error');

  files.set(HELPER, HELPER_TEXT);
  project.fileChanged(HELPER);
  assert.deepEqual(project.dependentsOf(HELPER), [ACTION]);
  const after = project.analyzeFile(ACTION, DEFAULT_SETTINGS).findings.filter((f) => f.ruleId === 'require-auth');
  assert.deepEqual(after, [], 'the written helper is read and verified');
  assert.deepEqual(project.dependentsOf(HELPER), [ACTION], 'and is now an ordinary dependency');
});
