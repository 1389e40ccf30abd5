/** Suppression comments: next-line and file-level, with rule ids and reasons. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP, DB } from './fixtures';
import { code, createProject, runValid } from './tester';

const UNGUARDED = (comment: string): string => code`
  'use server';
  import { db } from '@/lib/db';

  export async function purge(formData: FormData) {
    ${comment}
    await db.post.deleteMany({ where: { title: String(formData.get('title')) } });
  }
`;

describe('suppressions', () => {
  it('next-line with a rule id and a reason', () => {
    runValid('require-auth', {
      name: '',
      files: {
        ...DB,
        'app/actions.ts': UNGUARDED('// server-action-guard-disable-next-line require-auth -- protected by the admin middleware'),
      },
      checks: { purge: { 'require-auth': 'pass' } },
    });
  });

  it('next-line with several rule ids suppresses exactly those', () => {
    runValid('require-auth', {
      name: '',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function purge(formData: FormData) {
            // server-action-guard-disable-next-line require-auth, revalidate-after-write validate-input -- nightly job
            await db.post.deleteMany({ where: { title: String(formData.get('title')) } });
            await db.post.deleteMany({ where: { body: String(formData.get('body')) } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
            //                                               ^^^^^^^^^^^^^^^^^^^^ validate-input
          }
        `,
      },
    });
  });

  it('words after -- are a reason, not rule ids', () => {
    runValid('validate-input', {
      name: '',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function purge(formData: FormData) {
            // server-action-guard-disable-next-line require-auth -- validate-input happens in the proxy
            await db.post.deleteMany({ where: { title: String(formData.get('title')) } });
            //                                                ^^^^^^^^^^^^^^^^^^^^^ validate-input
          }
        `,
      },
    });
  });

  it('without rule ids every rule is suppressed on the next line only', () => {
    const project = createProject({
      ...DB,
      'app/actions.ts': code`
        'use server';
        import { db } from '@/lib/db';

        export async function purge(formData: FormData) {
          // server-action-guard-disable-next-line
          await db.post.deleteMany({ where: { title: String(formData.get('title')) } });

          await db.post.deleteMany({});
        }
      `,
    });
    const lines = project.analyze('app/actions.ts').findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
    // require-auth reports an action once, at its first unguarded effect (the suppressed line).
    assert.deepEqual(lines, ['8 revalidate-after-write']);
  });

  it('a rule id that does not match leaves the finding', () => {
    runValid('require-auth', {
      name: '',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function purge() {
            // server-action-guard-disable-next-line server-only -- wrong rule
            await db.post.deleteMany({});
            //    ^^^^^^^^^^^^^^^^^^^^^^ require-auth
          }
        `,
      },
    });
  });

  it('a block comment works too, and applies to where a multi-line finding starts', () => {
    runValid('require-auth', {
      name: '',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function purge() {
            /* server-action-guard-disable-next-line require-auth -- cron only */
            await db.post.deleteMany({
              where: { published: false },
            });
          }
        `,
      },
    });
  });

  it('file-level suppression', () => {
    runValid('server-only', {
      name: '',
      files: {
        ...APP,
        'app/actions.ts': code`
          // server-action-guard-disable-file server-only, revalidate-after-write -- scripts share this module
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/legacy';

          export async function archive() {
            const user = await requireUser();
            await db.post.updateMany({ where: { authorId: user.id }, data: { archived: true } });
          }
        `,
        'lib/legacy.ts': code`
          import { PrismaClient } from '@prisma/client';
          export const db = new PrismaClient();
        `,
      },
      checks: { archive: { 'server-only': 'pass', 'revalidate-after-write': 'pass', 'require-auth': 'pass' } },
    });
  });

  it('a JSX comment before a hidden input', () => {
    runValid('narrow-contract', {
      name: '',
      files: {
        'app/posts/page.tsx': code`
          import { save } from './actions';

          export default function Page({ userId }: { userId: string }) {
            return (
              <form action={save}>
                {/* server-action-guard-disable-next-line narrow-contract -- re-checked against the session in save() */}
                <input type="hidden" name="userId" value={userId} />
              </form>
            );
          }
        `,
      },
    });
  });
});
