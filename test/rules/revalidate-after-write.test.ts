import { APP, DB } from './fixtures';
import { code, ruleTester } from './tester';

ruleTester('revalidate-after-write', {
  valid: [
    {
      name: 'the article’s publishPost: revalidatePath and revalidateTag after the write',
      files: {
        ...APP,
        'lib/posts.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';

          export async function publishPostForEditor(postId: string, editorId: string) {
            return db.post.updateMany({ where: { id: postId, editorId }, data: { published: true } });
          }
        `,
        'app/dashboard/posts/actions.ts': code`
          'use server';

          import { z } from 'zod';
          import { revalidatePath, revalidateTag } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { publishPostForEditor } from '@/lib/posts';

          const publishSchema = z.object({ postId: z.string() });

          export async function publishPost(formData: FormData) {
            const user = await requireUser();
            const parsed = publishSchema.parse({
              postId: formData.get('postId'),
            });

            await publishPostForEditor(parsed.postId, user.id);

            revalidatePath('/dashboard/posts');
            revalidatePath('/blog');
            revalidateTag(\`post:\${parsed.postId}\`);

            return { ok: true };
          }
        `,
      },
      checks: { publishPost: { 'revalidate-after-write': 'pass' } },
    },
    {
      name: 'updateTag, refresh and redirect after the write',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { updateTag, refresh } from 'next/cache';
          import { redirect } from 'next/navigation';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function createPost() {
            const user = await requireUser();
            const post = await db.post.create({ data: { title: 'Untitled', authorId: user.id } });
            redirect(\`/posts/\${post.id}\`);
          }

          export async function starPost() {
            const user = await requireUser();
            await db.star.create({ data: { userId: user.id } });
            updateTag('stars');
          }

          export async function readAll() {
            const user = await requireUser();
            await db.notification.updateMany({ where: { userId: user.id }, data: { read: true } });
            refresh();
          }
        `,
      },
    },
    {
      name: 'revalidation in a helper module',
      files: {
        ...APP,
        'lib/cache.ts': code`
          import { revalidatePath, revalidateTag } from 'next/cache';

          export function refreshPosts() {
            revalidatePath('/posts');
            revalidateTag('posts');
          }
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { refreshPosts } from '@/lib/cache';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const user = await requireUser();
            await db.post.deleteMany({ where: { authorId: user.id, published: false } });
            refreshPosts();
          }
        `,
      },
    },
    {
      name: 'a helper that writes and revalidates itself',
      files: {
        ...APP,
        'lib/posts.ts': code`
          import 'server-only';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function archivePost(id: string, userId: string) {
            await db.post.updateMany({ where: { id, authorId: userId }, data: { archived: true } });
            revalidatePath('/posts');
          }
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { archivePost } from '@/lib/posts';

          export async function archive(input: unknown) {
            const user = await requireUser();
            await archivePost(z.string().parse(input), user.id);
          }
        `,
      },
    },
    {
      name: 'reads and cookie writes need no revalidation',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { cookies } from 'next/headers';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function countPosts() {
            const user = await requireUser();
            return db.post.count({ where: { authorId: user.id } });
          }

          export async function setLocale(locale: 'en' | 'de') {
            (await cookies()).set('locale', locale === 'de' ? 'de' : 'en');
          }
        `,
      },
      checks: { countPosts: { 'revalidate-after-write': 'n/a' }, setLocale: { 'revalidate-after-write': 'n/a' } },
    },
    {
      name: 'revalidation after a try block that holds the write',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const user = await requireUser();
            try {
              await db.post.deleteMany({ where: { authorId: user.id, published: false } });
            } catch (error) {
              console.error('clearDrafts failed', error);
              return { ok: false };
            }
            revalidatePath('/posts');
            return { ok: true };
          }
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a write and nothing refreshed',
      files: {
        ...APP,
        'app/(dashboard)/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function publishPost(id: string) {
            const user = await requireUser();
            await db.post.updateMany({ where: { id, authorId: user.id }, data: { published: true } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write warning: db.post.updateMany() changes data but nothing is revalidated afterwards. Call revalidatePath('/posts')
          }
        `,
      },
      checks: { publishPost: { 'revalidate-after-write': 'fail' } },
    },
    {
      name: 'revalidation before the last write',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function duplicatePost() {
            const user = await requireUser();
            revalidatePath('/posts');
            await db.post.create({ data: { title: 'Copy', authorId: user.id } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
          }
        `,
      },
    },
    {
      name: 'a write in a helper in another file',
      files: {
        ...APP,
        'lib/posts.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';

          export async function archivePost(id: string, userId: string) {
            await db.post.updateMany({ where: { id, authorId: userId }, data: { archived: true } });
          }
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { archivePost } from '@/lib/posts';

          export async function archive(input: unknown) {
            const user = await requireUser();
            await archivePost(z.string().parse(input), user.id);
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write: archivePost() (a database write through db.post.updateMany())
          }
        `,
      },
    },
    {
      name: 'SQL writes: a sql`insert` tag and Prisma $executeRaw',
      files: {
        ...APP,
        'app/stats/actions.ts': code`
          'use server';
          import { sql } from '@vercel/postgres';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function logVisit() {
            const user = await requireUser();
            await sql\`INSERT INTO visits (user_id) VALUES (\${user.id})\`;
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
          }

          export async function resetViews() {
            const user = await requireUser();
            await db.$executeRaw\`UPDATE "Post" SET views = 0 WHERE "authorId" = \${user.id}\`;
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
          }
        `,
      },
    },
    {
      name: 'a Drizzle insert',
      files: {
        ...APP,
        'lib/drizzle.ts': code`
          import 'server-only';
          import { drizzle } from 'drizzle-orm/node-postgres';

          export const ddb = drizzle(process.env.DATABASE_URL!);
        `,
        'app/notes/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { ddb } from '@/lib/drizzle';
          import { notes } from '@/db/schema';

          export async function addNote() {
            const user = await requireUser();
            await ddb.insert(notes).values({ text: 'New note', userId: user.id });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write
          }
        `,
      },
    },
  ],
  fixes: [
    {
      name: 'revalidatePath of the route, route groups removed (safe)',
      fix: "Add revalidatePath('/posts') after the last write",
      safe: true,
      files: {
        ...APP,
        'app/(dashboard)/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function publishPost(id: string) {
            const user = await requireUser();
            await db.post.updateMany({ where: { id, authorId: user.id }, data: { published: true } });
          }
        `,
      },
      output: {
        'app/(dashboard)/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';
          import { revalidatePath } from 'next/cache';

          export async function publishPost(id: string) {
            const user = await requireUser();
            await db.post.updateMany({ where: { id, authorId: user.id }, data: { published: true } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: "a dynamic segment revalidates the page pattern, inside the try block, joining the next/cache import",
      fix: "Add revalidatePath('/posts/[id]/edit', 'page')",
      safe: true,
      files: {
        ...APP,
        'app/(dashboard)/posts/[id]/edit/actions.ts': code`
          'use server';
          import { revalidateTag } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function resetViews() {
            const user = await requireUser();
            try {
              await db.post.updateMany({ where: { authorId: user.id }, data: { views: 0 } });
            } catch (error) {
              console.error('resetViews failed', error);
            }
            return { ok: true };
          }
        `,
      },
      output: {
        'app/(dashboard)/posts/[id]/edit/actions.ts': code`
          'use server';
          import { revalidateTag, revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function resetViews() {
            const user = await requireUser();
            try {
              await db.post.updateMany({ where: { authorId: user.id }, data: { views: 0 } });
              revalidatePath('/posts/[id]/edit', 'page');
            } catch (error) {
              console.error('resetViews failed', error);
            }
            return { ok: true };
          }
        `,
      },
    },
    {
      name: "outside app/ the route is unknown: revalidate the whole layout (unsafe)",
      fix: "Add revalidatePath('/', 'layout')",
      safe: false,
      files: {
        ...DB,
        'lib/actions/counters.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function resetCounters() {
            await db.counter.updateMany({ data: { value: 0 } });
          }
        `,
      },
      output: {
        'lib/actions/counters.ts': code`
          'use server';
          import { db } from '@/lib/db';
          import { revalidatePath } from 'next/cache';

          export async function resetCounters() {
            await db.counter.updateMany({ data: { value: 0 } });
            revalidatePath('/', 'layout');
          }
        `,
      },
    },
  ],
  noFixes: [
    {
      name: 'no revalidate fix when the write is inside a return statement',
      noFix: 'Add revalidatePath',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function createPost() {
            const user = await requireUser();
            return db.post.create({ data: { title: 'Untitled', authorId: user.id } });
          }
        `,
      },
    },
  ],
});
