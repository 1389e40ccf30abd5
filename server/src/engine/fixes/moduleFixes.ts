/** Fix builders for file-level rules: a marker import in a privileged module, `async` on a 'use server' export. */
import ts from 'typescript';
import type { FileFacts } from '../facts/model';
import type { Fix } from '../types';
import { insert, serverOnlyImport } from './builders';

/** server-only: `import 'server-only'` at the top of the module that holds the privileged material. */
export function addServerOnlyImport(module: ts.SourceFile, name: string): Fix {
  return { title: `Add import 'server-only' to ${name}`, safe: false, edits: [serverOnlyImport(module)] };
}

/** non-async-export: `async` before an exported function of a 'use server' file. */
export function makeAsync(file: FileFacts, entry: FileFacts['nonAsyncExports'][number]): Fix | undefined {
  const fn = functionOf(entry.declaration, entry.name);
  if (!fn) return undefined;
  return { title: `Make ${entry.name} async`, safe: false, edits: [insert(file.sourceFile, asyncInsertionPoint(fn, file.sourceFile), 'async ')] };
}

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
