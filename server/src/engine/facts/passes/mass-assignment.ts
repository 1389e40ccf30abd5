/**
 * Mass-assignment pass: what the client decides about a write beyond the values it may set — a client object written
 * whole or spread (`...rest` of an unvalidated argument included), a column chosen by the client (`{ [key]: value }`),
 * a privileged or owner field set from client input (even after a schema parsed it), the whole parse result of a
 * schema that lets privileged or unknown keys through.
 */
import ts from 'typescript';
import { ancestor, boundNames, chainRoot, isInside, referencedNames, unwrap, walk } from '../../ast';
import type { ActionContext } from '../context';
import { containsFormDataRead, derivedNames } from '../flow';
import type { ActionFacts, MassAssignment } from '../model';
import { validatedNames } from './validation';

export function massAssignmentPass(context: ActionContext, facts: ActionFacts): void {
  const { body, fn, clientVars, formDataNames, sourceFile, knowledge } = context;
  if (!body) return;
  const validatedVars = validatedNames(context, facts);
  const wholeClient = wholeClientNames(context);
  // Rows read from the database are server data, even when looked up by a client value (`getUserByEmail(email)`).
  const serverData = new Set<ts.Node>();
  for (const { node, description } of context.calls) {
    if (description?.effects?.some((e) => e.kind === 'db-read' || e.kind === 'storage-read' || e.kind === 'billing-read')) serverData.add(node);
  }
  const clientDerived = derivedNames(body, new Set(clientVars.keys()), formDataNames, serverData);
  const isClientValued = (node: ts.Node): boolean =>
    [...referencedNames(node)].some((n) => clientDerived.has(n) || validatedVars.has(n)) || containsFormDataRead(node, formDataNames);
  // Admin tools set roles and plans for others on purpose.
  const adminOnly = facts.authGuards.some((g) => /admin|staff|superuser|role|permission/i.test(g.callee));

  // The whole result of a schema parse: `parsedInput`, `parsed.data`, `const input = schema.parse(…)`, and consts
  // holding them (`const input = parsed.data`) — with the parse, to read its schema's keys.
  const parsedWholes = new Map<string, ts.Node | undefined>(
    [...clientVars].filter(([, v]) => v.validated && !v.field && v.source !== 'argument').map(([k]) => [k, undefined]),
  );
  for (const parse of facts.schemaParses) {
    const declaration = ancestor(parse.node, ts.isVariableDeclaration, fn);
    if (declaration && ts.isIdentifier(declaration.name) && !parse.safe) parsedWholes.set(declaration.name.text, parse.node);
  }
  const parseOf = (node: ts.Expression): { whole: boolean; parse: ts.Node | undefined } => {
    const expression = unwrap(node);
    if (ts.isIdentifier(expression) && parsedWholes.has(expression.text)) return { whole: true, parse: parsedWholes.get(expression.text) };
    if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'data' && ts.isIdentifier(expression.expression) && validatedVars.has(expression.expression.text)) {
      return { whole: true, parse: validatedVars.get(expression.expression.text) };
    }
    return { whole: false, parse: undefined };
  };
  walk(body, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const parsed = parseOf(node.initializer);
      if (parsed.whole) parsedWholes.set(node.name.text, parsed.parse);
    }
  }, true);

  // `parsed.ownerId` where the parse was given `{ ownerId: user.id }`: the schema checked a server value.
  const parseInputs = new Map<string, ts.ObjectLiteralExpression>();
  for (const parse of facts.schemaParses) {
    const declaration = ancestor(parse.node, ts.isVariableDeclaration, fn);
    const input = parse.node.arguments[0] && unwrap(parse.node.arguments[0]);
    if (declaration && ts.isIdentifier(declaration.name) && input && ts.isObjectLiteralExpression(input)) parseInputs.set(declaration.name.text, input);
  }
  const parsedFromServer = (value: ts.Expression): boolean => {
    const expression = unwrap(value);
    if (!ts.isPropertyAccessExpression(expression)) return false;
    let root: ts.Expression = unwrap(expression.expression);
    if (ts.isPropertyAccessExpression(root) && root.name.text === 'data') root = unwrap(root.expression);
    const input = ts.isIdentifier(root) ? parseInputs.get(root.text) : undefined;
    const given = input?.properties.find((p) => p.name?.getText(sourceFile) === expression.name.text);
    if (!given) return false;
    const initializer = ts.isPropertyAssignment(given) ? given.initializer : ts.isShorthandPropertyAssignment(given) ? given.name : undefined;
    return initializer !== undefined && !isClientValued(initializer);
  };
  const add = (entry: MassAssignment): void => {
    if (!facts.massAssignments.some((m) => isInside(entry.node, m.node) || isInside(m.node, entry.node))) facts.massAssignments.push(entry);
  };
  // The amount a payment charges, computed from what the client sent (`amount: items.reduce((t, i) => t + i.price…)`):
  // the client names its own price, parsed or not.
  for (const effect of facts.sideEffects) {
    // Charges, and Stripe Checkout sessions (whose line items carry the price).
    if ((effect.kind !== 'payment' && effect.library !== 'stripe') || !ts.isCallExpression(effect.node)) continue;
    for (const amount of chargedAmounts(effect.node)) {
      if (isClientValued(amount.value)) add({ node: amount.value, reason: 'client-amount', label: amount.key });
    }
  }
  for (const access of facts.dataAccess) {
    if (!access.write || !access.payload) continue;
    const payload = unwrap(access.payload);
    if (ts.isIdentifier(payload) && wholeClient.has(payload.text)) {
      add({ node: payload, reason: 'whole-input', label: payload.text });
      continue;
    }
    if (!ts.isObjectLiteralExpression(payload)) continue;
    for (const property of payload.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = unwrap(property.expression);
        const root = ts.isIdentifier(spread) ? spread.text : undefined;
        if ((root && wholeClient.has(root)) || containsFormDataRead(spread, formDataNames)) {
          add({ node: property.expression, reason: 'spread-input', label: property.expression.getText(sourceFile) });
          continue;
        }
        const parsed = parseOf(spread);
        const keys = parsed.whole ? schemaKeysOf(parsed.parse ?? context.found.chain?.find((l) => /^(schema|inputSchema|input)$/.test(l.member ?? ''))?.args[0], context) : undefined;
        if (keys && (keys.passthrough || keys.names.some((k) => knowledge.isPrivilegedField(k) || knowledge.isIdentityField(k)))) {
          add({ node: property.expression, reason: 'spread-parsed', label: property.expression.getText(sourceFile) });
        }
        continue;
      }
      if (ts.isPropertyAssignment(property) && ts.isComputedPropertyName(property.name) && isClientValued(property.name.expression)) {
        add({ node: property.name, reason: 'computed-key', label: property.name.getText(sourceFile) });
        continue;
      }
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const key = property.name.getText(sourceFile);
      const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
      const privileged = knowledge.isPrivilegedField(key) && !adminOnly;
      // Owners exist only where people sign in.
      const owner = context.projectHasAuth && knowledge.conventions.ownerField.test(key);
      // Reported on the value: where a read of client input in that field is reported too, the two are one finding.
      if ((privileged || owner) && isClientValued(value) && !parsedFromServer(value)) add({ node: value, reason: 'privileged-field', label: key });
    }
  }
}

