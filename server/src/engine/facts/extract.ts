/**
 * Extracts the facts of one action: where client values are read, which schema parses and auth guards there are,
 * what the action writes, revalidates, returns. Flow is tracked through `const` bindings in the action body; it is
 * deliberately local and syntactic so it runs on every keystroke.
 */
import ts from 'typescript';
import { ancestor, boundNames, calleeMember, chainMembers, destructuredProperties, dottedName, isFunctionLike, isInside, referencedNames, statementIn, unwrap, walk } from '../ast';
import type { FoundAction } from '../actions';
import { describeCall, isMutatingFetch, valueOfRoot, type CallDescription, type Scope } from './calls';
import type {
  ActionFacts,
  ActionParam,
  AuthGuard,
  ClientInput,
  DataAccess,
  ErrorLeak,
  IdentityFromClient,
  Idor,
  MassAssignment,
  SchemaParse,
  SideEffect,
} from './model';

const TENANT_FIELD = /^(team|org|organization|organisation|tenant|workspace|account|project|company|group)_?id$/i;
/** Privileges an authorised manager may set for others (`updateMemberRole` after `authorizeMemberManagement`). */
const PRIVILEGE_FIELD = /^(role|roles|permissions?)$/i;
const SESSION_PARAM = /^(user|team|session|ctx|context|auth|account|org|organization|member|viewer|currentUser|me)$/;
const SCHEMA_CLIENT_METHODS = new Set(['schema', 'inputSchema', 'input', 'bindArgsSchemas']);
const EXIT_STATEMENT = (statement: ts.Statement | undefined, scope: Scope): boolean => {
  if (!statement) return false;
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some((s) => EXIT_STATEMENT(s, scope));
  if (ts.isExpressionStatement(statement)) {
    const expression = unwrap(statement.expression);
    if (ts.isCallExpression(expression)) {
      const description = describeCall(expression, scope);
      return !!description?.exit || description?.auth?.kind === 'guard';
    }
  }
  if (ts.isIfStatement(statement)) return EXIT_STATEMENT(statement.thenStatement, scope) && EXIT_STATEMENT(statement.elseStatement, scope);
  return false;
};

export function normalizeField(name: string): string {
  return name.replace(/[^a-z0-9]/gi, '').toLowerCase();
}

