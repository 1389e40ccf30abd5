/**
 * Auth pass: the session checks with an early exit (and the sessions fetched but never checked), and the names that
 * then hold the session's identity.
 */
import ts from 'typescript';
import { ancestor, boundNames, isInside, referencedNames, statementIn, unwrap } from '../../ast';
import { describeCall, type Scope } from '../calls';
import { isInsideNestedFunction, type ActionContext } from '../context';
import type { ActionFacts } from '../model';

export function authPass(context: ActionContext, facts: ActionFacts): void {
  const { body, fn, scope, sessionNames } = context;
  if (!body || !ts.isBlock(body)) return;
  for (const { node, description } of context.calls) {
    if (!description || !ts.isCallExpression(node)) continue;
    const auth = description.auth;
    if (!auth && !description.actsAsCaller) continue;
    if (!isInside(node, body) || isInsideNestedFunction(node, fn)) continue;
    const container = ancestor(node, (n): n is ts.Block => ts.isBlock(n) || ts.isSourceFile(n), fn.parent) ?? body;
    if (!auth) {
      // `auth.api.setPassword({ headers })` throws without a session: it, and what follows it, run signed in.
      facts.authGuards.push({ node, kind: 'guard', callee: description.label.replace(/\(\)$/, ''), certainty: 'certain', protectsFrom: node.getStart(context.sourceFile), scope: container, identityNames: [], shape: undefined });
      continue;
    }
    const statement = statementIn(container, node);
    if (!statement) continue;
    const names = [...boundTo(node, container), ...aliasesAfter(container, statement, boundTo(node, container))];
    for (const name of names) sessionNames.add(name);
    const callee = description.label.replace(/\(\)$/, '');
    const shape = auth.shape;
    const guard = (from: number, within: ts.Node, kind: 'getter' | 'guard'): void => {
      const add = (range: { from: number; scope: ts.Node }): void => {
        facts.authGuards.push({ node, kind, callee, certainty: auth.certainty, protectsFrom: range.from, scope: range.scope, identityNames: names, shape });
      };
      // The rest of its block, and — when the check sits in a try whose catch exits — what follows the try too.
      add({ from, scope: within });
      const widened = beyondTry(from, within, scope);
      if (widened.scope !== within) add(widened);
    };
    if (auth.kind === 'guard') {
      guard(statement.end, container, 'guard');
      continue;
    }
    // A getter: find the early exit that checks what it returned (or the blocks that run only with a session).
    const checks = findExitChecks(container, statement, names, scope);
    for (const check of checks) guard(check.from, check.scope, 'getter');
    if (checks.length === 0) facts.uncheckedSessions.push({ node, callee: description.label });
  }
}

/**
 * Names that hold a part of the session, declared after it in the same block: `const user = session?.user;`, `const {
 * user } = session`. A check of them (`if (!user?.id) throw`) checks the session.
 */
function aliasesAfter(container: ts.Node, statement: ts.Statement, names: string[]): string[] {
  if (names.length === 0) return [];
  const known = new Set(names);
  const out: string[] = [];
  const statements = ts.isBlock(container) || ts.isSourceFile(container) ? container.statements : [];
  for (const next of statements) {
    if (next.pos < statement.end || !ts.isVariableStatement(next)) continue;
    for (const declaration of next.declarationList.declarations) {
      let root: ts.Expression | undefined = declaration.initializer;
      // `const email = session.user?.email as string` is as much a part of the session as without the cast.
      while (root && (ts.isPropertyAccessExpression(root) || ts.isParenthesizedExpression(root) || ts.isNonNullExpression(root) || ts.isAsExpression(root) || ts.isSatisfiesExpression(root))) root = root.expression;
      if (root && ts.isIdentifier(root) && known.has(root.text) && root !== declaration.initializer) {
        for (const name of boundNames(declaration.name)) {
          known.add(name);
          out.push(name);
        }
      }
    }
  }
  return out;
}

/** Names the call's result is bound to: `const session = await auth()`, `({ user } = …)`, `user = await requireUser()`. */
function boundTo(node: ts.Node, container: ts.Node): string[] {
  const declaration = ancestor(node, ts.isVariableDeclaration, container);
  if (declaration) return boundNames(declaration.name);
  let current: ts.Node = node;
  while (current.parent && (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === current && ts.isIdentifier(parent.left)) {
    return [parent.left.text];
  }
  return [];
}

/**
 * A check inside `try { user = await requireUser(); } catch { return { error } }`: when every catch clause exits,
 * nothing after the try statement runs without a session, so the guard protects the block around it.
 */
function beyondTry(from: number, within: ts.Node, scope: Scope): { from: number; scope: ts.Node } {
  let current = { from, scope: within };
  for (let depth = 0; depth < 3; depth++) {
    const block = current.scope;
    const tryStatement = block.parent;
    if (!ts.isBlock(block) || !tryStatement || !ts.isTryStatement(tryStatement) || tryStatement.tryBlock !== block) return current;
    const handler = tryStatement.catchClause;
    if (!handler || !isExitStatement(handler.block, scope) || !tryStatement.parent) return current;
    current = { from: tryStatement.end, scope: tryStatement.parent };
  }
  return current;
}

const isExitStatement = (statement: ts.Statement | undefined, scope: Scope): boolean => {
  if (!statement) return false;
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some((s) => isExitStatement(s, scope));
  if (ts.isExpressionStatement(statement)) {
    const expression = unwrap(statement.expression);
    if (ts.isCallExpression(expression)) {
      const description = describeCall(expression, scope);
      return !!description?.exit || description?.auth?.kind === 'guard';
    }
  }
  if (ts.isIfStatement(statement)) return isExitStatement(statement.thenStatement, scope) && isExitStatement(statement.elseStatement, scope);
  return false;
};

/**
 * After `const session = await auth()`: the `if (!session) return …` that protects the rest of the block, or else
 * every `if (session?.user && …) { … }` whose block runs only with a session.
 */
function findExitChecks(container: ts.Block | ts.SourceFile, statement: ts.Statement, names: string[], scope: Scope): { from: number; scope: ts.Node }[] {
  const statements = container.statements;
  const index = statements.indexOf(statement);
  if (names.length === 0) {
    // `if (!(await auth())) redirect('/login')` — the call sits in the condition itself.
    if (ts.isIfStatement(statement) && isExitStatement(statement.thenStatement, scope)) return [{ from: statement.end, scope: container }];
    return [];
  }
  const positive: { from: number; scope: ts.Node }[] = [];
  for (let i = index + 1; i < statements.length; i++) {
    const candidate = statements[i]!;
    if (!ts.isIfStatement(candidate)) continue;
    const referenced = referencedNames(candidate.expression);
    if (![...referenced].some((n) => names.includes(n))) continue;
    if (isExitStatement(candidate.thenStatement, scope)) return [{ from: candidate.end, scope: container }];
    // `if (session) { …guarded… }`, `if (session?.user && !voted) { … }`
    if (!isNegatedCheck(candidate.expression)) positive.push({ from: candidate.thenStatement.pos, scope: candidate.thenStatement });
  }
  return positive;
}

function isNegatedCheck(expression: ts.Expression): boolean {
  const text = expression.getText();
  return /^!|===\s*(null|undefined)|==\s*null|!==?\s*['"]|\|\|/.test(text);
}
