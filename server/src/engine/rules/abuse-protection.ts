import { EFFECT_NOUNS } from '../facts/model';
import type { Rule } from './rule';

export const abuseProtection: Rule = {
  meta: {
    id: 'abuse-protection',
    description: 'Public or expensive actions (no auth, AI, email, payments) are rate limited or bot-checked.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: `## What it does
Reports actions that are public on purpose (\`/** @public */\` or the \`publicActions\` setting) and have side effects,
and actions that call expensive or abusable services — LLM SDKs (\`openai\`, \`ai\`, \`@anthropic-ai/sdk\`…), email
(\`resend\`, \`nodemailer\`…), SMS, payments, uploads (the \`expensiveModules\` setting), directly or through helpers —
without a rate limit or bot check before the call: \`@upstash/ratelimit\` \`ratelimit.limit()\`, Arcjet \`aj.protect()\`,
Turnstile/reCAPTCHA/BotID checks, or your own functions listed in \`rateLimitFunctions\`.

## Why is this bad?
A Server Action is an HTTP endpoint: a script can call it in a loop. Contact forms become spam relays, and an AI
feature becomes someone else's free API on your bill.

## Example
\`\`\`ts
/** @public */
export async function joinWaitlist(formData: FormData) {
  await resend.emails.send({ to: parsed.data.email, subject: 'Welcome', html });
}
\`\`\`

## Use instead
\`\`\`ts
/** @public */
export async function joinWaitlist(formData: FormData) {
  const ip = (await headers()).get('x-forwarded-for') ?? 'anonymous';
  const { success } = await ratelimit.limit(ip);
  if (!success) return { error: 'Too many requests' };
  await resend.emails.send({ to: parsed.data.email, subject: 'Welcome', html });
}
\`\`\``,
    messages: {
      expensive:
        '{{call}} can be called in a loop by anyone who can reach this action. Rate limit it (e.g. @upstash/ratelimit) or add a bot check before the call.',
      authFlow:
        "'{{name}}' is an auth flow (a password, code or sign-in check) without a rate limit or bot check: a script can try secrets in a loop. Add one (e.g. @upstash/ratelimit keyed by IP and account).",
      publicAction:
        'This action is public ({{reason}}) and {{effect}} without a rate limit or bot check. Add one (e.g. @upstash/ratelimit keyed by IP) before it.',
    },
  },
  checkAction({ action, report }) {
    // AI calls and charges cost money on every call; an email or SMS is abusable when the caller picks what or whom.
    const expensive = action.sideEffects.filter((e) => e.expensive && (!(e.kind === 'email' || e.kind === 'sms') || e.clientRecipient || action.publicByDesign));
    // Work anyone can make it do: writes and sends of a public action — not one a long secret from a link authorises,
    // not an OAuth redirect, and not a helper's incidental write (a cache refresh in `getStripeAccount()`).
    const hammerable = action.publicKind !== undefined && action.publicKind !== 'link' && action.publicKind !== 'token' && action.publicKind !== 'oauth';
    const publicWork = hammerable
      ? action.sideEffects.filter((e) => e.kind !== 'cookie-write' && !e.read && !e.expensive && (e.kind !== 'db-write' || e.changesAppData))
      : [];
    const flowCall = action.authFlow ? action.authFlowCalls[0] : undefined;
    // An auth flow named as one (`login`, `verifyPassword`) checks a secret even when the engine cannot see the check.
    const namedFlow = action.authFlow && !flowCall && publicWork.length === 0 && expensive.length === 0;
    if (namedFlow) {
      if (action.rateLimits.length > 0) return undefined;
      report({ messageId: 'authFlow', data: { name: action.name }, node: action.nameNode });
      return undefined;
    }
    if (expensive.length === 0 && publicWork.length === 0 && !flowCall) return 'n/a';
    // A bot check that is itself a side effect (`verifyTurnstile()` POSTs) protects what it is.
    const limitedBefore = (offset: number): boolean => action.rateLimits.some((limit) => limit.start <= offset);
    for (const effect of expensive) {
      if (limitedBefore(effect.start)) continue;
      // A helper's label already says what it does: `sendWelcome() (an email through resend.emails.send())`.
      const call = effect.helper ? effect.label : `${effect.label} (${effect.module ?? EFFECT_NOUNS[effect.kind]})`;
      report({ messageId: 'expensive', data: { call }, node: effect.node });
      return undefined;
    }
    const first = [...publicWork, ...(flowCall ? [flowCall] : [])].sort((a, b) => a.start - b.start).find((e) => !limitedBefore(e.start));
    if (first) {
      report({ messageId: 'publicAction', data: { reason: action.publicByDesign ?? 'public', effect: `calls ${first.label}` }, node: first.node });
    }
    return undefined;
  },
};
