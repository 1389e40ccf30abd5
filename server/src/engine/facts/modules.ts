/** Module-level facts: the file directive and privileged material (DB clients, secrets, admin SDKs). */
import ts from 'typescript';
import { prologue, walk } from '../ast';
import { isPublicEnvName, privilegedModuleReason } from './knowledge';
import type { Directive } from './model';

/** The file-level directive, as Next.js reads it: only from the directive prologue. */
export function moduleDirective(sourceFile: ts.SourceFile): Directive | undefined {
  for (const statement of prologue(sourceFile.statements)) {
    const text = (statement.expression as ts.StringLiteral).text;
    if (text === 'use server' || text === 'use client') return text;
  }
  return undefined;
}

/** Why a module is privileged: it imports a DB driver or admin SDK, or reads a secret from the environment. */
export function privilegedMaterial(sourceFile: ts.SourceFile): { node: ts.Node; reason: string }[] {
  const out: { node: ts.Node; reason: string }[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !statement.importClause?.isTypeOnly) {
      const reason = privilegedModuleReason(statement.moduleSpecifier.text);
      if (reason) out.push({ node: statement, reason });
    }
  }
  // t3-env (`createEnv({ server: {…}, client: {…} })`) refuses server variables in the browser by itself.
  const t3Env = sourceFile.statements.some(
    (s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && /^@t3-oss\/env/.test(s.moduleSpecifier.text),
  );
  if (t3Env) return out;
  walk(
    sourceFile,
    (node) => {
      if (out.length > 8) return;
      // process.env.SECRET or process.env['SECRET']
      if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isProcessEnv(node.expression)) {
        const name = ts.isPropertyAccessExpression(node)
          ? node.name.text
          : ts.isStringLiteralLike(node.argumentExpression)
            ? node.argumentExpression.text
            : undefined;
        if (name && !isPublicEnvName(name) && /SECRET|KEY|TOKEN|PASSWORD|PRIVATE|DATABASE|DB_|SERVICE_ROLE|CREDENTIAL/i.test(name)) {
          out.push({ node, reason: `reads process.env.${name}` });
        }
      }
    },
    true,
  );
  return out;
}

function isProcessEnv(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';
}
