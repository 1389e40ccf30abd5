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
reported. One caller that does none of these is enough to report it (the message names it).

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
    const callers = (action.callers ?? []).filter((caller) => !caller.passedOn);
    const silent = callers.find((caller) => caller.refresh === undefined);
    // Every caller refreshes what it shows after the call (router.refresh(), mutate(), invalidateQueries()).
    if (callers.length > 0 && !silent) return undefined;
    const fix = addRevalidate(action, file, last.node);
    const data = { write: last.label, route: file.route ?? '/', caller: silent ? path.basename(silent.file) : '' };
    report({ messageId: silent && callers.length > 1 ? 'missingInCaller' : 'missing', data, node: last.node, fixes: fix ? [fix] : [] });
    return undefined;
  },
};
