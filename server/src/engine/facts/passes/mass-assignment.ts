/** Mass-assignment pass: client objects written whole or spread into a write, and whole parse results spread into one. */
import ts from 'typescript';
import { ancestor, isInside, unwrap, walk } from '../../ast';
import type { ActionContext } from '../context';
import { containsFormDataRead } from '../flow';
import type { ActionFacts } from '../model';
import { validatedNames } from './validation';

export function massAssignmentPass(context: ActionContext, facts: ActionFacts): void {
  const { body, fn, clientVars, formDataNames, sourceFile } = context;
  const validatedVars = validatedNames(context, facts);
  // The whole result of a schema parse: `parsedInput`, `parsed.data`, `const input = schema.parse(…)`, and consts
  // holding them (`const input = parsed.data`).
  const parsedWholes = new Set<string>([...clientVars].filter(([, v]) => v.validated && !v.field && v.source !== 'argument').map(([k]) => k));
  for (const parse of facts.schemaParses) {
    const declaration = ancestor(parse.node, ts.isVariableDeclaration, fn);
    if (declaration && ts.isIdentifier(declaration.name) && !parse.safe) parsedWholes.add(declaration.name.text);
  }
  const isWholeParsedInput = (node: ts.Expression): boolean => {
    const expression = unwrap(node);
    if (ts.isIdentifier(expression)) return parsedWholes.has(expression.text);
    return ts.isPropertyAccessExpression(expression) && expression.name.text === 'data' && ts.isIdentifier(expression.expression) && validatedVars.has(expression.expression.text);
  };
  if (body) {
    walk(body, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isWholeParsedInput(node.initializer)) parsedWholes.add(node.name.text);
    }, true);
  }
  for (const access of facts.dataAccess) {
    if (!access.write || !access.payload) continue;
    const payload = unwrap(access.payload);
    if (ts.isIdentifier(payload) && clientVars.has(payload.text) && !clientVars.get(payload.text)!.field && !clientVars.get(payload.text)!.validated) {
      facts.massAssignments.push({ node: payload, reason: 'whole-input', label: payload.text });
    }
    if (!ts.isObjectLiteralExpression(payload)) continue;
    for (const property of payload.properties) {
      if (!ts.isSpreadAssignment(property)) continue;
      const spread = unwrap(property.expression);
      const root = ts.isIdentifier(spread) ? spread.text : undefined;
      const fromClient = (root && clientVars.has(root) && !clientVars.get(root)!.validated && !clientVars.get(root)!.field) || containsFormDataRead(spread, formDataNames);
      if (facts.massAssignments.some((m) => isInside(m.node, spread))) continue;
      if (fromClient) facts.massAssignments.push({ node: property.expression, reason: 'spread-input', label: property.expression.getText(sourceFile) });
      else if (isWholeParsedInput(spread)) facts.massAssignments.push({ node: property.expression, reason: 'spread-parsed', label: property.expression.getText(sourceFile) });
    }
  }
}
