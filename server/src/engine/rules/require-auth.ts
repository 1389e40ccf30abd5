import { EFFECT_NOUNS, type SideEffect } from '../facts/model';
import { addAuthGuard } from '../fixes/actionFixes';
import type { Rule } from './rule';

export const requireAuth: Rule = {
  meta: {
    id: 'require-auth',
    description: 'Identity is established on the server, with an early exit, before any side effect or sensitive read.',
    defaultSeverity: 'error',
    fixable: true,
    docs: `## What it does
Reports side effects of a Server Action — database and storage writes, SQL, mutating \`fetch\`, payments, emails, AI
calls, files written, processes started, writes in helpers — and sensitive reads it returns (billing data, stored
files, rows of private tables such as orders, payments or messages) that are not preceded by an auth check with an
early exit: a session call (\`auth()\`,
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
Actions that are public on purpose are left to \`abuse-protection\`: auth flows (sign-in, sign-up, password reset,
codes), public forms (waitlist, contact), anonymous actions keyed by the visitor's own cookie (a cart) or by a secret
token from an emailed link, actions whose session is optional, every action of a project without sign-in, and
actions marked with a \`/** @public */\` JSDoc tag or the \`publicActions\` setting. Custom guards are added to
\`authFunctions\`.

Reads: a returned read of billing data, stored files or a private table with no session check is an error; any
other returned database read is a warning when other actions of the file check the session (this one probably
should too). So is a secret returned to the caller (\`return process.env.STRIPE_SECRET_KEY\`, a config module's
\`apiSecret\`) with no session check.

With the setting \`authPolicy: "every-action"\` (or for the files and actions \`protectedActions\` globs match),
every action must check the session first, even one that only computes; actions marked public and sign-in,
sign-up, reset and emailed-link flows are exempt.

Effects beyond the database count too: writes to state the module keeps for every request (\`sessions[key] = role\`,
\`delete sessions[key]\`, \`cache.set(key, value)\` on a module-level \`{}\` or \`Map\`) keyed or fed by the client.`,
    messages: {
      missing:
        '{{effect}} runs without an auth check. Call your session helper (e.g. auth()) and exit early when there is no user before any side effect.',
      missingCounter:
        '{{effect}} runs without an auth check. If anyone may bump this counter (a like or rating on a public page), mark the action @public and rate-limit it; otherwise check the session first.',
      unchecked:
        '{{callee}} is called but its result is never checked before {{effect}}. Add an early exit (return, throw or redirect) when there is no session.',
      uncheckedOwner:
        "{{callee}} is called but its result is never checked, so {{owner}} is undefined for a signed-out caller and the condition is dropped: {{effect}} matches anyone's rows. Add an early exit (return, throw or redirect) when there is no session.",
      sensitiveRead:
        '{{effect}} returns {{what}} to any caller: there is no auth check. Call your session helper (e.g. auth()), exit early without a user, and scope the read to them.',
      maintenance:
        '{{name}} is a maintenance task (seed, wipe, migrate) exported as a Server Action: anyone can call it and run {{effect}}. Move it to a script, or check an admin secret or session before it.',
      sensitiveReadRls:
        '{{effect}} returns {{what}} with no auth check. Unless row-level security limits this table to its owner, check the session first and scope the read to the user.',
      read:
        "{{effect}} returns data to any caller, while the file's other actions check the session. Check it here too, or mark the action /** @public */ if the data is public.",
      policy:
        "'{{name}}' does not check the session, and {{policy}} requires every action to. Call your session helper (e.g. auth()) first and exit early without a user, or mark the action /** @public */.",
      secretReturned:
        '{{effect}} is a secret and this action returns it to any caller: there is no auth check. Keep secrets on the server; if a signed-in user needs this value, check the session first.',
      unverified:
        "Could not verify that {{callee}} stops unauthenticated callers before {{effect}}. If it throws or redirects without a session, add it to the serverActionGuard.authFunctions setting.",
    },
  },
  checkAction({ action, file, report }) {
    const reads = action.sideEffects.filter((e) => e.read && e.returned);
    const isPrivate = (model: string | undefined): boolean => model !== undefined && file.knowledge.isPrivateModel(model);
    // Rows of someone's own (orders, submissions), also when a public row brings them along (`include: { submission: true }`).
    const sensitive = reads.find((e) => e.kind !== 'db-read' || isPrivate(e.model) || (e.relations ?? []).some(isPrivate));
    const reportSensitive = (read: SideEffect): void => {
      const fix = addAuthGuard(action, file);
      const privateRelation = isPrivate(read.model) ? undefined : read.relations?.find(isPrivate);
      const what = read.kind !== 'db-read' ? EFFECT_NOUNS[read.kind].replace(/^an? /, '') : privateRelation ? `rows of ${privateRelation} (included with ${read.model ?? 'each row'})` : `rows of ${read.model}`;
      // A Supabase client reads as the caller: row-level security may be what limits the rows, and the engine
      // cannot see the policies.
      if (read.kind === 'secret-read') report({ messageId: 'secretReturned', data: { effect: read.label }, node: read.node, fixes: fix ? [fix] : [] });
      else if (read.library === 'supabase') report({ messageId: 'sensitiveReadRls', data: { effect: read.label, what }, node: read.node, severity: 'info' });
      else report({ messageId: 'sensitiveRead', data: { effect: read.label, what }, node: read.node, fixes: fix ? [fix] : [] });
    };
    // An action that serves visitors with or without a session must still not hand anyone private rows.
    if (action.publicKind === 'optional-session' && sensitive) {
      reportSensitive(sensitive);
      return undefined;
    }
    if (action.sessionRequiredBy && action.authGuards.length === 0) {
      // The strict policy: every action checks the session first, whatever it does.
      const unchecked = action.uncheckedSessions[0];
      const fix = unchecked ? undefined : addAuthGuard(action, file);
      report({ messageId: 'policy', data: { name: action.name, policy: action.sessionRequiredBy }, node: unchecked?.node ?? action.nameNode, fixes: fix ? [fix] : [] });
      return undefined;
    }
    if (action.publicByDesign) return 'n/a';
    const effects = action.sideEffects.filter((e) => e.kind !== 'cookie-write' && !e.read);
    // Under the strict policy the check applies to every action: one with a session check passes.
    if (effects.length === 0 && reads.length === 0) return action.sessionRequiredBy ? undefined : 'n/a';
    const unguarded = effects.find((e) => e.guard === undefined);
    const unchecked = action.uncheckedSessions[0];
    // A read the session scopes (`where: { userId: session?.user.id }`): signed out, it reads someone else's rows.
    const scopedRead = unchecked ? reads.find((e) => e.guard === undefined && e.scopedBySession) : undefined;
    if (unchecked && (unguarded || scopedRead)) {
      const effect = unguarded ?? scopedRead!;
      // `where: { id, userId: user?.id }`: signed out, the owner is undefined and the ORM drops the condition, so the
      // access matches anyone's rows — the same missing check, also an ownership problem.
      // Counted as an ownership problem where a client-chosen id selects the row (`{ id, userId: user?.id }`).
      const emptied = action.optionalOwnerFilter;
      if (emptied) {
        report({ messageId: 'uncheckedOwner', data: { callee: unchecked.callee, effect: effect.label, owner: emptied.getText(file.sourceFile) }, node: unchecked.node, covers: ['server-identity'] });
      } else {
        report({ messageId: 'unchecked', data: { callee: unchecked.callee, effect: effect.label }, node: unchecked.node });
      }
      return undefined;
    }
    if (unguarded) {
      const fix = addAuthGuard(action, file);
      // A seed or wipe in an app without sign-in: there is no session to check, the task should not be an endpoint.
      if (!file.projectHasAuth && file.knowledge.isMaintenanceName(action.name)) {
        report({ messageId: 'maintenance', data: { name: action.name, effect: unguarded.label }, node: action.nameNode });
        return undefined;
      }
      // Only public counters bumped (a like or rating button on a catalogue page) may be public by design: a warning.
      const counters = effects
        .filter((e) => e.guard === undefined)
        .every((e) => action.dataAccess.some((a) => a.node === e.node && a.counterOnly));
      if (counters) {
        report({ messageId: 'missingCounter', data: { effect: unguarded.label }, node: unguarded.node, severity: 'warning', fixes: fix ? [fix] : [] });
        return undefined;
      }
      report({ messageId: 'missing', data: { effect: unguarded.label }, node: unguarded.node, fixes: fix ? [fix] : [] });
      return undefined;
    }
    const unverified = [...effects, ...reads].find((e) => e.guard === 'unverified');
    if (unverified) {
      const guard = action.authGuards.find((g) => g.certainty === 'unverified');
      report({
        messageId: 'unverified',
        data: { callee: guard?.callee ?? 'the auth helper', effect: unverified.label },
        node: guard?.node ?? unverified.node,
        severity: 'info',
      });
      return undefined;
    }
    if (action.authGuards.length > 0) return effects.length > 0 || action.sessionRequiredBy ? undefined : 'n/a';
    if (sensitive) {
      reportSensitive(sensitive);
      return undefined;
    }
    // A read next to actions that all check the session is most likely meant to be signed-in only.
    const others = file.actions.filter((a) => a !== action && !a.publicByDesign);
    if (others.length > 0 && others.every((a) => a.authGuards.some((g) => g.certainty === 'certain'))) {
      report({ messageId: 'read', data: { effect: reads[0]!.label }, node: reads[0]!.node, severity: 'warning' });
      return undefined;
    }
    return 'n/a';
  },
};

