/**
 * Every endpoint, every effect: one small project per case, in the shape other Server Action checkers test them.
 * An exported action is a public endpoint however it is exported (re-exports, wrappers exported by specifier);
 * writes to server state and returned secrets are effects; test files are not endpoints; a `'use server'` function
 * in a client module is a build error; a strict policy makes every action check the session.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP, DB, NEXT_AUTH } from './fixtures';
import { code, createProject, runInvalid, runValid, type InvalidCase, type ValidCase } from './tester';

const IMPL = {
  ...DB,
  'app/users/impl.ts': code`
    import { db } from '@/lib/db';

    export async function deleteUser(id: string) {
      await db.user.delete({ where: { id } });
    }

    export default async function purgeUsers() {
      await db.user.deleteMany();
    }
  `,
};

function invalid(ruleId: Parameters<typeof runInvalid>[0], cases: InvalidCase[]): void {
  describe(`${ruleId} (invalid)`, () => {
    for (const c of cases) it(c.name, { todo: c.todo }, () => runInvalid(ruleId, c));
  });
}

function valid(ruleId: Parameters<typeof runValid>[0], cases: ValidCase[]): void {
  describe(`${ruleId} (valid)`, () => {
    for (const c of cases) it(c.name, { todo: c.todo }, () => runValid(ruleId, c));
  });
}

describe('re-exports are endpoints', () => {
  invalid('require-auth', [
    {
      name: "export { deleteUser } from './impl': reported once, at the export",
      files: {
        ...IMPL,
        'app/users/actions.ts': code`
          'use server';
          export { deleteUser } from './impl';
          //       ^^^^^^^^^^ require-auth error: db.user.delete() runs without an auth check
          //       ^^^^^^^^^^ server-identity
          //       ^^^^^^^^^^ validate-input
          //       ^^^^^^^^^^ revalidate-after-write
        `,
      },
      checks: { deleteUser: { 'require-auth': 'fail', 'validate-input': 'fail' } },
    },
    {
      name: "export { default } from './impl'",
      files: {
        ...IMPL,
        'app/users/actions.ts': code`
          'use server';
          export { default } from './impl';
          //       ^^^^^^^ require-auth error: db.user.deleteMany() runs without an auth check
          //       ^^^^^^^ revalidate-after-write
        `,
      },
      checks: { default: { 'require-auth': 'fail' } },
    },
    {
      name: 'a renamed re-export is the endpoint under its exported name',
      files: {
        ...IMPL,
        'app/users/actions.ts': code`
          'use server';
          export { deleteUser as removeUser } from './impl';
          //       ^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
          //       ^^^^^^^^^^^^^^^^^^^^^^^^ server-identity
          //       ^^^^^^^^^^^^^^^^^^^^^^^^ validate-input
          //       ^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
        `,
      },
      checks: { removeUser: { 'require-auth': 'fail' } },
    },
    {
      name: "import { deleteUser } from './impl'; export { deleteUser }",
      files: {
        ...IMPL,
        'app/users/actions.ts': code`
          'use server';
          import { deleteUser } from './impl';
          export { deleteUser };
          //       ^^^^^^^^^^ require-auth
          //       ^^^^^^^^^^ server-identity
          //       ^^^^^^^^^^ validate-input
          //       ^^^^^^^^^^ revalidate-after-write
        `,
      },
    },
    {
      name: "export * from './impl': every export is an endpoint, reported at the export",
      files: {
        ...IMPL,
        'app/users/actions.ts': code`
          'use server';
          export * from './impl';
          ^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: db.user.delete() runs without an auth check
          ^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: db.user.deleteMany() runs without an auth check
          ^^^^^^^^^^^^^^^^^^^^^^^ server-identity
          ^^^^^^^^^^^^^^^^^^^^^^^ validate-input
          ^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
          ^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
        `,
      },
      checks: { deleteUser: { 'require-auth': 'fail' }, default: { 'require-auth': 'fail' } },
    },
    {
      name: 'wrapped and exported by specifier: const deleteUser = withLogging(_deleteUser); export { deleteUser }',
      files: {
        ...DB,
        'lib/logging.ts': code`
          export function withLogging<T extends (...args: never[]) => Promise<unknown>>(fn: T): T {
            return fn;
          }
        `,
        'app/users/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';
          import { withLogging } from '@/lib/logging';

          async function _deleteUser(id: string) {
            await db.user.delete({ where: { id } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error
            //    ^^^^^^^^^^^^^^ server-identity
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
            //                              ^^ validate-input
          }

          const deleteUser = withLogging(_deleteUser);
          export { deleteUser };
        `,
      },
      checks: { deleteUser: { 'require-auth': 'fail' } },
    },
  ]);

  valid('require-auth', [
    {
      name: 'a re-exported action that checks the session passes, under the exported name',
      files: {
        ...APP,
        'app/users/impl.ts': code`
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const user = await requireUser();
            await db.post.deleteMany({ where: { authorId: user.id, published: false } });
            revalidatePath('/posts');
          }
        `,
        'app/users/actions.ts': code`
          'use server';
          export { clearDrafts as clear } from './impl';
        `,
      },
      checks: { clear: { 'require-auth': 'pass', 'revalidate-after-write': 'pass' } },
    },
    {
      name: "a re-export of another 'use server' file is reported there, not twice",
      files: {
        ...DB,
        'app/users/impl.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function purgeUsers() {
            await db.user.deleteMany();
            //    ^^^^^^^^^^^^^^^^^^^^ require-auth
            //    ^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
          }
        `,
        'app/users/actions.ts': code`
          'use server';
          export { purgeUsers } from './impl';
        `,
      },
    },
    {
      name: 'a suppression comment at the export applies to what the definition reports',
      files: {
        ...IMPL,
        'app/users/actions.ts': code`
          'use server';
          // server-action-guard-disable-next-line require-auth -- the route is behind the admin proxy
          export { default } from './impl';
          //       ^^^^^^^ revalidate-after-write
        `,
      },
    },
  ]);

  it('the definition is related information, and the fix edits the definition', () => {
    const project = createProject({
      ...IMPL,
      'app/users/actions.ts': "'use server';\nexport { deleteUser } from './impl';\n",
    });
    const analysis = project.analyze('app/users/actions.ts');
    const finding = analysis.findings.find((f) => f.ruleId === 'require-auth');
    assert.ok(finding, 'a require-auth finding at the export');
    assert.match(finding.message, /in app\/users\/impl\.ts:4, exported here as a Server Action/);
    assert.equal(finding.related?.[0]?.file, '/project/app/users/impl.ts');
    assert.equal(finding.related?.[0]?.range.start.line, 3);
    assert.ok(analysis.dependencies.includes('/project/app/users/impl.ts'), 'a change in the definition re-analyses the export');
  });
});

describe('effects beyond the database', () => {
  const STORE = {
    'lib/store.ts': code`
      export const sessionStore: Record<string, string> = {};
      export const cache = new Map<string, string>();
    `,
  };
  invalid('require-auth', [
    {
      name: "assigning into an imported module-level object: sessionStore[key] = 'admin'",
      files: {
        ...STORE,
        'app/actions.ts': code`
          'use server';
          import { sessionStore } from '@/lib/store';

          export async function promote(key: string) {
            sessionStore[key] = 'admin';
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: sessionStore[key] = … runs without an auth check
            //           ^^^ validate-input
          }
        `,
      },
    },
    {
      name: 'delete from an imported module-level object',
      files: {
        ...STORE,
        'app/actions.ts': code`
          'use server';
          import { sessionStore } from '@/lib/store';

          export async function revoke(key: string) {
            delete sessionStore[key];
            ^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: delete sessionStore[key] runs without an auth check
            //                  ^^^ validate-input
          }
        `,
      },
    },
    {
      name: 'cache.set(k, v) on a module-level Map of this file',
      files: {
        'app/actions.ts': code`
          'use server';
          const cache = new Map<string, string>();

          export async function remember(key: string, value: string) {
            cache.set(key, value);
            ^^^^^^^^^^^^^^^^^^^^^ require-auth error: cache.set() runs without an auth check
            //        ^^^ validate-input
          }
        `,
      },
    },
    {
      name: 'returning a secret from process.env',
      files: {
        'app/actions.ts': code`
          'use server';

          export async function getStripeKey() {
            return process.env.STRIPE_SECRET_KEY;
            //     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: process.env.STRIPE_SECRET_KEY is a secret and this action returns it to any caller
          }
        `,
      },
    },
    {
      name: "returning a config module's secret field in the result",
      files: {
        'lib/config.ts': code`
          import 'server-only';
          export const config = { apiSecret: process.env.API_SECRET ?? '', region: 'eu' };
        `,
        'app/actions.ts': code`
          'use server';
          import { config } from '@/lib/config';

          export async function getConfig() {
            return { region: config.region, secret: config.apiSecret };
            //                                      ^^^^^^^^^^^^^^^^ require-auth error: config.apiSecret is a secret
          }
        `,
      },
    },
    {
      name: 'db.<model>.create() on a client the engine cannot classify is a write',
      files: {
        'lib/db.ts': code`
          import 'server-only';
          function getDb(): any {
            return null;
          }
          export const db = getDb();
        `,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function addUser(name: string) {
            await db.user.create({ data: { name } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: db.user.create() runs without an auth check
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
            //                             ^^^^ validate-input
          }
        `,
      },
      checks: { addUser: { 'validate-input': 'fail' } },
    },
  ]);

  valid('require-auth', [
    {
      name: 'state the action keeps in locals, or writes with server values only, is not an effect',
      files: {
        ...STORE,
        'app/actions.ts': code`
          'use server';
          import { cache } from '@/lib/store';
          const hits: Record<string, number> = {};

          export async function format(name: string) {
            const seen: Record<string, boolean> = {};
            seen[name] = true;
            //   ^^^^ validate-input
            hits.total = (hits.total ?? 0) + 1;
            cache.set('last-run', new Date().toISOString());
            return { greeting: name.trim(), seen };
          }
        `,
      },
      checks: { format: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a secret used on the server, or compared, is not returned',
      files: {
        'app/actions.ts': code`
          'use server';

          export async function checkWebhook(token: string) {
            const ok = token === process.env.WEBHOOK_SECRET;
            //         ^^^^^ validate-input
            const res = await fetch('https://api.example.com/ping', { headers: { authorization: process.env.API_TOKEN ?? '' } });
            return { ok, status: res.status, configured: !!process.env.STRIPE_SECRET_KEY };
          }
        `,
      },
      checks: { checkWebhook: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a secret returned after a session check',
      files: {
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { auth } from '@/auth';

          export async function getPublishableKey() {
            const session = await auth();
            if (!session?.user) throw new Error('Unauthorized');
            return process.env.STRIPE_SECRET_KEY;
          }
        `,
      },
    },
  ]);
});

describe('misplaced directives and test files', () => {
  invalid('misplaced-directive', [
    {
      name: "an inline 'use server' function in a 'use client' module is a build error, not an action",
      files: {
        'app/form.tsx': code`
          'use client';

          export function Form() {
            async function save(formData: FormData) {
              'use server';
              ^^^^^^^^^^^^ misplaced-directive error: 'save' declares 'use server' inside a 'use client' module
              console.log(formData.get('title'));
            }
            return <form action={save} />;
          }
        `,
      },
    },
  ]);

  valid('require-auth', [
    {
      name: 'test files are not endpoints: *.test.*, *.spec.*, __tests__/',
      files: {
        ...DB,
        'app/actions.test.ts': "'use server';\nimport { db } from '@/lib/db';\nexport async function wipe() {\n  await db.user.deleteMany();\n}\n",
        'app/actions.spec.tsx': "'use server';\nimport { db } from '@/lib/db';\nexport async function wipe() {\n  await db.user.deleteMany();\n}\n",
        'app/__tests__/seed.ts': "'use server';\nimport { db } from '@/lib/db';\nexport async function wipe() {\n  await db.user.deleteMany();\n}\n",
      },
    },
  ]);

  it("a folder named tests is not skipped by name (it can be a route), and testFiles: [] analyses tests", () => {
    const action = "'use server';\nimport { db } from '@/lib/db';\nexport async function wipe() {\n  await db.user.deleteMany();\n}\n";
    const route = createProject({ ...DB, 'app/tests/actions.ts': action }).analyze('app/tests/actions.ts');
    assert.deepEqual(route.actions.map((a) => a.name), ['wipe']);
    const tests = createProject({ ...DB, 'app/actions.test.ts': action }, { testFiles: [] }).analyze('app/actions.test.ts');
    assert.deepEqual(tests.actions.map((a) => a.name), ['wipe']);
    assert.ok(tests.findings.some((f) => f.ruleId === 'require-auth'));
  });
});

describe('authPolicy: every action checks the session', () => {
  const COMPUTE = code`
    'use server';

    export async function slugify(title: string) {
      return title.toLowerCase().replace(/\\s+/g, '-');
    }
  `;
  valid('require-auth', [
    {
      name: 'the default policy: an action that only computes needs no session',
      files: { ...NEXT_AUTH, 'app/actions.ts': COMPUTE },
      checks: { slugify: { 'require-auth': 'n/a' } },
    },
    {
      name: 'every-action: an action that checks the session passes; @public and sign-in flows are exempt',
      settings: { authPolicy: 'every-action' },
      files: {
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { auth, signIn } from '@/auth';

          export async function whoami() {
            const session = await auth();
            if (!session?.user) throw new Error('Unauthorized');
            return session.user.name;
          }

          /** @public */
          export async function ping() {
            return 'pong';
          }

          export async function login() {
            await signIn('github');
          }
        `,
      },
      checks: { whoami: { 'require-auth': 'pass' }, ping: { 'require-auth': 'n/a' } },
    },
  ]);
  invalid('require-auth', [
    {
      name: 'every-action: an action that only computes must check the session',
      settings: { authPolicy: 'every-action' },
      files: {
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';

          export async function slugify(title: string) {
          //                    ^^^^^^^ require-auth error: 'slugify' does not check the session, and authPolicy "every-action" requires every action to
            return title.toLowerCase().replace(/\\s+/g, '-');
            //     ^^^^^ validate-input
          }
        `,
      },
      checks: { slugify: { 'require-auth': 'fail' } },
    },
    {
      name: 'protectedActions applies the policy to some folders only',
      settings: { protectedActions: ['app/admin/**'] },
      files: {
        ...NEXT_AUTH,
        'app/admin/actions.ts': code`
          'use server';

          export async function previewReport(month: string) {
          //                    ^^^^^^^^^^^^^ require-auth error: protectedActions "app/admin/**" requires every action to
            return { month: month.slice(0, 7) };
            //              ^^^^^ validate-input
          }
        `,
        'app/blog/actions.ts': code`
          'use server';

          export async function previewPost(title: string) {
            return { title: title.trim() };
            //              ^^^^^ validate-input
          }
        `,
      },
      checks: { previewPost: { 'require-auth': 'n/a' } },
    },
  ]);
});