const AMOUNT_KEY = /^(amount|unit_amount|unit_amount_decimal|application_fee_amount)$/;

/** `amount`, `unit_amount`… anywhere in a payment call's object arguments (`line_items[].price_data.unit_amount`). */
function chargedAmounts(call: ts.CallExpression): { key: string; value: ts.Expression }[] {
  const found: { key: string; value: ts.Expression }[] = [];
  const visit = (node: ts.Expression, depth: number): void => {
    const value = unwrap(node);
    if (depth > 5) return;
    if (ts.isArrayLiteralExpression(value)) for (const element of value.elements) visit(element, depth + 1);
    if (!ts.isObjectLiteralExpression(value)) return;
    for (const property of value.properties) {
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const key = property.name.getText();
      const initializer = ts.isPropertyAssignment(property) ? property.initializer : property.name;
      if (AMOUNT_KEY.test(key)) found.push({ key, value: initializer });
      else visit(initializer, depth + 1);
    }
  };
  for (const arg of call.arguments) visit(arg, 0);
  return found;
}

/** Names holding a client object as a whole, unvalidated: the argument, `...rest` of it, a `const` copy of it. */
function wholeClientNames(context: ActionContext): Set<string> {
  // An argument, or an object destructured from one (`{ event, path }`): written whole or spread, the client chooses
  // every column. (A scalar cannot be spread or written as a row, so a field that is one is never reported here.)
  const names = new Set<string>([...context.clientVars].filter(([, v]) => !v.validated && (!v.field || v.source === 'argument')).map(([k]) => k));
  if (!context.body) return names;
  for (let round = 0; round < 3; round++) {
    walk(context.body, (node) => {
      if (!ts.isVariableDeclaration(node) || !node.initializer) return;
      const source = unwrap(node.initializer);
      // `{ ...comment, rootSolutionId: comment.rootId }`: an object literal that spreads a whole client object is one.
      const spreadsWhole =
        ts.isObjectLiteralExpression(source) &&
        source.properties.some((p) => ts.isSpreadAssignment(p) && ts.isIdentifier(unwrap(p.expression)) && names.has((unwrap(p.expression) as ts.Identifier).text));
      if (!spreadsWhole && (!ts.isIdentifier(source) || !names.has(source.text))) return;
      if (ts.isIdentifier(node.name)) names.add(node.name.text);
      else if (ts.isObjectBindingPattern(node.name)) {
        for (const element of node.name.elements) if (element.dotDotDotToken) for (const name of boundNames(element.name)) names.add(name);
      }
    }, true);
  }
  for (const param of context.params) {
    if (!ts.isObjectBindingPattern(param.node.name)) continue;
    for (const element of param.node.name.elements) if (element.dotDotDotToken) for (const name of boundNames(element.name)) names.add(name);
  }
  return names;
}

