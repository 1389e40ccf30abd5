// The files every corpus shares: workspace manifests, tsconfigs with `paths`, the apps' lib/ (auth, db, action
// clients, validation, server helpers, barrels) and the packages (db with a Drizzle schema, auth, ui).
import { ENTITIES, zodFor } from './entities.mjs';
import { file, indent } from './source.mjs';

export const APPS = ['web', 'admin'];

/** Helper modules under lib/server/ that hold privileged code but forget `import 'server-only'` (planted). */
export function lacksServerOnly(entityIndex) {
  return entityIndex % 5 === 3;
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

export function workspaceFiles() {
  const files = {
    'package.json': json({
      name: 'acme-monorepo',
      private: true,
      workspaces: ['apps/*', 'packages/*'],
      scripts: { build: 'turbo run build', lint: 'turbo run lint' },
      devDependencies: { turbo: '^2.5.0', typescript: '^5.9.0' },
    }),
    'tsconfig.base.json': json({
      compilerOptions: {
        target: 'es2022',
        lib: ['dom', 'dom.iterable', 'es2022'],
        module: 'esnext',
        moduleResolution: 'bundler',
        jsx: 'preserve',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        isolatedModules: true,
        incremental: false,
      },
    }),
    '.gitignore': 'node_modules/\n.next/\ndist/\n.turbo/\n',
  };
  for (const app of APPS) Object.assign(files, appFiles(app));
  Object.assign(files, dbPackage(), authPackage(), uiPackage());
  return files;
}

function appFiles(app) {
  const root = `apps/${app}`;
  const files = {
    [`${root}/package.json`]: json({
      name: `@acme/${app}`,
      private: true,
      scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
      dependencies: {
        '@acme/auth': 'workspace:*',
        '@acme/db': 'workspace:*',
        '@acme/ui': 'workspace:*',
        '@prisma/client': '^6.10.0',
        '@upstash/ratelimit': '^2.0.5',
        '@upstash/redis': '^1.35.0',
        next: '^15.5.0',
        'next-safe-action': '^8.0.0',
        react: '^19.1.0',
        'react-dom': '^19.1.0',
        resend: '^4.6.0',
        zod: '^3.25.0',
        zsa: '^0.6.0',
      },
      devDependencies: { '@types/react': '^19.1.0', typescript: '^5.9.0' },
    }),
    [`${root}/tsconfig.json`]: json({
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        baseUrl: '.',
        paths: {
          '@/*': ['./*'],
          '@acme/db': ['../../packages/db/src/index.ts'],
          '@acme/db/*': ['../../packages/db/src/*'],
          '@acme/auth': ['../../packages/auth/src/index.ts'],
          '@acme/ui': ['../../packages/ui/src/index.ts'],
        },
        plugins: [{ name: 'next' }],
      },
      include: ['next-env.d.ts', '**/*.ts', '**/*.tsx'],
      exclude: ['node_modules'],
    }),
    [`${root}/next-env.d.ts`]: '/// <reference types="next" />\n/// <reference types="next/image-types/global" />\n',
    [`${root}/next.config.mjs`]: file(
      "/** @type {import('next').NextConfig} */\nconst nextConfig = {\n  experimental: { serverActions: { bodySizeLimit: '2mb' } },\n  transpilePackages: ['@acme/ui', '@acme/db', '@acme/auth'],\n};",
      'export default nextConfig;',
    ),
    [`${root}/middleware.ts`]: file(
      "import { NextResponse, type NextRequest } from 'next/server';",
      "export function middleware(request: NextRequest) {\n  if (!request.cookies.has('session') && request.nextUrl.pathname.startsWith('/dashboard')) {\n    return NextResponse.redirect(new URL('/login', request.url));\n  }\n  return NextResponse.next();\n}",
      "export const config = { matcher: ['/((?!_next|api|favicon.ico).*)'] };",
    ),
    [`${root}/app/layout.tsx`]: file(
      "import type { ReactNode } from 'react';",
      `export const metadata = { title: 'Acme ${app}', description: 'The Acme ${app} app' };`,
      'export default function RootLayout({ children }: { children: ReactNode }) {\n  return (\n    <html lang="en">\n      <body className="min-h-screen bg-neutral-50 text-neutral-900">{children}</body>\n    </html>\n  );\n}',
    ),
    [`${root}/app/page.tsx`]: file(
      "import Link from 'next/link';",
      `export default function HomePage() {\n  return (\n    <main className="mx-auto max-w-3xl p-8">\n      <h1 className="text-2xl font-semibold">Acme ${app}</h1>\n      <ul className="mt-4 space-y-2">\n${ENTITIES.slice(0, 6)
        .map((e) => `        <li>\n          <Link href="${e.route}">${e.Name}s</Link>\n        </li>`)
        .join('\n')}\n      </ul>\n    </main>\n  );\n}`,
    ),
    [`${root}/lib/db.ts`]: file(
      "import 'server-only';\nimport { PrismaClient } from '@prisma/client';",
      'const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };',
      "export const db = globalForPrisma.prisma ?? new PrismaClient({ log: ['warn', 'error'] });",
      "if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = db;",
    ),
    [`${root}/lib/auth.ts`]: file(
      "import 'server-only';\nimport { cookies } from 'next/headers';\nimport { redirect } from 'next/navigation';\nimport { db } from './db';",
      "export interface Session {\n  userId: string;\n  role: 'member' | 'admin';\n  teamId: string;\n}",
      "/** The signed-in user's session, or null. */\nexport async function getSession(): Promise<Session | null> {\n  const token = (await cookies()).get('session')?.value;\n  if (!token) return null;\n  const row = await db.session.findUnique({\n    where: { token },\n    select: { userId: true, role: true, teamId: true, expiresAt: true },\n  });\n  if (!row || row.expiresAt < new Date()) return null;\n  return { userId: row.userId, role: row.role, teamId: row.teamId };\n}",
      "/** The session, or a redirect to the login page. */\nexport async function requireUser(): Promise<Session> {\n  const session = await getSession();\n  if (!session) redirect('/login');\n  return session;\n}",
      "export async function requireAdmin(): Promise<Session> {\n  const session = await requireUser();\n  if (session.role !== 'admin') throw new Error('Forbidden');\n  return session;\n}",
    ),
    [`${root}/lib/safe-action.ts`]: file(
      "import 'server-only';\nimport { createSafeActionClient } from 'next-safe-action';\nimport { z } from 'zod';\nimport { getSession } from './auth';",
      "export const actionClient = createSafeActionClient({\n  defineMetadataSchema: () => z.object({ actionName: z.string() }),\n  handleServerError: (error) => {\n    console.error('action failed', error);\n    return 'Something went wrong.';\n  },\n});",
      "export const authActionClient = actionClient.use(async ({ next }) => {\n  const session = await getSession();\n  if (!session) throw new Error('Unauthorized');\n  return next({ ctx: { userId: session.userId, role: session.role } });\n});",
    ),
    [`${root}/lib/zsa.ts`]: file(
      "import 'server-only';\nimport { createServerActionProcedure } from 'zsa';\nimport { requireUser } from './auth';",
      'export const authedProcedure = createServerActionProcedure().handler(async () => {\n  const session = await requireUser();\n  return { user: { id: session.userId, role: session.role } };\n});',
    ),
    [`${root}/lib/ratelimit.ts`]: file(
      "import 'server-only';\nimport { Ratelimit } from '@upstash/ratelimit';\nimport { Redis } from '@upstash/redis';",
      "export const ratelimit = new Ratelimit({\n  redis: Redis.fromEnv(),\n  limiter: Ratelimit.slidingWindow(5, '1 m'),\n  prefix: 'actions',\n});",
    ),
    [`${root}/lib/mail.ts`]: file(
      "import 'server-only';\nimport { Resend } from 'resend';",
      'export const resend = new Resend(process.env.RESEND_API_KEY);',
    ),
    [`${root}/lib/validation/index.ts`]: file(ENTITIES.map((e) => `export * from './${e.name}';`).join('\n')),
    [`${root}/lib/index.ts`]: file(
      "export * from './auth';\nexport { db } from './db';\nexport * from './validation';",
    ),
  };
  ENTITIES.forEach((entity, index) => {
    files[`${root}/lib/validation/${entity.name}.ts`] = validationModule(entity);
    files[`${root}/lib/server/${entity.name}.ts`] = serverHelperModule(entity, lacksServerOnly(index));
  });
  return files;
}

