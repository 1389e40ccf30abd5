/** Validation pass: schema parses in the action, whether a safe parse's failure is checked, what they bind. */
import ts from 'typescript';
import { ancestor, boundNames, isInside } from '../../ast';
import type { ActionContext } from '../context';
import type { ActionFacts } from '../model';

export function validationPass(context: ActionContext, facts: ActionFacts): void {
  const { fn, body, sourceFile } = context;
  for (const { node, description } of context.calls) {
    if (!description?.schema || !ts.isCallExpression(node)) continue;
    const declaration = ancestor(node, ts.isVariableDeclaration, fn);
    const resultName = declaration && ts.isIdentifier(declaration.name) && isInside(node, declaration.initializer ?? declaration) ? declaration.name.text : undefined;
    let checked = !description.schema.safe;
    if (!checked && body) {
      const names = declaration ? boundNames(declaration.name) : [];
      const text = body.getText(sourceFile);
      checked = names.some((n) => new RegExp(`\\b${n}\\??\\.(success|error|issues)\\b`).test(text) || (n === 'success' && /\bsuccess\b/.test(text)));
    }
    facts.schemaParses.push({ node, resultName, checked, safe: description.schema.safe, callee: node.expression.getText(sourceFile) });
  }
}

/** Parse results hold client values that passed a schema: name → the parse call. */
export function validatedNames(context: ActionContext, facts: ActionFacts): Map<string, ts.CallExpression> {
  const names = new Map<string, ts.CallExpression>();
  for (const parse of facts.schemaParses) {
    const declaration = ancestor(parse.node, ts.isVariableDeclaration, context.fn);
    if (declaration) for (const name of boundNames(declaration.name)) names.set(name, parse.node);
  }
  return names;
}