/**
 * The keys of the schema behind a parse or an action client's input schema, when it is a `z.object({…})` (or
 * `.extend/.pick/.partial…` of one) the file defines; `passthrough` when it lets unknown keys through.
 */
function schemaKeysOf(node: ts.Node | undefined, context: ActionContext): { names: string[]; passthrough: boolean } | undefined {
  if (!node) return undefined;
  let expression: ts.Expression | undefined = ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : (node as ts.Expression);
  for (let depth = 0; expression && depth < 4; depth++) {
    expression = unwrap(expression);
    if (ts.isIdentifier(expression)) {
      const variable = context.scope.bindings.variables.get(expression.text);
      expression = variable?.initializer;
      continue;
    }
    const text = expression.getText(context.sourceFile);
    const passthrough = /\.(passthrough|catchall|loose)\(|z\.(looseObject|record)\(|z\.any\(/.test(text);
    const object = findObjectLiteralArgument(expression);
    if (!object) return passthrough ? { names: [], passthrough } : undefined;
    const names = object.properties.map((p) => p.name?.getText(context.sourceFile)).filter((k): k is string => k !== undefined);
    return { names, passthrough };
  }
  return undefined;
}

/** `z.object({ … })` somewhere in a schema's call chain: the innermost object literal argument. */
function findObjectLiteralArgument(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
  let current: ts.Expression = expression;
  let found: ts.ObjectLiteralExpression | undefined;
  while (ts.isCallExpression(current)) {
    const arg = current.arguments[0] ? unwrap(current.arguments[0]) : undefined;
    if (arg && ts.isObjectLiteralExpression(arg)) found = arg;
    const callee = unwrap(current.expression);
    current = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
    if (chainRoot(current) === current) break;
  }
  return found;
}
