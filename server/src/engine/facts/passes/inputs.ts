/**
 * Inputs pass: every read of a client value — FormData fields, arguments, bound arguments, an action client's parsed
 * input — whether it is validated first, and the identity fields the client chose.
 */
import ts from 'typescript';
import { dottedName, isInside, unwrap, walk } from '../../ast';
import type { ActionContext } from '../context';
import { flowsOnlyIntoSchema, isOwnershipComparison, isValueReference, memberField, replaceableRead } from '../flow';
import type { ActionFacts, ClientInput } from '../model';
import { validatedNames } from './validation';

export function inputsPass(context: ActionContext, facts: ActionFacts): void {
  const { body, fn, formDataNames, clientVars, knowledge, sessionNames, sourceFile } = context;
  if (!body) return;
  const schemaCalls = new Set<ts.Node>(facts.schemaParses.map((p) => p.node));
  const validatedVars = validatedNames(context, facts);
  const flowsIntoSchema = (expression: ts.Node): boolean => flowsOnlyIntoSchema(expression, schemaCalls, fn);
  const seenFields = new Set<string>();
  // `schema.parse(productId);` as a statement throws on bad input: later reads of that value are checked.
  // A field of an object checked that way is checked only when the schema names it (`images` outside a z.object of
  // name and price is not).
  const asserted = new Map<string, { end: number; covers: (field: string) => boolean }>();
  for (const parse of facts.schemaParses) {
    let statement: ts.Node = parse.node;
    while (ts.isAwaitExpression(statement.parent) || ts.isParenthesizedExpression(statement.parent)) statement = statement.parent;
    const argument = parse.node.arguments[0] && unwrap(parse.node.arguments[0]);
    if (parse.safe || !ts.isExpressionStatement(statement.parent) || !argument || !ts.isIdentifier(argument) || asserted.has(argument.text)) continue;
    const callee = unwrap(parse.node.expression);
    const receiver = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
    const schema = receiver && ts.isIdentifier(receiver) ? (localInitializer(body, receiver.text) ?? context.scope.bindings.variables.get(receiver.text)?.initializer) : receiver;
    const text = schema?.getText(sourceFile) ?? '';
    const objectSchema = /\bobject\s*\(/.test(text);
    asserted.set(argument.text, { end: parse.node.end, covers: (field) => !objectSchema || new RegExp(`\\b${field}\\s*:`).test(text) });
  }
  const identity = facts.identityFromClient;

  /**
   * Whether the parse input spells the field out (`schema.parse({ ownerId: … })`): then that value is judged where it
   * is written — a client read is reported there once, a session value is fine — and not again on the parse result.
   */
  const parseInputNames = (parse: ts.CallExpression, field: string): boolean =>
    parse.arguments.some((arg) => {
      const value = unwrap(arg);
      return ts.isObjectLiteralExpression(value) && value.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText(sourceFile) === field);
    });

  const addIdentity = (node: ts.Expression, field: string, input: ClientInput | undefined, replaceable: ts.Expression | undefined): void => {
    if (isOwnershipComparison(node, sessionNames)) return;
    if (identity.some((i) => i.node === node || isInside(node, i.node))) return;
    identity.push({ node, field, input, replaceable });
  };

  const recordInput = (input: ClientInput): void => {
    const key = `${input.param}:${input.field ?? '*'}:${input.source}`;
    if (input.field !== undefined && knowledge.isIdentityField(input.field)) {
      addIdentity(input.node, input.field, input, replaceableRead(input.node));
    } else if (input.field === undefined && knowledge.isIdentityField(input.param) && input.source !== 'form-data') {
      addIdentity(input.node, input.param, input, undefined);
    }
    if (seenFields.has(key) && input.validated) return;
    if (seenFields.has(key)) {
      // Keep the first unvalidated read of each field only.
      const existing = facts.inputs.find((i) => `${i.param}:${i.field ?? '*'}:${i.source}` === key);
      if (existing && !existing.validated) return;
      if (existing) facts.inputs.splice(facts.inputs.indexOf(existing), 1);
    }
    seenFields.add(key);
    facts.inputs.push(input);
  };

  walk(
    body,
    (node) => {
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(unwrap(callee.expression))) {
          const receiver = (unwrap(callee.expression) as ts.Identifier).text;
          const method = callee.name.text;
          if (formDataNames.has(receiver) && (method === 'get' || method === 'getAll')) {
            const field = node.arguments[0] && ts.isStringLiteralLike(node.arguments[0]) ? node.arguments[0].text : undefined;
            recordInput({ node, source: 'form-data', param: receiver, field, whole: false, validated: flowsIntoSchema(node) });
            return;
          }
          if (formDataNames.has(receiver) && (method === 'entries' || method === 'values')) {
            recordInput({ node, source: 'form-data', param: receiver, field: undefined, whole: true, validated: flowsIntoSchema(node) });
            return;
          }
        }
        if (dottedName(callee) === 'Object.fromEntries' && node.arguments[0]) {
          const arg = unwrap(node.arguments[0]);
          const argName = ts.isIdentifier(arg) ? arg.text : ts.isCallExpression(arg) ? dottedName(unwrap(arg.expression))?.split('.')[0] : undefined;
          if (argName && formDataNames.has(argName)) {
            const validated = flowsIntoSchema(node);
            recordInput({ node, source: 'form-data', param: argName, field: undefined, whole: true, validated });
            if (!validated) facts.massAssignments.push({ node, reason: 'from-entries', label: node.getText(sourceFile) });
            return;
          }
        }
      }
      // Reads of client-valued variables (arguments, parsed input of action clients, destructured fields).
      if (ts.isIdentifier(node) && clientVars.has(node.text) && isValueReference(node)) {
        const origin = clientVars.get(node.text)!;
        const member = memberField(node);
        // `username.toLowerCase()`, `text.length`: a method or property of the value, not a field of the input.
        const ofValue = member !== undefined && ((ts.isCallExpression(member.node.parent) && member.node.parent.expression === member.node) || member.field === 'length');
        const access = ofValue ? undefined : member;
        const field = access?.field ?? origin.field;
        const assertion = asserted.get(node.text);
        const assertedHere = assertion !== undefined && assertion.end <= node.pos && (!access?.field || assertion.covers(access.field));
        const validated = origin.validated || flowsIntoSchema(node) || assertedHere;
        recordInput({ node: access?.node ?? node, source: origin.source, param: origin.param, field, whole: !field, validated });
      }
      // Fields of parse results: `parsed.data.ownerId`, `data.role`.
      if (ts.isIdentifier(node) && validatedVars.has(node.text) && isValueReference(node)) {
        const access = memberField(node, ['data', 'output', 'value']);
        if (access?.field && knowledge.isIdentityField(access.field) && !parseInputNames(validatedVars.get(node.text)!, access.field)) {
          addIdentity(access.node, access.field, undefined, access.node);
        }
      }
    },
    true,
  );
}

function localInitializer(body: ts.Node, name: string): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  walk(body, (node) => {
    if (!found && ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = node.initializer;
  }, true);
  return found;
}
