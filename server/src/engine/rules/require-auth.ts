import { addAuthGuard } from '../fixes/actionFixes';
import type { Rule } from './rule';

export const requireAuth: Rule = {
  meta: {
    id: 'require-auth',
    description: 'Identity is established on the server, with an early exit, before any side effect.',
    defaultSeverity: 'error',
    fixable: true,
    docs: `## What it does
Reports side effects of a Server Action — database writes, SQL, mutating \`fetch\`, writes in helpers, calls to
paid services — that are not preceded by an auth check with an early exit: a session call (\`auth()\`,
\`getServerSession()\`, Clerk \`auth()\` / \`currentUser()\`, Supabase \`supabase.auth.getUser()\`, Better Auth
\`auth.api.getSession()\`, Lucia \`validateRequest()\`…) followed by \`if (!session) return/throw/redirect()\`, or a
guard helper that throws or redirects by itself (\`requireUser()\`, \`auth.protect()\`, an action client whose
\`.use()\` middleware checks the session). Helpers in other files are followed through imports and tsconfig
\`paths\`; a guard-like helper that cannot be read is reported as *unverified* at info level, never as an error.

## Why is this bad?
Every exported action is reachable by a POST request from anyone who knows its id, whether or not your UI shows the
form. Checking the session in the page or layout does not protect the action.

## Example
\`\`\`ts
export async function deletePost(id: string) {
  await db.post.delete({ where: { id } });
}
\`\`\`

## Use instead
\`\`\`ts
export async function deletePost(id: string) {
  const session = await auth();
  if (!session?.user) redirect('/login');
  await db.post.delete({ where: { id, authorId: session.user.id } });
}
\`\`\`
Actions that are public on purpose (sign-up, contact form) are marked with a \`/** @public */\` JSDoc tag or the
\`publicActions\` setting; they are checked by \`abuse-protection\` instead. Custom guards are added to
\`authFunctions\`.`,
    messages: {
      missing:
        '{{effect}} runs without an auth check. Call your session helper (e.g. auth()) and exit early when there is no user before any side effect.',
      unchecked:
        '{{callee}} is called but its result is never checked before {{effect}}. Add an early exit (return, throw or redirect) when there is no session.',
      authFlow:
        "{{effect}} runs without an auth check. If '{{name}}' is public on purpose (sign-in, sign-up, password reset), mark it with a /** @public */ JSDoc tag so abuse-protection checks it instead.",
      unverified:
        "Could not verify that {{callee}} stops unauthenticated callers before {{effect}}. If it throws or redirects without a session, add it to the serverActionGuard.authFunctions setting.",
    },
  },
  checkAction({ action, file, report }) {
    if (action.isPublic) return 'n/a';
    const effects = action.sideEffects.filter((e) => e.kind !== 'cookie-write' && !e.read);
    if (effects.length === 0) return 'n/a';
    const unguarded = effects.find((e) => e.guard === undefined);
    if (unguarded) {
      const unchecked = action.uncheckedSessions[0];
      if (unchecked) {
        report({ messageId: 'unchecked', data: { callee: unchecked.callee, effect: unguarded.label }, node: unchecked.node });
        return undefined;
      }
      if (action.authFlow) {
        // Sign-in, sign-up and password resets run before there is a session: most likely public on purpose.
        report({ messageId: 'authFlow', data: { effect: unguarded.label, name: action.name }, node: unguarded.node, severity: 'info' });
        return undefined;
      }
      const fix = addAuthGuard(action, file);
      report({ messageId: 'missing', data: { effect: unguarded.label }, node: unguarded.node, fixes: fix ? [fix] : [] });
      return undefined;
    }
    const unverified = effects.find((e) => e.guard === 'unverified');
    if (unverified) {
      const guard = action.authGuards.find((g) => g.certainty === 'unverified');
      report({
        messageId: 'unverified',
        data: { callee: guard?.callee ?? 'the auth helper', effect: unverified.label },
        node: guard?.node ?? unverified.node,
        severity: 'info',
      });
    }
    return undefined;
  },
};
