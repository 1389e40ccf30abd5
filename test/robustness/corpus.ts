/**
 * A small, seeded corpus of Next.js server-action files for the robustness tests. Each project has a tsconfig with
 * `@/*` paths, helpers in lib/ (an auth guard, a DB client, a rate limiter) and a mix of action files built from
 * the shapes the engine must recognise: file-level and inline directives, every export form, action clients, bound
 * arguments, hidden inputs, misplaced directives and non-async exports, secure and insecure bodies. The same seed
 * always yields the same files, so a failing mutant can be reproduced from the seed alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { random } from './mutate';

export type CorpusFiles = Record<string, string>;

const HELPERS: CorpusFiles = {
  'package.json': JSON.stringify({ name: 'robustness-corpus', private: true, dependencies: { next: '16.0.0', zod: '3.25.76' } }, null, 2) + '\n',
  'tsconfig.json':
    JSON.stringify({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', jsx: 'preserve', paths: { '@/*': ['./*'] } } }, null, 2) + '\n',
  'lib/auth.ts': `import 'server-only';
import { redirect } from 'next/navigation';

export async function auth(): Promise<{ user?: { id: string; role: string } } | null> {
  return null;
}

export async function requireUser() {
  const session = await auth();
  if (!session?.user) redirect('/login');
  return session.user;
}
`,
  'lib/db.ts': `import 'server-only';
import { PrismaClient } from '@prisma/client';

export const db = new PrismaClient();
`,
  'lib/unsafe-db.ts': `import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
`,
  'lib/ratelimit.ts': `import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

export const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 m') });
`,
  'lib/safe-action.ts': `import { createSafeActionClient } from 'next-safe-action';
import { auth } from './auth';

export const actionClient = createSafeActionClient();

export const authActionClient = actionClient.use(async ({ next }) => {
  const session = await auth();
  if (!session?.user) throw new Error('Sign in first.');
  return next({ ctx: { userId: session.user.id } });
});
`,
};

const IMPORTS = `import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { auth, requireUser } from '@/lib/auth';
import { db } from '@/lib/db';
`;

/** Action bodies, secure and insecure, keyed by what they exercise. `NAME` is replaced by the action's name. */
const BODIES: ((name: string, model: string) => string)[] = [
  (name, model) => `export async function ${name}(formData: FormData) {
  const user = await requireUser();
  const parsed = z.object({ title: z.string().min(1) }).safeParse({ title: formData.get('title') });
  if (!parsed.success) return { ok: false, errors: parsed.error.flatten().fieldErrors };
  await db.${model}.create({ data: { title: parsed.data.title, ownerId: user.id } });
  revalidatePath('/${model}s');
  return { ok: true };
}
`,
  (name, model) => `export async function ${name}(formData: FormData) {
  const title = formData.get('title') as string;
  const ownerId = formData.get('ownerId') as string;
  await db.${model}.create({ data: { title, ownerId } });
}
`,
  (name, model) => `export const ${name} = async (id: string) => {
  const session = await auth();
  if (!session?.user) throw new Error('unauthorized');
  try {
    await db.${model}.delete({ where: { id } });
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  revalidatePath('/');
};
`,
  (name, model) => `export async function ${name}(formData: FormData) {
  await requireUser();
  const values = Object.fromEntries(formData);
  await db.${model}.update({ where: { id: String(values.id) }, data: { ...values } });
  redirect('/${model}s');
}
`,
  (name, model) => `async function ${name}Impl(userId: string, formData: FormData) {
  const session = await auth();
  if (!session) return;
  const note = \`\${formData.get('note') ?? ''}\`;
  await db.${model}.update({ where: { id: userId }, data: { note } });
}

export { ${name}Impl as ${name} };
`,
  (name, model) => `export default async function ${name}(input: { id: string; role: string }) {
  const user = await requireUser();
  const schema = z.object({ id: z.string(), role: z.enum(['member', 'admin']) });
  const { id, role } = schema.parse(input);
  await db.${model}.update({ where: { id, ownerId: user.id }, data: { role } });
  revalidatePath(\`/${model}s/\${id}\`);
}
`,
  (name, model) => `export async function ${name}(count: number) {
  const user = await requireUser();
  const n = z.number().int().min(0).max(10).parse(count);
  for (let i = 0; i < n; i++) {
    await db.${model}.create({ data: { index: i, ownerId: user.id } });
  }
  revalidatePath('/');
  return n > 5 ? { ok: true, many: [1, 2, 3].map((x) => x * n) } : { ok: true };
}
`,
  (name) => `export const ${name} = 42;
`,
];

