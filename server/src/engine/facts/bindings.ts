/** What each top-level name of a file is bound to: an import, a local function, or a variable. */
import ts from 'typescript';
import { boundNames, isFunctionLike, unwrap } from '../ast';

export interface ImportBinding {
  specifier: string;
  /** `default`, `*` (namespace) or the exported name. */
  imported: string;
  declaration: ts.ImportDeclaration;
}

export interface FileBindings {
  imports: Map<string, ImportBinding>;
  functions: Map<string, ts.FunctionLikeDeclaration>;
  variables: Map<string, ts.VariableDeclaration>;
  /** Local name → exported names, and `export { a as b } from` re-exports. */
  exports: Map<string, { local?: string; from?: string; imported?: string }>;
  /** `export * from '…'` specifiers. */
  starExports: string[];
  sideEffectImports: string[];
}

const cache = new WeakMap<ts.SourceFile, FileBindings>();

export function bindingsOf(sourceFile: ts.SourceFile): FileBindings {
  const cached = cache.get(sourceFile);
  if (cached) return cached;
  const bindings: FileBindings = {
    imports: new Map(),
    functions: new Map(),
    variables: new Map(),
    exports: new Map(),
    starExports: [],
    sideEffectImports: [],
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (!clause) {
        bindings.sideEffectImports.push(specifier);
        continue;
      }
      if (clause.name) bindings.imports.set(clause.name.text, { specifier, imported: 'default', declaration: statement });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) {
        bindings.imports.set(named.name.text, { specifier, imported: '*', declaration: statement });
      } else if (named) {
        for (const element of named.elements) {
          bindings.imports.set(element.name.text, {
            specifier,
            imported: (element.propertyName ?? element.name).text,
            declaration: statement,
          });
        }
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      bindings.functions.set(statement.name.text, statement);
      if (isExported(statement)) {
        const isDefault = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
        bindings.exports.set(isDefault ? 'default' : statement.name.text, { local: statement.name.text });
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of boundNames(declaration.name)) {
          bindings.variables.set(name, declaration);
          if (ts.isIdentifier(declaration.name) && declaration.initializer) {
            const init = memoizedFunction(declaration.initializer) ?? declaration.initializer;
            if (isFunctionLike(init)) bindings.functions.set(name, init);
          }
          if (isExported(statement)) bindings.exports.set(name, { local: name });
        }
      }
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const from = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      if (!statement.exportClause) {
        if (from) bindings.starExports.push(from);
      } else if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          const local = (element.propertyName ?? element.name).text;
          bindings.exports.set(element.name.text, from ? { from, imported: local } : { local });
        }
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      const expression = statement.expression;
      if (ts.isIdentifier(expression)) bindings.exports.set('default', { local: expression.text });
    } else if (ts.isClassDeclaration(statement) && statement.name && isExported(statement)) {
      bindings.exports.set(statement.name.text, { local: statement.name.text });
    }
  }
  cache.set(sourceFile, bindings);
  return bindings;
}

/**
 * `cache(async () => …)` (React, as in the Next.js data access layer) and `unstable_cache(fn)` return a function
 * that does what `fn` does: summarise `fn`.
 */
function memoizedFunction(init: ts.Expression): ts.Expression | undefined {
  const call = unwrap(init);
  if (!ts.isCallExpression(call)) return undefined;
  const callee = call.expression.getText();
  if (!/^(React\.)?(cache|unstable_cache)$/.test(callee)) return undefined;
  const fn = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  return fn && isFunctionLike(fn) ? fn : undefined;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}