function validationModule(entity) {
  const fields = entity.fields.map((f) => `${f.name}: ${zodFor(f)},`).join('\n');
  return file(
    "import { z } from 'zod';",
    `export const ${entity.name}Input = z.object({\n${indent(fields)}\n});`,
    `export const ${entity.name}UpdateInput = ${entity.name}Input.extend({ id: z.string().uuid() });`,
    `export const ${entity.name}IdInput = z.object({ id: z.string().uuid() });`,
    `export type ${entity.Name}Input = z.infer<typeof ${entity.name}Input>;`,
  );
}

/** Privileged helpers: owner-scoped queries and, for the planted ones, an admin API key read from the environment. */
function serverHelperModule(entity, planted) {
  const { name, Name, plural } = entity;
  const blocks = [
    planted ? "import { db } from '@/lib/db';" : "import 'server-only';\nimport { db } from '@/lib/db';",
    `export async function find${Name}ForOwner(id: string, ownerId: string) {\n  return db.${name}.findFirst({ where: { id, ownerId } });\n}`,
    `export async function list${Name}s(ownerId: string, take = 20) {\n  return db.${name}.findMany({ where: { ownerId, archivedAt: null }, orderBy: { createdAt: 'desc' }, take });\n}`,
    `export async function archive${Name}ForOwner(id: string, ownerId: string) {\n  return db.${name}.updateMany({ where: { id, ownerId }, data: { archivedAt: new Date() } });\n}`,
  ];
  if (planted) {
    blocks.push(
      "const AUDIT_API_KEY = process.env.AUDIT_API_KEY ?? '';",
      `export async function record${Name}Audit(id: string, event: string) {\n  await fetch('https://audit.example.com/v1/events', {\n    method: 'POST',\n    headers: { authorization: \`Bearer \${AUDIT_API_KEY}\`, 'content-type': 'application/json' },\n    body: JSON.stringify({ entity: '${plural}', id, event }),\n  });\n}`,
    );
  }
  return file(...blocks);
}

