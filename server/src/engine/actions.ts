/**
 * Finds every Server Action of a file: exports of a `'use server'` file (declarations, `export const`, default
 * exports, `export { a as b }`), functions whose body starts with `'use server'`, and actions built with action
 * clients (next-safe-action `.action(fn)`, zsa `.handler(fn)`). Also reports directives Next.js would ignore and
 * exports that would fail the build.
 */
import ts from 'typescript';
import { callChain, chainRoot, hasDirective, hasModifier, isAsyncFunction, isFunctionLike, prologue, unwrap, type ChainLink } from './ast';
import { bindingsOf } from './facts/bindings';
import type { Knowledge } from './knowledge';
import { moduleDirective } from './facts/modules';
import type { Directive, EndpointExports, Reexport } from './facts/model';
import type { ActionKind } from './types';

export type { EndpointExports, Reexport };

export interface FoundAction {
  name: string;
  kind: ActionKind;
  fn: ts.FunctionLikeDeclaration;
  nameNode: ts.Node;
  declaration: ts.Node;
  /** For action clients: the chain `client.schema(s).action(fn)`, innermost first. */
  chain: ChainLink[] | undefined;
  /** The higher-order calls the handler is passed through (`withAuth(fn)`, `withAuditLogging('x', fn)`), outermost first. */
  wrappers: ts.CallExpression[];
  jsDoc: ts.Node;
}

/** An export of a `'use server'` file whose function the engine cannot see (built by a factory it cannot read). */
export interface OpaqueExport {
  name: string;
  nameNode: ts.Node;
  declaration: ts.Node;
  /** Why it cannot be analysed, for the info diagnostic. */
  reason: string;
}

export interface FoundActions {
  directive: Directive | undefined;
  misplaced: { node: ts.StringLiteral; directive: Directive }[];
  actions: FoundAction[];
  nonAsyncExports: { node: ts.Node; name: string; declaration: ts.Node }[];
  opaqueExports: OpaqueExport[];
  reexports: Reexport[];
  /** Inline `'use server'` functions in a `'use client'` module: Next.js rejects them at build time. */
  clientInlineActions: { node: ts.Node; name: string }[];
}

const ACTION_CLIENT_TERMINALS = new Set(['action', 'stateAction', 'handler']);

export function findActions(sourceFile: ts.SourceFile, knowledge: Knowledge, endpoints?: EndpointExports): FoundActions {
  const directive = moduleDirective(sourceFile);
  const result: FoundActions = { directive, misplaced: [], actions: [], nonAsyncExports: [], opaqueExports: [], reexports: [], clientInlineActions: [] };
  const seen = new Set<ts.Node>();
  const add = (action: FoundAction): void => {
    if (seen.has(action.fn)) return;
    seen.add(action.fn);
    result.actions.push(action);
  };

  // Directives outside the prologue of the file: Next.js ignores them.
  const filePrologue = new Set<ts.Node>(prologue(sourceFile.statements));
  for (const statement of sourceFile.statements) {
    if (filePrologue.has(statement)) continue;
    const misplaced = directiveOf(statement);
    if (misplaced) result.misplaced.push(misplaced);
  }

  if (directive === 'use server') collectFileActions(sourceFile, knowledge, result, add, undefined);
  else if (endpoints) {
    // Exports a `'use server'` file re-exports: endpoints, analysed here where they are defined. Only the functions
    // are; what else the module exports is not this file's problem (the re-exporting file answers for it).
    collectFileActions(sourceFile, knowledge, result, add, endpoints);
    result.nonAsyncExports = [];
    result.opaqueExports = [];
  }

  // Inline actions, anywhere (server components, other modules); and misplaced directives inside function bodies.
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body && ts.isBlock(node.body)) {
      const body = node.body;
      const bodyPrologue = new Set<ts.Node>(prologue(body.statements));
      if (directive !== 'use server' && hasDirective(body.statements, 'use server')) {
        const named = nameOfFunction(node);
        if (directive === 'use client') {
          // Next.js rejects the build: a client module cannot define Server Actions. Not an endpoint.
          const literal = [...bodyPrologue].map((s) => directiveOf(s as ts.Statement)).find((d) => d?.directive === 'use server')?.node;
          result.clientInlineActions.push({ node: literal ?? named?.node ?? node, name: named?.name ?? 'inline action' });
        } else add({
          name: named?.name ?? 'inline action',
          kind: 'inline-directive',
          fn: node,
          nameNode: named?.node ?? [...bodyPrologue][0]!,
          declaration: declarationOf(node),
          chain: undefined,
          wrappers: [],
          jsDoc: declarationOf(node),
        });
      }
      for (const statement of body.statements) {
        if (bodyPrologue.has(statement)) continue;
        const misplaced = directiveOf(statement);
        if (misplaced?.directive === 'use server') result.misplaced.push(misplaced);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sourceFile, visit);
  result.actions.sort((a, b) => a.nameNode.getStart() - b.nameNode.getStart());
  return result;
}

