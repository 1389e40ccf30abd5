/** Usage pass: which of the file's imports the action's code uses (server-only judges the modules an action reaches). */
import ts from 'typescript';
import type { ActionContext } from '../context';
import type { ActionFacts } from '../model';

export function usagePass(context: ActionContext, facts: ActionFacts): void {
  const imports = context.scope.bindings.imports;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && imports.has(node.text)) facts.usedImports.add(node.text);
    ts.forEachChild(node, visit);
  };
  if (context.fn.body) visit(context.fn.body);
  // The action client or wrapper the action is built with runs too (its middleware reaches modules of its own).
  if (context.found.chain?.[0]) visit(context.found.chain[0].callee);
  for (const wrapper of context.found.wrappers) visit(wrapper.expression);
}
