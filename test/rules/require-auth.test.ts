import { APP, DB, NEXT_AUTH, RATE_LIMIT, SAFE_ACTION, ZSA } from './fixtures';
import { code, ruleTester } from './tester';

ruleTester('require-auth', {
  valid: [
    {
      name: 'Auth.js auth() with a redirect',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/posts/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            await db.post.deleteMany({ where: { authorId: session.user.id, published: false } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { clearDrafts: { 'require-auth': 'pass' } },
    },
    {
      name: 'next-auth v4 getServerSession(authOptions) with an error return',
      files: {
        ...DB,
        'lib/auth-options.ts': code`
          import type { NextAuthOptions } from 'next-auth';
          export const authOptions: NextAuthOptions = { providers: [] };
        `,
        'app/actions.ts': code`
          'use server';
          import { getServerSession } from 'next-auth';
          import { revalidatePath } from 'next/cache';
          import { authOptions } from '@/lib/auth-options';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const session = await getServerSession(authOptions);
            if (!session) return { error: 'Unauthorized' };
            await db.post.deleteMany({ where: { authorId: session.user.id, published: false } });
            revalidatePath('/');
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'Clerk: const { userId } = await auth() with a throw',
      files: {
        ...DB,
        'app/notes/actions.ts': code`
          'use server';
          import { auth } from '@clerk/nextjs/server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function archiveNotes() {
            const { userId } = await auth();
            if (!userId) throw new Error('Unauthorized');
            await db.note.updateMany({ where: { userId }, data: { archived: true } });
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'Clerk: auth.protect() stops the request by itself',
      files: {
        ...DB,
        'app/notes/actions.ts': code`
          'use server';
          import { auth } from '@clerk/nextjs/server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function archiveNotes() {
            const { userId } = await auth.protect();
            await db.note.updateMany({ where: { userId }, data: { archived: true } });
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'Supabase: supabase.auth.getUser() with a redirect',
      files: {
        'utils/supabase/server.ts': code`
          import { createServerClient } from '@supabase/ssr';
          import { cookies } from 'next/headers';

          export async function createClient() {
            const cookieStore = await cookies();
            return createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
              cookies: { getAll: () => cookieStore.getAll() },
            });
          }
        `,
        'app/todos/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { createClient } from '@/utils/supabase/server';

          export async function addTodo() {
            const supabase = await createClient();
            const {
              data: { user },
            } = await supabase.auth.getUser();
            if (!user) redirect('/login');
            const { error } = await supabase.from('todos').insert({ title: 'New todo', user_id: user.id });
            if (error) return { error: 'Could not add the todo.' };
            revalidatePath('/todos');
          }
        `,
      },
    },
    {
      name: 'Better Auth: auth.api.getSession({ headers })',
      files: {
        ...DB,
        'lib/auth.ts': code`
          import { betterAuth } from 'better-auth';
          export const auth = betterAuth({ emailAndPassword: { enabled: true } });
        `,
        'app/actions.ts': code`
          'use server';
          import { headers } from 'next/headers';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function leaveAllTeams() {
            const session = await auth.api.getSession({ headers: await headers() });
            if (!session) return { error: 'Unauthorized' };
            await db.membership.deleteMany({ where: { userId: session.user.id } });
            revalidatePath('/teams');
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'Better Auth: an endpoint behind its session middleware (api.setPassword({ headers })) checks the session itself',
      files: {
        'lib/auth.ts': code`
          import { betterAuth } from 'better-auth';
          export const auth = betterAuth({ emailAndPassword: { enabled: true } });
        `,
        'lib/mail.ts': code`
          import { Resend } from 'resend';
          const resend = new Resend(process.env.RESEND_API_KEY);
          export async function sendPasswordAdded(to: string) {
            await resend.emails.send({ from: 'a@example.com', to, subject: 'Password added', text: 'Your password was set.' });
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { headers } from 'next/headers';
          import { z } from 'zod';
          import { auth } from '@/lib/auth';
          import { sendPasswordAdded } from '@/lib/mail';

          export async function setPassword(input: unknown) {
            const { password } = z.object({ password: z.string().min(8) }).parse(input);
            const result = await auth.api.setPassword({ body: { newPassword: password }, headers: await headers() });
            const session = await auth.api.getSession({ headers: await headers() });
            if (session) await sendPasswordAdded(session.user.email);
            return { ok: result.status };
          }
        `,
      },
      checks: { setPassword: { 'require-auth': 'pass' } },
    },
    {
      name: 'Lucia validateRequest()',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { validateRequest } from '@/lib/lucia';
          import { db } from '@/lib/db';

          export async function clearHistory() {
            const { user } = await validateRequest();
            if (!user) return redirect('/login');
            await db.history.deleteMany({ where: { userId: user.id } });
            revalidatePath('/history');
          }
        `,
      },
    },
    {
      name: 'iron-session getIronSession()',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { cookies } from 'next/headers';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { getIronSession } from 'iron-session';
          import { db } from '@/lib/db';

          export async function clearHistory() {
            const session = await getIronSession<{ userId?: string }>(await cookies(), { password: process.env.SESSION_SECRET!, cookieName: 'sid' });
            if (!session.userId) redirect('/login');
            await db.history.deleteMany({ where: { userId: session.userId } });
            revalidatePath('/history');
          }
        `,
      },
    },
    {
      name: 'a project session getter verifying a JWT (body opaque to the analyzer)',
      files: {
        ...DB,
        'lib/session.ts': code`
          import 'server-only';
          import { cookies } from 'next/headers';
          import { jwtVerify } from 'jose';

          export async function getCurrentUser() {
            const token = (await cookies()).get('session')?.value;
            if (!token) return null;
            const { payload } = await jwtVerify(token, new TextEncoder().encode(process.env.JWT_SECRET));
            return { id: String(payload.sub) };
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { getCurrentUser } from '@/lib/session';
          import { db } from '@/lib/db';

          export async function clearHistory() {
            const user = await getCurrentUser();
            if (!user) redirect('/login');
            await db.history.deleteMany({ where: { userId: user.id } });
            revalidatePath('/history');
          }
        `,
      },
    },
    {
      name: 'requireUser() in lib/ behind tsconfig paths redirects without a session',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const user = await requireUser();
            await db.post.deleteMany({ where: { authorId: user.id, published: false } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { clearDrafts: { 'require-auth': 'pass' } },
    },
    {
      name: 'requireUser() through a barrel (export *) and a renamed re-export',
      files: {
        ...APP,
        'lib/index.ts': code`
          export * from './auth';
          export * from './db';
        `,
        'lib/session/index.ts': code`
          export { requireUser as requireSession } from '../auth';
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser, db } from '@/lib';
          import { requireSession } from '@/lib/session';

          export async function clearDrafts() {
            const user = await requireUser();
            await db.post.deleteMany({ where: { authorId: user.id, published: false } });
            revalidatePath('/posts');
          }

          export async function clearArchived() {
            const user = await requireSession();
            await db.post.deleteMany({ where: { authorId: user.id, archived: true } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { clearDrafts: { 'require-auth': 'pass' }, clearArchived: { 'require-auth': 'pass' } },
    },
    {
      name: 'relative import of a guard helper (no paths)',
      files: {
        ...APP,
        'tsconfig.json': '{ "compilerOptions": { "strict": true } }',
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '../../lib/auth';
          import { db } from '../../lib/db';

          export async function clearDrafts() {
            const user = await requireUser();
            await db.post.deleteMany({ where: { authorId: user.id, published: false } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'the Next.js data access layer: verifySession() wrapped in React cache()',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'lib/dal.ts': code`
          import 'server-only';
          import { cache } from 'react';
          import { redirect } from 'next/navigation';
          import { auth } from '@/auth';

          export const verifySession = cache(async () => {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            return { isAuth: true, userId: session.user.id };
          });

          export const ensureStaff = cache(async () => {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            return session.user;
          });
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { verifySession, ensureStaff } from '@/lib/dal';
          import { db } from '@/lib/db';

          export async function clearDrafts() {
            const { userId } = await verifySession();
            await db.post.deleteMany({ where: { authorId: userId, published: false } });
            revalidatePath('/posts');
          }

          export async function clearAllDrafts() {
            await ensureStaff();
            await db.post.deleteMany({ where: { published: false } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { clearDrafts: { 'require-auth': 'pass' }, clearAllDrafts: { 'require-auth': 'pass' } },
    },
    {
      name: 'an auth middleware imported into the action client module',
      files: {
        ...APP,
        'lib/middleware.ts': code`
          import { auth } from '@/auth';

          export async function authMiddleware({ next }: { next: (o: { ctx: { userId: string } }) => Promise<unknown> }) {
            const session = await auth();
            if (!session?.user?.id) throw new Error('Unauthorized');
            return next({ ctx: { userId: session.user.id } });
          }
        `,
        'lib/safe-action.ts': code`
          import { createSafeActionClient } from 'next-safe-action';
          import { authMiddleware } from './middleware';

          export const protectedClient = createSafeActionClient({ handleServerError: () => 'Something went wrong' }).use(authMiddleware);
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { protectedClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          export const createPost = protectedClient.schema(z.object({ title: z.string() })).action(async ({ parsedInput, ctx }) => {
            await db.post.create({ data: { title: parsedInput.title, authorId: ctx.userId } });
            revalidatePath('/posts');
          });
        `,
      },
    },
    {
      name: 'unauthorized(), forbidden() and notFound() are early exits',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/admin/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { forbidden, notFound, unauthorized } from 'next/navigation';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function purgeDrafts() {
            const session = await auth();
            if (!session) unauthorized();
            if (session.user?.email !== 'admin@example.com') forbidden();
            await db.post.deleteMany({ where: { published: false } });
            revalidatePath('/admin');
          }

          export async function purgeMine() {
            const session = await auth();
            if (!session?.user?.id) {
              return notFound();
            }
            await db.post.deleteMany({ where: { authorId: session.user.id } });
            revalidatePath('/admin');
          }
        `,
      },
    },
    {
      name: 'next-safe-action client whose .use() middleware (another file) checks the session',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/todos/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { authActionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          export const createTodo = authActionClient
            .schema(z.object({ title: z.string().min(1) }))
            .action(async ({ parsedInput, ctx }) => {
              await db.todo.create({ data: { title: parsedInput.title, userId: ctx.userId } });
              revalidatePath('/todos');
            });
        `,
      },
      checks: { createTodo: { 'require-auth': 'pass' } },
    },
    {
      name: 'zsa: a procedure whose handler checks the session',
      files: {
        ...APP,
        ...ZSA,
        'app/todos/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { authedProcedure } from '@/lib/zsa';
          import { db } from '@/lib/db';

          export const createTodo = authedProcedure
            .createServerAction()
            .input(z.object({ title: z.string().min(1) }))
            .handler(async ({ input, ctx }) => {
              await db.todo.create({ data: { title: input.title, userId: ctx.user.id } });
              revalidatePath('/todos');
            });
        `,
      },
      checks: { createTodo: { 'require-auth': 'pass' } },
    },
    {
      name: 'writes only inside if (session) { … }',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function markAllRead() {
            const session = await auth();
            if (session?.user?.id) {
              await db.notification.updateMany({ where: { userId: session.user.id }, data: { read: true } });
              revalidatePath('/inbox');
            }
          }
        `,
      },
    },
    {
      name: 'the session call in the condition itself',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function resetDemo() {
            if (!(await auth())) redirect('/login');
            await db.demo.deleteMany({});
            revalidatePath('/demo');
          }
        `,
      },
    },
    {
      name: 'public actions are left to abuse-protection',
      files: {
        ...DB,
        ...RATE_LIMIT,
        'app/(marketing)/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { ratelimit } from '@/lib/ratelimit';
          import { db } from '@/lib/db';

          const schema = z.object({ email: z.string().email() });

          /** @public Anyone may join the waitlist. */
          export async function joinWaitlist(formData: FormData) {
            const { success } = await ratelimit.limit('waitlist');
            if (!success) return { error: 'Too many requests' };
            const parsed = schema.safeParse({ email: formData.get('email') });
            if (!parsed.success) return { error: 'Invalid email' };
            await db.waitlist.create({ data: { email: parsed.data.email } });
            return { ok: true };
          }
        `,
      },
      checks: { joinWaitlist: { 'require-auth': 'n/a' } },
    },
    {
      name: 'no side effects: nothing to protect',
      files: code`
        'use server';
        import { z } from 'zod';

        export async function slugify(title: unknown) {
          return z.string().max(120).parse(title).toLowerCase().replace(/\\W+/g, '-');
        }
      `,
      checks: { slugify: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a cookie write is not a side effect that needs a session',
      files: code`
        'use server';
        import { cookies } from 'next/headers';

        export async function setTheme(theme: 'light' | 'dark') {
          (await cookies()).set('theme', theme === 'dark' ? 'dark' : 'light');
        }
      `,
      checks: { setTheme: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a session check inside a try whose catch returns protects the rest of the try',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/billing/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function cancelPlan() {
            try {
              const session = await auth();
              if (!session?.user?.id) {
                throw new Error('Not signed in');
              }
              await db.subscription.updateMany({ where: { userId: session.user.id }, data: { canceled: true } });
              revalidatePath('/billing');
              return { ok: true };
            } catch {
              return { ok: false };
            }
          }
        `,
      },
      checks: { cancelPlan: { 'require-auth': 'pass' } },
    },
    {
      name: 'a session used only when present serves visitors too (votes of the caller marked on a public list)',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/comments/actions.ts': code`
          'use server';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function listComments(postId: number) {
            const session = await auth();
            return db.comment.findMany({
              where: { postId, visible: true },
              include: { votes: { where: { userId: session?.user?.id ?? '' } } },
            });
          }
        `,
      },
      checks: { listComments: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a sign-up folder whose action loads the new session after creating the user is public by design',
      files: {
        ...DB,
        'lib/auth.ts': code`
          import 'server-only';
          import { redirect } from 'next/navigation';
          export async function requireUser() {
            const user = await getUserFromCookie();
            if (!user) redirect('/login');
            return user;
          }
          declare function getUserFromCookie(): Promise<{ id: string } | null>;
        `,
        'app/(auth)/signup/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function createAccount(formData: FormData) {
            const { email } = z.object({ email: z.string().email() }).parse({ email: formData.get('email') });
            await db.user.create({ data: { email } });
            const user = await requireUser();
            return user.id;
          }
        `,
      },
      checks: { createAccount: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a check of a part of the session taken after the call',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/billing/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function openPortal() {
            const session = await auth();
            const user = session?.user;
            if (!user || !user.id) throw new Error('Unauthorized');
            await db.customer.updateMany({ where: { userId: user.id }, data: { portalOpenedAt: new Date() } });
            redirect('/portal');
          }
        `,
      },
      checks: { openPortal: { 'require-auth': 'pass' } },
    },
  ],
  invalid: [
    {
      name: 'a public counter bumped with no session: a warning that says how to mark it public',
      files: {
        ...APP,
        'app/products/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { z } from 'zod';
          import { db } from '@/lib/db';

          export async function rateProduct(input: unknown) {
            const { id, rating } = z.object({ id: z.string(), rating: z.number().int().min(0) }).parse(input);
            await db.product.update({ where: { id }, data: { rating } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth warning: If anyone may bump this counter
            revalidatePath('/products');
          }
        `,
      },
    },
    {
      name: 'an unchecked session leaves the owner in a filter undefined: one finding, which also answers server-identity',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function deleteProject(id: string) {
            const session = await auth();
            //                    ^^^^^^ require-auth error: so userId: session?.user?.id is undefined for a signed-out caller
            await db.project.delete({ where: { id, userId: session?.user?.id } });
            revalidatePath('/projects');
          }
        `,
      },
      checks: { deleteProject: { 'require-auth': 'fail', 'server-identity': 'fail' } },
    },
    {
      name: 'a session used only when present must not hand anyone private rows (submissions included with a track)',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/tracks/actions.ts': code`
          'use server';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function getTrack(id: number) {
            const session = await auth();
            return db.track.findUnique({
            //     ^^^^^^^^^^^^^^^^^^^^^ require-auth +3 error: returns rows of submission (included with track) to any caller
              where: { id },
              include: { challenges: { include: { submission: true } }, enrolled: { where: { id: session?.user?.id } } },
            });
          }
        `,
      },
    },
    {
      name: 'cannot decide: a Supabase read of private rows without a session check may be limited by row-level security (info)',
      files: {
        'utils/supabase/server.ts': code`
          import { createServerClient } from '@supabase/ssr';
          import { cookies } from 'next/headers';

          export async function createClient() {
            const cookieStore = await cookies();
            return createServerClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
              cookies: { getAll: () => cookieStore.getAll() },
            });
          }
        `,
        'app/orders/actions.ts': code`
          'use server';
          import { createClient } from '@/utils/supabase/server';

          export async function listOrders() {
            const supabase = await createClient();
            const { data } = await supabase.from('orders').select('*');
            //                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth info: Unless row-level security limits this table
            return data;
          }
        `,
      },
      checks: { listOrders: { 'require-auth': 'pass' } },
    },
    {
      name: 'a seed task in an app without sign-in is still an endpoint anyone can call',
      files: {
        'package.json': '{ "dependencies": { "next": "15.5.0", "@prisma/client": "6.16.0" } }',
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function seedTasks() {
          //                    ^^^^^^^^^ require-auth error: seedTasks is a maintenance task
            await db.task.deleteMany({});
            await db.task.createMany({ data: [{ title: 'Example' }] });
            revalidatePath('/');
          }

          export async function createTask(title: string) {
            await db.task.create({ data: { title: String(title).slice(0, 200) } });
            revalidatePath('/');
          }
        `,
      },
      checks: { seedTasks: { 'require-auth': 'fail' }, createTask: { 'require-auth': 'n/a' } },
    },
    {
      name: 'a Prisma client behind a globalThis singleton and a path alias: create() is a write',
      files: {
        'lib/db.ts': code`
          import { PrismaClient } from '@prisma/client';

          const prismaClientSingleton = () => new PrismaClient().$extends({ query: {} });

          declare const globalThis: { prismaGlobal: ReturnType<typeof prismaClientSingleton> } & typeof global;

          const prisma = globalThis.prismaGlobal ?? prismaClientSingleton();

          export default prisma;

          if (process.env.NODE_ENV !== 'production') globalThis.prismaGlobal = prisma;
        `,
        'app/companies/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import prisma from '@/lib/db';

          export async function createCompany(name: string) {
            await prisma.company.create({ data: { name } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error
            revalidatePath('/companies');
          }
        `,
      },
      checks: { createCompany: { 'require-auth': 'fail', 'validate-input': 'fail', 'revalidate-after-write': 'pass' } },
    },
    {
      name: 'db.<model>.create() on a client the engine cannot classify is a write, not a schema',
      files: {
        'lib/db.ts': code`
          import { getDb } from '@acme/database';

          export const db = getDb();
        `,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function addCompany(name: string) {
            await db.company.create({ data: { name } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error
            revalidatePath('/');
          }
        `,
      },
      checks: { addCompany: { 'require-auth': 'fail', 'validate-input': 'fail' } },
    },
    {
      name: 'a write with no auth check at all',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function deletePost(id: string) {
            await db.post.delete({ where: { id } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: db.post.delete() runs without an auth check
            revalidatePath('/posts');
          }
        `,
      },
      checks: { deletePost: { 'require-auth': 'fail' } },
    },
    {
      name: 'the article’s first example: a multi-line write without identity',
      files: {
        ...DB,
        'app/profile/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function updateProfile(formData: FormData) {
            const name = String(formData.get('name') ?? '');
            await db.user.update({
            //    ^^^^^^^^^^^^^^^^ require-auth +3 error
              where: { id: String(formData.get('userId')) },
              data: { name },
            });
          }
        `,
      },
    },
    {
      name: 'the session is fetched but never checked',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function archiveAll() {
            const session = await auth();
            //                    ^^^^^^ require-auth: auth() is called but its result is never checked before db.post.updateMany()
            await db.post.updateMany({ where: { authorId: session?.user?.id }, data: { archived: true } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'a helper in another file that does not exit without a session is an error',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'lib/auth.ts': code`
          import { auth } from '@/auth';

          export async function requireUser() {
            const session = await auth();
            return session?.user;
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archiveAll() {
            const user = await requireUser();
            //                 ^^^^^^^^^^^^^ require-auth error: requireUser() is called but its result is never checked
            await db.post.updateMany({ where: { authorId: user?.id }, data: { archived: true } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { archiveAll: { 'require-auth': 'fail' } },
    },
    {
      name: 'cannot decide: a guard helper from a path that does not resolve is info, never an error',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireTeamMember } from '@/lib/teams/guards';
          import { db } from '@/lib/db';

          export async function archiveTeamPosts(teamSlug: string) {
            const member = await requireTeamMember(teamSlug);
            //                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth info: Could not verify that requireTeamMember stops unauthenticated callers
            await db.post.updateMany({ where: { teamId: member.teamId }, data: { archived: true } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { archiveTeamPosts: { 'require-auth': 'pass' } },
    },
    {
      name: 'cannot decide: a guard helper from a package is info',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireSession } from '@acme/auth';
          import { db } from '@/lib/db';

          export async function archiveAll() {
            const session = await requireSession();
            //                    ^^^^^^^^^^^^^^^^ require-auth info
            await db.post.updateMany({ where: { authorId: session.userId }, data: { archived: true } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'a sign-up runs before there is a session: public by design, left to abuse-protection; its neighbour is not',
      files: {
        ...DB,
        'app/(auth)/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { redirect } from 'next/navigation';
          import { db } from '@/lib/db';

          export async function signUp(formData: FormData) {
            const email = z.string().email().parse(formData.get('email'));
            await db.user.create({ data: { email } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection warning: This action is public (an auth flow
            redirect('/welcome');
          }

          export async function resetCounters() {
            await db.counter.updateMany({ data: { value: 0 } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: runs without an auth check
            redirect('/');
          }
        `,
      },
      checks: { signUp: { 'require-auth': 'n/a', 'abuse-protection': 'fail' }, resetCounters: { 'require-auth': 'fail' } },
    },
    {
      name: 'the auth check comes after the write',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function resetCounters() {
            await db.counter.updateMany({ data: { value: 0 } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
            const session = await auth();
            if (!session) redirect('/login');
            revalidatePath('/');
          }
        `,
      },
    },
    {
      name: 'a check in one branch does not protect code after the branch',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function resetCounters(onlyMine: boolean) {
            if (onlyMine) {
              const session = await auth();
              if (!session) return;
            }
            await db.counter.updateMany({ data: { value: 0 } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
            revalidatePath('/');
          }
        `,
      },
    },
    {
      name: 'an inline action in a page that checks the session (the action itself does not)',
      files: {
        ...APP,
        'app/posts/[id]/page.tsx': code`
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export default async function PostPage({ params }: { params: Promise<{ id: string }> }) {
            const { id } = await params;
            const user = await requireUser();
            async function publish() {
              'use server';
              await db.post.updateMany({ where: { id, authorId: user.id }, data: { published: true } });
              //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
              revalidatePath('/posts');
            }
            return (
              <form action={publish}>
                <button>Publish</button>
              </form>
            );
          }
        `,
      },
    },
    {
      name: 'a next-safe-action client without auth middleware',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/todos/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { actionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          export const createTodo = actionClient.schema(z.object({ title: z.string() })).action(async ({ parsedInput }) => {
            await db.todo.create({ data: { title: parsedInput.title } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
            revalidatePath('/todos');
          });
        `,
      },
    },
    {
      name: 'zsa createServerAction() without a procedure',
      files: {
        ...APP,
        'app/todos/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { createServerAction } from 'zsa';
          import { db } from '@/lib/db';

          export const createTodo = createServerAction()
            .input(z.object({ title: z.string() }))
            .handler(async ({ input }) => {
              await db.todo.create({ data: { title: input.title } });
              //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
              revalidatePath('/todos');
            });
        `,
      },
    },
    {
      name: 'a mutating fetch and a paid API call without a session',
      files: code`
        'use server';
        import OpenAI from 'openai';

        const openai = new OpenAI();

        export async function notify(message: string) {
          await fetch('https://hooks.example.com/notify', { method: 'POST', body: JSON.stringify({ message }) });
          //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth: fetch() runs without an auth check
        }

        export async function complete(prompt: string) {
          const response = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
          //                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
          return response.output_text;
        }
      `,
    },
    {
      name: 'a write inside a helper in another file',
      files: {
        ...DB,
        'lib/posts.ts': code`
          import 'server-only';
          import { db } from './db';

          export async function purgeDrafts() {
            await db.post.deleteMany({ where: { published: false } });
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { purgeDrafts } from '@/lib/posts';

          export async function purge() {
            await purgeDrafts();
            //    ^^^^^^^^^^^^^ require-auth: purgeDrafts() (a database write through db.post.deleteMany()) runs without an auth check
            revalidatePath('/posts');
          }
        `,
      },
    },
  ],
  fixes: [
    {
      name: "Clerk: the guard inserted is Clerk's own shape, const { userId } = await auth()",
      fix: 'Add an auth check',
      safe: false,
      files: {
        ...DB,
        'app/notes/actions.ts': code`
          'use server';
          import { auth } from '@clerk/nextjs/server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function archiveAll() {
            await db.note.updateMany({ data: { archived: true } });
            revalidatePath('/notes');
          }
        `,
      },
      output: {
        'app/notes/actions.ts': code`
          'use server';
          import { auth } from '@clerk/nextjs/server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function archiveAll() {
            const { userId } = await auth();
            if (!userId) {
              throw new Error('Unauthorized');
            }
            await db.note.updateMany({ data: { archived: true } });
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'a project helper that returns the user: checks the user, not session.user.id',
      fix: 'Add an auth check',
      files: {
        ...DB,
        'lib/session.ts': code`
          import 'server-only';
          import { cookies } from 'next/headers';
          import { db } from '@/lib/db';

          export async function getCurrentUser() {
            const token = (await cookies()).get('session')?.value;
            if (!token) return null;
            const user = await db.user.findUnique({ where: { sessionToken: token }, select: { id: true, name: true } });
            return user;
          }
        `,
        'app/settings/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { getCurrentUser } from '@/lib/session';

          export async function clearNotifications() {
            await db.notification.deleteMany({ where: { read: true } });
            revalidatePath('/settings');
          }
        `,
      },
      output: {
        'app/settings/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { getCurrentUser } from '@/lib/session';

          export async function clearNotifications() {
            const user = await getCurrentUser();
            if (!user) {
              throw new Error('Unauthorized');
            }
            await db.notification.deleteMany({ where: { read: true } });
            revalidatePath('/settings');
          }
        `,
      },
    },
    {
      name: "copies the file's own idiom when another action of the file checks the session",
      fix: 'Add an auth check',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/posts/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function createPost(title: string) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            await db.post.create({ data: { title: z.string().parse(title), authorId: session.user.id } });
            revalidatePath('/posts');
          }

          export async function purgeDrafts() {
            await db.post.deleteMany({ where: { published: false } });
            revalidatePath('/posts');
          }
        `,
      },
      output: {
        'app/posts/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function createPost(title: string) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            await db.post.create({ data: { title: z.string().parse(title), authorId: session.user.id } });
            revalidatePath('/posts');
          }

          export async function purgeDrafts() {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            await db.post.deleteMany({ where: { published: false } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'add an auth check with the imported session getter',
      fix: 'Add an auth check',
      safe: false,
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { auth } from '@/auth';

          export async function resetCounters() {
            await db.counter.updateMany({ data: { value: 0 } });
            revalidatePath('/');
          }
        `,
      },
      output: {
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { auth } from '@/auth';

          export async function resetCounters() {
            const session = await auth();
            if (!session?.user?.id) {
              throw new Error('Unauthorized');
            }
            await db.counter.updateMany({ data: { value: 0 } });
            revalidatePath('/');
          }
        `,
      },
    },
    {
      name: 'add an auth check with the imported guard, in an inline action',
      fix: 'Add an auth check',
      files: {
        ...APP,
        'app/posts/[id]/page.tsx': code`
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export default async function PostPage({ params }: { params: Promise<{ id: string }> }) {
            const { id } = await params;
            const user = await requireUser();
            async function publish() {
              'use server';
              await db.post.updateMany({ where: { id, authorId: user.id }, data: { published: true } });
              revalidatePath('/posts');
            }
            return <form action={publish}><button>Publish</button></form>;
          }
        `,
      },
      output: {
        'app/posts/[id]/page.tsx': code`
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export default async function PostPage({ params }: { params: Promise<{ id: string }> }) {
            const { id } = await params;
            const user = await requireUser();
            async function publish() {
              'use server';
              await requireUser();
              await db.post.updateMany({ where: { id, authorId: user.id }, data: { published: true } });
              revalidatePath('/posts');
            }
            return <form action={publish}><button>Publish</button></form>;
          }
        `,
      },
    },
  ],
  noFixes: [
    {
      name: 'no auth fix when the file imports no session helper to call',
      noFix: 'Add an auth check',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function resetCounters() {
            await db.counter.updateMany({ data: { value: 0 } });
            revalidatePath('/');
          }
        `,
      },
    },
  ],
});