function directiveOf(statement: ts.Statement): { node: ts.StringLiteral; directive: Directive } | undefined {
  if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
    const text = statement.expression.text;
    if (text === 'use server' || text === 'use client') return { node: statement.expression, directive: text };
  }
  return undefined;
}

function collectFileActions(
  sourceFile: ts.SourceFile,
  knowledge: Knowledge,
  result: FoundActions,
  add: (action: FoundAction) => void,
  endpoints: EndpointExports | undefined,
): void {
  const wanted = (name: string): boolean => endpoints === undefined || endpoints === 'all' || endpoints.has(name);
  const imports = bindingsOf(sourceFile).imports;
  /** `import { f } from './impl'; export { f }` (or `export default f`, `export const g = f`): defined elsewhere. */
  const importedEndpoint = (exportedName: string, local: string, nameNode: ts.Node): boolean => {
    const imported = imports.get(local);
    if (!imported || imported.imported === '*' || imported.declaration.importClause?.isTypeOnly) return false;
    if (wanted(exportedName)) result.reexports.push({ name: exportedName, imported: imported.imported, specifier: imported.specifier, nameNode });
    return true;
  };
  const locals = new Map<string, { node: ts.Node; declaration: ts.Node; init: ts.Expression | ts.FunctionDeclaration }>();
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      locals.set(statement.name.text, { node: statement.name, declaration: statement, init: statement });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) {
          locals.set(declaration.name.text, { node: declaration.name, declaration: statement, init: declaration.initializer });
        }
      }
    }
  }

  /** A function-like local (`function handler…`, `const handler = async …`) a wrapper's argument names. */
  const localFunction = (expression: ts.Expression): ts.FunctionLikeDeclaration | undefined => {
    const value = unwrap(expression);
    if (isFunctionLike(value)) return value;
    if (!ts.isIdentifier(value)) return undefined;
    const local = locals.get(value.text)?.init;
    if (!local) return undefined;
    const init = ts.isFunctionDeclaration(local) ? local : unwrap(local);
    return isFunctionLike(init) && init.body ? init : undefined;
  };

  /**
   * The handler a chain of higher-order calls runs: `withAuth(fn)`, `withAuditLogging('x', 'y', fn)`,
   * `createSafeAction(schema, handler)`, `cache(fn)` — the last function-like argument, followed through calls.
   */
  const wrappedHandler = (call: ts.CallExpression | ts.NewExpression, wrappers: ts.CallExpression[], depth = 0): { fn: ts.FunctionLikeDeclaration; wrappers: ts.CallExpression[] } | undefined => {
    const args = call.arguments ?? [];
    const chain = ts.isCallExpression(call) ? [...wrappers, call] : wrappers;
    for (let index = args.length - 1; index >= 0; index--) {
      const fn = localFunction(args[index]!);
      if (fn?.body) return { fn, wrappers: chain };
    }
    if (depth > 3) return undefined;
    for (let index = args.length - 1; index >= 0; index--) {
      const inner = unwrap(args[index]!);
      if (ts.isCallExpression(inner)) {
        const found = wrappedHandler(inner, chain, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };

  const consider = (exportedName: string, nameNode: ts.Node, declaration: ts.Node, value: ts.Expression | ts.FunctionDeclaration, seen = new Set<ts.Node>()): void => {
    if (seen.has(value) || !wanted(exportedName)) return;
    seen.add(value);
    if (ts.isFunctionDeclaration(value) || isFunctionLike(unwrap(value as ts.Expression))) {
      const fn = (ts.isFunctionDeclaration(value) ? value : unwrap(value as ts.Expression)) as ts.FunctionLikeDeclaration;
      if (!fn.body) return;
      if (!isAsyncFunction(fn)) {
        result.nonAsyncExports.push({ node: nameNode, name: exportedName, declaration });
        return;
      }
      add({ name: exportedName, kind: 'file-directive', fn, nameNode, declaration, chain: undefined, wrappers: [], jsDoc: declaration });
      return;
    }
    const expression = unwrap(value as ts.Expression);
    const client = actionClientHandler(expression);
    if (client) {
      // `client.action(withAuditLogging('x', async ({ ctx, parsedInput }) => …))`: the handler runs inside wrappers.
      const inner = client.handlerCall ? wrappedHandler(client.handlerCall, []) : undefined;
      const fn = client.fn ?? inner?.fn;
      if (fn) {
        add({ name: exportedName, kind: 'action-client', fn, nameNode, declaration, chain: client.chain, wrappers: inner?.wrappers ?? [], jsDoc: declaration });
      } else {
        result.opaqueExports.push({ name: exportedName, nameNode, declaration, reason: 'its handler is built by a call the analyzer cannot read' });
      }
      return;
    }
    if (ts.isIdentifier(expression)) {
      const local = locals.get(expression.text);
      if (local && local.init !== value) consider(exportedName, nameNode, declaration, local.init, seen);
      else if (!local && !importedEndpoint(exportedName, expression.text, nameNode)) result.opaqueExports.push({ name: exportedName, nameNode, declaration, reason: `'${expression.text}' is not defined in this file` });
      return;
    }
    // Schemas built with a validation library are objects: exporting one fails at runtime.
    if (ts.isCallExpression(expression) && isSchemaBuilder(expression, sourceFile, knowledge)) {
      result.nonAsyncExports.push({ node: nameNode, name: exportedName, declaration });
      return;
    }
    // Wrappers (`withAuth(fn)`, `cache(fn)`, `createSafeAction(schema, handler)`): every export is an endpoint, and the
    // function they wrap is what runs. Factories whose function the analyzer cannot see are listed, unanalysed.
    if (ts.isCallExpression(expression) || ts.isNewExpression(expression)) {
      const wrapped = wrappedHandler(expression, []);
      if (wrapped) {
        add({ name: exportedName, kind: 'file-directive', fn: wrapped.fn, nameNode, declaration, chain: undefined, wrappers: wrapped.wrappers, jsDoc: declaration });
      } else {
        result.opaqueExports.push({ name: exportedName, nameNode, declaration, reason: `${calleeText(expression, sourceFile)} builds it and the analyzer cannot see the function it returns` });
      }
      return;
    }
    result.nonAsyncExports.push({ node: nameNode, name: exportedName, declaration });
  };

  for (const statement of sourceFile.statements) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) && exported && statement.body) {
      const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
      const name = isDefault ? 'default' : (statement.name?.text ?? 'default');
      consider(name, statement.name ?? statement, statement, statement);
    } else if (ts.isVariableStatement(statement) && exported) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) {
          consider(declaration.name.text, declaration.name, statement, declaration.initializer);
        }
      }
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      consider('default', statement.expression, statement, statement.expression);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) {
        if (element.isTypeOnly) continue;
        const localName = (element.propertyName ?? element.name).text;
        const local = locals.get(localName);
        if (local) consider(element.name.text, element.name, local.declaration, local.init);
        else importedEndpoint(element.name.text, localName, element);
      }
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      if (!statement.exportClause) {
        // `export * from './impl'`: every export of the module is an endpoint.
        if (endpoints === undefined || endpoints === 'all') result.reexports.push({ name: undefined, imported: undefined, specifier, nameNode: statement });
        else for (const name of endpoints) result.reexports.push({ name, imported: name, specifier, nameNode: statement });
      } else if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          if (element.isTypeOnly || !wanted(element.name.text)) continue;
          result.reexports.push({ name: element.name.text, imported: (element.propertyName ?? element.name).text, specifier, nameNode: element });
        }
      }
    }
  }
}

