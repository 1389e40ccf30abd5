import { wrapFormDataInZod } from '../fixes/actionFixes';
import type { ClientInput } from '../facts/model';
import type { Rule } from './rule';

export const validateInput: Rule = {
  meta: {
    id: 'validate-input',
    description: 'Every client value goes through a schema before business logic.',
    docs: `## What it does
Reports client values — FormData fields, action arguments, \`.bind()\` arguments, unvalidated action-client input —
that reach business logic without passing through a schema parse (zod, valibot, yup, arktype, superstruct, or an
action client's \`.schema()\` / \`.inputSchema()\` / \`.input()\`).

## Why is this bad?
A Server Action is a public HTTP endpoint. Its arguments are whatever the caller sends, whatever the TypeScript
types say: \`formData.get('price')\` may be missing, a file, or a string of any length. TypeScript types are not
checked at runtime, and bound arguments (\`action.bind(null, id)\`) are sent by the browser too.

## Example
\`\`\`ts
'use server';
export async function updateProfile(formData: FormData) {
  await db.user.update({ where: { id: session.user.id }, data: { name: formData.get('name') as string } });
}
\`\`\`

## Use instead
\`\`\`ts
const profileSchema = z.object({ name: z.string().trim().min(2).max(80) });
export async function updateProfile(formData: FormData) {
  const parsed = profileSchema.safeParse({ name: formData.get('name') });
  if (!parsed.success) return { error: 'Invalid input', fieldErrors: parsed.error.flatten().fieldErrors };
  await db.user.update({ where: { id: session.user.id }, data: { name: parsed.data.name } });
}
\`\`\`
The quick fix "Wrap FormData reads in a zod schema" writes this for you (it changes behaviour: invalid input is
now rejected, so it is offered as a suggestion).`,
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      formField:
        "FormData field '{{field}}' is used without validation. Parse it with a schema (e.g. zod safeParse) and exit early on failure.",
      formFields:
        'FormData fields {{items}} are used without validation. Parse them with one schema (e.g. zod safeParse) and exit early on failure.',
      formWhole: 'The whole FormData is used without validation. Parse it with a schema that lists the accepted fields.',
      argument:
        "Argument '{{name}}' comes from the client and is used without validation. Parse it with a schema before using it.",
      arguments: 'Arguments {{items}} come from the client and are used without validation. Parse them with a schema before using them.',
      also: "'{{item}}' is used without validation here too. Parse it in the same schema.",
      unchecked:
        "The result of {{callee}} is used without checking 'success'. Exit early when parsing fails.",
    },
  },
  checkAction({ action, file, report }) {
    if (action.inputs.length === 0 && action.schemaParses.length === 0) return 'n/a';
    // One finding per kind of input, not one per field: the change is one schema parse at the top of the action. It
    // sits at the first read that no other rule reports (a client userId is server-identity's, a client role
    // narrow-contract's) and names the others.
    const reportedElsewhere = [...action.identityFromClient.map((i) => i.node), ...action.massAssignments.map((m) => m.node)];
    const preferred = (input: ClientInput): number => (reportedElsewhere.some((n) => n.pos <= input.node.pos && input.node.end <= n.end) ? 1 : 0);
    // A value checked equal to the session's id before anything else (`if (userId !== session.user.id) throw`) can only
    // be that id: there is nothing left for a schema to check.
    const verified = (input: ClientInput): boolean => action.sessionVerified.includes(input.node);
    const unvalidated = action.inputs.filter((input) => !input.validated && !verified(input)).sort((a, b) => preferred(a) - preferred(b));
    const fix = wrapFormDataInZod(action, file);
    for (const input of unvalidated) {
      if (input.source === 'form-data' && input.whole) {
        report({ messageId: 'formWhole', node: input.node });
      } else if (input.source === 'form-data') {
        const field = input.field ?? '';
        // A read another rule reports at the same place (a client ownerId) is one finding with it, not an item here.
        const elsewhere = preferred(input) === 1;
        report({
          messageId: 'formField',
          data: { field },
          node: input.node,
          fixes: fix ? [fix] : [],
          ...(elsewhere ? {} : { group: { key: 'form-fields', messageId: 'formFields', item: field, relatedMessageId: 'also' } }),
        });
      } else {
        // A destructured parameter has no name of its own: name the field (`title`, not `{ title, body }.title`).
        const name = input.source !== 'argument' ? input.param : input.field ? (/^[\w$]+$/.test(input.param) ? `${input.param}.${input.field}` : input.field) : input.param;
        const elsewhere = preferred(input) === 1;
        report({ messageId: 'argument', data: { name }, node: input.node, ...(elsewhere ? {} : { group: { key: 'arguments', messageId: 'arguments', item: name, relatedMessageId: 'also' } }) });
      }
    }
    for (const parse of action.schemaParses) {
      if (!parse.checked && parse.safe) {
        report({ messageId: 'unchecked', data: { callee: parse.callee }, node: parse.node.expression });
      }
    }
    return undefined;
  },
};