function dbPackage() {
  const columns = (entity) =>
    entity.fields
      .map((f) => {
        const column = f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        if (f.kind === 'number') return `${f.name}: integer('${column}').notNull(),`;
        if (f.kind === 'date') return `${f.name}: timestamp('${column}').notNull(),`;
        return `${f.name}: text('${column}').notNull(),`;
      })
      .join('\n');
  const tables = ENTITIES.map(
    (e) =>
      `export const ${e.table} = pgTable('${e.table}', {\n  id: uuid('id').primaryKey().defaultRandom(),\n  ownerId: text('owner_id').notNull(),\n${indent(columns(e))}\n  archivedAt: timestamp('archived_at'),\n  createdAt: timestamp('created_at').defaultNow().notNull(),\n});`,
  );
  return {
    'packages/db/package.json': json({
      name: '@acme/db',
      private: true,
      main: 'src/index.ts',
      dependencies: { 'drizzle-orm': '^0.44.0', pg: '^8.16.0', 'server-only': '^0.0.1' },
    }),
    'packages/db/tsconfig.json': json({ extends: '../../tsconfig.base.json', include: ['src'] }),
    'packages/db/src/schema.ts': file("import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';", ...tables),
    'packages/db/src/index.ts': file(
      "import 'server-only';\nimport { drizzle as createDrizzle } from 'drizzle-orm/node-postgres';\nimport { Pool } from 'pg';\nimport * as schema from './schema';",
      'const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });',
      'export const drizzle = createDrizzle(pool, { schema });',
      "export * as schema from './schema';",
    ),
  };
}

