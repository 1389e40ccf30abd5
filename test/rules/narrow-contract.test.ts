import { APP, NEXT_AUTH, SAFE_ACTION } from './fixtures';
import { code, ruleTester } from './tester';

const DRIZZLE = {
  'lib/drizzle.ts': code`
    import 'server-only';
    import { drizzle } from 'drizzle-orm/node-postgres';

    export const ddb = drizzle(process.env.DATABASE_URL!);
  `,
};

ruleTester('narrow-contract', {
  valid: [
    {
      name: 'spreading the parsed input of a schema that lists only what a user may set',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string().max(120), body: z.string() });

          export async function createPost(raw: unknown) {
            const user = await requireUser();
            const input = postSchema.parse(raw);
            await db.post.create({ data: { ...input, authorId: user.id } });
            revalidatePath('/posts');
          }
        `,
      },
      checks: { createPost: { 'narrow-contract': 'pass' } },
    },
    {
      name: 'a schema lists the accepted fields, the write names them',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const settingsSchema = z.object({ name: z.string().max(80), bio: z.string().max(280) });

          export async function updateSettings(formData: FormData) {
            const user = await requireUser();
            const parsed = settingsSchema.parse(Object.fromEntries(formData));
            await db.user.update({ where: { id: user.id }, data: { name: parsed.name, bio: parsed.bio } });
            revalidatePath('/settings');
          }
        `,
      },
      checks: { updateSettings: { 'narrow-contract': 'pass' } },
    },
    {
      name: 'a strict schema’s output written whole',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const settingsSchema = z.object({ name: z.string().max(80), bio: z.string().max(280) }).strict();

          export async function updateSettings(input: unknown) {
            const user = await requireUser();
            const data = settingsSchema.parse(input);
            await db.user.update({ where: { id: user.id }, data });
            revalidatePath('/settings');
          }
        `,
      },
    },
    {
      name: 'server defaults spread next to fields picked from parsed input',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const DEFAULTS = { published: false, locale: 'en' };
          const postSchema = z.object({ title: z.string().max(120), body: z.string().max(20000) });

          export async function createPost(input: unknown) {
            const user = await requireUser();
            const parsed = postSchema.parse(input);
            await db.post.create({ data: { ...DEFAULTS, title: parsed.title, body: parsed.body, authorId: user.id } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'hidden inputs that carry no identity, and identity inputs in forms that do not post to an action',
      files: {
        'app/posts/[id]/page.tsx': code`
          import { addComment } from './actions';

          export default function PostPage({ postId, userId }: { postId: string; userId: string }) {
            return (
              <>
                <form action={addComment}>
                  <input type="hidden" name="postId" value={postId} />
                  <input type="text" name="comment" />
                </form>
                <form action="/search" method="get">
                  <input type="hidden" name="userId" value={userId} />
                </form>
              </>
            );
          }
        `,
      },
    },
    {
      name: 'an assignee field named user, and an owner id taken from a row the server looked up',
      files: {
        ...APP,
        'app/tasks/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const taskSchema = z.object({ title: z.string().max(200), user: z.string(), email: z.string().email() });

          export async function createTask(input: unknown) {
            const me = await requireUser();
            const { title, user, email } = taskSchema.parse(input);
            const invitee = await db.user.findUniqueOrThrow({ where: { email } });
            await db.task.create({ data: { title, user, createdBy: me.id } });
            await db.invite.create({ data: { userId: invitee.id, invitedBy: me.id } });
            revalidatePath('/tasks');
          }
        `,
      },
      checks: { createTask: { 'narrow-contract': 'pass' } },
    },
  ],
  invalid: [
    {
      name: 'the rest of an object literal that spreads the client object, spread into a write',
      files: {
        ...APP,
        'app/comments/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function addComment(comment: { text: string; rootId: number }) {
            const user = await requireUser();
            const { rootId, ...fields } = { ...comment, challengeId: comment.rootId };
            await db.comment.create({ data: { ...fields, userId: user.id } });
            //                                   ^^^^^^ narrow-contract: Spreading 'fields' into a write
            revalidatePath('/comments');
          }
        `,
      },
    },
    {
      name: 'the owner of a new record set from client input: one finding that also fails server-identity',
      files: {
        ...APP,
        'app/tasks/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          const taskSchema = z.object({ title: z.string().max(200), user: z.string() });

          export async function createTask(input: unknown) {
            await requireUser();
            const { title, user } = taskSchema.parse(input);
            await db.task.create({ data: { title, createdBy: user } });
            //                                               ^^^^ narrow-contract: 'createdBy' is set from client input
            revalidatePath('/tasks');
          }
        `,
      },
      checks: { createTask: { 'narrow-contract': 'fail', 'server-identity': 'fail' } },
    },
    {
      name: 'Object.fromEntries(formData) written as is',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function updateSettings(formData: FormData) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: Object.fromEntries(formData) });
            //                                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ narrow-contract warning: Object.fromEntries(formData) accepts every field the client sends
            revalidatePath('/settings');
          }
        `,
      },
      checks: { updateSettings: { 'narrow-contract': 'fail' } },
    },
    {
      name: 'the whole parsed input of a schema with an owner field spread into a write (safeParse data, parse result, action-client input)',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { authActionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          const postSchema = z.object({ title: z.string().max(120), body: z.string(), authorId: z.string().optional() });

          export async function createPost(formData: FormData) {
            const user = await requireUser();
            const parsed = postSchema.safeParse({ title: formData.get('title'), body: formData.get('body') });
            if (!parsed.success) return { error: 'Invalid post' };
            await db.post.create({ data: { ...parsed.data, authorId: user.id } });
            //                                ^^^^^^^^^^^ narrow-contract warning: Spreading the whole parsed input 'parsed.data'
            revalidatePath('/posts');
            return { ok: true };
          }

          export async function updatePost(id: string, raw: unknown) {
            const user = await requireUser();
            const input = postSchema.parse(raw);
            await db.post.updateMany({ where: { id: z.string().parse(id), authorId: user.id }, data: { ...input } });
            //                                                                                            ^^^^^ narrow-contract
            revalidatePath('/posts');
          }

          export const draftPost = authActionClient.schema(postSchema).action(async ({ parsedInput, ctx }) => {
            await db.post.create({ data: { ...parsedInput, authorId: ctx.userId, draft: true } });
            //                                ^^^^^^^^^^^ narrow-contract
            revalidatePath('/posts');
          });
        `,
      },
      checks: { createPost: { 'narrow-contract': 'fail' }, updatePost: { 'narrow-contract': 'fail' }, draftPost: { 'narrow-contract': 'fail' } },
    },
    {
      name: 'a client object written whole or spread',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function replaceProfile(profile: { name: string; bio: string }) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: profile });
            //                                                   ^^^^^^^ narrow-contract: 'profile' is written as a whole
            revalidatePath('/settings');
          }

          export async function patchProfile(patch: { name?: string }) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: { ...patch, updatedAt: new Date() } });
            //                                                        ^^^^^ narrow-contract: Spreading 'patch' into a write
            revalidatePath('/settings');
          }
        `,
      },
    },
    {
      name: 'Mongoose: Model.create(obj), findOneAndUpdate(filter, obj), and an object destructured from the argument spread into create',
      files: {
        ...NEXT_AUTH,
        'lib/models/event.ts': code`
          import 'server-only';
          import mongoose from 'mongoose';
          const schema = new mongoose.Schema({ title: String, organizer: String, price: Number });
          export const Event = mongoose.models.Event ?? mongoose.model('Event', schema);
        `,
        'app/events/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { Event } from '@/lib/models/event';

          type EventInput = { title: string; price: number };

          export async function createEvent(event: EventInput) {
            const session = await auth();
            if (!session?.user?.id) throw new Error('Unauthorized');
            await Event.create(event);
            //                 ^^^^^ narrow-contract: 'event' is written as a whole
            revalidatePath('/events');
          }

          export async function renameEvent(id: string, changes: EventInput) {
            const session = await auth();
            if (!session?.user?.id) throw new Error('Unauthorized');
            await Event.findOneAndUpdate({ _id: id, organizer: session.user.id }, changes);
            //                                                                    ^^^^^^^ narrow-contract: 'changes' is written as a whole
            revalidatePath('/events');
          }

          export async function copyEvent({ event }: { event: EventInput }) {
            const session = await auth();
            if (!session?.user?.id) throw new Error('Unauthorized');
            await Event.create({ ...event, organizer: session.user.id });
            //                      ^^^^^ narrow-contract: Spreading 'event' into a write
            revalidatePath('/events');
          }
        `,
      },
    },
    {
      name: 'the amount charged computed from client prices: one finding per charge, the other amounts related',
      files: {
        ...APP,
        'app/checkout/actions.ts': code`
          'use server';
          import Stripe from 'stripe';
          import { requireUser } from '@/lib/auth';

          const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '');
          type Item = { id: string; price: number; qty: number };

          export async function createPaymentIntent(items: Item[]) {
            await requireUser();
            const total = items.reduce((sum, item) => sum + item.price * item.qty, 0);
            const intent = await stripe.paymentIntents.create({ amount: Math.round(total * 100), currency: 'usd', application_fee_amount: Math.round(total * 5) });
            //                                                          ^^^^^^^^^^^^^^^^^^^^^^^ narrow-contract: The amounts charged ('amount' and 'application_fee_amount') are computed from what the client sent
            return { clientSecret: intent.client_secret };
          }

          export async function checkout(ticket: { title: string; price: number }) {
            await requireUser();
            const session = await stripe.checkout.sessions.create({
              mode: 'payment',
              line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: ticket.price * 100, product_data: { name: ticket.title } } }],
              //                                                                      ^^^^^^^^^^^^^^^^^^ narrow-contract: The amount charged ('unit_amount') is computed from what the client sent
            });
            return session.url;
          }
        `,
      },
    },
    {
      name: 'Mongoose: a document constructed with the owner from client input, then saved',
      files: {
        ...NEXT_AUTH,
        'lib/models/thread.ts': code`
          import 'server-only';
          import { model, models, Schema } from 'mongoose';
          const ThreadSchema = new Schema({ text: String, author: String });
          export const Thread = models.Thread || model('Thread', ThreadSchema);
        `,
        'app/threads/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { Thread } from '@/lib/models/thread';

          export async function addComment(input: unknown) {
            const session = await auth();
            if (!session?.user) throw new Error('Unauthorized');
            const { text, author } = z.object({ text: z.string().max(500), author: z.string() }).parse(input);
            const comment = new Thread({ text, author });
            //                                 ^^^^^^ narrow-contract: 'author' is set from client input
            await comment.save();
            revalidatePath('/threads');
          }
        `,
      },
    },
    {
      name: 'Object.fromEntries spread into a write, or through a variable',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function updateSettings(formData: FormData) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: { ...Object.fromEntries(formData) } });
            //                                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ narrow-contract
            revalidatePath('/settings');
          }

          export async function updatePreferences(formData: FormData) {
            const user = await requireUser();
            const data = Object.fromEntries(formData);
            //           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ narrow-contract
            await db.preferences.update({ where: { userId: user.id }, data });
            revalidatePath('/settings');
          }
        `,
      },
    },
    {
      name: 'a Supabase update with a client object',
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
        'app/profile/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { revalidatePath } from 'next/cache';
          import { createClient } from '@/utils/supabase/server';

          export async function updateProfile(updates: Record<string, string>) {
            const supabase = await createClient();
            const {
              data: { user },
            } = await supabase.auth.getUser();
            if (!user) redirect('/login');
            await supabase.from('profiles').update(updates).eq('id', user.id);
            //                                     ^^^^^^^ narrow-contract: 'updates' is written as a whole
            revalidatePath('/profile');
          }
        `,
      },
    },
    {
      name: 'Drizzle .set() and .values() with a client object',
      files: {
        ...APP,
        ...DRIZZLE,
        'app/notes/actions.ts': code`
          'use server';
          import { eq } from 'drizzle-orm';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { ddb } from '@/lib/drizzle';
          import { notes } from '@/db/schema';

          export async function createNote(note: { title: string }) {
            await requireUser();
            await ddb.insert(notes).values(note);
            //                             ^^^^ narrow-contract
            revalidatePath('/notes');
          }

          export async function editNotes(changes: { title: string }) {
            const user = await requireUser();
            await ddb.update(notes).set(changes).where(eq(notes.userId, user.id));
            //                          ^^^^^^^ narrow-contract
            revalidatePath('/notes');
          }
        `,
      },
    },
    {
      name: 'hidden identity and privilege inputs in forms posting to actions',
      files: {
        'components/ProfileForm.tsx': code`
          'use client';
          import { updateProfile } from '@/app/settings/actions';

          export function ProfileForm({ userId, teamId }: { userId: string; teamId: string }) {
            return (
              <form action={updateProfile.bind(null, teamId)}>
                <input type="hidden" name="ownerId" value={userId} />
              //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ narrow-contract: Hidden input 'ownerId'
                <input type="hidden" name={'role'} value="member" />
              //^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ narrow-contract: Hidden input 'role'
                <input name="displayName" />
              </form>
            );
          }
        `,
      },
    },
  ],
});
