import { APP, DB, MAIL, NEXT_AUTH, RATE_LIMIT } from './fixtures';
import { code, ruleTester } from './tester';

ruleTester('abuse-protection', {
  valid: [
    {
      name: 'a Stripe checkout session charges nothing and writes no app data: no rate limit asked',
      files: {
        ...NEXT_AUTH,
        'lib/stripe.ts': code`
          import 'server-only';
          import Stripe from 'stripe';

          export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
        `,
        'app/billing/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { auth } from '@/auth';
          import { stripe } from '@/lib/stripe';

          export async function checkout() {
            const session = await auth();
            if (!session?.user?.email) redirect('/login');
            const checkoutSession = await stripe.checkout.sessions.create({ mode: 'subscription', customer_email: session.user.email });
            redirect(checkoutSession.url!);
          }
        `,
      },
    },
    {
      name: 'a public waitlist action rate limited with @upstash/ratelimit before the write',
      files: {
        ...DB,
        ...RATE_LIMIT,
        'app/(marketing)/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { headers } from 'next/headers';
          import { ratelimit } from '@/lib/ratelimit';
          import { db } from '@/lib/db';

          const schema = z.object({ email: z.string().email() });

          /** @public Anyone may join the waitlist. */
          export async function joinWaitlist(formData: FormData) {
            const ip = (await headers()).get('x-forwarded-for') ?? 'anonymous';
            const { success } = await ratelimit.limit(ip);
            if (!success) return { error: 'Too many requests' };
            const parsed = schema.safeParse({ email: formData.get('email') });
            if (!parsed.success) return { error: 'Invalid email' };
            await db.waitlistEntry.create({ data: { email: parsed.data.email } });
            return { ok: true };
          }
        `,
      },
      checks: { joinWaitlist: { 'abuse-protection': 'pass' } },
    },
    {
      name: 'an LLM call behind a rate-limit helper in another file',
      files: {
        ...APP,
        ...RATE_LIMIT,
        'app/ai/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import OpenAI from 'openai';
          import { requireUser } from '@/lib/auth';
          import { enforceRateLimit } from '@/lib/ratelimit';

          const openai = new OpenAI();

          export async function summarize(input: unknown) {
            const user = await requireUser();
            await enforceRateLimit(\`summarize:\${user.id}\`);
            const text = z.string().max(4000).parse(input);
            const completion = await openai.chat.completions.create({
              model: 'gpt-4o-mini',
              messages: [{ role: 'user', content: text }],
            });
            return completion.choices[0]?.message.content ?? '';
          }
        `,
      },
    },
    {
      name: 'Arcjet and BotID checks before the AI SDK',
      files: {
        ...APP,
        'app/ai/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { generateText } from 'ai';
          import { openai } from '@ai-sdk/openai';
          import { checkBotId } from 'botid/server';
          import arcjet, { request, slidingWindow } from '@arcjet/next';
          import { requireUser } from '@/lib/auth';

          const aj = arcjet({ key: process.env.ARCJET_KEY!, rules: [slidingWindow({ mode: 'LIVE', interval: 60, max: 5 })] });

          export async function suggestTitle(input: unknown) {
            await requireUser();
            const decision = await aj.protect(await request());
            if (decision.isDenied()) return null;
            const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: z.string().max(2000).parse(input) });
            return text;
          }

          export async function suggestTags(input: unknown) {
            await requireUser();
            const verification = await checkBotId();
            if (verification.isBot) return null;
            const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: z.string().max(2000).parse(input) });
            return text;
          }
        `,
      },
    },
    {
      name: 'a Turnstile check in a project helper protects a public contact form',
      files: {
        ...MAIL,
        'lib/turnstile.ts': code`
          import 'server-only';

          export async function verifyTurnstile(token: string) {
            const response = await fetch('https://challenges.cloudflare.com/turnstile/v0/siteverify', {
              method: 'POST',
              body: new URLSearchParams({ secret: process.env.TURNSTILE_SECRET_KEY!, response: token }),
            });
            const outcome = (await response.json()) as { success: boolean };
            if (!outcome.success) throw new Error('Bot check failed');
          }
        `,
        'app/(marketing)/contact/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { verifyTurnstile } from '@/lib/turnstile';
          import { sendWelcomeEmail } from '@/lib/mail';

          const contactSchema = z.object({ email: z.string().email(), token: z.string() });

          /** @public */
          export async function contact(formData: FormData) {
            const parsed = contactSchema.parse({ email: formData.get('email'), token: formData.get('cf-turnstile-response') });
            await verifyTurnstile(parsed.token);
            await sendWelcomeEmail(parsed.email);
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'authenticated actions without paid services need no rate limit',
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
      checks: { clearDrafts: { 'abuse-protection': 'n/a' } },
    },
    {
      name: "a hand-written session (a JWT cookie) checked through a cast alias: the action is signed in, not public",
      files: {
        ...DB,
        'package.json': JSON.stringify({ dependencies: { next: '16.0.0', jose: '6.0.0', '@prisma/client': '6.0.0' } }),
        'app/session.ts': code`
          import { jwtVerify } from 'jose';
          import { cookies } from 'next/headers';

          const key = new TextEncoder().encode(process.env.AUTH_SECRET);

          export async function getSession(): Promise<{ user?: { email?: string } }> {
            const token = (await cookies()).get('session')?.value;
            if (!token) return {};
            const { payload } = await jwtVerify(token, key);
            return payload as { user?: { email?: string } };
          }
        `,
        'app/guestbook/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { getSession } from '@/app/session';
          import { db } from '@/lib/db';

          export async function deleteEntries(ids: string[]) {
            const session = await getSession();
            const email = session.user?.email as string;
            if (email !== 'owner@example.com') throw new Error('Unauthorized');
            await db.entry.deleteMany({ where: { id: { in: ids.map(String) } } });
            revalidatePath('/guestbook');
          }
        `,
      },
      checks: { deleteEntries: { 'abuse-protection': 'n/a' } },
    },
    {
      name: 'a sign-in named for a provider redirect builds a URL: nothing for a script to guess',
      files: {
        'package.json': JSON.stringify({ dependencies: { next: '16.0.0', '@workos-inc/node': '7.0.0' } }),
        'lib/provider.ts': code`
          import 'server-only';
          export const provider = {
            authorizationUrl(options: { provider: string; redirectUri: string }) {
              return \`https://auth.example.com/authorize?provider=\${options.provider}&redirect_uri=\${encodeURIComponent(options.redirectUri)}\`;
            },
          };
        `,
        'app/auth/actions.ts': code`
          'use server';
          import { redirect } from 'next/navigation';
          import { provider } from '@/lib/provider';

          export async function signInViaOAuth(providerName: 'google' | 'github') {
            redirect(provider.authorizationUrl({ provider: providerName, redirectUri: 'https://app.example.com/callback' }));
          }
        `,
      },
      checks: { signInViaOAuth: { 'abuse-protection': 'n/a' } },
    },
    {
      name: 'a public action without side effects',
      files: code`
        'use server';
        import { z } from 'zod';

        /** @public */
        export async function estimateReadingTime(input: unknown) {
          const text = z.string().max(20000).parse(input);
          return Math.ceil(text.split(/\\s+/).length / 200);
        }
      `,
      checks: { estimateReadingTime: { 'abuse-protection': 'n/a' } },
    },
    {
      name: 'an authenticated action emailing the owner of a record it looked up (the server picks the address)',
      files: {
        ...APP,
        'lib/notify.ts': code`
          import 'server-only';
          import { Resend } from 'resend';
          const resend = new Resend(process.env.RESEND_API_KEY);
          export async function sendEmail(input: { to: string; subject: string }) {
            await resend.emails.send({ from: 'app@example.com', to: input.to, subject: input.subject, html: '' });
          }
        `,
        'app/folders/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';
          import { sendEmail } from '@/lib/notify';

          export async function requestAccess(input: { folderId: string }) {
            const user = await requireUser();
            const { folderId } = z.object({ folderId: z.string() }).parse(input);
            await db.accessRequest.create({ data: { folderId, userId: user.id } });
            const owner = await db.folderUser.findFirstOrThrow({ where: { folderId, role: 'owner' }, include: { user: true } });
            await sendEmail({ to: owner.user.email, subject: 'Access requested' });
          }
        `,
      },
      checks: { requestAccess: { 'abuse-protection': 'n/a' } },
    },
  ],
  invalid: [
    {
      name: 'a verification email to an address the caller types, through a token row created from it',
      files: {
        ...APP,
        'lib/mail.ts': code`
          import 'server-only';
          import { Resend } from 'resend';
          const resend = new Resend(process.env.RESEND_API_KEY);
          export async function sendVerificationEmail(email: string, token: string) {
            await resend.emails.send({ from: 'app@example.com', to: email, subject: 'Verify', html: token });
          }
        `,
        'lib/tokens.ts': code`
          import 'server-only';
          import { db } from '@/lib/db';
          export async function generateVerificationToken(email: string) {
            return db.verificationToken.create({ data: { email, token: crypto.randomUUID() } });
          }
        `,
        'app/settings/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { sendVerificationEmail } from '@/lib/mail';
          import { generateVerificationToken } from '@/lib/tokens';

          export async function changeEmail(input: { email: string }) {
            await requireUser();
            const { email } = z.object({ email: z.string().email() }).parse(input);
            const verification = await generateVerificationToken(email);
            await sendVerificationEmail(verification.email, verification.token);
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection
          }
        `,
      },
      checks: { changeEmail: { 'abuse-protection': 'fail' } },
    },
    {
      name: 'a public action writes without a rate limit',
      files: {
        ...DB,
        'app/(marketing)/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { db } from '@/lib/db';

          const schema = z.object({ email: z.string().email() });

          /** @public */
          export async function signUp(formData: FormData) {
            const parsed = schema.safeParse({ email: formData.get('email') });
            if (!parsed.success) return { error: 'Invalid email' };
            await db.user.create({ data: { email: parsed.data.email } });
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection warning: This action is public (@public tag) and calls db.user.create()
            return { ok: true };
          }
        `,
      },
      checks: { signUp: { 'abuse-protection': 'fail' } },
    },
    {
      name: 'a public contact form sends email through a helper',
      files: {
        ...MAIL,
        'app/(marketing)/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { sendWelcomeEmail } from '@/lib/mail';

          /** @public */
          export async function contact(formData: FormData) {
            const email = z.string().email().parse(formData.get('email'));
            await sendWelcomeEmail(email);
            //    ^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection: sendWelcomeEmail() (an email through resend.emails.send()) can be called in a loop
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'an authenticated LLM call without a rate limit (a free API on your bill)',
      files: {
        ...APP,
        'app/ai/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { generateText } from 'ai';
          import { openai } from '@ai-sdk/openai';
          import { requireUser } from '@/lib/auth';

          export async function suggestTitle(input: unknown) {
            await requireUser();
            const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: z.string().parse(input) });
            //                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection: generateText() (an AI model call)
            return text;
          }
        `,
      },
    },
    {
      name: 'an invite email to a client-chosen address, through a helper that reads the session only to pick a locale',
      files: {
        ...APP,
        'lib/i18n.ts': code`
          import { auth } from '@/auth';
          export async function getLocale(): Promise<string> {
            const session = await auth();
            return session?.user?.id ? 'de' : 'en';
          }
        `,
        'lib/invite-mail.ts': code`
          import 'server-only';
          import { Resend } from 'resend';
          import { getLocale } from '@/lib/i18n';

          const resend = new Resend(process.env.RESEND_API_KEY);

          export async function sendInviteEmail(email: string) {
            if (!process.env.RESEND_API_KEY) throw new Error('RESEND_API_KEY is not set');
            const locale = await getLocale();
            await resend.emails.send({ from: 'team@example.com', to: email, subject: locale === 'de' ? 'Einladung' : 'Invitation', html: '<p>Join us</p>' });
          }
        `,
        'app/team/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { requireUser } from '@/lib/auth';
          import { sendInviteEmail } from '@/lib/invite-mail';

          export async function inviteMember(input: unknown) {
            await requireUser();
            const { email } = z.object({ email: z.string().email() }).parse(input);
            await sendInviteEmail(email);
            //    ^^^^^^^^^^^^^^^^^^^^^^ abuse-protection: sendInviteEmail() (an email through resend.emails.send())
            return { ok: true };
          }
        `,
      },
    },
    {
      name: 'the rate limit comes after the expensive call',
      files: {
        ...APP,
        ...RATE_LIMIT,
        'app/ai/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import OpenAI from 'openai';
          import { requireUser } from '@/lib/auth';
          import { enforceRateLimit } from '@/lib/ratelimit';

          const openai = new OpenAI();

          export async function summarize(input: unknown) {
            const user = await requireUser();
            const text = z.string().max(4000).parse(input);
            const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
            //                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection
            await enforceRateLimit(\`summarize:\${user.id}\`);
            return completion.choices[0]?.message.content ?? '';
          }
        `,
      },
    },
  ],
});
