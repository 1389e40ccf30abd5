/** Errors pass: values returned to the caller that carry a caught error, an SDK's `{ error }`, or an error helper's output. */
import ts from 'typescript';
import { destructuredProperties, isInside, unwrap, walk } from '../../ast';
import type { ActionContext, DescribedCall } from '../context';
import type { ActionFacts, ErrorLeak } from '../model';

export function errorsPass(context: ActionContext, facts: ActionFacts): void {
  const { body, fn } = context;
  if (!body) return;
  facts.handlesErrors = /\bcatch\b|\berror\b/.test(body.getText(context.sourceFile));
  facts.errorLeaks = findErrorLeaks(body, fn, context.calls);
}

function findErrorLeaks(body: ts.Node, fn: ts.Node, calls: DescribedCall[]): ErrorLeak[] {
  const leaks: ErrorLeak[] = [];
  // Variables holding errors: catch parameters, and `{ error }` destructured from a DB call (Supabase style).
  const errorVars = new Map<string, ts.Node>();
  walk(
    body,
    (node) => {
      if (ts.isCatchClause(node) && node.variableDeclaration && ts.isIdentifier(node.variableDeclaration.name)) {
        errorVars.set(node.variableDeclaration.name.text, node.block);
      }
      if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectBindingPattern(node.name)) {
        const init = unwrap(node.initializer);
        const call = calls.find((c) => c.node === init || (ts.isCallExpression(init) && isInside(c.node, init)));
        if (call?.description?.effects?.length) {
          for (const element of destructuredProperties(node.name)) {
            if (/^(error|err)$/.test(element.property)) errorVars.set(element.local, fn);
          }
        }
      }
    },
    true,
  );
  if (errorVars.size === 0) return leaks;
  walk(body, (node) => {
    if (!ts.isReturnStatement(node) || !node.expression) return;
    for (const [name, region] of errorVars) {
      if (!isInside(node, region)) continue;
      const leak = leakedReference(node.expression, name, calls);
      if (leak) leaks.push({ node: leak.node, what: leak.what, catchVariable: name });
    }
  });
  return leaks;
}

function leakedReference(expression: ts.Expression, name: string, calls: DescribedCall[]): { node: ts.Expression; what: string } | undefined {
  let found: { node: ts.Expression; what: string } | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    // An error handed to a function: leaked when the function returns its message (`String(e)`, a project helper
    // that returns `e.message`), not when it logs it or maps it to a fixed message.
    if (ts.isCallExpression(node) && node.arguments.some((arg) => referencesName(arg, name))) {
      const callee = node.expression.getText();
      if (/^(String|JSON\.stringify)$/.test(callee)) {
        found = { node, what: `${callee}(${name})` };
        return;
      }
      const index = calls.find((c) => c.node === node)?.description?.summary?.leaksErrorParam;
      if (index !== undefined && node.arguments[index] && referencesName(node.arguments[index]!, name)) {
        found = { node, what: `${callee}(${name}), which returns its message` };
        return;
      }
      visit(node.expression);
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return;
    if (ts.isConditionalExpression(node)) {
      visit(node.whenTrue);
      visit(node.whenFalse);
      return;
    }
    if (ts.isIdentifier(node) && node.text === name && isValueUse(node)) {
      let outer: ts.Expression = node;
      while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) {
        outer = outer.parent as ts.Expression;
      }
      const parent = outer.parent;
      if (parent && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) {
        const property = ts.isPropertyAccessExpression(parent) ? parent.name.text : parent.argumentExpression.getText();
        if (/^(message|stack|cause|meta|code|details|hint|detail|sql|errors|response)$/.test(property)) found = { node: parent, what: `${name}.${property}` };
        return;
      }
      found = { node: outer, what: name };
      return;
    }
    if (ts.isCallExpression(node) && /^(isRedirectError|isNotFoundError)$/.test(node.expression.getText())) return;
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function isValueUse(node: ts.Identifier): boolean {
  const parent = node.parent;
  return !(parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)));
}

function referencesName(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(child) && child.text === name && isValueUse(child)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}
