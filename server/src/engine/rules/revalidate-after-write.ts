import * as path from 'node:path';
import { addRevalidate } from '../fixes/actionFixes';
import type { Rule } from './rule';

export const revalidateAfterWrite: Rule = {
  meta: {
    id: 'revalidate-after-write',
    description: 'A mutation refreshes what it changed (revalidatePath/revalidateTag/updateTag/refresh/redirect).',
    defaultSeverity: 'warning',
    fixable: true,
    docs: `## What it does
Reports actions that write — ORM create/update/delete/upsert, SQL \`INSERT/UPDATE/DELETE\`, writes inside helpers in
other files — and never call \`revalidatePath\`, \`revalidateTag\`, \`updateTag\`, \`refresh\` or \`redirect\` (directly or
through a helper) after the last write. Cookie writes are not counted: setting a cookie already re-renders the page.

The client code that calls the action counts too: when every component or hook of the project that imports and
calls it refreshes afterwards — \`router.refresh()\`, SWR's \`mutate()\`, React Query's \`invalidateQueries()\` or
\`refetch()\`, or the returned value put into state the component renders — the page is not stale, and nothing is
reported. A component that only hands the action on as a prop (\`<Form handleSubmit={editUser} />\`, \`actions={{ save }}\`) is
followed one step into the component that receives it, and a project hook it is passed to (\`useSafeAction(save)\`) into
the hook's definition. When no caller refreshes, the finding is a warning; when some
do and one does not, it is an info naming the silent one (that caller may show nothing the write changed).
A Server Component that awaits the action while it renders reads what an update of existing rows changed in the same
render; rows the action creates or deletes show on other pages, so those still need a revalidation. Writes of only
columns no page shows — a payment provider's ids and secrets, password hashes, tokens — and credential and session
helpers are not counted.

## Why is this bad?
Cached Server Components keep showing the old data. Users retry, or teams add client-side workarounds that drift
from the server's truth — stale permissions and stale prices are security bugs too.

## Example
\`\`\`ts
export async function publishPost(formData: FormData) {
  await db.post.update({ where: { id, authorId: session.user.id }, data: { published: true } });
}
\`\`\`

## Use instead
\`\`\`ts
export async function publishPost(formData: FormData) {
  await db.post.update({ where: { id, authorId: session.user.id }, data: { published: true } });
  revalidatePath('/posts');
}
\`\`\`
The quick fix inserts \`revalidatePath('<route>')\` after the last write, with the route inferred from the file's
\`app/\` segment (route groups and slots removed). It is safe when the route is known.`,
    messages: {
      missing:
        "{{write}} changes data but nothing is revalidated afterwards. Call revalidatePath('{{route}}') or revalidateTag() after the write (or redirect).",
      missingInCaller:
        "{{write}} changes data but nothing is revalidated afterwards, and {{caller}} does not refresh after calling it. Call revalidatePath('{{route}}') or revalidateTag() after the write (or refresh in that caller).",
    },
  },
  checkAction({ action, file, report }) {
    // Sign-in, sign-up and one-time codes write sessions and tokens, which no page renders.
    if (action.authFlow) return 'n/a';
    const writes = action.sideEffects.filter((e) => e.changesAppData);
    if (writes.length === 0) return 'n/a';
    const last = writes.reduce((a, b) => (a.start > b.start ? a : b));
    const refreshed = action.revalidates.some((marker) => marker.start > last.start || marker.end >= last.end);
    if (refreshed) return undefined;
    // A component that only hands the action on is replaced by the component it hands it to, when that one was read.
    // A server render that calls it sees its own sync of existing rows (`updateStripeAccountStatus()`), but rows it
    // creates or deletes (orders placed, stock taken) show on other pages, which stay stale.
    // An update is a write with both a filter (the rows) and a payload; an insert has no filter, a delete no payload.
    const syncOnly = writes.every((w) => action.dataAccess.some((a) => a.node === w.node && a.filters.length > 0 && a.payload !== undefined));
    const callers = (action.callers ?? [])
      .flatMap((caller) => (caller.passedOn ? (caller.via ? [caller.via] : []) : [caller]))
      .map((caller) => (caller.refresh === 'server render' && !syncOnly ? { ...caller, refresh: undefined } : caller));
    const silent = callers.find((caller) => caller.refresh === undefined);
    // Every caller refreshes what it shows after the call (router.refresh(), mutate(), invalidateQueries()).
    if (callers.length > 0 && !silent) return undefined;
    const fix = addRevalidate(action, file, last.node);
    const data = { write: last.label, route: file.route ?? '/', caller: silent ? path.basename(silent.file) : '' };
    // Other callers refresh: the project refreshes in its components, and the silent one may show nothing the write
    // changed (a copy into another environment). Said at info: worth a look, not a confident warning.
    if (silent && callers.some((caller) => caller.refresh !== undefined)) {
      report({ messageId: 'missingInCaller', data, node: last.node, severity: 'info', fixes: fix ? [fix] : [] });
      return undefined;
    }
    report({ messageId: 'missing', data, node: last.node, fixes: fix ? [fix] : [] });
    return undefined;
  },
};