const CLIENT_BODIES: ((name: string, model: string) => string)[] = [
  (name, model) => `export const ${name} = authActionClient
  .schema(z.object({ title: z.string().max(80) }))
  .action(async ({ parsedInput, ctx }) => {
    await db.${model}.create({ data: { title: parsedInput.title, ownerId: ctx.userId } });
    revalidatePath('/${model}s');
  });
`,
  (name, model) => `export const ${name} = actionClient.action(async ({ parsedInput }: { parsedInput: { id: string } }) => {
  await db.${model}.delete({ where: { id: parsedInput.id } });
});
`,
];

function page(name: string, model: string, next: () => number): string {
  const hidden = next() < 0.5 ? `\n        <input type="hidden" name="ownerId" value={props.ownerId} />` : '';
  const guard = next() < 0.5 ? `    const user = await requireUser();\n` : '';
  const owner = guard ? 'user.id' : `String(formData.get('ownerId'))`;
  return `import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth';
import { db } from '@/lib/db';

export default async function ${name}Page(props: { ownerId: string }) {
  async function ${name}(formData: FormData) {
    'use server';
${guard}    await db.${model}.create({ data: { title: String(formData.get('title')), ownerId: ${owner} } });
    revalidatePath('/${model}s');
  }

  return (
    <main>
      <form action={${name}}>
        <input name="title" />${hidden}
        <button type="submit">Save {'<'}${name}{'>'}</button>
      </form>
      {props.ownerId ? <p>{\`owner: \${props.ownerId}\`}</p> : null}
    </main>
  );
}
`;
}

function clientForm(name: string, actionFile: string): string {
  return `'use client';

import { useActionState } from 'react';
import { ${name} } from '@/app/${actionFile}/actions';
import { pool } from '@/lib/unsafe-db';

export function ${capitalize(name)}Form() {
  const [state, formAction] = useActionState(async (_: unknown, data: FormData) => ${name}(data), null);
  void pool;
  return (
    <form action={formAction}>
      <input type="hidden" name="userId" value="1" />
      <textarea name="body" defaultValue={JSON.stringify(state)} />
    </form>
  );
}
`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const MODELS = ['post', 'comment', 'tag', 'invoice', 'member', 'note'];

/** `files` action folders with one to four actions each, plus a page with an inline action and a client form. */
export function generateCorpus(seed: number, files = 12): CorpusFiles {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const out: CorpusFiles = { ...HELPERS };
  for (let f = 0; f < files; f++) {
    const model = pick(MODELS);
    const folder = `${model}s-${f}`;
    const names: string[] = [];
    const parts: string[] = [];
    const count = 1 + Math.floor(next() * 4);
    const usesClient = next() < 0.3;
    for (let a = 0; a < count; a++) {
      const name = `${pick(['create', 'update', 'remove', 'archive', 'share'])}${capitalize(model)}${f}x${a}`;
      names.push(name);
      const body = usesClient && a === 0 ? pick(CLIENT_BODIES) : pick(BODIES);
      // One default export per file at most.
      const text = body(name, model);
      parts.push(text.startsWith('export default') && parts.some((p) => p.startsWith('export default')) ? text.replace('export default ', 'export ') : text);
    }
    const misplaced = next() < 0.15;
    const header = misplaced ? `${IMPORTS}\n'use server';\n` : `'use server';\n\n${IMPORTS}`;
    const clientImport = usesClient ? `import { actionClient, authActionClient } from '@/lib/safe-action';\n` : '';
    out[`app/${folder}/actions.ts`] = `${header}${clientImport}\n${parts.join('\n')}`;
    if (next() < 0.5) out[`app/${folder}/page.tsx`] = page(`save${capitalize(model)}${f}`, model, next);
    const exported = names.find((name) => parts.some((p) => p.includes(`export async function ${name}(formData`)));
    if (exported && next() < 0.4) out[`app/${folder}/form.tsx`] = clientForm(exported, folder);
  }
  return out;
}

export function writeCorpus(root: string, files: CorpusFiles): void {
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}