export function extractActionFacts(found: FoundAction, scope: Scope, isPublic: string | undefined): ActionFacts {
  const fn = found.fn;
  const settings = scope.resolver.settings;
  const identityFields = new Set(settings.identityFields.map(normalizeField));
  const body = fn.body;
  const calls: { node: ts.CallExpression | ts.TaggedTemplateExpression; description: CallDescription | undefined }[] = [];
  if (body) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) calls.push({ node, description: describeCall(node, scope) });
      ts.forEachChild(node, visit);
    };
    visit(body);
  }

  // --- action clients: schema and middleware --------------------------------------------------------------------
  let clientSchema = false;
  let clientAuth: AuthGuard | undefined;
  let wrapperValidates = false;
  let ctxUserId: string | undefined;
  if (found.chain) {
    clientSchema = found.chain.some((link) => link.member !== undefined && SCHEMA_CLIENT_METHODS.has(link.member) && link.args.length > 0);
    const base = found.chain[0]!;
    const root = ts.isIdentifier(base.callee) ? base.callee : undefined;
    const value = root ? valueOfRoot(root, scope) : undefined;
    let certainty = value?.actionClient?.auth;
    // The client's own name says more than its middleware's text (`adminActionClient`).
    let callee = root && /admin|staff|superuser/i.test(root.text) ? root.text : (value?.actionClient?.authCallee ?? root?.text ?? 'client');
    for (const link of found.chain) {
      if ((link.member === 'use' || link.member === 'middleware') && link.args[0] && !certainty) {
        certainty = 'unverified';
        callee = link.args[0].getText(scope.sourceFile).slice(0, 40);
      }
    }
    if (!certainty && root && /auth|protected|private|user|admin|session/i.test(root.text)) {
      // A client whose name promises auth, where we could not see the check (unreadable, or an unknown getter).
      certainty = 'unverified';
      callee = root.text;
    }
    if (certainty) {
      clientAuth = { node: base.callee, callee, certainty, protectsFrom: fn.pos, scope: fn, identityNames: ['ctx'] };
    }
    ctxUserId = value?.actionClient?.ctxUserId;
  } else if (fn.parent && ts.isCallExpression(fn.parent) && fn.parent.arguments.includes(fn as ts.Expression)) {
    // `export const save = withAuth(async (formData) => …)`: the wrapper may establish identity, and
    // `validatedAction(schema, async (data) => …)` validates what it passes on.
    const description = describeCall(fn.parent, scope);
    wrapperValidates =
      !!description?.schema ||
      fn.parent.arguments.some((arg) => arg !== (fn as ts.Expression) && (/schema|validator/i.test(arg.getText(scope.sourceFile).slice(0, 60)) || /^(z|v|yup)\.\w+\(/.test(arg.getText(scope.sourceFile))));
    if (description?.auth) {
      clientAuth = {
        node: fn.parent.expression,
        callee: description.label,
        certainty: description.auth.certainty,
        protectsFrom: fn.pos,
        scope: fn,
        identityNames: [],
      };
    }
  }

  // --- parameters and client inputs ---------------------------------------------------------------------------------
  const params: ActionParam[] = fn.parameters.map((parameter, index) => {
    const name = ts.isIdentifier(parameter.name) ? parameter.name.text : parameter.name.getText(scope.sourceFile);
    const typeText = parameter.type?.getText(scope.sourceFile) ?? '';
    return { name, node: parameter, index, isFormData: /\bFormData\b/.test(typeText) || (!parameter.type && /^(formData|fd|form)$/i.test(name)) };
  });
  const formDataNames = new Set(params.filter((p) => p.isFormData).map((p) => p.name));
  /** Variables holding client values: name → the param and field they come from. */
  const clientVars = new Map<string, { param: string; field: string | undefined; source: ClientInput['source']; validated: boolean }>();
  const sessionNames = new Set<string>(clientAuth ? ['ctx'] : []);

  if (found.kind === 'action-client') {
    const first = fn.parameters[0];
    if (first && ts.isObjectBindingPattern(first.name)) {
      for (const element of destructuredProperties(first.name)) {
        if (element.property === 'parsedInput') clientVars.set(element.local, { param: 'parsedInput', field: undefined, source: 'parsed-input', validated: clientSchema });
        if (element.property === 'bindArgsParsedInputs') clientVars.set(element.local, { param: 'bindArgsParsedInputs', field: undefined, source: 'bound-argument', validated: clientSchema });
        if (element.property === 'ctx') sessionNames.add(element.local);
      }
      // `({ parsedInput: { title, userId } })`
      for (const element of first.name.elements) {
        const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : undefined;
        if ((property === 'parsedInput' || property === 'bindArgsParsedInputs') && ts.isObjectBindingPattern(element.name)) {
          for (const inner of destructuredProperties(element.name)) {
            clientVars.set(inner.local, { param: property, field: inner.property, source: property === 'parsedInput' ? 'parsed-input' : 'bound-argument', validated: clientSchema });
          }
        }
        if (property === 'ctx' && ts.isObjectBindingPattern(element.name)) {
          for (const name of boundNames(element.name)) sessionNames.add(name);
        }
      }
    } else if (first && ts.isIdentifier(first.name)) {
      // zsa: `async ({ input, ctx })` handled above; `async (input)` → input is the parsed input.
      clientVars.set(first.name.text, { param: first.name.text, field: undefined, source: 'parsed-input', validated: clientSchema });
    }
    // zsa uses `input` instead of `parsedInput`.
    if (first && ts.isObjectBindingPattern(first.name)) {
      for (const element of destructuredProperties(first.name)) {
        if (element.property === 'input') clientVars.set(element.local, { param: 'input', field: undefined, source: 'parsed-input', validated: clientSchema });
      }
    }
  } else {
    const wrapped = found.kind === 'file-directive' && fn.parent !== undefined && ts.isCallExpression(fn.parent);
    let firstData = true;
    for (const param of params) {
      if (param.isFormData) continue;
      const source: ClientInput['source'] = 'argument';
      // A wrapper hands its callback the session's user/team: those are server values, not client input.
      if (wrapped && ts.isIdentifier(param.node.name) && SESSION_PARAM.test(param.name)) {
        sessionNames.add(param.name);
        continue;
      }
      const validated = wrapped && wrapperValidates && firstData;
      firstData = false;
      if (ts.isIdentifier(param.node.name)) {
        clientVars.set(param.name, { param: param.name, field: undefined, source, validated });
      } else {
        for (const element of destructuredProperties(param.node.name)) {
          clientVars.set(element.local, { param: param.name, field: element.property, source, validated });
        }
        for (const name of boundNames(param.node.name)) {
          if (!clientVars.has(name)) clientVars.set(name, { param: param.name, field: name, source, validated });
        }
      }
    }
  }

  // --- auth guards (first: ownership comparisons below need the names bound to the session) ---------------------
  const authGuards: AuthGuard[] = clientAuth ? [clientAuth] : [];
  const uncheckedSessions: { node: ts.Node; callee: string }[] = [];
  for (const { node, description } of calls) {
    if (!description?.auth || !ts.isCallExpression(node) || !body || !ts.isBlock(body)) continue;
    if (!isInside(node, body) || isInsideNestedFunction(node, fn)) continue;
    const container = ancestor(node, (n): n is ts.Block => ts.isBlock(n) || ts.isSourceFile(n), fn.parent) ?? body;
    const statement = statementIn(container, node);
    if (!statement) continue;
    const declaration = ancestor(node, ts.isVariableDeclaration, container);
    const names = declaration ? boundNames(declaration.name) : [];
    for (const name of names) sessionNames.add(name);
    if (description.auth.kind === 'guard') {
      authGuards.push({ node, callee: description.label.replace(/\(\)$/, ''), certainty: description.auth.certainty, protectsFrom: statement.end, scope: container, identityNames: names });
      continue;
    }
    // A getter: find the early exit that checks what it returned.
    const check = findExitCheck(container, statement, names, scope);
    if (check) {
      authGuards.push({ node, callee: description.label.replace(/\(\)$/, ''), certainty: description.auth.certainty, protectsFrom: check.from, scope: check.scope, identityNames: names });
    } else {
      uncheckedSessions.push({ node, callee: description.label });
    }
  }

  const guardFor = (node: ts.Node): AuthGuard | undefined => {
    let best: AuthGuard | undefined;
    for (const guard of authGuards) {
      if (node.getStart(scope.sourceFile) >= guard.protectsFrom && isInside(node, guard.scope)) {
        if (!best || (best.certainty === 'unverified' && guard.certainty === 'certain')) best = guard;
      }
    }
    return best;
  };

  // --- schema parses ------------------------------------------------------------------------------------------------
  const schemaParses: SchemaParse[] = [];
  const schemaCalls = new Set<ts.Node>();
  for (const { node, description } of calls) {
    if (!description?.schema || !ts.isCallExpression(node)) continue;
    schemaCalls.add(node);
    const declaration = ancestor(node, ts.isVariableDeclaration, fn);
    const resultName = declaration && ts.isIdentifier(declaration.name) && isInside(node, declaration.initializer ?? declaration) ? declaration.name.text : undefined;
    let checked = !description.schema.safe;
    if (!checked && body) {
      const names = declaration ? boundNames(declaration.name) : [];
      const text = body.getText(scope.sourceFile);
      checked = names.some((n) => new RegExp(`\\b${n}\\??\\.(success|error|issues)\\b`).test(text) || (n === 'success' && /\bsuccess\b/.test(text)));
    }
    schemaParses.push({ node, resultName, checked, safe: description.schema.safe });
  }
  // Parse results hold client values that passed a schema.
  const validatedVars = new Map<string, ts.CallExpression>();
  for (const parse of schemaParses) {
    const declaration = ancestor(parse.node, ts.isVariableDeclaration, fn);
    if (declaration) for (const name of boundNames(declaration.name)) validatedVars.set(name, parse.node);
  }
  /**
   * Whether the parse input spells the field out (`schema.parse({ ownerId: … })`): then that value is judged where it
   * is written — a client read is reported there once, a session value is fine — and not again on the parse result.
   */
  const parseInputNames = (parse: ts.CallExpression, field: string): boolean =>
    parse.arguments.some((arg) => {
      const value = unwrap(arg);
      return (
        ts.isObjectLiteralExpression(value) &&
        value.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText(scope.sourceFile) === field)
      );
    });

  const inputs: ClientInput[] = [];
  const identityFromClient: IdentityFromClient[] = [];
  const massAssignments: MassAssignment[] = [];
  const seenFields = new Set<string>();
  const flowsIntoSchema = (expression: ts.Node, depth = 0): boolean => flowsOnlyIntoSchema(expression, schemaCalls, fn, depth);

  if (body) {
    walk(
      body,
      (node) => {
        // FormData reads.
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
              if (!validated) massAssignments.push({ node, reason: 'from-entries', label: node.getText(scope.sourceFile) });
              return;
            }
          }
        }
        // Reads of client-valued variables (arguments, parsed input of action clients, destructured fields).
        if (ts.isIdentifier(node) && clientVars.has(node.text) && isValueReference(node)) {
          const origin = clientVars.get(node.text)!;
          const access = memberField(node);
          const field = access?.field ?? origin.field;
          const validated = origin.validated || flowsIntoSchema(node);
          recordInput({ node: access?.node ?? node, source: origin.source, param: origin.param, field, whole: !field, validated });
        }
        // Fields of parse results: `parsed.data.ownerId`, `data.role`.
        if (ts.isIdentifier(node) && validatedVars.has(node.text) && isValueReference(node)) {
          const access = memberField(node, ['data', 'output', 'value']);
          if (access?.field && identityFields.has(normalizeField(access.field)) && !parseInputNames(validatedVars.get(node.text)!, access.field)) {
            addIdentity(access.node, access.field, undefined, access.node);
          }
        }
      },
      true,
    );
  }

  function recordInput(input: ClientInput): void {
    const key = `${input.param}:${input.field ?? '*'}:${input.source}`;
    const identity = input.field !== undefined && identityFields.has(normalizeField(input.field));
    if (identity) {
      addIdentity(input.node, input.field!, input, replaceableRead(input.node));
    } else if (input.field === undefined && identityFields.has(normalizeField(input.param)) && input.source !== 'form-data') {
      addIdentity(input.node, input.param, input, undefined);
    }
    if (seenFields.has(key) && input.validated) return;
    if (seenFields.has(key)) {
      // Keep the first unvalidated read of each field only.
      const existing = inputs.find((i) => `${i.param}:${i.field ?? '*'}:${i.source}` === key);
      if (existing && !existing.validated) return;
      if (existing) inputs.splice(inputs.indexOf(existing), 1);
    }
    seenFields.add(key);
    inputs.push(input);
  }

  function addIdentity(node: ts.Expression, field: string, input: ClientInput | undefined, replaceable: ts.Expression | undefined): void {
    if (isOwnershipComparison(node, sessionNames)) return;
    if (identityFromClient.some((i) => i.node === node || isInside(node, i.node))) return;
    identityFromClient.push({ node, field, input, replaceable });
  }

  // --- side effects, data access, revalidation, rate limits --------------------------------------------------------
  const sideEffects: SideEffect[] = [];
  const dataAccess: DataAccess[] = [];
  const revalidates: ts.Node[] = [];
  const rateLimits: ts.Node[] = [];
  for (const { node, description } of calls) {
    if (ts.isCallExpression(node) && isMutatingFetch(node)) {
      sideEffects.push({ node, kind: 'fetch-write', label: 'fetch()', guard: guardFor(node)?.certainty });
      continue;
    }
    if (!description) continue;
    if (description.write) {
      sideEffects.push({ node, kind: description.write, label: description.label, guard: guardFor(node)?.certainty });
    } else if (description.expensive) {
      sideEffects.push({ node, kind: 'expensive', label: description.label, module: description.expensive, guard: guardFor(node)?.certainty });
    }
    if ((description.write === 'db-write' || description.read) && ts.isCallExpression(node)) {
      dataAccess.push(dataAccessOf(node, !!description.write, description.label));
    }
    if (description.revalidate || description.exit) revalidates.push(node);
    if (description.rateLimit) rateLimits.push(node);
  }
  // A chained write (`db.update(t).set(v).where(w)`) is one access: keep the outermost call.
  const outermost = dataAccess.filter((a) => !dataAccess.some((b) => b !== a && isInside(a.node, b.node) && chainContains(b.node, a.node)));
  const effects = sideEffects.filter((a) => !sideEffects.some((b) => b !== a && isInside(a.node, b.node) && chainContains(b.node, a.node)));

  // --- session identity -------------------------------------------------------------------------------------------
  const sessionIdentity = [...sessionNames];
  const sessionUserId = sessionUserIdOf(authGuards, sessionNames, body, scope, ctxUserId);

  // --- IDOR: a data access filtered by a client value with no session-derived owner in the filter --------------------
  const idors: Idor[] = [];
  const clientNames = new Set([...clientVars.keys()]);
  // Rows read from the database are server data, even when the lookup was keyed by client input.
  const dataCalls = new Set<ts.Node>(dataAccess.map((a) => a.node));
  const derivedFromClient = derivedNames(body, clientNames, formDataNames, dataCalls);
  const derivedFromSession = derivedNames(body, sessionNames, new Set());
  const isClientValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => derivedFromClient.has(n)) || containsFormDataRead(node, formDataNames);
  const isOwned = (filters: ts.Expression[]): boolean => filters.some((filter) => [...referencedNames(filter)].some((n) => derivedFromSession.has(n)));
  // A lookup scoped to the session's user (`findFirst({ where: { id, ownerId: session.user.id } })`) or an ownership
  // helper (`ensureProjectOwner(id, user)`) proves ownership for the rest of the action.
  const scopedLookup = outermost.some((access) => access.filters.some(isClientValued) && isOwned(access.filters));
  const authorizedByHelper = calls.some(({ node }) => isOwnershipHelperCall(node));
  const hasOwnershipCheck = body ? scopedLookup || hasOwnershipCheckIn(body, derivedFromSession) || calls.some(({ node }) => isOwnershipHelperCall(node)) : false;
  for (const access of outermost) {
    if (access.filters.length === 0 || hasOwnershipCheck) continue;
    const clientFilter = access.filters.find((filter) => isClientValued(filter) && keyedByClientId(filter, isClientValued));
    if (clientFilter && !isOwned(access.filters)) idors.push({ access, node: clientFilter });
  }

  // --- mass assignment into writes ------------------------------------------------------------------------------------
  // The whole result of a schema parse: `parsedInput`, `parsed.data`, `const input = schema.parse(…)`, and consts
  // holding them (`const input = parsed.data`).
  const parsedWholes = new Set<string>([...clientVars].filter(([, v]) => v.validated && !v.field && v.source !== 'argument').map(([k]) => k));
  for (const parse of schemaParses) {
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
  for (const access of outermost) {
    if (!access.write || !access.payload) continue;
    const payload = unwrap(access.payload);
    const objects = ts.isObjectLiteralExpression(payload) ? [payload] : [];
    if (ts.isIdentifier(payload) && clientVars.has(payload.text) && !clientVars.get(payload.text)!.field && !clientVars.get(payload.text)!.validated) {
      massAssignments.push({ node: payload, reason: 'whole-input', label: payload.text });
    }
    for (const object of objects) {
      for (const property of object.properties) {
        if (ts.isSpreadAssignment(property)) {
          const spread = unwrap(property.expression);
          const root = ts.isIdentifier(spread) ? spread.text : undefined;
          const fromClient = (root && clientVars.has(root) && !clientVars.get(root)!.validated && !clientVars.get(root)!.field) || containsFormDataRead(spread, formDataNames);
          if (fromClient && !massAssignments.some((m) => isInside(m.node, spread))) {
            massAssignments.push({ node: property.expression, reason: 'spread-input', label: property.expression.getText(scope.sourceFile) });
          } else if (isWholeParsedInput(spread) && !massAssignments.some((m) => isInside(m.node, spread))) {
            massAssignments.push({ node: property.expression, reason: 'spread-parsed', label: property.expression.getText(scope.sourceFile) });
          }
        }
      }
    }
  }

  // --- errors returned to the client --------------------------------------------------------------------------------
  const errorLeaks = body ? findErrorLeaks(body, fn, calls) : [];

  return {
    name: found.name,
    kind: found.kind,
    fn,
    nameNode: found.nameNode,
    declaration: found.declaration,
    isAsync: true,
    isPublic: isPublic !== undefined,
    publicReason: isPublic,
    params,
    inputs,
    schemaParses,
    clientSchema,
    clientAuth,
    authGuards,
    sideEffects: effects,
    dataAccess: outermost,
    revalidates,
    rateLimits,
    errorLeaks,
    // Which organisation or team to act on is the client's choice once membership is checked.
    identityFromClient: identityFromClient.filter(
      (i) => !(hasOwnershipCheck && TENANT_FIELD.test(i.field)) && !(authorizedByHelper && PRIVILEGE_FIELD.test(i.field)),
    ),
    idors,
    massAssignments,
    uncheckedSessions,
    sessionIdentity,
    sessionUserId,
  };
}

