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
    },
  },
  checkAction({ action, file, report }) {
    const writes = action.sideEffects.filter((e) => e.changesAppData);
    if (writes.length === 0) return 'n/a';
    const last = writes.reduce((a, b) => (a.start > b.start ? a : b));
    const refreshed = action.revalidates.some((marker) => marker.start > last.start || marker.end >= last.end);
    if (refreshed) return undefined;
    const fix = addRevalidate(action, file, last.node);
    report({ messageId: 'missing', data: { write: last.label, route: file.route ?? '/' }, node: last.node, fixes: fix ? [fix] : [] });
    return undefined;
  },
};
