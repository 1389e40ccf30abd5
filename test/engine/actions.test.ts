/**
 * Action discovery (every export shape, inline actions, action clients), structure findings, and the cross-file
 * machinery: tsconfig paths, barrels, `export *`, import cycles, and invalidation through `fileChanged`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Project, type FileAnalysis } from '../../server/src/engine';
import { APP, DB, NEXT_AUTH, SAFE_ACTION, ZSA } from '../rules/fixtures';
import { abs, code, createProject, DEFAULT_TSCONFIG, memoryHost, ROOT, settingsFrom, type Files } from '../rules/tester';

function actionsOf(files: Files, file: string): { name: string; kind: string; line: number }[] {
  return createProject(files)
    .analyze(file)
    .actions.map((a) => ({ name: a.name, kind: a.kind, line: a.range.start.line + 1 }));
}

function findings(analysis: FileAnalysis, ruleId?: string): string[] {
  return analysis.findings.filter((f) => !ruleId || f.ruleId === ruleId).map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}`);
}

describe('action discovery', () => {
  it('finds every export shape of a use server file', () => {
    const actions = actionsOf(
      code`
        'use server';

        export async function declared() {}
        export const arrow = async () => {};
        export const expression = async function () {};
        async function local() {}
        async function other() {}
        export { local as renamed, other };
        export default async function () {}
        export const wrapped = withLogging(async (id: string) => id);
        declare function withLogging<T>(fn: T): T;
      `,
      'app/actions.ts',
    );
    assert.deepEqual(actions, [
      { name: 'declared', kind: 'file-directive', line: 3 },
      { name: 'arrow', kind: 'file-directive', line: 4 },
      { name: 'expression', kind: 'file-directive', line: 5 },
      { name: 'renamed', kind: 'file-directive', line: 8 },
      { name: 'other', kind: 'file-directive', line: 8 },
      { name: 'default', kind: 'file-directive', line: 9 },
      { name: 'wrapped', kind: 'file-directive', line: 10 },
    ]);
  });

  it('finds a default export of a local async function', () => {
    assert.deepEqual(
      actionsOf(
        code`
          'use server';
          const save = async (formData: FormData) => formData.get('title');
          export default save;
        `,
        'app/actions.ts',
      ),
      [{ name: 'default', kind: 'file-directive', line: 3 }],
    );
  });

  it('ignores types, interfaces and non-exported functions', () => {
    assert.deepEqual(
      actionsOf(
        code`
          'use server';
          export type State = { ok: boolean };
          export interface Draft { title: string }
          async function notExported() {}
        `,
        'app/actions.ts',
      ),
      [],
    );
  });

  it('finds inline actions: named functions, arrows, and functions passed to <form action> and formAction', () => {
    const actions = actionsOf(
      {
        ...DB,
        'app/notes/page.tsx': code`
          import { db } from '@/lib/db';

          export default function NotesPage() {
            async function createNote(formData: FormData) {
              'use server';
              await db.note.create({ data: { text: String(formData.get('text')) } });
            }
            const removeAll = async () => {
              'use server';
              await db.note.deleteMany({});
            };
            return (
              <div>
                <form action={createNote} />
                <form action={async (formData: FormData) => { 'use server'; await db.note.deleteMany({ where: { id: String(formData.get('id')) } }); }} />
                <button formAction={async () => { 'use server'; await removeAll(); }} />
              </div>
            );
          }
        `,
      },
      'app/notes/page.tsx',
    );
    assert.deepEqual(
      actions.map((a) => `${a.kind} ${a.name} @${a.line}`),
      ['inline-directive createNote @4', 'inline-directive removeAll @8', 'inline-directive inline action @15', 'inline-directive inline formAction @16'],
    );
  });

  it('finds action-client actions: next-safe-action schema/inputSchema/bindArgsSchemas and zsa', () => {
    const project = createProject({
      ...APP,
      ...SAFE_ACTION,
      ...ZSA,
      'app/actions.ts': code`
        'use server';
        import { z } from 'zod';
        import { createServerAction } from 'zsa';
        import { actionClient, authActionClient } from '@/lib/safe-action';
        import { authedProcedure } from '@/lib/zsa';

        export const a = actionClient.schema(z.object({ q: z.string() })).action(async ({ parsedInput }) => parsedInput.q);
        export const b = authActionClient.inputSchema(z.string()).action(async ({ parsedInput, ctx }) => [parsedInput, ctx.userId]);
        export const c = authActionClient
          .bindArgsSchemas([z.string()])
          .inputSchema(z.object({ title: z.string() }))
          .action(async ({ parsedInput, bindArgsParsedInputs: [postId] }) => [postId, parsedInput.title]);
        export const d = createServerAction().input(z.object({ n: z.number() })).handler(async ({ input }) => input.n * 2);
        export const e = authedProcedure.createServerAction().input(z.string()).handler(async ({ input }) => input.trim());
      `,
    });
    const analysis = project.analyze('app/actions.ts');
    assert.deepEqual(
      analysis.actions.map((x) => `${x.kind} ${x.name}`),
      ['action-client a', 'action-client b', 'action-client c', 'action-client d', 'action-client e'],
    );
    for (const action of analysis.actions) assert.equal(action.checks['validate-input'], 'pass', `${action.name}: ${action.reasons['validate-input']}`);
  });

  it('an action bound with .bind(null, id) in a page is one action; its bound parameter is client input', () => {
    const project = createProject({
      ...APP,
      'app/posts/actions.ts': code`
        'use server';
        import { revalidatePath } from 'next/cache';
        import { requireUser } from '@/lib/auth';
        import { db } from '@/lib/db';

        export async function deletePost(postId: string) {
          const user = await requireUser();
          await db.post.deleteMany({ where: { id: postId, authorId: user.id } });
          revalidatePath('/posts');
        }
      `,
      'app/posts/[id]/page.tsx': code`
        import { deletePost } from '../actions';

        export default async function PostPage({ params }: { params: Promise<{ id: string }> }) {
          const { id } = await params;
          return <form action={deletePost.bind(null, id)}><button>Delete</button></form>;
        }
      `,
    });
    assert.deepEqual(project.analyze('app/posts/[id]/page.tsx').actions, []);
    const [action] = project.analyze('app/posts/actions.ts').actions;
    assert.equal(action?.name, 'deletePost');
    assert.equal(action?.checks['validate-input'], 'fail');
  });

  it('a misplaced directive does not make the file server code', () => {
    const analysis = createProject({
      ...DB,
      'app/actions.ts': code`
        import { db } from '@/lib/db';
        'use server';

        export async function countPosts() {
          return db.post.count();
        }
        export const LIMIT = 10;
      `,
    }).analyze('app/actions.ts');
    assert.deepEqual(analysis.actions, []);
    assert.deepEqual(findings(analysis), ['2:1 misplaced-directive']);
  });

  it('non-async exports are reported, not treated as actions', () => {
    const analysis = createProject(code`
      'use server';
      export function slugify(title: string) { return title.toLowerCase(); }
      export const LIMIT = 10;
      export async function save() {}
    `).analyze('app/actions.ts');
    assert.deepEqual(
      analysis.actions.map((a) => a.name),
      ['save'],
    );
    assert.deepEqual(findings(analysis, 'non-async-export'), ['2:17 non-async-export', '3:14 non-async-export']);
  });

  it('every action gets all eight checklist entries', () => {
    const [action] = createProject(code`
      'use server';
      export async function ping() { return 'pong'; }
    `).analyze('app/actions.ts').actions;
    assert.deepEqual(Object.keys(action!.checks).sort(), [
      'abuse-protection',
      'narrow-contract',
      'require-auth',
      'revalidate-after-write',
      'safe-errors',
      'server-identity',
      'server-only',
      'validate-input',
    ]);
  });

  it('analyses a file with syntax errors as far as it parses', () => {
    const analysis = createProject({
      ...DB,
      'app/actions.ts': code`
        'use server';
        import { db } from '@/lib/db';

        export async function deletePost(id: string) {
          await db.post.delete({ where: { id } });
        }

        export async function broken( {
      `,
    }).analyze('app/actions.ts');
    assert.ok(analysis.actions.some((a) => a.name === 'deletePost'));
    assert.ok(findings(analysis, 'require-auth').length > 0);
  });
});

describe('cross-file facts', () => {
  const action = code`
    'use server';
    import { revalidatePath } from 'next/cache';
    import { requireUser } from 'SPECIFIER';
    import { db } from '@/lib/db';

    export async function clearDrafts() {
      const user = await requireUser();
      await db.post.deleteMany({ where: { authorId: user.id } });
      revalidatePath('/');
    }
  `;
  const authCheck = (files: Record<string, string>, specifier: string): string | undefined => {
    const project = createProject({ ...files, 'app/actions.ts': action.replace('SPECIFIER', specifier) });
    return project.analyze('app/actions.ts').actions[0]?.checks['require-auth'];
  };

  it('follows tsconfig paths, relative paths and other path aliases', () => {
    assert.equal(authCheck(APP, '@/lib/auth'), 'pass');
    assert.equal(authCheck(APP, '../lib/auth'), 'pass');
    assert.equal(
      authCheck({ ...APP, 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'], '~auth': ['./lib/auth.ts'] } } }) }, '~auth'),
      'pass',
    );
  });

  it('follows jsconfig.json paths', () => {
    // With a jsconfig.json and no tsconfig.json, the default tsconfig is not added.
    const files = { ...APP, 'jsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }) };
    assert.equal(authCheck(files, '@/lib/auth'), 'pass');
  });

  it('follows barrels: export *, export { x } from, renamed re-exports, nested barrels', () => {
    const barrels = {
      ...APP,
      'lib/index.ts': `export * from './auth';\nexport * from './db';\n`,
      'lib/session/index.ts': `export { requireUser as requireSession } from '../auth';\n`,
      'lib/server/index.ts': `export * from '../index';\n`,
    };
    assert.equal(authCheck(barrels, '@/lib'), 'pass');
    assert.equal(authCheck(barrels, '@/lib/server'), 'pass');
    const renamed = createProject({
      ...barrels,
      'app/actions.ts': action.replace("import { requireUser } from 'SPECIFIER';", "import { requireSession as requireUser } from '@/lib/session';"),
    });
    assert.equal(renamed.analyze('app/actions.ts').actions[0]?.checks['require-auth'], 'pass');
  });

  it('follows default exports, renamed local exports and namespace imports', () => {
    const guard = code`
      import { redirect } from 'next/navigation';
      import { auth } from '@/auth';
      const ensureAccount = async () => {
        const session = await auth();
        if (!session?.user?.id) redirect('/login');
        return session.user;
      };
      export default ensureAccount;
      export { ensureAccount as mustHaveAccount };
    `;
    const files = { ...DB, ...NEXT_AUTH, 'lib/guard.ts': guard };
    const check = (imports: string, call: string): string | undefined =>
      createProject({
        ...files,
        'app/actions.ts': action.replace("import { requireUser } from 'SPECIFIER';", imports).replace('await requireUser()', call),
      }).analyze('app/actions.ts').actions[0]?.checks['require-auth'];
    assert.equal(check("import requireUser from '@/lib/guard';", 'await requireUser()'), 'pass');
    assert.equal(check("import { mustHaveAccount } from '@/lib/guard';", 'await mustHaveAccount()'), 'pass');
    assert.equal(check("import * as guards from '@/lib/guard';", 'await guards.mustHaveAccount()'), 'pass');
  });

  it('a helper that does not exit is followed and judged, not trusted by name', () => {
    const files = {
      ...DB,
      ...NEXT_AUTH,
      'lib/auth.ts': code`
        import { auth } from '@/auth';
        export async function requireUser() {
          const session = await auth();
          return session?.user ?? { id: 'anonymous' };
        }
      `,
    };
    assert.equal(authCheck(files, '@/lib/auth'), 'fail');
  });

  it('import cycles and export * cycles terminate', { timeout: 10_000 }, () => {
    const files = {
      ...DB,
      ...NEXT_AUTH,
      'lib/a.ts': code`
        export * from './b';
        import { helperB } from './b';
        export async function helperA(): Promise<unknown> { return helperB(); }
      `,
      'lib/b.ts': code`
        export * from './a';
        import { helperA } from './a';
        export async function helperB(): Promise<unknown> { return helperA(); }
      `,
      'lib/auth.ts': code`
        import { redirect } from 'next/navigation';
        import { auth } from '@/auth';
        import { helperA } from './a';
        export * from './a';
        export async function requireUser() {
          await helperA();
          const session = await auth();
          if (!session?.user?.id) redirect('/login');
          return session.user;
        }
      `,
    };
    assert.equal(authCheck(files, '@/lib/auth'), 'pass');
    const project = createProject({ ...files, 'app/actions.ts': action.replace('SPECIFIER', '@/lib/a').replace('requireUser', 'missingName') });
    assert.ok(project.analyze('app/actions.ts').actions.length === 1);
  });

  it('lists the files a result depends on', () => {
    const project = createProject({ ...APP, 'app/actions.ts': action.replace('SPECIFIER', '@/lib/auth') });
    const analysis = project.analyze('app/actions.ts');
    assert.deepEqual(analysis.dependencies.map((d) => d.slice(ROOT.length + 1)).sort(), ['auth.ts', 'lib/auth.ts', 'lib/db.ts']);
  });

  it('dependentsOf and fileChanged: editing a helper on disk changes the verdict of the action that imports it', () => {
    const files = new Map<string, string>();
    const put = (relative: string, text: string): void => void files.set(abs(relative), text);
    for (const [relative, text] of Object.entries({ ...APP, 'tsconfig.json': DEFAULT_TSCONFIG, 'app/actions.ts': action.replace('SPECIFIER', '@/lib/auth') })) {
      put(relative, text);
    }
    const project = new Project({ root: ROOT, host: memoryHost(files) });
    const settings = settingsFrom(undefined);
    const check = (): string | undefined => project.analyzeFile(abs('app/actions.ts'), settings).actions[0]?.checks['require-auth'];
    assert.equal(check(), 'pass');
    assert.deepEqual(project.dependentsOf(abs('lib/auth.ts')), [abs('app/actions.ts')]);
    assert.deepEqual(project.dependentsOf(abs('auth.ts')).sort(), [abs('app/actions.ts'), abs('lib/auth.ts')].sort());

    // The helper stops redirecting: the action is no longer protected.
    put('lib/auth.ts', `import { auth } from '@/auth';\nexport async function requireUser() {\n  const session = await auth();\n  return session?.user;\n}\n`);
    assert.equal(check(), 'pass', 'without fileChanged the cached summary is used');
    project.fileChanged(abs('lib/auth.ts'));
    assert.equal(check(), 'fail');

    // An unsaved editor buffer wins over the disk until it is closed.
    project.setDocument(abs('lib/auth.ts'), APP['lib/auth.ts']);
    assert.equal(check(), 'pass');
    project.closeDocument(abs('lib/auth.ts'));
    assert.equal(check(), 'fail');
  });

  it('a changed tsconfig changes how paths resolve', () => {
    const files = new Map<string, string>();
    for (const [relative, text] of Object.entries({ ...APP, 'app/actions.ts': action.replace('SPECIFIER', '#auth') })) files.set(abs(relative), text);
    files.set(abs('tsconfig.json'), DEFAULT_TSCONFIG);
    const project = new Project({ root: ROOT, host: memoryHost(files) });
    const settings = settingsFrom(undefined);
    const finding = (): string[] => findings(project.analyzeFile(abs('app/actions.ts'), settings), 'require-auth');
    assert.deepEqual(finding(), ['7:22 require-auth'], 'unresolved #auth: the guard cannot be verified (info)');
    files.set(abs('tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'], '#auth': ['./lib/auth.ts'] } } }));
    project.fileChanged(abs('tsconfig.json'));
    assert.deepEqual(finding(), []);
  });

  it('a broken tsconfig is a problem, not a crash', () => {
    const analysis = createProject({ ...APP, 'tsconfig.json': '{ "compilerOptions": { "paths": ', 'app/actions.ts': action.replace('SPECIFIER', '../lib/auth') }).analyze('app/actions.ts');
    assert.ok(analysis.problems.some((p) => /tsconfig\.json/.test(p.message)), JSON.stringify(analysis.problems));
    assert.equal(analysis.actions[0]?.checks['require-auth'], 'pass');
  });
});
