/**
 * How values move through an action body: which names derive from which, where a value ends up (a schema, a
 * comparison, a write). Deliberately local and syntactic (`const` bindings, one function), so it runs per keystroke.
 */
import ts from 'typescript';
import { ancestor, boundNames, dottedName, referencedNames, unwrap, walk } from '../ast';

export function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && (parent.propertyName === node || parent.name === node)) return false;
  if (ts.isParameter(parent) || (ts.isVariableDeclaration(parent) && parent.name === node)) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent)) return false;
  return true;
}

/** `input.userId` / `parsed.data.userId` → the outer access and its field. */
export function memberField(node: ts.Identifier, skip: string[] = []): { node: ts.Expression; field: string } | undefined {
  let current: ts.Expression = node;
  let parent = current.parent;
  while (parent && ts.isPropertyAccessExpression(parent) && parent.expression === current && skip.includes(parent.name.text)) {
    current = parent;
    parent = current.parent;
  }
  if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === current) return { node: parent, field: parent.name.text };
  if (parent && ts.isElementAccessExpression(parent) && parent.expression === current && ts.isStringLiteralLike(parent.argumentExpression)) {
    return { node: parent, field: parent.argumentExpression.text };
  }
  return undefined;
}

/** Whether a value only ever reaches schema parses (directly, or through the `const` it initialises). */
export function flowsOnlyIntoSchema(expression: ts.Node, schemaCalls: Set<ts.Node>, fn: ts.Node, depth = 0): boolean {
  let current: ts.Node = expression;
  for (;;) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent || parent === fn) return false;
    if (ts.isCallExpression(parent) && schemaCalls.has(parent) && parent.arguments.includes(current as ts.Expression)) return true;
    // `enabled ? 'true' : 'false'`, `if (!id) return`, `!flag`: the value only picks a branch or a literal.
    if (ts.isConditionalExpression(parent) && parent.condition === current) return true;
    if (ts.isIfStatement(parent) && parent.expression === current) return true;
    if (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) return true;
    // `formData.get('intent') === 'checkout'` only selects a branch: no client text reaches the logic.
    if (ts.isBinaryExpression(parent) && /^(===|!==|==|!=)$/.test(parent.operatorToken.getText())) {
      const other = parent.left === current ? parent.right : parent.left;
      if (ts.isStringLiteralLike(other) || ts.isNumericLiteral(other) || other.kind === ts.SyntaxKind.TrueKeyword || other.kind === ts.SyntaxKind.FalseKeyword) return true;
    }
    if (ts.isCallExpression(parent) && parent.arguments.includes(current as ts.Expression)) {
      const callee = dottedName(unwrap(parent.expression));
      if (callee && /^(String|Number|Boolean|Object\.fromEntries|Array\.from|JSON\.parse)$/.test(callee)) {
        current = parent;
        continue;
      }
      return false;
    }
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isAwaitExpression(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      ts.isSpreadAssignment(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isConditionalExpression(parent) ||
      (ts.isBinaryExpression(parent) && /^(\?\?|\|\|)$/.test(parent.operatorToken.getText()))
    ) {
      current = parent;
      continue;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name) && depth < 3) {
      const name = parent.name.text;
      const scopeNode = ancestor(parent, (n): n is ts.Block => ts.isBlock(n), fn) ?? fn;
      const references: ts.Identifier[] = [];
      walk(scopeNode, (n) => {
        if (ts.isIdentifier(n) && n.text === name && n !== parent.name && isValueReference(n)) references.push(n);
      }, true);
      return references.length > 0 && references.every((ref) => flowsOnlyIntoSchema(ref, schemaCalls, fn, depth + 1));
    }
    return false;
  }
}

/** The read plus wrappers that convert it (`String(formData.get('x') ?? '')`), for replacement by a fix. */
export function replaceableRead(node: ts.Expression): ts.Expression {
  let current: ts.Expression = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (ts.isAsExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) {
      current = parent;
    } else if (ts.isBinaryExpression(parent) && parent.left === current && /^(\?\?|\|\|)$/.test(parent.operatorToken.getText())) {
      current = parent;
    } else if (ts.isCallExpression(parent) && parent.arguments.length === 1 && /^(String|Number)$/.test(parent.expression.getText())) {
      current = parent;
    } else {
      return current;
    }
  }
}

/** `if (post.authorId !== session.user.id) throw …` — comparing a client id with the session is an ownership check. */
export function isOwnershipComparison(node: ts.Node, sessionNames: Set<string>): boolean {
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isCallExpression(current.parent))) {
    current = current.parent;
  }
  const parent = current.parent;
  if (parent && ts.isBinaryExpression(parent) && /^(===|!==|==|!=)$/.test(parent.operatorToken.getText())) {
    const other = parent.left === current ? parent.right : parent.left;
    return [...referencedNames(other)].some((n) => sessionNames.has(n));
  }
  return false;
}

/** Names whose values derive (through `const` initialisers) from the given roots. */
export function derivedNames(body: ts.Node | undefined, roots: Set<string>, formDataNames: Set<string>, serverData: Set<ts.Node> = new Set()): Set<string> {
  const out = new Set(roots);
  if (!body) return out;
  let changed = true;
  let rounds = 0;
  while (changed && rounds++ < 4) {
    changed = false;
    walk(
      body,
      (node) => {
        if (ts.isVariableDeclaration(node) && node.initializer && !serverData.has(unwrap(node.initializer))) {
          const names = referencedNames(node.initializer);
          const fromRoot = [...names].some((n) => out.has(n)) || containsFormDataRead(node.initializer, formDataNames);
          if (fromRoot) {
            for (const name of boundNames(node.name)) {
              if (!out.has(name)) {
                out.add(name);
                changed = true;
              }
            }
          }
        }
      },
      true,
    );
  }
  return out;
}

export function containsFormDataRead(node: ts.Node, formDataNames: Set<string>): boolean {
  if (formDataNames.size === 0) return false;
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(child)) {
      const callee = unwrap(child.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && formDataNames.has(callee.expression.text)) found = true;
    }
    if (ts.isIdentifier(child) && formDataNames.has(child.text)) found = true;
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** `db.update(t).set(v).where(w)`: `outer` is a later link of the chain `inner` starts. */
export function chainContains(outer: ts.Node, inner: ts.Node): boolean {
  let current: ts.Node = outer;
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current) || ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current)) {
    const next: ts.Node = ts.isCallExpression(current) ? current.expression : (current as ts.PropertyAccessExpression).expression;
    if (next === inner) return true;
    current = next;
  }
  return false;
}

/** Whether the value of `node` reaches a `return` of the function (directly or through the `const` it initialises). */
export function flowsIntoReturn(node: ts.Node, fn: ts.Node): boolean {
  let current: ts.Node = node;
  for (let depth = 0; depth < 6; ) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent || parent === fn) return false;
    if (ts.isReturnStatement(parent)) return true;
    if (ts.isArrowFunction(parent) && parent.body === current && parent === fn) return true;
    if (ts.isVariableDeclaration(parent) && parent.initializer === current) {
      const names = boundNames(parent.name);
      let returned = false;
      walk(fn, (n) => {
        if (!returned && ts.isReturnStatement(n) && n.expression && [...referencedNames(n.expression)].some((r) => names.includes(r))) returned = true;
      }, true);
      if (!returned && ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) returned = [...referencedNames(fn.body)].some((r) => names.includes(r));
      return returned;
    }
    if (ts.isExpressionStatement(parent) || ts.isIfStatement(parent) || ts.isBlock(parent)) return false;
    current = parent;
    if (ts.isFunctionLike(parent)) depth++;
  }
  return false;
}
