import * as path from 'node:path';
import { replaceWithSession } from '../fixes/actionFixes';
import type { Rule } from './rule';

export const serverIdentity: Rule = {
  meta: {
    id: 'server-identity',
    description: 'Identity, ownership, tenant and privilege come from the session, never from the client; writes are scoped to the user.',
    defaultSeverity: 'error',
    fixable: true,
    docs: `## What it does
Reports identity, ownership, tenant and privilege values read from client input — FormData fields, action
arguments, bound arguments or parsed input named \`userId\`, \`ownerId\`, \`authorId\`, \`teamId\`, \`orgId\`,
\`tenantId\`, \`role\`, \`isAdmin\`, \`plan\`, \`published\`… (the \`identityFields\` setting) — and reads or writes whose
filter is keyed only by a client-supplied id, with no session-derived owner in the filter and no ownership check
(an IDOR: insecure direct object reference). Writes made by project helpers count at the call that hands them the
client id, unless the helper checks access itself before the write.

It also reports access checks that never fail: an async check called without \`await\` in an exiting condition
(\`if (!isGroupOwner(user, id)) throw …\` — a Promise is always truthy), in the action or in a helper it calls (the
finding names the helper's file; a workspace audit shows it there once).

And writes where the client picks a column after all: a client object spread after the session's owner
(\`{ reporterId: user.id, ...input }\` — the client's own \`reporterId\` wins), or a column named by a raw client value
(\`data: { [key]: value }\`, which can be \`userId\` or \`role\`), even when ownership was checked. A new record filed
under a workspace, store, account or project the client names (\`data: { storeId: input.storeId }\`) with no
membership or ownership check is a warning: the analyzer cannot tell whether that parent is shared with the caller.

## Why is this bad?
Whoever calls the action chooses these values. A hidden \`ownerId\` field or a bound \`userId\` lets any signed-in
user act as any other user, and \`delete({ where: { id } })\` lets them delete anybody's records.

## Example
\`\`\`ts
export async function renameProject(formData: FormData) {
  const session = await requireSession();
  await db.project.update({
    where: { id: formData.get('projectId') as string },
    data: { name: parsed.name, ownerId: formData.get('ownerId') as string },
  });
}
\`\`\`

## Use instead
\`\`\`ts
export async function renameProject(formData: FormData) {
  const session = await requireSession();
  await db.project.updateMany({
    where: { id: parsed.projectId, ownerId: session.user.id },
    data: { name: parsed.name },
  });
}
\`\`\`
The quick fix "Replace client ownerId with the session" uses the session's user id (inserting the session call
when the file already imports an auth helper).`,
    messages: {
      fromClient:
        "'{{field}}' comes from the client. Derive identity, ownership and privilege on the server (e.g. session.user.id) instead of accepting it.",
      fromClientWithCredential:
        "'{{field}}' comes from the client and goes to {{callee}}() with a credential the server holds. If {{callee}}() does not check that the caller belongs to it, check membership first.",
      idor:
        "{{access}} is keyed by a client-supplied id with no owner from the session. Add the session's user to the filter (e.g. authorId: session.user.id) or check ownership first.",
      idorRole:
        "{{access}} is keyed by a client-supplied id, and only a role check comes before it. If the role does not cover every record, scope the filter to the caller's workspace or check that the record belongs to it.",
      unawaited:
        '{{callee}}() is async but not awaited in this condition: a Promise is always truthy, so the check never stops the request. Add await before it.',
      unawaitedIn:
        '{{helper}} relies on a check that never fails: {{callee}}() is not awaited in its condition in {{file}}. Add await there.',
      spreadOver:
        "'{{spread}}' is spread after {{field}} in {{access}}: a client object with its own {{field}} overwrites the session's. Spread it first (or pick its fields), then set {{field}}.",
      clientParent:
        "{{field}} comes from the client and nothing checks that the caller may add to it: {{access}} can file a record under another user's {{parent}}. Check membership or ownership of {{field}} first (or take it from the session).",
      clientKey:
        "The client names the column {{access}} writes ([{{key}}]): it can set owner, tenant or privilege columns. Allow-list the key (e.g. a z.enum of the editable fields).",
      idorRls:
        "{{access}} is keyed by a client-supplied id with no owner in the filter. Unless row-level security limits this table to its owner, add the session's user to the filter.",
    },
  },
  checkAction({ action, file, report }) {
    // A broken check first: it is the change to make, and whatever it was meant to protect is open until then.
    for (const broken of action.brokenChecks) {
      const target = { sourceFile: broken.check.sourceFile, node: broken.check.node, messageId: 'unawaited', data: { callee: broken.check.callee } };
      if (broken.via) {
        report({ messageId: 'unawaitedIn', data: { helper: broken.via, callee: broken.check.callee, file: path.basename(broken.check.sourceFile.fileName) }, node: broken.node, target });
      } else {
        report({ messageId: 'unawaited', data: { callee: broken.check.callee }, node: broken.node });
      }
    }
    if (action.brokenChecks.length > 0) return undefined;
    const clientIdentity = action.identityFromClient;
    if (clientIdentity.length === 0 && action.clientColumns.length === 0 && action.dataAccess.every((a) => a.filters.length === 0) && action.inputs.length === 0) return 'n/a';
    // Admin tools act on other users' records by design: an admin-only guard makes client identities expected.
    if (action.authGuards.some((g) => g.certainty === 'certain' && /admin|staff|superuser|moderator/i.test(g.callee))) return undefined;
    const reported = new Set<string>();
    for (const identity of clientIdentity) {
      // One finding per field: every later use of the same client value has the same cause and the same fix.
      if (reported.has(identity.field)) continue;
      reported.add(identity.field);
      const fix = replaceWithSession(action, file, identity);
      if (identity.withCredential) {
        // Whether the callee checks the organisation against the credential is more than the analyzer can see.
        report({ messageId: 'fromClientWithCredential', data: { field: identity.field, callee: identity.withCredential }, node: identity.node, severity: 'warning', fixes: fix ? [fix] : [] });
        continue;
      }
      report({ messageId: 'fromClient', data: { field: identity.field }, node: identity.node, fixes: fix ? [fix] : [] });
    }
    for (const column of action.clientColumns) {
      const data = { access: column.access.label, spread: column.node.getText(file.sourceFile), key: column.key ?? '', field: column.field ?? '' };
      const messageId = { 'spread-over': 'spreadOver', 'computed-key': 'clientKey', 'client-parent': 'clientParent' }[column.kind];
      const parent = (column.field ?? '').replace(/s?_?(id|ids)$/i, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      // Whether the parent is shared with the caller is a question the analyzer cannot settle: a warning.
      report({ messageId, data: { ...data, parent }, node: column.node, ...(column.kind === 'client-parent' ? { severity: 'warning' as const } : {}) });
    }
    for (const idor of action.idors) {
      if (idor.sameAsIdentity || clientIdentity.some((i) => i.node.pos >= idor.node.pos && i.node.end <= idor.node.end)) continue;
      if (idor.mayBeEnforcedByDatabase) report({ messageId: 'idorRls', data: { access: idor.access.label }, node: idor.access.node.expression, severity: 'info' });
      // A public counter keyed by the item's id (`rating` of a product) has no owner to check: a warning.
      // After a role check the caller is privileged: whether the role covers every row is a question, not a finding.
      else if (idor.roleGated) report({ messageId: 'idorRole', data: { access: idor.access.label }, node: idor.access.node.expression, severity: 'warning' });
      else report({ messageId: 'idor', data: { access: idor.access.label }, node: idor.access.node.expression, ...(idor.access.counterOnly ? { severity: 'warning' as const } : {}) });
    }
    return undefined;
  },
};
