import { APP, DB, NEXT_AUTH, SAFE_ACTION, ZSA } from './fixtures';
import { code, ruleTester } from './tester';

/** A Mongoose model, as Mongoose apps define one per file. */
const ORDER_MODEL = {
  'lib/models/order.ts': code`
    import 'server-only';
    import { model, models, Schema } from 'mongoose';
    const OrderSchema = new Schema({ buyer: String, event: String, createdAt: Date });
    export const Order = models.Order || model('Order', OrderSchema);
  `,
};

const DRIZZLE = {
  'lib/drizzle.ts': code`
    import 'server-only';
    import { drizzle } from 'drizzle-orm/node-postgres';

    export const ddb = drizzle(process.env.DATABASE_URL!);
  `,
  'db/schema.ts': code`
    import { pgTable, text } from 'drizzle-orm/pg-core';

    export const posts = pgTable('posts', { id: text('id').primaryKey(), authorId: text('author_id').notNull() });
  `,
};

const SUPABASE = {
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
};

ruleTester('server-identity', {
  valid: [
    {
      name: 'the article’s invite: team and role decided on the server',
      files: {
        ...DB,
        'lib/auth/session.ts': code`
          import 'server-only';
          import { cookies } from 'next/headers';
          import { db } from '@/lib/db';

          export async function getSession() {
            const token = (await cookies()).get('sid')?.value;
            return token ? db.session.findUnique({ where: { token } }) : null;
          }
        `,
        'app/team/actions.ts': code`
          'use server';

          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { getSession } from '@/lib/auth/session';
          import { db } from '@/lib/db';

          const inviteSchema = z.object({ email: z.string().email() });

          export async function inviteMember(formData: FormData) {
            const session = await getSession();

            if (!session) {
              return { ok: false, error: 'Unauthorized' };
            }

            const parsed = inviteSchema.safeParse({
              email: formData.get('email'),
            });

            if (!parsed.success) {
              return { ok: false, error: 'Invalid invite data' };
            }

            const team = await db.team.findFirst({ where: { ownerId: session.userId } });

            if (!team) {
              return { ok: false, error: 'Forbidden' };
            }

            await db.invite.create({
              data: { email: parsed.data.email, teamId: team.id, role: 'member', invitedBy: session.userId },
            });
            revalidatePath('/team');

            return { ok: true };
          }
        `,
      },
      checks: { inviteMember: { 'server-identity': 'pass' } },
    },
    {
      name: 'the article’s rename: the owner comes from the session, the id is scoped by it',
      files: {
        ...APP,
        'lib/server/projects.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';

          export async function updateProjectName(input: { projectId: string; ownerId: string; name: string }) {
            return db.project.updateMany({
              where: { id: input.projectId, ownerId: input.ownerId },
              data: { name: input.name },
            });
          }
        `,
        'app/projects/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { updateProjectName } from '@/lib/server/projects';

          const projectSchema = z.object({ projectId: z.string().cuid(), name: z.string().min(1).max(80) });

          export async function renameProject(formData: FormData) {
            const user = await requireUser();
            const parsed = projectSchema.parse({
              projectId: formData.get('projectId'),
              name: formData.get('name'),
            });

            await updateProjectName({ projectId: parsed.projectId, ownerId: user.id, name: parsed.name });
            revalidatePath('/projects');
          }
        `,
      },
    },
    {
      name: 'a client id scoped by the session owner in the same filter',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function deletePost(input: unknown) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            const postId = z.string().cuid().parse(input);
            await db.post.deleteMany({ where: { id: postId, authorId: session.user.id } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'an explicit ownership check before the write',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function deletePost(input: unknown) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            const postId = z.string().cuid().parse(input);
            const post = await db.post.findUnique({ where: { id: postId } });
            if (!post || post.authorId !== session.user.id) throw new Error('Forbidden');
            await db.post.delete({ where: { id: postId } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'a client-sent user id compared with the session is an ownership check',
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { auth } from '@/auth';

          export async function confirmAccount(formData: FormData) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            if (formData.get('userId') !== session.user.id) throw new Error('Forbidden');
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'next-safe-action: identity from ctx',
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
            .action(async ({ parsedInput: { title }, ctx }) => {
              await db.todo.create({ data: { title, userId: ctx.userId } });
              revalidatePath('/todos');
            });
        `,
      },
    },
    {
      name: 'Supabase: a client id narrowed by the user id in a later .eq()',
      files: {
        ...SUPABASE,
        'app/notes/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { createClient } from '@/utils/supabase/server';

          export async function deleteNote(input: unknown) {
            const noteId = z.coerce.number().int().parse(input);
            const supabase = await createClient();
            const {
              data: { user },
            } = await supabase.auth.getUser();
            if (!user) redirect('/login');
            await supabase.from('notes').delete().eq('id', noteId).eq('user_id', user.id);
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'Drizzle: and(eq(id), eq(authorId, session))',
      files: {
        ...DRIZZLE,
        ...NEXT_AUTH,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { and, eq } from 'drizzle-orm';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { ddb } from '@/lib/drizzle';
          import { posts } from '@/db/schema';

          export async function deletePost(input: unknown) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            const id = z.string().parse(input);
            await ddb.delete(posts).where(and(eq(posts.id, id), eq(posts.authorId, session.user.id)));
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'lookups by a natural key (slug, e-mail) are not record ids',
      files: {
        ...APP,
        'app/blog/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { db } from '@/lib/db';

          /** @public */
          export async function getPublishedPost(input: unknown) {
            const slug = z.string().max(120).parse(input);
            return db.post.findFirst({ where: { slug, published: true }, select: { title: true, body: true } });
          }

          /** @public */
          export async function isEmailTaken(input: unknown) {
            const email = z.string().email().parse(input);
            return (await db.user.count({ where: { email } })) > 0;
          }
        `,
      },
    },
    {
      name: 'a value closed over by an inline action comes from the server (closures are encrypted)',
      files: {
        ...APP,
        'app/posts/[id]/page.tsx': code`
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export default async function PostPage({ params }: { params: Promise<{ id: string }> }) {
            const { id } = await params;
            const user = await requireUser();
            const post = await db.post.findFirst({ where: { id, authorId: user.id } });
            async function publish() {
              'use server';
              const viewer = await requireUser();
              await db.post.updateMany({ where: { id: post!.id, authorId: viewer.id }, data: { published: true } });
              revalidatePath('/posts');
            }
            return <form action={publish}><button>Publish</button></form>;
          }
        `,
      },
    },
    {
      name: 'a use case that awaits its access check before the write it keys by the client id',
      files: {
        ...APP,
        'lib/use-cases/posts.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';

          export async function isGroupOwner(user: { id: string }, groupId: string) {
            const group = await db.group.findUnique({ where: { id: groupId } });
            return group?.ownerId === user.id;
          }

          export async function assertGroupOwner(user: { id: string }, groupId: string) {
            if (!(await isGroupOwner(user, groupId))) throw new Error('Forbidden');
          }

          export async function deletePostUseCase(user: { id: string }, { postId }: { postId: string }) {
            const post = await db.post.findUniqueOrThrow({ where: { id: postId } });
            if (!isGroupOwner(user, post.groupId) && post.authorId !== user.id) {
              throw new Error('Forbidden');
            }
            await db.post.delete({ where: { id: postId } });
          }

          export async function renameGroupUseCase(user: { id: string }, { groupId, name }: { groupId: string; name: string }) {
            await assertGroupOwner(user, groupId);
            await db.group.update({ where: { id: groupId }, data: { name } });
          }
        `,
        'app/groups/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { renameGroupUseCase } from '@/lib/use-cases/posts';

          export async function renameGroup(input: unknown) {
            const user = await requireUser();
            const { groupId, name } = z.object({ groupId: z.string(), name: z.string().max(80) }).parse(input);
            await renameGroupUseCase(user, { groupId, name });
            revalidatePath('/groups');
          }
        `,
      },
      checks: { renameGroup: { 'server-identity': 'pass' } },
    },
    {
      name: 'the session owner set after the client object, and a column key parsed by an enum of editable fields',
      files: {
        ...APP,
        'app/reports/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const reportSchema = z.object({ reason: z.string(), postId: z.string() });
          const fieldSchema = z.object({ id: z.string(), key: z.enum(['name', 'description']), value: z.string() });

          export async function addReport(input: z.infer<typeof reportSchema>) {
            const user = await requireUser();
            const report = reportSchema.parse(input);
            await db.report.create({ data: { ...report, reporterId: user.id } });
            await db.report.create({ data: { reporterId: user.id, ...report } });
            revalidatePath('/reports');
          }

          export async function updateSite(input: z.infer<typeof fieldSchema>) {
            const user = await requireUser();
            const { id, key, value } = fieldSchema.parse(input);
            await db.site.updateMany({ where: { id, userId: user.id }, data: { [key]: value } });
            revalidatePath('/sites');
          }
        `,
      },
      checks: { addReport: { 'server-identity': 'pass' }, updateSite: { 'server-identity': 'pass' } },
    },
    {
      name: 'access checked by a session ability (CASL) in the action, and by an owner assertion whose result a helper keeps',
      files: {
        ...APP,
        'lib/ability.ts': code`
          import 'server-only';
          export function defineAbilityFor(user: { id: string }) {
            return { cannot: (_action: string, _subject: unknown) => !user.id };
          }
        `,
        'lib/groups.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';

          export async function assertGroupOwner(user: { id: string }, groupId: string) {
            const group = await db.group.findFirst({ where: { id: groupId, ownerId: user.id } });
            if (!group) throw new Error('Forbidden');
            return group;
          }

          export async function toggleGroupVisibility(user: { id: string }, groupId: string) {
            const group = await assertGroupOwner(user, groupId);
            await db.group.update({ where: { id: groupId }, data: { isPublic: !group.isPublic } });
          }

          export async function removeMember(memberId: string) {
            await db.member.delete({ where: { id: memberId } });
          }
        `,
        'app/groups/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';
          import { defineAbilityFor } from '@/lib/ability';
          import { removeMember, toggleGroupVisibility } from '@/lib/groups';

          export async function toggleVisibility(groupId: string) {
            const user = await requireUser();
            await toggleGroupVisibility(user, z.string().parse(groupId));
            revalidatePath('/groups');
          }

          export async function removeMemberAction(input: unknown) {
            const user = await requireUser();
            const { memberId } = z.object({ memberId: z.string() }).parse(input);
            const member = await db.member.findUnique({ where: { id: memberId } });
            const ability = defineAbilityFor(user);
            if (!member || ability.cannot('delete', member)) throw new Error('Forbidden');
            await removeMember(memberId);
            revalidatePath('/groups');
          }
        `,
      },
      checks: { toggleVisibility: { 'server-identity': 'pass' }, removeMemberAction: { 'server-identity': 'pass' } },
    },
  ],
  invalid: [
    {
      name: 'a client user id in a conditions object, then the query keyed by it: one finding, at the id',
      files: {
        ...NEXT_AUTH,
        ...ORDER_MODEL,
        'app/orders/actions.ts': code`
          'use server';
          import { Order } from '@/lib/models/order';

          export async function listOrders({ userId }: { userId: string }) {
            const conditions = { buyer: userId };
            //                          ^^^^^^ server-identity error: 'userId' comes from the client
            const orders = await Order.find(conditions).sort({ createdAt: 'desc' });
            //                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
            return JSON.parse(JSON.stringify(orders));
          }
        `,
      },
    },
    {
      name: "Mongoose: a query chain keyed by the client's user id through a conditions object reads rows of the model",
      files: {
        ...NEXT_AUTH,
        ...ORDER_MODEL,
        'app/orders/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { Order } from '@/lib/models/order';

          export async function getOrdersByUser(input: unknown) {
            const { userId } = z.object({ userId: z.string() }).parse(input);
            const conditions = { buyer: userId };
            const orders = await Order.find(conditions).sort({ createdAt: 'desc' }).limit(10);
            //                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ server-identity error: Order.find().sort().limit() is keyed by a client-supplied id
            //                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth error: returns rows of Order to any caller
            return JSON.parse(JSON.stringify(orders));
          }
        `,
      },
    },
    {
      name: 'a new record filed under a store the client names, with no check the caller may add to it',
      files: {
        ...APP,
        'app/products/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const productSchema = z.object({ name: z.string(), storeId: z.string() });

          export async function addProduct(input: unknown) {
            await requireUser();
            const { name, storeId } = productSchema.parse(input);
            await db.product.create({ data: { name, storeId } });
            //                                      ^^^^^^^ server-identity warning: storeId comes from the client and nothing checks
            revalidatePath('/products');
          }

          export async function addOwnProduct(input: unknown) {
            const user = await requireUser();
            const { name, storeId } = productSchema.parse(input);
            const store = await db.store.findFirst({ where: { id: storeId, ownerId: user.id } });
            if (!store) throw new Error('Not found');
            await db.product.create({ data: { name, storeId } });
            revalidatePath('/products');
          }
        `,
      },
      checks: { addOwnProduct: { 'server-identity': 'pass' } },
    },
    {
      name: 'the client picks an owner column after all: its object spread after the session owner, a column it names',
      files: {
        ...APP,
        'app/reports/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const reportSchema = z.object({ reason: z.string(), postId: z.string() });

          export async function addReport(report: { reason: string; postId: string }) {
            const user = await requireUser();
            await db.report.create({ data: { reporterId: user.id, ...report } });
            //                                                       ^^^^^^ server-identity error: is spread after reporterId
            revalidatePath('/reports');
          }

          export async function updateSite(id: string, key: string, value: string) {
            const user = await requireUser();
            await db.site.updateMany({ where: { id, userId: user.id }, data: { [key]: value } });
            //                                                                 ^^^^^ server-identity error: The client names the column
            revalidatePath('/sites');
          }
        `,
      },
    },
    {
      name: 'an async access check without await never fails: in a use case the action calls, and in the action itself',
      files: {
        ...APP,
        'lib/use-cases/posts.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';

          export async function isGroupOwner(user: { id: string }, groupId: string) {
            const group = await db.group.findUnique({ where: { id: groupId } });
            return group?.ownerId === user.id;
          }

          export async function assertGroupOwner(user: { id: string }, groupId: string) {
            if (!(await isGroupOwner(user, groupId))) throw new Error('Forbidden');
          }

          export async function deletePostUseCase(user: { id: string }, { postId }: { postId: string }) {
            const post = await db.post.findUniqueOrThrow({ where: { id: postId } });
            if (!isGroupOwner(user, post.groupId) && post.authorId !== user.id) {
              throw new Error('Forbidden');
            }
            await db.post.delete({ where: { id: postId } });
          }

          export async function renameGroupUseCase(user: { id: string }, { groupId, name }: { groupId: string; name: string }) {
            await assertGroupOwner(user, groupId);
            await db.group.update({ where: { id: groupId }, data: { name } });
          }
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';
          import { deletePostUseCase, isGroupOwner } from '@/lib/use-cases/posts';

          export async function deletePost(input: unknown) {
            const user = await requireUser();
            const { postId } = z.object({ postId: z.string() }).parse(input);
            await deletePostUseCase(user, { postId });
            //    ^^^^^^^^^^^^^^^^^ server-identity error: deletePostUseCase() relies on a check that never fails: isGroupOwner() is not awaited in its condition in posts.ts
            revalidatePath('/posts');
          }

          export async function pinPost(input: unknown) {
            const user = await requireUser();
            const { postId, groupId } = z.object({ postId: z.string(), groupId: z.string() }).parse(input);
            if (!isGroupOwner(user, groupId)) throw new Error('Forbidden');
            //   ^^^^^^^^^^^^^^^^^^^^^^^^^^^ server-identity error: isGroupOwner() is async but not awaited in this condition
            await db.post.updateMany({ where: { id: postId, groupId }, data: { pinned: true } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { deletePost: { 'server-identity': 'fail' }, pinPost: { 'server-identity': 'fail' } },
    },
    {
      name: 'the article’s first example: a client userId keys the update',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function updateProfile(formData: FormData) {
            const name = String(formData.get('name') ?? '');
            await db.user.update({
              where: { id: String(formData.get('userId')) },
              //                  ^^^^^^^^^^^^^^^^^^^^^^ server-identity error: 'userId' comes from the client
              data: { name },
            });
          }
        `,
      },
      checks: { updateProfile: { 'server-identity': 'fail' } },
    },
    {
      name: 'the article’s bad invite: team and role from FormData',
      files: {
        ...APP,
        'app/team/actions.ts': code`
          'use server';
          import { createInvite } from '@/lib/invites';

          export async function inviteMember(formData: FormData) {
            const email = String(formData.get('email'));
            const teamId = String(formData.get('teamId'));
            //                    ^^^^^^^^^^^^^^^^^^^^^^ server-identity: 'teamId'
            const role = String(formData.get('role'));
            //                  ^^^^^^^^^^^^^^^^^^^^ server-identity: 'role'

            await createInvite({ email, teamId, role });
          }
        `,
      },
    },
    {
      name: 'a bound userId argument (.bind(null, user.id) is sent by the browser)',
      files: {
        ...APP,
        'app/notes/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function addNote(userId: string, formData: FormData) {
            await requireUser();
            const text = z.string().max(500).parse(formData.get('text'));
            await db.note.create({ data: { text, userId } });
            //                                   ^^^^^^ server-identity
            revalidatePath('/notes');
          }
        `,
        'app/notes/page.tsx': code`
          import { requireUser } from '@/lib/auth';
          import { addNote } from './actions';

          export default async function NotesPage() {
            const user = await requireUser();
            return <form action={addNote.bind(null, user.id)}><textarea name="text" /></form>;
          }
        `,
      },
    },
    {
      name: 'ownerId accepted by the action client schema',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { authActionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string(), ownerId: z.string() });

          export const createPost = authActionClient.schema(postSchema).action(async ({ parsedInput }) => {
            await db.post.create({ data: { title: parsedInput.title, ownerId: parsedInput.ownerId } });
            //                                                                ^^^^^^^^^^^^^^^^^^^ server-identity
            revalidatePath('/posts');
          });
        `,
      },
    },
    {
      name: 'a field of a parsed whole FormData, reported once at its use',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string(), authorId: z.string() });

          export async function createPost(formData: FormData) {
            await requireUser();
            const parsed = postSchema.safeParse(Object.fromEntries(formData));
            if (!parsed.success) return { error: 'Invalid post' };
            await db.post.create({ data: { title: parsed.data.title, authorId: parsed.data.authorId } });
            //                                                                 ^^^^^^^^^^^^^^^^^^^^ server-identity
            revalidatePath('/posts');
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'a field spelled out in the parse input is reported at the read, not again on the result',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string(), ownerId: z.string() });

          export async function createPost(formData: FormData) {
            await requireUser();
            const parsed = postSchema.parse({ title: formData.get('title'), ownerId: formData.get('ownerId') });
            //                                                                       ^^^^^^^^^^^^^^^^^^^^^^^ server-identity
            await db.post.create({ data: { title: parsed.title, ownerId: parsed.ownerId } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'privilege from an argument object',
      files: {
        ...APP,
        'app/admin/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function updateMe(input: { name: string; role: string; isAdmin: boolean }) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: { name: input.name, role: input.role, isAdmin: input.isAdmin } });
            //                                                                             ^^^^^^^^^^ server-identity: 'role'
            //                                                                                                  ^^^^^^^^^^^^^ server-identity: 'isAdmin'
            revalidatePath('/admin');
          }
        `,
      },
    },
    {
      name: 'IDOR: a delete keyed only by a client id',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function deletePost(postId: string) {
            await requireUser();
            await db.post.delete({ where: { id: postId } });
            //    ^^^^^^^^^^^^^^ server-identity: db.post.delete() is keyed by a client-supplied id with no owner from the session
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: "Stripe: a billing portal opened for the customer id the client sends",
      files: {
        ...NEXT_AUTH,
        'lib/stripe.ts': code`
          import 'server-only';
          import Stripe from 'stripe';
          export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
        `,
        'app/billing/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { auth } from '@/auth';
          import { stripe } from '@/lib/stripe';

          export async function openCustomerPortal(stripeCustomerId: string) {
            const session = await auth();
            if (!session?.user) throw new Error('Unauthorized');
            const portal = await stripe.billingPortal.sessions.create({ customer: stripeCustomerId, return_url: 'https://example.com/billing' });
            //                                                                    ^^^^^^^^^^^^^^^^ server-identity error: 'customer' comes from the client
            redirect(portal.url);
          }
        `,
      },
    },
    {
      name: 'an organisation handed to the auth provider with the pending sign-in token from a cookie: a warning',
      files: {
        ...NEXT_AUTH,
        'lib/workos.ts': code`
          import 'server-only';
          export const provider = {
            async completeOrgSelection(input: { pendingAuthToken: string; orgId: string }) {
              return { success: input.pendingAuthToken.length > 0, cookies: [] as { name: string; value: string }[] };
            },
          };
        `,
        'app/auth/actions.ts': code`
          'use server';
          import { cookies } from 'next/headers';
          import { auth } from '@/auth';
          import { provider } from '@/lib/workos';

          export async function completeOrgSelection(orgId: string) {
            const pending = (await cookies()).get('pending-session');
            if (!pending) return { success: false };
            const result = await provider.completeOrgSelection({ pendingAuthToken: pending.value, orgId });
            //                                                                                    ^^^^^ server-identity warning: 'orgId' comes from the client and goes to provider.completeOrgSelection() with a credential the server holds
            if (result.success) {
              for (const cookie of result.cookies) (await cookies()).set(cookie.name, cookie.value);
            }
            const session = await auth();
            return { success: result.success, signedIn: !!session };
          }
        `,
      },
    },
    {
      name: 'IDOR after a role check: a warning, since the role may cover every record',
      files: {
        ...APP,
        'lib/permissions.ts': code`
          export function throwIfNoPermission({ role, required }: { role: string; required: string[] }) {
            if (!required.includes(role)) throw new Error('Forbidden');
          }
        `,
        'app/integrations/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';
          import { throwIfNoPermission } from '@/lib/permissions';

          export async function renameIntegration(integrationId: string, name: string) {
            const user = await requireUser();
            throwIfNoPermission({ role: user.role, required: ['owner'] });
            await db.integration.update({ where: { id: integrationId }, data: { name } });
            //    ^^^^^^^^^^^^^^^^^^^^^ server-identity warning: only a role check comes before it
            //                                         ^^^^^^^^^^^^^ validate-input
            revalidatePath('/integrations');
          }
        `,
      },
    },
    {
      name: 'IDOR: a read returned to the client, keyed by a client id',
      files: {
        ...APP,
        'app/billing/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function getInvoice(invoiceId: string) {
            await requireUser();
            return db.invoice.findUnique({ where: { id: invoiceId } });
            //     ^^^^^^^^^^^^^^^^^^^^^ server-identity: db.invoice.findUnique()
          }
        `,
      },
    },
    {
      name: 'IDOR: Drizzle delete by id',
      files: {
        ...DRIZZLE,
        ...NEXT_AUTH,
        'app/posts/actions.ts': code`
          'use server';
          import { eq } from 'drizzle-orm';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { ddb } from '@/lib/drizzle';
          import { posts } from '@/db/schema';

          export async function deletePost(id: string) {
            const session = await auth();
            if (!session?.user?.id) redirect('/login');
            await ddb.delete(posts).where(eq(posts.id, id));
            //    ^^^^^^^^^^^^^^^^^^^^^^^ server-identity
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'a userId argument filters a read',
      files: {
        ...APP,
        'app/notes/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function listNotes(userId: string) {
            await requireUser();
            return db.note.findMany({ where: { userId } });
            //                                 ^^^^^^ server-identity
          }
        `,
      },
    },
  ],
  fixes: [
    {
      name: 'replace a client userId with the session, inserting the session check',
      fix: 'Replace client userId with the session',
      safe: false,
      files: {
        ...DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { auth } from '@/auth';

          export async function updateProfile(formData: FormData) {
            const name = String(formData.get('name') ?? '');
            await db.user.update({
              where: { id: String(formData.get('userId')) },
              data: { name },
            });
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

          export async function updateProfile(formData: FormData) {
            const session = await auth();
            if (!session?.user?.id) {
              throw new Error('Unauthorized');
            }
            const name = String(formData.get('name') ?? '');
            await db.user.update({
              where: { id: session.user.id },
              data: { name },
            });
            revalidatePath('/');
          }
        `,
      },
    },
    {
      name: 'replace a client ownerId with the existing Clerk userId',
      fix: 'Replace client ownerId with the session',
      files: {
        ...DB,
        'app/notes/actions.ts': code`
          'use server';
          import { auth } from '@clerk/nextjs/server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';

          export async function addNote(formData: FormData) {
            const { userId } = await auth();
            if (!userId) throw new Error('Unauthorized');
            await db.note.create({ data: { text: 'New note', ownerId: formData.get('ownerId') as string } });
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

          export async function addNote(formData: FormData) {
            const { userId } = await auth();
            if (!userId) throw new Error('Unauthorized');
            await db.note.create({ data: { text: 'New note', ownerId: userId } });
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'replace a bound userId parameter with the guard’s user, keeping the parameter for callers',
      fix: 'Replace client userId with the session',
      files: {
        ...APP,
        'app/notes/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function addNote(userId: string, formData: FormData) {
            const user = await requireUser();
            const text = z.string().max(500).parse(formData.get('text'));
            await db.note.create({ data: { text, userId } });
            revalidatePath('/notes');
          }
        `,
      },
      output: {
        'app/notes/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function addNote(_userId: string, formData: FormData) {
            const user = await requireUser();
            const text = z.string().max(500).parse(formData.get('text'));
            await db.note.create({ data: { text, userId: user.id } });
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'replace the ownerId in a schema input with the guard’s user',
      fix: 'Replace client ownerId with the session',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string(), ownerId: z.string() });

          export async function createPost(formData: FormData) {
            const user = await requireUser();
            const parsed = postSchema.parse({ title: formData.get('title'), ownerId: formData.get('ownerId') });
            await db.post.create({ data: { title: parsed.title, ownerId: parsed.ownerId } });
            revalidatePath('/posts');
          }
        `,
      },
      output: {
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string(), ownerId: z.string() });

          export async function createPost(formData: FormData) {
            const user = await requireUser();
            const parsed = postSchema.parse({ title: formData.get('title'), ownerId: user.id });
            await db.post.create({ data: { title: parsed.title, ownerId: parsed.ownerId } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'replace a client ownerId with the user the zsa procedure puts in ctx',
      fix: 'Replace client ownerId with the session',
      files: {
        ...APP,
        ...ZSA,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { authedProcedure } from '@/lib/zsa';
          import { db } from '@/lib/db';

          export const createPost = authedProcedure
            .createServerAction()
            .input(z.object({ title: z.string(), ownerId: z.string() }))
            .handler(async ({ input, ctx }) => {
              await db.post.create({ data: { title: input.title, ownerId: input.ownerId } });
            });
        `,
      },
      output: {
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { authedProcedure } from '@/lib/zsa';
          import { db } from '@/lib/db';

          export const createPost = authedProcedure
            .createServerAction()
            .input(z.object({ title: z.string(), ownerId: z.string() }))
            .handler(async ({ input, ctx }) => {
              await db.post.create({ data: { title: input.title, ownerId: ctx.user.id } });
            });
        `,
      },
    },
    {
      name: 'replace a client ownerId with the userId the next-safe-action middleware puts in ctx',
      fix: 'Replace client ownerId with the session',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { authActionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          export const createPost = authActionClient
            .schema(z.object({ title: z.string(), ownerId: z.string() }))
            .action(async ({ parsedInput, ctx }) => {
              await db.post.create({ data: { title: parsedInput.title, ownerId: parsedInput.ownerId } });
            });
        `,
      },
      output: {
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { authActionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          export const createPost = authActionClient
            .schema(z.object({ title: z.string(), ownerId: z.string() }))
            .action(async ({ parsedInput, ctx }) => {
              await db.post.create({ data: { title: parsedInput.title, ownerId: ctx.userId } });
            });
        `,
      },
    },
  ],
  noFixes: [
    {
      name: 'no session replacement when the shape of ctx cannot be seen',
      noFix: /^Replace client/,
      files: {
        ...APP,
        'lib/middleware.ts': code`
          import { auth } from '@/auth';

          export async function authMiddleware({ next }: { next: (o: { ctx: object }) => Promise<unknown> }) {
            const session = await auth();
            if (!session?.user?.id) throw new Error('Unauthorized');
            return next({ ctx: { account: session.user } });
          }
        `,
        'lib/safe-action.ts': code`
          import { createSafeActionClient } from 'next-safe-action';
          import { authMiddleware } from './middleware';

          export const protectedClient = createSafeActionClient().use(authMiddleware);
        `,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { protectedClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          export const createPost = protectedClient
            .schema(z.object({ title: z.string(), ownerId: z.string() }))
            .action(async ({ parsedInput }) => {
              await db.post.create({ data: { title: parsedInput.title, ownerId: parsedInput.ownerId } });
            });
        `,
      },
    },
    {
      name: 'privilege fields (role) have no session equivalent to substitute',
      noFix: /^Replace client/,
      files: {
        ...APP,
        'app/team/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function setRole(formData: FormData) {
            const user = await requireUser();
            await db.membership.updateMany({ where: { userId: user.id }, data: { role: String(formData.get('role')) } });
          }
        `,
      },
    },
  ],
});