function authPackage() {
  return {
    'packages/auth/package.json': json({
      name: '@acme/auth',
      private: true,
      main: 'src/index.ts',
      dependencies: { 'next-auth': '^5.0.0-beta.29', 'server-only': '^0.0.1' },
    }),
    'packages/auth/tsconfig.json': json({ extends: '../../tsconfig.base.json', include: ['src'] }),
    'packages/auth/src/config.ts': file(
      "import NextAuth from 'next-auth';\nimport GitHub from 'next-auth/providers/github';",
      "export const { auth, handlers, signIn, signOut } = NextAuth({\n  providers: [GitHub],\n  session: { strategy: 'jwt' },\n  callbacks: {\n    session: ({ session, token }) => ({ ...session, user: { ...session.user, id: token.sub ?? '' } }),\n  },\n});",
    ),
    'packages/auth/src/guard.ts': file(
      "import 'server-only';\nimport { redirect } from 'next/navigation';\nimport { auth } from './config';",
      'export async function getSession() {\n  const session = await auth();\n  return session?.user?.id ? { userId: session.user.id } : null;\n}',
      "export async function requireUser() {\n  const session = await getSession();\n  if (!session) redirect('/api/auth/signin');\n  return session;\n}",
    ),
    'packages/auth/src/index.ts': file("export * from './guard';\nexport { auth, handlers, signIn, signOut } from './config';"),
  };
}

function uiPackage() {
  return {
    'packages/ui/package.json': json({ name: '@acme/ui', private: true, main: 'src/index.ts', dependencies: { react: '^19.1.0' } }),
    'packages/ui/tsconfig.json': json({ extends: '../../tsconfig.base.json', include: ['src'] }),
    'packages/ui/src/button.tsx': file(
      "import type { ButtonHTMLAttributes } from 'react';",
      "type Variant = 'primary' | 'secondary' | 'danger';",
      "const styles: Record<Variant, string> = {\n  primary: 'bg-black text-white',\n  secondary: 'bg-white text-black border',\n  danger: 'bg-red-600 text-white',\n};",
      "export function Button({ variant = 'primary', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {\n  return <button className={`rounded px-3 py-1.5 text-sm ${styles[variant]} ${className}`} {...props} />;\n}",
    ),
    'packages/ui/src/badge.tsx': file(
      "import type { ReactNode } from 'react';",
      "export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'success' | 'warning'; children: ReactNode }) {\n  const color = tone === 'success' ? 'bg-green-100' : tone === 'warning' ? 'bg-amber-100' : 'bg-neutral-100';\n  return <span className={`rounded-full px-2 py-0.5 text-xs ${color}`}>{children}</span>;\n}",
    ),
    'packages/ui/src/card.tsx': file(
      "import type { ReactNode } from 'react';",
      'export function Card({ title, children }: { title: string; children: ReactNode }) {\n  return (\n    <section className="rounded-lg border bg-white p-4 shadow-sm">\n      <h2 className="mb-2 font-medium">{title}</h2>\n      {children}\n    </section>\n  );\n}',
    ),
    'packages/ui/src/field.tsx': file(
      "import type { InputHTMLAttributes } from 'react';",
      'export function Field({ label, error, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string }) {\n  return (\n    <label className="grid gap-1 text-sm">\n      <span>{label}</span>\n      <input className="rounded border px-2 py-1" {...props} />\n      {error ? <span className="text-red-600">{error}</span> : null}\n    </label>\n  );\n}',
    ),
    'packages/ui/src/index.ts': file(
      "export { Badge } from './badge';\nexport { Button } from './button';\nexport { Card } from './card';\nexport { Field } from './field';",
    ),
  };
}
