import { makeAsync } from '../fixes/moduleFixes';
import type { Rule } from './rule';

export const nonAsyncExport: Rule = {
  meta: {
    id: 'non-async-export',
    description: "A 'use server' file may only export async functions.",
    defaultSeverity: 'error',
    fixable: true,
    docs: `## What it does
Reports exports of a \`'use server'\` file that are not async functions: synchronous functions, objects, constants.

## Why is this bad?
Next.js fails the build ("Only async functions are allowed to be exported in a 'use server' file"). Every export of
such a file becomes a public endpoint, so constants and helpers belong in another module.

## Example
\`\`\`ts
'use server';
export const MAX_TITLE = 80;
export function slugify(title: string) { … }
\`\`\`

## Use instead
Move constants and helpers to a separate (server-only) module, and keep only async actions in the
\`'use server'\` file. For a function that really is an action, make it \`async\`.`,
    messages: {
      nonAsync: "'{{name}}' is exported from a 'use server' file but is not an async function. Make it async or move it to another module.",
    },
  },
  checkFile({ file, report }) {
    for (const entry of file.nonAsyncExports) {
      const fix = makeAsync(file, entry);
      report({ messageId: 'nonAsync', data: { name: entry.name }, node: entry.node, fixes: fix ? [fix] : [] });
    }
  },
};
