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
    {
      name: 'every component that calls it refreshes afterwards: router.refresh(), an SWR mutate helper, a prop of a component that refreshes',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archivePost(id: string) {
            const user = await requireUser();
            await db.post.updateMany({ where: { id, authorId: user.id }, data: { archived: true } });
          }
        `,
        'components/ArchiveButton.tsx': code`
          'use client';
          import { useRouter } from 'next/navigation';
          import { archivePost } from '@/app/posts/actions';

          export function ArchiveButton({ id }: { id: string }) {
            const router = useRouter();
            return <button onClick={async () => { await archivePost(id); router.refresh(); }}>Archive</button>;
          }
        `,
        'components/use-archive.ts': code`
          import { useAction } from 'next-safe-action/hooks';
          import { mutatePrefix } from '@/lib/swr/mutate';
          import { archivePost } from '../app/posts/actions';

          export function useArchive() {
            return useAction(archivePost, { onSuccess: () => mutatePrefix('/api/posts') });
          }
        `,
        'components/ArchiveMenu.tsx': code`
          'use client';
          import { useRouter } from 'next/navigation';
          import type { archivePost } from '@/app/posts/actions';

          type Props = { archive: typeof archivePost; id: string };
          export function ArchiveMenu({ archive, id }: Props) {
            const router = useRouter();
            return <button onClick={() => archive(id).then(() => router.refresh())}>Archive</button>;
          }
        `,
        'app/posts/[id]/page.tsx': code`
          import { ArchiveMenu } from '@/components/ArchiveMenu';
          import { archivePost } from '../actions';

          export default function Page({ params }: { params: { id: string } }) {
            return <ArchiveMenu archive={archivePost} id={params.id} />;
          }
        `,
      },
      checks: { archivePost: { 'revalidate-after-write': 'pass' } },
    },
    {
      name: 'the result put into the state the component renders, right after the call',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function upvote(id: string) {
            const user = await requireUser();
            const post = await db.post.update({ where: { id }, data: { votes: { increment: 1 } } });
            return post.votes;
          }
        `,
        'components/Vote.tsx': code`
          'use client';
          import { useState } from 'react';
          import { upvote } from '@/app/posts/actions';

          export function Vote({ id, initial }: { id: string; initial: number }) {
            const [votes, setVotes] = useState(initial);
            const [isLoading, setIsLoading] = useState(false);
            return (
              <button
                onClick={async () => {
                  setIsLoading(true);
                  setVotes(await upvote(id));
                  setIsLoading(false);
                }}
              >
                {isLoading ? '…' : votes}
              </button>
            );
          }
        `,
      },
      checks: { upvote: { 'revalidate-after-write': 'pass' } },
    },
    {
      name: 'sign-in flows and file storage write nothing a page renders',
      files: {
        ...APP,
        'lib/s3.ts': code`
          import 'server-only';
          import { S3Client } from '@aws-sdk/client-s3';
          export const s3 = new S3Client({});
        `,
        'app/(auth)/actions.ts': code`
          'use server';
          import { DeleteObjectCommand } from '@aws-sdk/client-s3';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';
          import { s3 } from '@/lib/s3';

          export async function requestPasswordReset(formData: FormData) {
            const { email } = z.object({ email: z.string().email() }).parse({ email: formData.get('email') });
            await db.passwordResetToken.create({ data: { email, token: crypto.randomUUID() } });
          }

          export async function removeUpload(key: string) {
            const user = await requireUser();
            await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: \`\${user.id}/\${z.string().parse(key)}\` }));
          }
        `,
      },
      checks: { requestPasswordReset: { 'revalidate-after-write': 'n/a' }, removeUpload: { 'revalidate-after-write': 'n/a' } },
    },
    {
      name: 'handed on as a prop (directly or inside an object) to a component that refreshes after calling it',
      files: {
        ...APP,
        'lib/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function editUser(name: string) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: { name } });
          }
          export async function renameProduct(id: string, name: string) {
            const user = await requireUser();
            await db.product.updateMany({ where: { id, ownerId: user.id }, data: { name } });
          }
        `,
        'app/settings/page.tsx': code`
          import Form from '@/components/form';
          import { ProductEditor } from '@/components/product-editor';
          import { editUser, renameProduct } from '@/lib/actions';

          export default function Page() {
            return (
              <>
                <Form title="Name" handleSubmit={editUser} />
                <ProductEditor actions={{ renameProduct }} />
              </>
            );
          }
        `,
        'components/form.tsx': code`
          'use client';
          import { useRouter } from 'next/navigation';

          export default function Form({ title, handleSubmit }: { title: string; handleSubmit: (name: string) => Promise<void> }) {
            const router = useRouter();
            return <form action={async (data) => { await handleSubmit(String(data.get('name'))); router.refresh(); }}>{title}</form>;
          }
        `,
        'components/product-editor.tsx': code`
          'use client';
          import { useRouter } from 'next/navigation';

          export function ProductEditor(props: { actions: { renameProduct: (id: string, name: string) => Promise<void> } }) {
            const router = useRouter();
            const save = async () => {
              await props.actions.renameProduct('1', 'x');
              router.push('/products');
            };
            return <button onClick={save}>Save</button>;
          }
        `,
      },
      checks: { editUser: { 'revalidate-after-write': 'pass' }, renameProduct: { 'revalidate-after-write': 'pass' } },
    },
    {
      name: 'state set around a wrapped call (useAction, a debounced call), a sync during a server render, bookkeeping writes',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function setRole(id: string, role: string) {
            const user = await requireUser();
            await db.member.updateMany({ where: { id, teamId: user.teamId }, data: { role } });
          }
          export async function vote(postId: string) {
            const user = await requireUser();
            await db.vote.create({ data: { postId, userId: user.id } });
          }
          export async function syncStatus() {
            const user = await requireUser();
            await db.payment.updateMany({ where: { userId: user.id }, data: { detailsSubmitted: true } });
          }
          export async function startCheckout(cartId: string) {
            const user = await requireUser();
            await db.cart.updateMany({ where: { id: cartId, userId: user.id }, data: { paymentIntentId: 'pi_1', clientSecret: 's' } });
            return { ok: true };
          }
        `,
        'components/role-select.tsx': code`
          'use client';
          import { useState } from 'react';
          import { useAction } from 'next-safe-action/hooks';
          import { setRole as saveRole } from '@/app/actions';

          export function RoleSelect({ id }: { id: string }) {
            const [role, setRole] = useState('member');
            const { executeAsync } = useAction(saveRole);
            return <select value={role} onChange={(e) => { void executeAsync(id, e.target.value); setRole(e.target.value); }} />;
          }
        `,
        'components/vote.tsx': code`
          'use client';
          import { useRef, useState } from 'react';
          import { vote } from '@/app/actions';

          const debounce = <T extends (...args: never[]) => unknown>(fn: T) => fn;

          export function Vote({ postId, count }: { postId: string; count: number }) {
            const [votes, setVotes] = useState(count);
            const send = useRef(debounce(async () => { await vote(postId); })).current;
            return <button onClick={() => { setVotes((v) => v + 1); void send(); }}>{votes}</button>;
          }
        `,
        'app/payments/page.tsx': code`
          import { syncStatus } from '@/app/actions';

          export default async function PaymentsPage() {
            await syncStatus();
            return <p>Payments</p>;
          }
        `,
      },
      checks: {
        setRole: { 'revalidate-after-write': 'pass' },
        vote: { 'revalidate-after-write': 'pass' },
        syncStatus: { 'revalidate-after-write': 'pass' },
        startCheckout: { 'revalidate-after-write': 'n/a' },
      },
    },
    {
      name: 'called through a project hook that refreshes on success',
      files: {
        ...APP,
        'lib/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function mutePoll(id: string) {
            const user = await requireUser();
            await db.poll.updateMany({ where: { id, userId: user.id }, data: { muted: true } });
          }
        `,
        'lib/use-safe-action.ts': code`
          'use client';
          import { useRouter } from 'next/navigation';

          export function useSafeAction<A extends (...args: never[]) => Promise<unknown>>(action: A) {
            const router = useRouter();
            return async (...args: Parameters<A>) => {
              const result = await action(...args);
              router.refresh();
              return result;
            };
          }
        `,
        'components/mute.tsx': code`
          'use client';
          import { mutePoll } from '@/lib/actions';
          import { useSafeAction } from '@/lib/use-safe-action';

          export function Mute({ id }: { id: string }) {
            const mute = useSafeAction(mutePoll);
            return <button onClick={() => void mute(id)}>Mute</button>;
          }
        `,
      },
      checks: { mutePoll: { 'revalidate-after-write': 'pass' } },
    },
  ],
  invalid: [
    {
      name: 'a server render that places an order: other pages show the new rows',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function placeOrder(cartId: string) {
            const user = await requireUser();
            await db.order.create({ data: { cartId, userId: user.id } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write warning: changes data but nothing is revalidated
          }
        `,
        'app/checkout/success/page.tsx': code`
          import { placeOrder } from '@/app/actions';

          export default async function SuccessPage() {
            await placeOrder('cart');
            return <p>Thanks</p>;
          }
        `,
      },
    },
    {
      name: 'handed on as a prop to a component that calls it and refreshes nothing',
      files: {
        ...APP,
        'lib/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function editUser(name: string) {
            const user = await requireUser();
            await db.user.update({ where: { id: user.id }, data: { name } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write warning: changes data but nothing is revalidated
          }
        `,
        'app/settings/page.tsx': code`
          import Form from '@/components/form';
          import { editUser } from '@/lib/actions';

          export default function Page() {
            return <Form handleSubmit={editUser} />;
          }
        `,
        'components/form.tsx': code`
          'use client';
          export default function Form({ handleSubmit }: { handleSubmit: (name: string) => Promise<void> }) {
            return <form action={async (data) => { await handleSubmit(String(data.get('name'))); }} />;
          }
        `,
      },
    },
    {
      name: 'one component calls it and does not refresh, another does: an info names the silent one',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function archivePost(id: string) {
            const user = await requireUser();
            await db.post.updateMany({ where: { id, authorId: user.id }, data: { archived: true } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ revalidate-after-write info: and ArchiveLink.tsx does not refresh after calling it
          }
        `,
        'components/ArchiveButton.tsx': code`
          'use client';
          import { useRouter } from 'next/navigation';
          import { archivePost } from '@/app/posts/actions';

          export function ArchiveButton({ id }: { id: string }) {
            const router = useRouter();
            return <button onClick={async () => { await archivePost(id); router.refresh(); }}>Archive</button>;
          }
        `,
        'components/ArchiveLink.tsx': code`
          'use client';
          import { useState } from 'react';
          import { archivePost } from '@/app/posts/actions';

          export function ArchiveLink({ id }: { id: string }) {
            const [title, setTitle] = useState('');
            return (
              <>
                <input value={title} onChange={(e) => setTitle(e.target.value)} />
                <a onClick={() => void archivePost(id)}>Archive</a>
              </>
            );
          }
        `,
        'app/posts/archive.test.ts': code`
          import { archivePost } from './actions';
          export const calls = () => archivePost('1');
        `,
      },
      // An info finding: the check stays a pass, unverified.
      checks: { archivePost: { 'revalidate-after-write': 'pass' } },
    },
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
