import type { Rule } from './rule';

export const narrowContract: Rule = {
  meta: {
    id: 'narrow-contract',
    description: 'No mass assignment from client data and no privileged hidden inputs in forms posting to actions.',
    defaultSeverity: 'warning',
    fixable: false,
    docs: `## What it does
Reports mass assignment — \`Object.fromEntries(formData)\` used without a schema, a client object (an action argument,
unvalidated input) passed whole as a write's \`data\` / \`.values()\` / \`.set()\` / \`.update()\`, or spread into it, and the
whole result of a schema parse spread into a write (\`data: { ...parsed.data }\`) — and,
in TSX, hidden \`<input>\` elements that carry identity or privilege fields (\`ownerId\`, \`role\`, \`plan\`…) inside a
\`<form>\` whose \`action\` is a Server Action. It also reports a payment whose amount (\`amount\`, \`unit_amount\`,
\`application_fee_amount\`) is computed from client values, such as prices sent with the cart.

## Why is this bad?
The client decides which columns are written. Adding \`role=admin\` or \`ownerId=…\` to the request is enough to
escalate privileges, even if your form never shows such a field. A hidden input is a field the user can edit.

## Example
\`\`\`ts
export async function updateSettings(formData: FormData) {
  await db.user.update({ where: { id: session.user.id }, data: Object.fromEntries(formData) });
}
\`\`\`

## Use instead
\`\`\`ts
const settingsSchema = z.object({ name: z.string().max(80), bio: z.string().max(280) });
export async function updateSettings(formData: FormData) {
  const parsed = settingsSchema.parse(Object.fromEntries(formData));
  await db.user.update({ where: { id: session.user.id }, data: { name: parsed.name, bio: parsed.bio } });
}
\`\`\``,
    messages: {
      fromEntries: '{{label}} accepts every field the client sends. Parse it with a schema that lists the allowed fields.',
      spread: "Spreading '{{label}}' into a write lets the client choose the columns. List the allowed fields explicitly.",
      spreadParsed:
        "Spreading the whole parsed input '{{label}}' into a write lets its schema's privileged or unknown fields reach the database. List the fields to write.",
      whole: "'{{label}}' is written as a whole. Pick the allowed fields explicitly (or parse with a strict schema).",
      computedKey: "The client chooses which column {{label}} writes. Map the allowed fields explicitly instead of writing a client-chosen key.",
      privilegedField:
        "'{{label}}' is set from client input. A user must not choose it for their own record: set it on the server (from the session, a price list, a default) or in an admin-only action.",
      clientAmount:
        "The amount charged ('{{label}}') is computed from what the client sent. Look the prices up on the server (your product table or Stripe Prices) and charge that.",
      clientAmounts:
        'The amounts charged ({{items}}) are computed from what the client sent. Look the prices up on the server (your product table or Stripe Prices) and charge that.',
      clientAmountRelated: "'{{item}}' is also computed from what the client sent.",
      hiddenInput:
        "Hidden input '{{field}}' sends an identity/privilege field from the browser. Remove it and derive the value on the server.",
    },
  },
  checkFile({ file, report }) {
    for (const input of file.hiddenIdentityInputs) {
      report({ messageId: 'hiddenInput', data: { field: input.field }, node: input.node });
    }
  },
  checkAction({ action, file, report }) {
    const writes = action.dataAccess.some((a) => a.write) || action.sideEffects.some((e) => !e.expensive && !e.read);
    if (action.massAssignments.length === 0 && (!writes || action.inputs.length === 0)) return 'n/a';
    for (const assignment of action.massAssignments) {
      const messageId = {
        'from-entries': 'fromEntries',
        'spread-input': 'spread',
        'whole-input': 'whole',
        'spread-parsed': 'spreadParsed',
        'computed-key': 'computedKey',
        'privileged-field': 'privilegedField',
        'client-amount': 'clientAmount',
      }[assignment.reason];
      // An owner set from client input (`createdBy: data.user`) is also an identity taken from the client: one finding.
      const owner =
        assignment.reason === 'privileged-field' &&
        file.knowledge.conventions.ownerField.test(assignment.label) &&
        !action.identityFromClient.some((identity) => identity.field === assignment.label);
      // Every amount of one charge computed from the client is one problem: one finding, the others related.
      const group = assignment.reason === 'client-amount' ? { key: 'client-amount', messageId: 'clientAmounts', item: assignment.label, relatedMessageId: 'clientAmountRelated' } : undefined;
      report({
        messageId,
        data: { label: assignment.label.length > 60 ? `${assignment.label.slice(0, 57)}…` : assignment.label },
        node: assignment.node,
        ...(group ? { group } : {}),
        ...(owner ? { covers: ['server-identity' as const] } : {}),
      });
    }
    return undefined;
  },
};