function isSchemaBuilder(call: ts.CallExpression, sourceFile: ts.SourceFile, knowledge: Knowledge): boolean {
  const root = chainRoot(call.expression);
  if (!root) return false;
  const imported = bindingsOf(sourceFile).imports.get(root.text);
  return imported !== undefined && knowledge.validationLibrary(imported.specifier) !== undefined;
}

/**
 * `client.schema(s).action(async ({ parsedInput }) => …)` / `createServerAction().input(s).handler(fn)`. The handler is
 * the terminal's argument; when that is a call (`withAuditLogging('x', fn)`), `handlerCall` is it, for the caller to
 * follow.
 */
export function actionClientHandler(expression: ts.Expression): { fn: ts.FunctionLikeDeclaration | undefined; handlerCall?: ts.CallExpression; chain: ChainLink[] } | undefined {
  if (!ts.isCallExpression(expression)) return undefined;
  const chain = callChain(expression);
  const last = chain[chain.length - 1];
  if (!last || !last.member || !ACTION_CLIENT_TERMINALS.has(last.member)) return undefined;
  if (!ts.isPropertyAccessExpression(unwrap(last.node.expression))) return undefined;
  const handler = last.args[0] ? unwrap(last.args[0]) : undefined;
  if (!handler) return undefined;
  if (isFunctionLike(handler)) return { fn: handler, chain };
  if (ts.isCallExpression(handler)) return { fn: undefined, handlerCall: handler, chain };
  return undefined;
}

function calleeText(expression: ts.CallExpression | ts.NewExpression, sourceFile: ts.SourceFile): string {
  const text = expression.expression.getText(sourceFile).replace(/\s+/g, '');
  return `${text.length > 40 ? `${text.slice(0, 39)}…` : text}()`;
}

function nameOfFunction(fn: ts.FunctionLikeDeclaration): { name: string; node: ts.Node } | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) {
    return { name: fn.name.getText(), node: fn.name };
  }
  const parent = fn.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return { name: parent.name.text, node: parent.name };
  if (ts.isPropertyAssignment(parent)) return { name: parent.name.getText(), node: parent.name };
  if (ts.isJsxExpression(parent) && ts.isJsxAttribute(parent.parent)) {
    return { name: `inline ${parent.parent.name.getText()}`, node: parent.parent.name };
  }
  return undefined;
}

function declarationOf(fn: ts.FunctionLikeDeclaration): ts.Node {
  let current: ts.Node = fn;
  while (current.parent && !ts.isBlock(current.parent) && !ts.isSourceFile(current.parent)) {
    if (ts.isJsxAttribute(current.parent) || ts.isJsxExpression(current.parent)) break;
    current = current.parent;
  }
  return current;
}
