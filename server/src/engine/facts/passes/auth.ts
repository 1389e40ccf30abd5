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
    if (!description?.auth || !ts.isCallExpression(node)) continue;
    if (!isInside(node, body) || isInsideNestedFunction(node, fn)) continue;
    const container = ancestor(node, (n): n is ts.Block => ts.isBlock(n) || ts.isSourceFile(n), fn.parent) ?? body;
    const statement = statementIn(container, node);
    if (!statement) continue;
    const declaration = ancestor(node, ts.isVariableDeclaration, container);
    const names = declaration ? boundNames(declaration.name) : [];
    for (const name of names) sessionNames.add(name);
    const callee = description.label.replace(/\(\)$/, '');
    const shape = description.auth.shape;
    if (description.auth.kind === 'guard') {
      facts.authGuards.push({ node, kind: 'guard', callee, certainty: description.auth.certainty, protectsFrom: statement.end, scope: container, identityNames: names, shape });
      continue;
    }
    // A getter: find the early exit that checks what it returned.
    const check = findExitCheck(container, statement, names, scope);
    if (check) facts.authGuards.push({ node, kind: 'getter', callee, certainty: description.auth.certainty, protectsFrom: check.from, scope: check.scope, identityNames: names, shape });
    else facts.uncheckedSessions.push({ node, callee: description.label });
  }
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

/** After `const session = await auth()`, the `if (!session) return …` (or `if (session) { … }`) that uses it. */
function findExitCheck(container: ts.Block | ts.SourceFile, statement: ts.Statement, names: string[], scope: Scope): { from: number; scope: ts.Node } | undefined {
  const statements = container.statements;
  const index = statements.indexOf(statement);
  if (names.length === 0) {
    // `if (!(await auth())) redirect('/login')` — the call sits in the condition itself.
    if (ts.isIfStatement(statement) && isExitStatement(statement.thenStatement, scope)) return { from: statement.end, scope: container };
    return undefined;
  }
  for (let i = index + 1; i < statements.length; i++) {
    const candidate = statements[i]!;
    if (ts.isIfStatement(candidate)) {
      const referenced = referencedNames(candidate.expression);
      if (![...referenced].some((n) => names.includes(n))) continue;
      if (isExitStatement(candidate.thenStatement, scope)) return { from: candidate.end, scope: container };
      // `if (session) { …guarded… }`
      if (!isNegatedCheck(candidate.expression)) return { from: candidate.thenStatement.pos, scope: candidate.thenStatement };
    }
  }
  return undefined;
}

function isNegatedCheck(expression: ts.Expression): boolean {
  const text = expression.getText();
  return /^!|===\s*(null|undefined)|==\s*null|!==?\s*['"]|\|\|/.test(text);
}
