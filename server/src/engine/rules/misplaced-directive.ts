import type { Rule } from './rule';

export const misplacedDirective: Rule = {
  meta: {
    id: 'misplaced-directive',
    description: "A 'use server' / 'use client' directive that is not the first statement is ignored by Next.js.",
    defaultSeverity: 'error',
    fixable: false,
    docs: `## What it does
Reports \`'use server'\` and \`'use client'\` strings that are not in the directive prologue — the very first
statements of the file (comments may precede them) or of a function body.

## Why is this bad?
Next.js only honours directives at the top. After an import, \`'use server'\` is an ordinary string: the file's
functions are not Server Actions, and code meant to stay on the server may be bundled for the client.

## Example
\`\`\`ts
import { db } from '@/lib/db';
'use server';
\`\`\`

## Use instead
\`\`\`ts
'use server';
import { db } from '@/lib/db';
\`\`\``,
    messages: {
      misplaced: "'{{directive}}' is not the first statement, so Next.js ignores it. Move it above every import and statement.",
    },
  },
  checkFile({ file, report }) {
    for (const entry of file.misplacedDirectives) {
      report({ messageId: 'misplaced', data: { directive: entry.directive }, node: entry.node });
    }
  },
};