// -------------------------------------------------------------------------------------------------------------------

function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && (parent.propertyName === node || parent.name === node)) return false;
  if (ts.isParameter(parent) || ts.isVariableDeclaration(parent) && parent.name === node) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isTypeQueryNode(parent)) return false;
  return true;
}

/** `input.userId` / `parsed.data.userId` → the outer access and its field. */
function memberField(node: ts.Identifier, skip: string[] = []): { node: ts.Expression; field: string } | undefined {
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
  // `const { ownerId } = parsed.data`
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === current) {
    return undefined;
  }
  return undefined;
}

/** Whether a value only ever reaches schema parses (directly, or through the `const` it initialises). */
function flowsOnlyIntoSchema(expression: ts.Node, schemaCalls: Set<ts.Node>, fn: ts.Node, depth: number): boolean {
  let current: ts.Node = expression;
  for (;;) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent || parent === fn) return false;
    if (ts.isCallExpression(parent) && schemaCalls.has(parent) && parent.arguments.includes(current as ts.Expression)) return true;
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
function replaceableRead(node: ts.Expression): ts.Expression {
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
function isOwnershipComparison(node: ts.Node, sessionNames: Set<string>): boolean {
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

function isInsideNestedFunction(node: ts.Node, fn: ts.Node): boolean {
  return !!ancestor(node, isFunctionLike, fn);
}

/** After `const session = await auth()`, the `if (!session) return …` (or `if (session) { … }`) that uses it. */
function findExitCheck(
  container: ts.Block | ts.SourceFile,
  statement: ts.Statement,
  names: string[],
  scope: Scope,
): { from: number; scope: ts.Node } | undefined {
  const statements = container.statements;
  const index = statements.indexOf(statement);
  if (names.length === 0) {
    // `if (!(await auth())) redirect('/login')` — the call sits in the condition itself.
    if (ts.isIfStatement(statement) && EXIT_STATEMENT(statement.thenStatement, scope)) return { from: statement.end, scope: container };
    return undefined;
  }
  for (let i = index + 1; i < statements.length; i++) {
    const candidate = statements[i]!;
    if (ts.isIfStatement(candidate)) {
      const referenced = referencedNames(candidate.expression);
      if (![...referenced].some((n) => names.includes(n))) continue;
      if (EXIT_STATEMENT(candidate.thenStatement, scope)) return { from: candidate.end, scope: container };
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

function chainContains(outer: ts.Node, inner: ts.Node): boolean {
  let current: ts.Node = outer;
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current) || ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current)) {
    const next: ts.Node = ts.isCallExpression(current) ? current.expression : (current as ts.PropertyAccessExpression).expression;
    if (next === inner) return true;
    current = next;
  }
  return false;
}

function dataAccessOf(node: ts.CallExpression, write: boolean, label: string): DataAccess {
  // Every condition of the access: `.eq('id', id).eq('user_id', user.id)` is owned although its first `.eq` is not.
  const filters: ts.Expression[] = [];
  let payload: ts.Expression | undefined;
  const first = node.arguments[0];
  const member = calleeMember(node);
  if (first && ts.isObjectLiteralExpression(first)) {
    for (const property of first.properties) {
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const name = property.name.getText();
      const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
      if (name === 'where') filters.push(value);
      if (name === 'data' || name === 'create' || name === 'update') payload ??= value;
    }
    if (filters.length === 0 && member && /^(deleteOne|deleteMany|updateOne|updateMany|findOne|findOneAndUpdate|findOneAndDelete|replaceOne)$/.test(member)) filters.push(first);
  } else if (first && member && /^(findById|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove)$/.test(member)) {
    filters.push(first);
    payload = node.arguments[1];
  }
  // Drizzle / Supabase / Kysely chains: `.where(eq(t.id, id))`, `.eq('id', id)`, `.values(v)`, `.set(v)`.
  let current: ts.Expression = node;
  while (ts.isCallExpression(current)) {
    const callee = unwrap(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    const method = callee.name.text;
    if ((method === 'where' || method === 'eq' || method === 'match') && current.arguments.length > 0) {
      // Kysely's `.where('id', '=', id)` spreads one condition over its arguments.
      if (method === 'eq') filters.push(current.arguments[current.arguments.length - 1]!);
      else if (method === 'where') filters.push(...current.arguments);
      else filters.push(current.arguments[0]!);
    }
    if ((method === 'values' || method === 'set' || method === 'insert' || method === 'update' || method === 'upsert') && current.arguments[0] && !payload) {
      const arg = current.arguments[0];
      if (!(method === 'insert' || method === 'update') || ts.isObjectLiteralExpression(unwrap(arg)) || !ts.isIdentifier(unwrap(arg)) || chainMembers(node).includes('from')) payload = arg;
    }
    current = unwrap(callee.expression);
  }
  return { node, write, label, filters, payload };
}

/** Names whose values derive (through `const` initialisers) from the given roots. */
function derivedNames(body: ts.Node | undefined, roots: Set<string>, formDataNames: Set<string>, serverData: Set<ts.Node> = new Set()): Set<string> {
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

function containsFormDataRead(node: ts.Node, formDataNames: Set<string>): boolean {
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

const OWNERSHIP_HELPER =
  /^(ensure|assert|verify|check|authorize|authorise|require|can|has|is|validate|get)\w*(Owner|Ownership|Access|Permission|Member|Membership|Admin|Authori[sz]ed|Authori[sz]ation|Allowed|Manage|Management)\w*$|^authori[sz]e[A-Z]/;

/** `ensureProjectOwner(projectId, user.id)`, `authorizeMemberManagement(…)`: a helper that checks access to a record. */
function isOwnershipHelperCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  const callee = unwrap(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && OWNERSHIP_HELPER.test(name) && node.arguments.length > 0;
}

/**
 * Whether a client value in the filter selects a record by its id (`{ id }`, `eq(posts.id, id)`, `findById(id)`),
 * as opposed to a natural key such as an e-mail or a slug used for sign-in and uniqueness checks.
 */
function keyedByClientId(filter: ts.Expression, isClientValued: (node: ts.Node) => boolean): boolean {
  const ID_KEY = /(^|[._])(id|_id|uuid)$|Id$|ID$/;
  const direct = unwrap(filter);
  // `findById(id)`, `.eq('id', id)`: the filter is the value itself.
  if (ts.isIdentifier(direct) || ts.isPropertyAccessExpression(direct) || ts.isElementAccessExpression(direct)) return true;
  let keyed = false;
  const visit = (node: ts.Node): void => {
    if (keyed) return;
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && isClientValued(ts.isPropertyAssignment(node) ? node.initializer : node.name)) {
      const key = node.name.getText();
      if (ID_KEY.test(key)) keyed = true;
      else if (ts.isPropertyAssignment(node) && (ts.isObjectLiteralExpression(unwrap(node.initializer)) || ts.isArrayLiteralExpression(unwrap(node.initializer)))) {
        ts.forEachChild(node.initializer, visit);
      }
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length === 2) {
      const [column, value] = node.arguments as unknown as [ts.Expression, ts.Expression];
      if (isClientValued(value) && !isClientValued(column)) {
        const text = ts.isStringLiteralLike(column) ? column.text : column.getText();
        if (ID_KEY.test(text)) keyed = true;
        return;
      }
    }
    if (ts.isCallExpression(node) && node.arguments.length === 1 && isClientValued(node.arguments[0]!) && /^(findById|findByIdAndUpdate|findByIdAndDelete)$/.test(node.expression.getText().split('.').pop() ?? '')) {
      keyed = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(filter);
  return keyed;
}

/** `if (post.ownerId !== session.user.id) throw …` anywhere in the action. */
function hasOwnershipCheckIn(body: ts.Node, sessionDerived: Set<string>): boolean {
  let found = false;
  walk(
    body,
    (node) => {
      if (found || !ts.isBinaryExpression(node) || !/^(===|!==|==|!=)$/.test(node.operatorToken.getText())) return;
      const left = referencedNames(node.left);
      const right = referencedNames(node.right);
      const leftSession = [...left].some((n) => sessionDerived.has(n));
      const rightSession = [...right].some((n) => sessionDerived.has(n));
      // A record's field compared with the session (`post.authorId !== session.user.id`, `invite.email !== user.email`).
      const other = leftSession ? node.right : node.left;
      if (leftSession !== rightSession && (ts.isPropertyAccessExpression(unwrap(other)) || ts.isElementAccessExpression(unwrap(other)))) found = true;
    },
    true,
  );
  return found;
}

function sessionUserIdOf(
  guards: AuthGuard[],
  sessionNames: Set<string>,
  body: ts.Node | undefined,
  scope: Scope,
  ctxUserId: string | undefined,
): string | undefined {
  // An action client's `ctx` holds what its middleware put there; when that cannot be seen, what the action reads.
  const used = body ? /\bctx\.(userId|user\.id|session\.user\.id)\b/.exec(body.getText(scope.sourceFile))?.[1] : undefined;
  const fromCtx = ctxUserId ?? used;
  for (const guard of guards) {
    for (const name of guard.identityNames) {
      if (/^(userId|uid|currentUserId)$/.test(name)) return name;
      if (name === 'ctx') {
        if (fromCtx) return `ctx.${fromCtx}`;
        continue;
      }
      if (/^(user|currentUser|viewer|me)$/.test(name)) return `${name}.id`;
      if (/session/i.test(name)) {
        // Auth.js types `session.user.id` as optional: only a check of the id itself narrows it to a string.
        const check = scope.sourceFile.text.slice(guard.node.getStart(scope.sourceFile), guard.protectsFrom);
        if (new RegExp(`\\b${name}\\??\\.user\\??\\.id\\b`).test(check)) return `${name}.user.id`;
      }
    }
  }
  if (sessionNames.has('ctx') && fromCtx) return `ctx.${fromCtx}`;
  return undefined;
}

function findErrorLeaks(body: ts.Node, fn: ts.Node, calls: { node: ts.Node; description: CallDescription | undefined }[]): ErrorLeak[] {
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
        if (call?.description && (call.description.write || call.description.read)) {
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
      const leak = leakedReference(node.expression, name);
      if (leak) leaks.push({ node: leak.node, what: leak.what, catchVariable: name });
    }
  });
  return leaks;
}

function leakedReference(expression: ts.Expression, name: string): { node: ts.Expression; what: string } | undefined {
  let found: { node: ts.Expression; what: string } | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return;
    if (ts.isConditionalExpression(node)) {
      visit(node.whenTrue);
      visit(node.whenFalse);
      return;
    }
    if (ts.isIdentifier(node) && node.text === name && isValueReference(node)) {
      let outer: ts.Expression = node;
      while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) {
        outer = outer.parent as ts.Expression;
      }
      const parent = outer.parent;
      if (parent && (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) {
        const property = ts.isPropertyAccessExpression(parent) ? parent.name.text : parent.argumentExpression.getText();
        if (/^(message|stack|cause|meta|code|details|hint|detail|sql|errors|response)$/.test(property)) {
          found = { node: parent, what: `${name}.${property}` };
        }
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
