import ts from 'typescript';
import { insert } from '../fixes/builders';
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
      const fn = functionOf(entry.declaration, entry.name);
      const fixes = fn
        ? [{ title: `Make ${entry.name} async`, safe: false, edits: [insert(file.sourceFile, asyncInsertionPoint(fn, file.sourceFile), 'async ')] }]
        : [];
      report({ messageId: 'nonAsync', data: { name: entry.name }, node: entry.node, fixes });
    }
  },
};

function functionOf(declaration: ts.Node, name: string): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(declaration)) return declaration;
  if (ts.isVariableStatement(declaration)) {
    for (const d of declaration.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
        return d.initializer;
      }
    }
  }
  return undefined;
}

function asyncInsertionPoint(fn: ts.FunctionLikeDeclaration, sourceFile: ts.SourceFile): number {
  if (ts.isFunctionDeclaration(fn)) {
    const keyword = fn.getChildren(sourceFile).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword);
    return keyword ? keyword.getStart(sourceFile) : fn.getStart(sourceFile);
  }
  return fn.getStart(sourceFile);
}
