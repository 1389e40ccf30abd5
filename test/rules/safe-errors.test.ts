import { APP } from './fixtures';
import { code, ruleTester } from './tester';

const SUPABASE_ADMIN = {
  'lib/supabase.ts': code`
    import 'server-only';
    import { createClient } from '@supabase/supabase-js';

    export const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  `,
};

ruleTester('safe-errors', {
  valid: [
    {
      name: 'the article’s shape: log privately, return a generic message',
      files: {
        ...APP,
        'app/projects/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const deleteSchema = z.object({ projectId: z.string() });

          export async function deleteProject(formData: FormData) {
            try {
              const user = await requireUser();
              const parsed = deleteSchema.parse({ projectId: formData.get('projectId') });
              await db.project.deleteMany({ where: { id: parsed.projectId, ownerId: user.id } });
              revalidatePath('/projects');
              return { ok: true };
            } catch (error) {
              console.error('deleteProject failed', error);
              return {
                ok: false,
                error: 'The project could not be deleted.',
              };
            }
          }
        `,
      },
      checks: { deleteProject: { 'safe-errors': 'pass' } },
    },
    {
      name: 'errors are rethrown (Next.js masks thrown errors in production)',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { isRedirectError } from 'next/dist/client/components/redirect-error';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function exportData() {
            try {
              const user = await requireUser();
              return await db.post.findMany({ where: { authorId: user.id } });
            } catch (error) {
              if (isRedirectError(error)) throw error;
              throw new Error('Export failed', { cause: error });
            }
          }
        `,
      },
    },
    {
      name: 'the error is only inspected, never returned',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { Prisma } from '@prisma/client';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function claimHandle(handle: string) {
            const user = await requireUser();
            try {
              await db.user.update({ where: { id: user.id }, data: { handle } });
              return { ok: true };
            } catch (error) {
              if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
                return { ok: false, error: 'That handle is taken.' };
              }
              return { ok: false, error: 'Something went wrong.' };
            }
          }
        `,
      },
    },
    {
      name: 'validation errors from a schema are meant for the user',
      files: code`
        'use server';
        import { z } from 'zod';

        const signupSchema = z.object({ email: z.string().email(), password: z.string().min(12) });

        export async function validateSignup(formData: FormData) {
          const parsed = signupSchema.safeParse({ email: formData.get('email'), password: formData.get('password') });
          if (!parsed.success) return { fieldErrors: parsed.error.flatten().fieldErrors };
          return { ok: true };
        }
      `,
    },
    {
      name: 'a Supabase error is checked and replaced',
      files: {
        ...SUPABASE_ADMIN,
        'app/actions.ts': code`
          'use server';
          import { supabase } from '@/lib/supabase';

          export async function listNotes() {
            const { data, error } = await supabase.from('notes').select('id, title');
            if (error) {
              console.error('listNotes failed', error);
              return { error: 'Could not load notes.' };
            }
            return { notes: data };
          }
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'several raw errors returned by one action: one finding at the first, naming the others',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archive(id: string) {
            const user = await requireUser();
            try {
              await db.post.updateMany({ where: { id, authorId: user.id }, data: { archived: true } });
            } catch (e) {
              return { error: (e as Error).message };
              //              ^^^^^^^^^^^^^^^^^^^^ safe-errors: are returned to the client. Log errors on the server
            }
            try {
              await db.audit.create({ data: { action: 'archive', userId: user.id } });
            } catch (error) {
              return { error: String(error) };
            }
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'error.message returned from a catch block',
      files: {
        ...APP,
        'app/projects/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archiveProjects() {
            try {
              const user = await requireUser();
              await db.project.updateMany({ where: { ownerId: user.id }, data: { archived: true } });
              revalidatePath('/projects');
              return { ok: true };
            } catch (e) {
              return { ok: false, error: (e as Error).message };
              //                         ^^^^^^^^^^^^^^^^^^^^ safe-errors warning: e.message is returned to the client
            }
          }
        `,
      },
      checks: { archiveProjects: { 'safe-errors': 'fail' } },
    },
    {
      name: 'the caught error object, its stack, and a ternary on instanceof',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function exportPosts() {
            try {
              const user = await requireUser();
              return { posts: await db.post.findMany({ where: { authorId: user.id } }) };
            } catch (err) {
              return { error: err };
              //              ^^^ safe-errors: err is returned
            }
          }

          export async function exportComments() {
            try {
              const user = await requireUser();
              return { comments: await db.comment.findMany({ where: { authorId: user.id } }) };
            } catch (err: any) {
              return { error: err.stack };
              //              ^^^^^^^^^ safe-errors: err.stack
            }
          }

          export async function exportTags() {
            try {
              await requireUser();
              return { tags: await db.tag.findMany() };
            } catch (e) {
              return { error: e instanceof Error ? e.message : 'Unknown error' };
              //                                   ^^^^^^^^^ safe-errors: e.message
            }
          }
        `,
      },
    },
    {
      name: 'an error interpolated into a message',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';

          export async function ping() {
            try {
              await requireUser();
              return { ok: true };
            } catch (e) {
              return { ok: false, message: \`Failed: \${e}\` };
              //                                      ^ safe-errors
            }
          }
        `,
      },
    },
    {
      name: 'a database error destructured from a Supabase call',
      files: {
        ...SUPABASE_ADMIN,
        'app/actions.ts': code`
          'use server';
          import { supabase } from '@/lib/supabase';

          export async function listNotes() {
            const { data, error } = await supabase.from('notes').select('id, title');
            if (error) return { error: error.message };
            //                         ^^^^^^^^^^^^^ safe-errors: error.message is returned
            return { notes: data };
          }
        `,
      },
    },
  ],
  fixes: [
    {
      name: 'generic message for error.message, and log the error (safe)',
      fix: 'Return a generic error message',
      safe: true,
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archiveProjects() {
            try {
              const user = await requireUser();
              await db.project.updateMany({ where: { ownerId: user.id }, data: { archived: true } });
              return { ok: true };
            } catch (e) {
              return { ok: false, error: (e as Error).message };
            }
          }
        `,
      },
      output: {
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archiveProjects() {
            try {
              const user = await requireUser();
              await db.project.updateMany({ where: { ownerId: user.id }, data: { archived: true } });
              return { ok: true };
            } catch (e) {
              console.error('archiveProjects failed', e);
              return { ok: false, error: 'Something went wrong. Please try again.' };
            }
          }
        `,
      },
    },
    {
      name: 'replacing the error object changes the return type: unsafe; an existing log is kept, not duplicated',
      fix: 'Return a generic error message',
      safe: false,
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function exportPosts() {
            try {
              const user = await requireUser();
              return { posts: await db.post.findMany({ where: { authorId: user.id } }) };
            } catch (err) {
              console.error(err);
              return { error: err };
            }
          }
        `,
      },
      output: {
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function exportPosts() {
            try {
              const user = await requireUser();
              return { posts: await db.post.findMany({ where: { authorId: user.id } }) };
            } catch (err) {
              console.error(err);
              return { error: 'Something went wrong. Please try again.' };
            }
          }
        `,
      },
    },
    {
      name: 'an error interpolated into a template: the whole message is replaced',
      fix: 'Return a generic error message',
      safe: false,
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';

          export async function ping() {
            try {
              await requireUser();
              return { ok: true };
            } catch (e) {
              return { ok: false, message: \`Failed: \${e}\` };
            }
          }
        `,
      },
      output: {
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';

          export async function ping() {
            try {
              await requireUser();
              return { ok: true };
            } catch (e) {
              console.error('ping failed', e);
              return { ok: false, message: 'Something went wrong. Please try again.' };
            }
          }
        `,
      },
    },
    {
      name: 'a return guarded by if (error) gets a block, so only failures are logged',
      fix: 'Return a generic error message',
      files: {
        ...SUPABASE_ADMIN,
        'app/actions.ts': code`
          'use server';
          import { supabase } from '@/lib/supabase';

          export async function listNotes() {
            const { data, error } = await supabase.from('notes').select('id, title');
            if (error) return { error: error.message };
            return { notes: data };
          }
        `,
      },
      output: {
        'app/actions.ts': code`
          'use server';
          import { supabase } from '@/lib/supabase';

          export async function listNotes() {
            const { data, error } = await supabase.from('notes').select('id, title');
            if (error) {
              console.error('listNotes failed', error);
              return { error: 'Something went wrong. Please try again.' };
            }
            return { notes: data };
          }
        `,
      },
    },
  ],
});
