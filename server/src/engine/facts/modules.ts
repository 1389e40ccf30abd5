/** Module-level facts: the file directive and privileged material (DB clients, secrets, admin SDKs). */
import ts from 'typescript';
import { prologue, walk } from '../ast';
import type { Knowledge } from '../knowledge';
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
export function privilegedMaterial(sourceFile: ts.SourceFile, knowledge: Knowledge): { node: ts.Node; reason: string }[] {
  const out: { node: ts.Node; reason: string }[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !isErasedImport(statement, sourceFile)) {
      const names = importedNames(statement);
      if (names === undefined) continue;
      const reason = knowledge.privilegedImport(statement.moduleSpecifier.text, names);
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
        if (name && knowledge.isSecretEnvName(name)) {
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

/**
 * The value names an import binds (type-only specifiers left out): `default`, `*` or the exported names; undefined
 * for an import that binds nothing at run time (`import type`, only type specifiers).
 */
export function importedNames(statement: ts.ImportDeclaration): string[] | undefined {
  const clause = statement.importClause;
  if (!clause) return [];
  if (clause.isTypeOnly) return undefined;
  const names: string[] = [];
  if (clause.name) names.push('default');
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
    if (names.length === 0 && bindings.elements.length > 0) return undefined;
  }
  return names;
}

/**
 * Whether the compiler erases the import: `import type`, only type specifiers, or bindings the file uses as types
 * only (`import Stripe from 'stripe'` for `Stripe.PaymentMethod.Type`) — TypeScript, SWC and esbuild all drop those,
 * so the module is not loaded at run time. A side-effect import (`import 'server-only'`) is kept, and so is an import
 * that is not used yet (code being typed): it still loads the module.
 */
export function isErasedImport(statement: ts.ImportDeclaration, sourceFile: ts.SourceFile): boolean {
  const clause = statement.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const names = new Set<string>();
  if (clause.name) names.add(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) if (!element.isTypeOnly) names.add(element.name.text);
    if (names.size === 0 && bindings.elements.length > 0) return true;
  }
  if (names.size === 0) return false;
  const uses = referenceUses(sourceFile);
  let typeUse = false;
  for (const name of names) {
    const use = uses.get(name);
    if (use?.value) return false;
    if (use?.type) typeUse = true;
  }
  return typeUse;
}

/** How each name is referenced in a file outside its imports, in one walk per file (a file asks once per import). */
const referenceUseCache = new WeakMap<ts.SourceFile, Map<string, { value: boolean; type: boolean }>>();

function referenceUses(sourceFile: ts.SourceFile): Map<string, { value: boolean; type: boolean }> {
  const cached = referenceUseCache.get(sourceFile);
  if (cached) return cached;
  const uses = new Map<string, { value: boolean; type: boolean }>();
  const visit = (node: ts.Node, inType: boolean): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && isReference(node)) {
      const use = uses.get(node.text) ?? { value: false, type: false };
      if (inType) use.type = true;
      else use.value = true;
      uses.set(node.text, use);
    }
    ts.forEachChild(node, (child) => visit(child, inType || isTypePosition(child)));
  };
  visit(sourceFile, false);
  referenceUseCache.set(sourceFile, uses);
  return uses;
}

/** A type node, except a class's `extends X<T>` (a value) — `implements` and interface heritage are types. */
function isTypePosition(node: ts.Node): boolean {
  if (ts.isExpressionWithTypeArguments(node)) {
    const clause = node.parent;
    return !(ts.isHeritageClause(clause) && clause.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(clause.parent));
  }
  return ts.isTypeNode(node);
}

/** An identifier that refers to a binding: not a property name (`x.Stripe`, `{ Stripe: 1 }`) or a declaration's name. */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent)) && parent.name === node) return false;
  if (ts.isJsxAttribute(parent)) return false;
  return true;
}
