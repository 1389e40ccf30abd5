import { APP, DB, REQUIRE_USER, SAFE_ACTION, ZSA } from './fixtures';
import { code, ruleTester } from './tester';

ruleTester('validate-input', {
  valid: [
    {
      name: 'a user id checked equal to the session before anything else: only the session id passes',
      files: {
        ...DB,
        'auth.ts': code`
          import 'server-only';
          import NextAuth from 'next-auth';
          import GitHub from 'next-auth/providers/github';
          export const { auth } = NextAuth({ providers: [GitHub] });
        `,
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';

          export async function updateUserName(userId: string, data: unknown) {
            const session = await auth();
            if (!session?.user || session.user.id !== userId) throw new Error('Unauthorized');
            const { name } = z.object({ name: z.string().min(1).max(80) }).parse(data);
            await db.user.update({ where: { id: userId }, data: { name } });
            revalidatePath('/settings');
          }
        `,
      },
      checks: { updateUserName: { 'validate-input': 'pass', 'server-identity': 'pass' } },
    },
    {
      name: 'zod safeParse of FormData fields with an early return (the article)',
      files: {
        ...APP,
        'app/profile/actions.ts': code`
          'use server';

          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          const profileSchema = z.object({
            name: z.string().trim().min(2).max(80),
            bio: z.string().trim().max(280),
          });

          export async function updateProfile(formData: FormData) {
            const user = await requireUser();
            const parsed = profileSchema.safeParse({
              name: formData.get('name'),
              bio: formData.get('bio'),
            });

            if (!parsed.success) {
              return {
                ok: false,
                error: 'Please submit a valid profile update.',
                fieldErrors: parsed.error.flatten().fieldErrors,
              };
            }

            await db.user.update({ where: { id: user.id }, data: { name: parsed.data.name, bio: parsed.data.bio } });
            revalidatePath('/profile');
            return { ok: true };
          }
        `,
      },
      checks: { updateProfile: { 'validate-input': 'pass' } },
    },
    {
      name: 'the Next.js tutorial: a schema derived with .omit() and named without "schema", a useActionState signature',
      files: code`
        'use server';
        import { z } from 'zod';
        import { revalidatePath } from 'next/cache';
        import { redirect } from 'next/navigation';
        import postgres from 'postgres';

        const sql = postgres(process.env.POSTGRES_URL!, { ssl: 'require' });

        const FormSchema = z.object({
          id: z.string(),
          customerId: z.string({ invalid_type_error: 'Please select a customer.' }),
          amount: z.coerce.number().gt(0, { message: 'Please enter an amount greater than $0.' }),
          status: z.enum(['pending', 'paid']),
          date: z.string(),
        });

        const CreateInvoice = FormSchema.omit({ id: true, date: true });

        export type State = { errors?: Record<string, string[] | undefined>; message?: string | null };

        export async function createInvoice(prevState: State, formData: FormData) {
          const validatedFields = CreateInvoice.safeParse({
            customerId: formData.get('customerId'),
            amount: formData.get('amount'),
            status: formData.get('status'),
          });
          if (!validatedFields.success) {
            return { errors: validatedFields.error.flatten().fieldErrors, message: 'Missing Fields. Failed to Create Invoice.' };
          }
          const { customerId, amount, status } = validatedFields.data;
          const date = new Date().toISOString().split('T')[0];
          try {
            await sql\`INSERT INTO invoices (customer_id, amount, status, date) VALUES (\${customerId}, \${amount * 100}, \${status}, \${date})\`;
          } catch (error) {
            return { message: 'Database Error: Failed to Create Invoice.' };
          }
          revalidatePath('/dashboard/invoices');
          redirect('/dashboard/invoices');
        }
      `,
      checks: { createInvoice: { 'validate-input': 'pass', 'safe-errors': 'pass', 'revalidate-after-write': 'pass' } },
    },
    {
      name: 'zod parse of Object.fromEntries(formData)',
      files: code`
        'use server';
        import { z } from 'zod';

        const contactSchema = z.object({ email: z.string().email(), message: z.string().max(2000) });

        export async function previewMessage(formData: FormData) {
          const input = contactSchema.parse(Object.fromEntries(formData));
          return { preview: input.message.slice(0, 80) };
        }
      `,
    },
    {
      name: 'valibot safeParse with a success check',
      files: code`
        'use server';
        import * as v from 'valibot';

        const NoteSchema = v.object({ text: v.pipe(v.string(), v.maxLength(500)) });

        export async function checkNote(formData: FormData) {
          const result = v.safeParse(NoteSchema, { text: formData.get('text') });
          if (!result.success) return { error: 'Invalid note' };
          return { length: result.output.text.length };
        }
      `,
    },
    {
      name: 'valibot parse of an argument',
      files: code`
        'use server';
        import { parse, object, string, email } from 'valibot';
        import * as v from 'valibot';

        const Subscriber = object({ email: v.pipe(string(), email()) });

        export async function normalizeSubscriber(input: unknown) {
          const subscriber = parse(Subscriber, input);
          return subscriber.email.toLowerCase();
        }
      `,
    },
    {
      name: 'yup validate',
      files: code`
        'use server';
        import * as yup from 'yup';

        const signupSchema = yup.object({ email: yup.string().email().required() });

        export async function checkEmail(formData: FormData) {
          const values = await signupSchema.validate({ email: formData.get('email') });
          return values.email;
        }
      `,
    },
    {
      name: 'an id argument parsed with z.string().uuid()',
      files: code`
        'use server';
        import { z } from 'zod';

        export async function describePost(id: unknown) {
          const postId = z.string().uuid().parse(id);
          return \`post \${postId}\`;
        }
      `,
    },
    {
      name: 'next-safe-action: parsedInput is validated by .schema()',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/todos/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { authActionClient } from '@/lib/safe-action';
          import { db } from '@/lib/db';

          const schema = z.object({ title: z.string().min(1).max(120) });

          export const createTodo = authActionClient.schema(schema).action(async ({ parsedInput, ctx }) => {
            await db.todo.create({ data: { title: parsedInput.title, userId: ctx.userId } });
            revalidatePath('/todos');
          });

          export const renameTodo = authActionClient
            .inputSchema(schema)
            .action(async ({ parsedInput: { title }, ctx }) => {
              await db.todo.updateMany({ where: { userId: ctx.userId }, data: { title } });
              revalidatePath('/todos');
            });
        `,
      },
      checks: { createTodo: { 'validate-input': 'pass' }, renameTodo: { 'validate-input': 'pass' } },
    },
    {
      name: 'zsa: input is validated by .input()',
      files: {
        ...APP,
        ...ZSA,
        'app/todos/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { authedProcedure } from '@/lib/zsa';

          export const echoTitle = authedProcedure
            .createServerAction()
            .input(z.object({ title: z.string().max(120) }))
            .handler(async ({ input }) => input.title.trim());
        `,
      },
    },
    {
      name: 'a project validation function named in validationFunctions',
      settings: { validationFunctions: ['validateProfile'] },
      files: {
        'lib/validation.ts': code`
          export function validateProfile(input: { name: unknown }) {
            if (typeof input.name !== 'string' || input.name.length > 80) throw new Error('Invalid name');
            return { name: input.name };
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { validateProfile } from '@/lib/validation';

          export async function previewName(formData: FormData) {
            const profile = validateProfile({ name: formData.get('name') });
            return profile.name;
          }
        `,
      },
    },
    {
      name: 'zod-form-data parses the FormData object itself',
      files: code`
        'use server';
        import { zfd } from 'zod-form-data';

        const schema = zfd.formData({ quantity: zfd.numeric() });

        export async function quote(formData: FormData) {
          const { quantity } = schema.parse(formData);
          return quantity * 10;
        }
      `,
    },
    {
      name: 'an action that reads no client input',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';

          export async function whoAmI() {
            const user = await requireUser();
            return user.name;
          }
        `,
      },
      checks: { whoAmI: { 'validate-input': 'n/a' } },
    },
    {
      name: 'safeParse checked with a throw',
      files: code`
        'use server';
        import { z } from 'zod';

        const idSchema = z.object({ id: z.string().cuid() });

        export async function normalizeId(formData: FormData) {
          const result = idSchema.safeParse({ id: formData.get('id') });
          if (!result.success) throw new Error('Invalid id');
          return result.data.id;
        }
      `,
    },
    {
      name: 'inline action in a server component validating its FormData',
      files: {
        ...APP,
        'app/notes/page.tsx': code`
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          const noteSchema = z.object({ text: z.string().min(1).max(500) });

          export default function NotesPage() {
            async function addNote(formData: FormData) {
              'use server';
              const user = await requireUser();
              const parsed = noteSchema.safeParse({ text: formData.get('text') });
              if (!parsed.success) return;
              await db.note.create({ data: { text: parsed.data.text, userId: user.id } });
              revalidatePath('/notes');
            }
            return (
              <form action={addNote}>
                <textarea name="text" />
              </form>
            );
          }
        `,
      },
    },
    {
      name: 'a parse used as an assertion before the value is used, and a value that only picks a literal',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function deleteProduct(productId: number) {
            const user = await requireUser();
            z.number().int().parse(productId);
            await db.product.deleteMany({ where: { id: productId, ownerId: user.id } });
            revalidatePath('/products');
          }

          export async function setAutoUpdate(enabled: boolean) {
            const user = await requireUser();
            await db.setting.updateMany({ where: { userId: user.id }, data: { value: enabled ? 'true' : 'false' } });
            revalidatePath('/settings');
          }
        `,
      },
      checks: { deleteProduct: { 'validate-input': 'pass' }, setAutoUpdate: { 'validate-input': 'pass' } },
    },
  ],
  invalid: [
    {
      name: 'a parse used as an assertion checks only the fields its object schema names',
      files: {
        ...APP,
        'app/products/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function createProduct(values: { name: string; images: string }) {
            const user = await requireUser();
            const schema = z.object({ name: z.string().min(1) });
            schema.parse(values);
            await db.product.create({ data: { name: values.name, images: values.images, ownerId: user.id } });
            //                                                           ^^^^^^^^^^^^^ validate-input: Argument 'values.images' comes from the client
            revalidatePath('/products');
          }
        `,
      },
    },
    {
      name: 'FormData fields used raw (the article’s first example)',
      files: {
        ...DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function updateProfile(formData: FormData) {
            const name = String(formData.get('name') ?? '');
            //                  ^^^^^^^^^^^^^^^^^^^^ validate-input: FormData field 'name' is used without validation
            await db.user.update({
              where: { id: String(formData.get('userId')) },
              //                  ^^^^^^^^^^^^^^^^^^^^^^ validate-input: 'userId' comes from the client
              data: { name },
            });
          }
        `,
      },
      checks: { updateProfile: { 'validate-input': 'fail' } },
    },
    {
      name: 'getAll and a cast',
      files: code`
        'use server';

        export async function tagPost(formData: FormData) {
          const title = formData.get('title') as string;
          //            ^^^^^^^^^^^^^^^^^^^^^ validate-input: FormData fields 'title' and 'tags'
          const tags = formData.getAll('tags');
          return { title, tags };
        }
      `,
    },
    {
      name: 'the whole FormData through Object.fromEntries',
      files: code`
        'use server';

        export async function echo(formData: FormData) {
          const all = Object.fromEntries(formData.entries());
          //          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ validate-input: The whole FormData is used without validation
          return all;
        }
      `,
    },
    {
      name: 'an argument used without a schema',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export async function renamePost(postId: string, title: string) {
            const user = await requireUser();
            await db.post.updateMany({ where: { id: postId, authorId: user.id }, data: { title } });
            //                                      ^^^^^^ validate-input: Arguments 'postId' and 'title' come from the client
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'destructured argument fields are named by their field',
      files: code`
        'use server';

        export async function greet({ title, name }: { title: string; name: string }) {
          return title + ' ' + name;
          //     ^^^^^ validate-input: Arguments 'title' and 'name' come from the client
        }
      `,
    },
    {
      name: 'a bound argument (.bind(null, id)) is client input too',
      files: {
        ...APP,
        'app/posts/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          const commentSchema = z.object({ text: z.string().max(500) });

          export async function addComment(postId: string, formData: FormData) {
            const user = await requireUser();
            const parsed = commentSchema.safeParse({ text: formData.get('text') });
            if (!parsed.success) return { error: 'Invalid comment' };
            await db.comment.create({ data: { postId, text: parsed.data.text, authorId: user.id } });
            //                                ^^^^^^ validate-input: Argument 'postId'
            revalidatePath('/posts');
            return { ok: true };
          }
        `,
        'app/posts/[id]/page.tsx': code`
          import { addComment } from '../actions';

          export default async function PostPage({ params }: { params: Promise<{ id: string }> }) {
            const { id } = await params;
            const addCommentToPost = addComment.bind(null, id);
            return (
              <form action={addCommentToPost}>
                <textarea name="text" />
              </form>
            );
          }
        `,
      },
    },
    {
      name: 'safeParse whose result is used without checking success',
      files: code`
        'use server';
        import { z } from 'zod';

        const nameSchema = z.object({ name: z.string().max(80) });

        export async function previewName(formData: FormData) {
          const parsed = nameSchema.safeParse({ name: formData.get('name') });
          //             ^^^^^^^^^^^^^^^^^^^^ validate-input: The result of nameSchema.safeParse is used without checking 'success'
          return parsed.data?.name;
        }
      `,
    },
    {
      name: 'a field passed to a schema and also used raw',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          const titleSchema = z.string().min(1).max(120);

          export async function createPost(formData: FormData) {
            const user = await requireUser();
            const title = formData.get('title');
            //            ^^^^^^^^^^^^^^^^^^^^^ validate-input
            titleSchema.parse(title);
            await db.post.create({ data: { title: title as string, authorId: user.id } });
            revalidatePath('/posts');
          }
        `,
      },
    },
    {
      name: 'inline action passed to <form action>',
      files: {
        ...APP,
        'app/notes/page.tsx': code`
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export default function NotesPage() {
            return (
              <form
                action={async (formData: FormData) => {
                  'use server';
                  const user = await requireUser();
                  await db.note.create({ data: { text: String(formData.get('text')), userId: user.id } });
                  //                                          ^^^^^^^^^^^^^^^^^^^^ validate-input
                  revalidatePath('/notes');
                }}
              >
                <textarea name="text" />
              </form>
            );
          }
        `,
      },
    },
  ],
  fixes: [
    {
      name: 'wrap reads in a zod schema: coerced numbers, emails, nullable fallbacks, an error return',
      fix: 'Wrap FormData reads in a zod schema',
      safe: false,
      files: {
        ...DB,
        'app/notes/actions.ts': code`
          'use server';

          import { db } from '@/lib/db';

          export async function addNote(formData: FormData) {
            const title = formData.get('title') as string;
            const count = Number(formData.get('count'));
            const email = formData.get('email') as string;
            await db.note.create({ data: { title, count, email, body: String(formData.get('body') ?? '') } });
            return { ok: true };
          }
        `,
      },
      output: {
        'app/notes/actions.ts': code`
          'use server';

          import { db } from '@/lib/db';
          import { z } from 'zod';

          const addNoteSchema = z.object({
            title: z.string(),
            count: z.coerce.number(),
            email: z.string().email(),
            body: z.string().nullable(),
          });

          export async function addNote(formData: FormData) {
            const parsed = addNoteSchema.safeParse({
              title: formData.get('title'),
              count: formData.get('count'),
              email: formData.get('email'),
              body: formData.get('body'),
            });
            if (!parsed.success) {
              return { error: 'Invalid input', fieldErrors: parsed.error.flatten().fieldErrors };
            }
            const title = parsed.data.title as string;
            const count = Number(parsed.data.count);
            const email = parsed.data.email as string;
            await db.note.create({ data: { title, count, email, body: String(parsed.data.body ?? '') } });
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'wrap reads in a zod schema: void action throws, existing zod import is reused, reads twice',
      fix: 'Wrap FormData reads',
      files: {
        ...APP,
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          export async function updateTimezone(formData: FormData) {
            const user = await requireUser();
            if (!formData.get('timezone')) return;
            await db.user.update({ where: { id: user.id }, data: { timezone: formData.get('timezone') as string } });
            revalidatePath('/settings');
          }
        `,
      },
      output: {
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { revalidatePath } from 'next/cache';
          import { db } from '@/lib/db';
          import { requireUser } from '@/lib/auth';

          const updateTimezoneSchema = z.object({
            timezone: z.string(),
          });

          export async function updateTimezone(formData: FormData) {
            const user = await requireUser();
            const parsed = updateTimezoneSchema.safeParse({
              timezone: formData.get('timezone'),
            });
            if (!parsed.success) {
              throw new Error('Invalid form data');
            }
            if (!parsed.data.timezone) return;
            await db.user.update({ where: { id: user.id }, data: { timezone: parsed.data.timezone as string } });
            revalidatePath('/settings');
          }
        `,
      },
    },
    {
      name: 'wrap reads in a zod schema inside an inline action',
      fix: 'Wrap FormData reads',
      files: {
        ...REQUIRE_USER,
        'app/search/page.tsx': code`
          import { redirect } from 'next/navigation';

          export default function SearchPage() {
            async function search(formData: FormData) {
              'use server';
              const query = formData.get('q') as string;
              redirect(\`/search?q=\${encodeURIComponent(query)}\`);
            }
            return <form action={search}><input name="q" /></form>;
          }
        `,
      },
      output: {
        'app/search/page.tsx': code`
          import { redirect } from 'next/navigation';
          import { z } from 'zod';

          const searchSchema = z.object({
            q: z.string(),
          });

          export default function SearchPage() {
            async function search(formData: FormData) {
              'use server';
              const parsed = searchSchema.safeParse({
                q: formData.get('q'),
              });
              if (!parsed.success) {
                throw new Error('Invalid form data');
              }
              const query = parsed.data.q as string;
              redirect(\`/search?q=\${encodeURIComponent(query)}\`);
            }
            return <form action={search}><input name="q" /></form>;
          }
        `,
      },
    },
  ],
  noFixes: [
    {
      name: 'no zod wrap when the whole FormData is read (the field list is unknown)',
      noFix: 'Wrap FormData reads',
      files: code`
        'use server';

        export async function echo(formData: FormData) {
          const title = formData.get('title');
          return { title, all: Object.fromEntries(formData) };
        }
      `,
    },
  ],
});
