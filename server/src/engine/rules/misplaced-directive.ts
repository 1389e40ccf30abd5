import type { Rule } from './rule';

export const misplacedDirective: Rule = {
  meta: {
    id: 'misplaced-directive',
    description: "A 'use server' / 'use client' directive Next.js ignores (not the first statement) or rejects (an inline action in a client module).",
    defaultSeverity: 'error',
    fixable: false,
    docs: `## What it does
Reports \`'use server'\` and \`'use client'\` strings that are not in the directive prologue — the very first
statements of the file (comments may precede them) or of a function body.

It also reports a function with an inline \`'use server'\` inside a \`'use client'\` module.

## Why is this bad?
Next.js only honours directives at the top. After an import, \`'use server'\` is an ordinary string: the file's
functions are not Server Actions, and code meant to stay on the server may be bundled for the client.

A client module cannot define Server Actions: Next.js fails the build on an inline \`'use server'\` function there.
Move the function to a \`'use server'\` file and import it, or define it in a Server Component and pass it down.

## Example
\`\`\`ts
import { db } from '@/lib/db';
'use server';
\`\`\`

\`\`\`tsx
'use client';
export function Form() {
  async function save(formData: FormData) {
    'use server'; // rejected: this module is a client module
  }
  return <form action={save} />;
}
\`\`\`

## Use instead
\`\`\`ts
'use server';
import { db } from '@/lib/db';
\`\`\`

\`\`\`tsx
// app/actions.ts
'use server';
export async function save(formData: FormData) {}

// app/form.tsx
'use client';
import { save } from './actions';
export function Form() {
  return <form action={save} />;
}
\`\`\``,
    messages: {
      inClient: "'{{name}}' declares 'use server' inside a 'use client' module, which Next.js rejects at build time. Move it to a 'use server' file and import it.",
      misplaced: "'{{directive}}' is not the first statement, so Next.js ignores it. Move it above every import and statement.",
    },
  },
  checkFile({ file, report }) {
    for (const entry of file.misplacedDirectives) {
      report({ messageId: 'misplaced', data: { directive: entry.directive }, node: entry.node });
    }
    for (const entry of file.clientInlineActions) {
      report({ messageId: 'inClient', data: { name: entry.name }, node: entry.node });
    }
  },
};
