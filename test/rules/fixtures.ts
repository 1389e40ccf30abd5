/**
 * Project files shared by rule cases: the helpers a typical Next.js App Router app keeps in `lib/` and at its root.
 * Cases spread the ones they need next to their own action files.
 */
import { code } from './tester';

/** Prisma behind `import 'server-only'`, as the article recommends. */
export const DB = {
  'lib/db.ts': code`
    import 'server-only';
    import { PrismaClient } from '@prisma/client';

    export const db = new PrismaClient();
  `,
};

/** Auth.js (next-auth v5): `auth()` returns the session or null. */
export const NEXT_AUTH = {
  'auth.ts': code`
    import 'server-only';
    import NextAuth from 'next-auth';
    import GitHub from 'next-auth/providers/github';

    export const { auth, handlers, signIn, signOut } = NextAuth({ providers: [GitHub] });
  `,
};

/** A project guard that redirects without a session, behind tsconfig `paths` (`@/lib/auth`). */
export const REQUIRE_USER = {
  ...NEXT_AUTH,
  'lib/auth.ts': code`
    import 'server-only';
    import { redirect } from 'next/navigation';
    import { auth } from '@/auth';

    export async function requireUser() {
      const session = await auth();
      if (!session?.user?.id) redirect('/login');
      return session.user;
    }
  `,
};

/** Prisma + Auth.js + a guard helper: what most action cases import. */
export const APP = { ...DB, ...REQUIRE_USER };

/** next-safe-action clients: a public one and one whose `.use()` middleware requires a session. */
export const SAFE_ACTION = {
  'lib/safe-action.ts': code`
    import { createSafeActionClient } from 'next-safe-action';
    import { auth } from '@/auth';

    export const actionClient = createSafeActionClient();

    export const authActionClient = actionClient.use(async ({ next }) => {
      const session = await auth();
      if (!session?.user?.id) throw new Error('Unauthorized');
      return next({ ctx: { userId: session.user.id } });
    });
  `,
};

/** zsa: a procedure whose handler requires a session. */
export const ZSA = {
  'lib/zsa.ts': code`
    import { createServerActionProcedure } from 'zsa';
    import { auth } from '@/auth';

    export const authedProcedure = createServerActionProcedure().handler(async () => {
      const session = await auth();
      if (!session?.user?.id) throw new Error('Unauthorized');
      return { user: session.user };
    });
  `,
};

/** @upstash/ratelimit, and a helper that throws when the limit is hit. */
export const RATE_LIMIT = {
  'lib/ratelimit.ts': code`
    import 'server-only';
    import { Ratelimit } from '@upstash/ratelimit';
    import { Redis } from '@upstash/redis';

    export const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 m') });

    export async function enforceRateLimit(key: string) {
      const { success } = await ratelimit.limit(key);
      if (!success) throw new Error('Too many requests');
    }
  `,
};

/** Resend behind a helper: calling it costs money and can relay spam. */
export const MAIL = {
  'lib/mail.ts': code`
    import 'server-only';
    import { Resend } from 'resend';

    const resend = new Resend(process.env.RESEND_API_KEY);

    export async function sendWelcomeEmail(to: string) {
      await resend.emails.send({ from: 'hello@example.com', to, subject: 'Welcome', html: '<p>Hi</p>' });
    }
  `,
};
