import { APP, DB, NEXT_AUTH } from './fixtures';
import { code, ruleTester } from './tester';

const UNMARKED_DB = {
  'lib/db.ts': code`
    import { PrismaClient } from '@prisma/client';

    export const db = new PrismaClient();
  `,
};

ruleTester('server-only', {
  valid: [
    {
      name: 'the DB module starts with import "server-only"',
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function countPosts() {
            const user = await requireUser();
            return db.post.count({ where: { authorId: user.id } });
          }
        `,
      },
      checks: { countPosts: { 'server-only': 'pass' } },
    },
    {
      name: 'a helper importing a marked DB module is protected by that marker',
      files: {
        ...APP,
        'lib/posts.ts': code`
          import { db } from './db';

          export async function countPublished() {
            return db.post.count({ where: { published: true } });
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { countPublished } from '@/lib/posts';

          export async function publishedCount() {
            return countPublished();
          }
        `,
      },
    },
    {
      name: 'pure helpers and public environment variables are not privileged',
      files: {
        'lib/site.ts': code`
          export const siteUrl = process.env.NEXT_PUBLIC_SITE_URL ?? 'http://localhost:3000';
          export const isProduction = process.env.NODE_ENV === 'production';

          export function slugify(title: string) {
            return title.toLowerCase().replace(/\\W+/g, '-');
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { siteUrl, slugify } from '@/lib/site';

          export async function permalink(title: unknown) {
            return \`\${siteUrl}/\${slugify(z.string().parse(title))}\`;
          }
        `,
        'components/Share.tsx': code`
          'use client';
          import { siteUrl } from '@/lib/site';

          export function Share() {
            return <a href={siteUrl}>Share</a>;
          }
        `,
      },
    },
    {
      name: 'type-only imports of a driver do not make a module privileged',
      files: {
        'lib/types.ts': code`
          import type { PrismaClient } from '@prisma/client';

          export type Db = PrismaClient;
          export function describe(db: Db) {
            return typeof db;
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { describe } from '@/lib/types';

          export async function kind() {
            return describe(undefined as never);
          }
        `,
      },
    },
    {
      name: "a 'use client' file may import types from a server module",
      files: {
        ...UNMARKED_DB,
        'lib/posts.ts': code`
          import { db } from './db';

          export type PostSummary = { id: string; title: string };
          export async function listPosts(): Promise<PostSummary[]> {
            return db.post.findMany({ select: { id: true, title: true } });
          }
        `,
        'components/PostList.tsx': code`
          'use client';
          import type { PostSummary } from '@/lib/posts';
          import { PostSummary as Summary } from '@/lib/posts';

          export function PostList({ posts, featured }: { posts: PostSummary[]; featured?: Summary }) {
            return <ul>{posts.map((p) => <li key={p.id}>{p.title === featured?.title ? '★ ' : ''}{p.title}</li>)}</ul>;
          }
        `,
      },
    },
    {
      name: 'an SDK imported only for its types is erased, also through a shared constants module',
      files: {
        'lib/constants/payouts.ts': code`
          import Stripe from 'stripe';
          import * as Prisma from '@prisma/client';

          export const METHODS: Stripe.PaymentMethod.Type[] = ['card', 'us_bank_account'];
          export type Row = Prisma.Payout;
          export class PayoutError extends Error implements Partial<typeof Stripe> {}
        `,
        'components/Methods.tsx': code`
          'use client';
          import { METHODS } from '@/lib/constants/payouts';

          export function Methods() {
            return <ul>{METHODS.map((m) => <li key={m}>{m}</li>)}</ul>;
          }
        `,
      },
    },
    {
      name: "a 'use client' file may import a helper module that also reads a secret in a function (not inlined into the browser)",
      files: {
        'lib/utils.ts': code`
          export function cn(...names: string[]) {
            return names.filter(Boolean).join(' ');
          }
          export async function hashIp(ip: string) {
            const secret = process.env.IP_SALT_SECRET ?? '';
            return crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret + ip));
          }
        `,
        'components/Badge.tsx': code`
          'use client';
          import { cn } from '@/lib/utils';

          export function Badge({ on }: { on: boolean }) {
            return <span className={cn('badge', on ? 'on' : '')} />;
          }
        `,
      },
    },
    {
      name: 'browser entry points of auth, AI and crypto packages are not privileged',
      files: {
        'lib/auth-client.ts': code`
          import { createAuthClient } from 'better-auth/react';
          import { organizationClient, twoFactorClient } from 'better-auth/client/plugins';

          export const authClient = createAuthClient({ plugins: [organizationClient(), twoFactorClient()] });
        `,
        'lib/utils.ts': code`
          import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
          import { DefaultChatTransport } from 'ai';

          export const randomId = () => encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
          export const transport = new DefaultChatTransport({ api: '/api/chat' });
        `,
        'components/Chat.tsx': code`
          'use client';
          import { useChat } from '@ai-sdk/react';
          import { authClient } from '@/lib/auth-client';
          import { randomId, transport } from '@/lib/utils';

          export function Chat() {
            const { messages } = useChat({ id: randomId(), transport });
            return <button onClick={() => authClient.signOut()}>{messages.length}</button>;
          }
        `,
      },
    },
    {
      name: 't3-env validates server variables and refuses them in the browser by itself',
      files: {
        'lib/env.ts': code`
          import { createEnv } from '@t3-oss/env-nextjs';
          import { z } from 'zod';

          export const env = createEnv({
            server: { DATABASE_URL: z.string().url(), STRIPE_SECRET_KEY: z.string() },
            client: {},
            runtimeEnv: { DATABASE_URL: process.env.DATABASE_URL, STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY },
          });
        `,
        'app/actions.ts': code`
          'use server';
          import { env } from '@/lib/env';

          export async function hasPayments() {
            return Boolean(env.STRIPE_SECRET_KEY);
          }
        `,
      },
    },
    {
      name: 'a privileged import the action does not use is not its concern',
      files: {
        ...UNMARKED_DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { auth } from '@/auth';
          import type { db } from '@/lib/db';

          export type Db = typeof db;

          export async function whoAmI() {
            const session = await auth();
            return session?.user?.name ?? null;
          }
        `,
      },
      // The Auth.js module it uses only lists providers (their secrets stay in the package): nothing privileged, and
      // nothing about the type-only db import.
      checks: { whoAmI: { 'server-only': 'n/a' } },
    },
  ],
  invalid: [
    {
      name: 'a package index that re-exports the database client (export * from) reaches it',
      files: {
        'packages/database/src/client.ts': code`
          import { PrismaClient } from '@prisma/client';
          export const prisma = new PrismaClient();
        `,
        'packages/database/src/index.ts': code`
          export * from './client';
        `,
        'app/actions.ts': code`
          'use server';
          import { prisma } from '../packages/database/src/index';
          //                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ server-only: imports client.ts
          import { auth } from '@/auth';

          export async function count() {
            const session = await auth();
            if (!session) throw new Error('Unauthorized');
            return prisma.post.count();
          }
        `,
      },
    },
    {
      name: 'a marked helper does not protect the unmarked database module it imports',
      files: {
        'lib/db.ts': code`
          import { PrismaClient } from '@prisma/client';
          export const db = new PrismaClient();
        `,
        'lib/mutations.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';
          export const renameSpace = (id: string, name: string) => db.space.update({ where: { id }, data: { name } });
        `,
        'app/actions.ts': code`
          'use server';
          import { renameSpace } from '@/lib/mutations';
          //                          ^^^^^^^^^^^^^^^^^ server-only: imports db.ts
          import { auth } from '@/auth';

          export async function rename(id: string, name: string) {
            const session = await auth();
            if (!session) throw new Error('Unauthorized');
            await renameSpace(id, name);
          }
        `,
      },
    },
    {
      name: 'an action imports an unmarked Prisma module',
      files: {
        ...UNMARKED_DB,
        ...NEXT_AUTH,
        'app/actions.ts': code`
          'use server';
          import { auth } from '@/auth';
          import { db } from '@/lib/db';
          //                 ^^^^^^^^^^ server-only warning: '@/lib/db' imports @prisma/client but has no import 'server-only'

          export async function countPosts() {
            const session = await auth();
            if (!session?.user?.id) return 0;
            return db.post.count({ where: { authorId: session.user.id } });
          }
        `,
      },
      checks: { countPosts: { 'server-only': 'fail' } },
    },
    {
      name: 'a module that reads a secret from process.env',
      files: {
        'lib/stripe.ts': code`
          import Stripe from 'stripe';

          export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
        `,
        'lib/config.ts': code`
          export const openaiKey = process.env['OPENAI_API_KEY'];
        `,
        'app/billing/actions.ts': code`
          'use server';
          import { stripe } from '@/lib/stripe';
          //                     ^^^^^^^^^^^^^^ server-only: '@/lib/stripe' imports stripe
          import { openaiKey } from '../../lib/config';
          //                        ^^^^^^^^^^^^^^^^^^ server-only: reads process.env.OPENAI_API_KEY

          export async function hasKeys() {
            return Boolean(openaiKey) && Boolean(stripe);
          }
        `,
      },
    },
    {
      name: 'a helper module exposes an unmarked DB module it imports',
      files: {
        ...UNMARKED_DB,
        'lib/posts.ts': code`
          import { db } from './db';

          export async function countPublished() {
            return db.post.count({ where: { published: true } });
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { countPublished } from '@/lib/posts';
          //                             ^^^^^^^^^^^^^ server-only: '@/lib/posts' imports db.ts, which imports @prisma/client

          export async function publishedCount() {
            return countPublished();
          }
        `,
      },
    },
    {
      name: "a 'use client' file importing a driver is a warning (bundled for the browser); a marked module is an error (the build fails)",
      files: {
        ...DB,
        'lib/legacy-db.ts': code`
          import { Pool } from 'pg';

          export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
        `,
        'components/ExportButton.tsx': code`
          'use client';
          import { pool } from '@/lib/legacy-db';
          //                   ^^^^^^^^^^^^^^^^^ server-only warning: This 'use client' file imports '@/lib/legacy-db', which imports pg: that code is bundled
          import { db } from '../lib/db';
          //                 ^^^^^^^^^^^ server-only error: This 'use client' file imports '../lib/db', which is marked import 'server-only'

          export function ExportButton() {
            return <button onClick={() => void pool.query('select 1').then(() => db.post.count())}>Export</button>;
          }
        `,
      },
    },
    {
      name: 'an SDK a shared module constructs (a value use) reaches the client file that imports it',
      files: {
        'lib/constants/payouts.ts': code`
          import Stripe from 'stripe';

          export const METHODS: Stripe.PaymentMethod.Type[] = ['card'];
          export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
        `,
        'components/Methods.tsx': code`
          'use client';
          import { METHODS } from '@/lib/constants/payouts';
          //                      ^^^^^^^^^^^^^^^^^^^^^^^^^ server-only warning: which imports stripe

          export function Methods() {
            return <ul>{METHODS.map((m) => <li key={m}>{m}</li>)}</ul>;
          }
        `,
      },
    },
    {
      name: 'Drizzle and firebase-admin modules',
      files: {
        'lib/drizzle.ts': code`
          import { drizzle } from 'drizzle-orm/postgres-js';
          import postgres from 'postgres';

          export const ddb = drizzle(postgres(process.env.DATABASE_URL!));
        `,
        'lib/firebase-admin.ts': code`
          import { getAuth } from 'firebase-admin/auth';

          export const adminAuth = getAuth();
        `,
        'app/actions.ts': code`
          'use server';
          import { ddb } from '@/lib/drizzle';
          //                  ^^^^^^^^^^^^^^^ server-only
          import { adminAuth } from '@/lib/firebase-admin';
          //                        ^^^^^^^^^^^^^^^^^^^^^^ server-only

          export async function health() {
            return { db: typeof ddb, auth: typeof adminAuth };
          }
        `,
      },
    },
  ],
  fixes: [
    {
      name: "add import 'server-only' to the DB module (an edit in another file)",
      fix: "Add import 'server-only' to @/lib/db",
      safe: false,
      files: {
        ...UNMARKED_DB,
        'app/actions.ts': code`
          'use server';
          import { db } from '@/lib/db';

          export async function count() {
            return db.post.count();
          }
        `,
      },
      output: {
        'lib/db.ts': code`
          import 'server-only';

          import { PrismaClient } from '@prisma/client';

          export const db = new PrismaClient();
        `,
      },
    },
    {
      name: "add import 'server-only' after a module's directive prologue, keeping its quotes and semicolons",
      fix: "Add import 'server-only'",
      files: {
        'lib/secrets.js': code`
          "use strict"
          export const apiKey = process.env.INTERNAL_API_TOKEN
        `,
        'app/actions.ts': code`
          'use server';
          import { apiKey } from '@/lib/secrets';

          export async function hasKey() {
            return Boolean(apiKey);
          }
        `,
      },
      output: {
        'lib/secrets.js': code`
          "use strict"
          import "server-only"
          export const apiKey = process.env.INTERNAL_API_TOKEN
        `,
      },
    },
  ],
});
