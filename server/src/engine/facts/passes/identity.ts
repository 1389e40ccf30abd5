/**
 * Identity pass: the expression for the signed-in user's id, reads and writes keyed by a client-chosen id with no
 * owner from the session (IDOR), and which client-chosen identities an ownership check makes legitimate.
 */
import ts from 'typescript';
import { ancestor, boundNames, calleeMember, dottedName, isInside, referencedNames, unwrap, walk } from '../../ast';
import { brokenChecksIn, type FunctionSummary, type KeyedWrite } from '../calls';
import type { ActionContext } from '../context';
import { keyedByClientId } from '../data';
import { containsFormDataRead, derivedNames } from '../flow';
import type { ActionFacts, AuthGuard, Idor } from '../model';

export function identityPass(context: ActionContext, facts: ActionFacts): void {
  const { body, sessionNames, clientVars, formDataNames, knowledge } = context;
  facts.sessionIdentity = [...sessionNames];
  facts.sessionUserId = sessionUserIdOf(facts.authGuards, sessionNames, context);
  facts.optionalOwnerFilter = facts.dataAccess
    .flatMap((access) => access.filters)
    .filter((filter) => facts.inputs.some((input) => input.node.pos >= filter.pos && input.node.end <= filter.end))
    .map((filter) => optionalSessionOwner(filter, sessionNames))
    .find((owner) => owner !== undefined);
  // A project without sign-in has no owners to mix up.
  if (!context.projectHasAuth && facts.authGuards.length === 0) {
    facts.identityFromClient = [];
    return;
  }
  const clientNames = new Set([...clientVars.keys()]);
  // Access checks that never fail: an async check called without await in an exiting condition, here or in a helper.
  if (body) {
    for (const check of brokenChecksIn(body, context.scope)) if (looksLikeAccessCheck(check.callee, knowledge)) facts.brokenChecks.push({ node: check.node, check });
  }
  for (const { node, description } of context.calls) {
    const check = description?.summary?.brokenChecks?.find((c) => looksLikeAccessCheck(c.callee, knowledge));
    if (check && ts.isCallExpression(node)) facts.brokenChecks.push({ node: node.expression, check, via: description!.label });
  }
  // Rows read from the database — directly or by a helper that reads — are server data, even when the lookup was
  // keyed by client input: `const user = await getUserByEmail(token.email)` then `update({ where: { id: user.id } })`.
  const serverData = new Set<ts.Node>(facts.dataAccess.map((a) => a.node));
  for (const { node, description } of context.calls) {
    if (description?.effects?.some((e) => e.kind === 'db-read' || e.kind === 'storage-read' || e.kind === 'billing-read')) serverData.add(node);
  }
  const derivedFromClient = derivedNames(body, clientNames, formDataNames, serverData);
  // A client value checked equal to the session's (`if (userId !== session.user.id) throw`) is the session's.
  const verified = body ? verifiedAgainstSession(body, sessionNames, derivedFromClient, context) : new Set<string>();
  for (const input of facts.inputs) {
    const name = input.node.getText(context.sourceFile);
    if (input.source !== 'argument' || !verified.has(name)) continue;
    const check = ancestor(input.node, ts.isIfStatement, context.fn);
    if (check && isInside(input.node, check.expression)) facts.sessionVerified.push(input.node);
  }
  const derivedFromSession = derivedNames(body, new Set([...sessionNames, ...verified]), new Set());
  const isClientValued = (node: ts.Node): boolean =>
    [...referencedNames(node)].some((n) => derivedFromClient.has(n) && !verified.has(n)) || containsFormDataRead(node, formDataNames);
  const isSessionValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => derivedFromSession.has(n));
  const isOwned = (filters: ts.Expression[]): boolean => filters.some(isSessionValued);
  // A lookup scoped to the session's user whose result is checked (`findFirst({ where: { id, ownerId: user.id } })`
  // then `if (!post) throw`), an access check given the session's user (`assertCanWriteAccount(user, id)`,
  // `if (!isAuthor(session, post.userId)) throw`, `if (!isAdmin(session)) throw`), or a comparison of a record's owner
  // with the session proves ownership for the rest of the action.
  const scopedLookup = facts.dataAccess.some((access) => access.filters.some(isClientValued) && isOwned(access.filters) && resultIsChecked(access.node, context));
  const accessChecks = context.calls.filter(({ node, description }) =>
    isAccessCheck(node, description?.summary, isClientValued, isSessionValued, (n) => [...referencedNames(n)].some((r) => derivedFromClient.has(r)), context),
  );
  const authorizedByHelper = accessChecks.length > 0;
  const hasOwnershipCheck = body ? scopedLookup || hasOwnershipCheckIn(body, derivedFromSession, derivedFromClient) || authorizedByHelper : false;

  // A helper the analyzer cannot follow, named for a change (`createInvite(…)`), counts as a write for what it is given.
  const unresolvedChange = (node: ts.Node): boolean =>
    ts.isCallExpression(node) && node.arguments.some(isClientValued) && knowledge.isMutatingName(calleeMember(node) ?? dottedName(node.expression) ?? '');
  const writes =
    facts.dataAccess.some((a) => a.write) ||
    facts.sideEffects.some((e) => !e.read && e.kind !== 'cookie-write') ||
    context.calls.some(({ node, description }) => !description?.summary && !description?.effects?.length && unresolvedChange(node));
  // An action that signs the caller in already knows who they are: a client user id filtering the rows it hands back
  // (`findMany({ where: { userId } })` after `requireUser()`) picks another user's records.
  const signedIn = facts.authGuards.some((g) => g.certainty === 'certain');
  const ownerKeyedReads =
    signedIn &&
    facts.identityFromClient.some(
      (i) => knowledge.conventions.ownerField.test(i.field) && facts.dataAccess.some((a) => !a.write && a.returned && a.filters.some((f) => f.pos <= i.node.pos && i.node.end <= f.end || [...referencedNames(f)].some((n) => n === i.field))),
    );
  const privateReads = facts.dataAccess.some((a) => !a.write && a.returned && a.model !== undefined && knowledge.isPrivateModel(a.model));
  // What the access checks looked at — also through the values they were derived from: an organisation looked up from
  // the invite (`getOrganizationIdFromInviteId(parsedInput.inviteId)`) checks the invite.
  const origins = new Map<string, string[]>();
  if (body) {
    walk(body, (node) => {
      if (ts.isVariableDeclaration(node) && node.initializer) for (const name of boundNames(node.name)) origins.set(name, valuePaths(node.initializer));
    }, true);
  }
  const checkedPaths = new Set<string>();
  const addChecked = (path: string, depth = 0): void => {
    if (checkedPaths.has(path) || depth > 3) return;
    checkedPaths.add(path);
    for (const inner of origins.get(path.split('.')[0]!) ?? []) addChecked(inner, depth + 1);
  };
  for (const { node } of accessChecks) if (ts.isCallExpression(node)) for (const path of node.arguments.flatMap((a) => valuePaths(a))) addChecked(path);
  const globallyChecked = scopedLookup || (body !== undefined && hasOwnershipCheckIn(body, derivedFromSession, derivedFromClient));
  /** An access check looked at this client value (or checked the session only: an admin or role check). */
  const checkedValue = (value: ts.Node): boolean =>
    authorizedByHelper && (checkedPaths.size === 0 || valuePaths(value).some((path) => checkedPaths.has(path)) || !accessChecks.some(({ node }) => ts.isCallExpression(node) && node.arguments.some(isClientValued)));
  for (const access of facts.dataAccess) {
    if (access.filters.length === 0 || globallyChecked) continue;
    // Reads are lookups (a uniqueness check, a public record, a token) unless they hand a private row back.
    if (!access.write && !(access.returned && access.model !== undefined && knowledge.isPrivateModel(access.model))) continue;
    // `track.update({ where: { id }, data: { members: { connect: { id: session.user.id } } } })`: the caller joins a
    // shared record; nothing of it is theirs to take.
    if (access.write && access.payload && joinsCaller(access.payload, isSessionValued, isClientValued)) continue;
    const clientFilter = access.filters.find((filter) => isClientValued(filter) && keyedByClientId(filter, isClientValued, context.knowledge.conventions.idKey));
    if (clientFilter && !isOwned(access.filters) && !checkedValue(clientFilter)) {
      const idor: Idor = { access, node: clientFilter, mayBeEnforcedByDatabase: access.library === 'supabase' };
      if (roleGateBefore(access.node, context, isSessionValued)) idor.roleGated = true;
      facts.idors.push(idor);
    }
  }
  // Writes made by helpers keyed by a client id the action hands them (`deleteQuota(parsedInput.quotaId)`), unless an
  // access check looked at that very id (`checkAuthorization({ …, projectId: await getProjectIdFromQuotaId(quotaId) })`).
  for (const { node, description } of context.calls) {
    if (!ts.isCallExpression(node) || globallyChecked || accessChecks.some((check) => check.node === node)) continue;
    for (const write of description?.summary?.keyedWrites ?? []) {
      const value = argumentFor(node, write);
      if (!value || !isClientValued(value) || isSessionValued(value) || checkedValue(value)) continue;
      const access = { node, write: true, label: `${description!.label} (which runs ${write.label})`, filters: [value], payload: undefined, model: write.model, library: undefined, returned: false };
      facts.idors.push({ access, node: value, mayBeEnforcedByDatabase: false });
      break;
    }
  }
  // The client picks an owner column after all: its object spread over the session's owner, or a column it names.
  const isRawClient = (node: ts.Expression): boolean => {
    let root: ts.Expression = unwrap(node);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (ts.isCallExpression(root) && /^Object\.fromEntries$/.test(root.expression.getText(context.sourceFile))) return root.arguments.some((a) => containsFormDataRead(a, formDataNames));
    const variable = ts.isIdentifier(root) ? clientVars.get(root.text) : undefined;
    return variable !== undefined && !variable.validated;
  };
  for (const access of facts.dataAccess) {
    const payload = access.write && access.payload ? unwrap(access.payload) : undefined;
    if (!payload || !ts.isObjectLiteralExpression(payload)) continue;
    let sessionOwner: string | undefined;
    for (const property of payload.properties) {
      const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (name && value && (/(Id|_id|ID)$/.test(name) || knowledge.conventions.userField.test(name)) && isSessionValued(value)) sessionOwner = name;
      // A schema's output holds only the schema's keys (zod and valibot strip the rest); the raw input holds anything.
      if (ts.isSpreadAssignment(property) && sessionOwner && isRawClient(property.expression)) {
        facts.clientColumns.push({ kind: 'spread-over', node: property.expression, field: sessionOwner, access });
      }
      // On the session user's own row there is no owner to move: which columns it may set is narrow-contract's.
      const ownRow = /^(users?|profiles?)$/i.test(access.model ?? '') && access.filters.length > 0 && access.filters.every((f) => isSessionValued(f) && !isClientValued(f));
      if (!ownRow && ts.isPropertyAssignment(property) && ts.isComputedPropertyName(property.name)) {
        const key = unwrap(property.name.expression);
        // A raw client value names the column; one parsed by a schema (an enum of editable fields) is allow-listed.
        if (ts.isIdentifier(key) ? clientVars.has(key.text) : containsFormDataRead(key, formDataNames)) {
          facts.clientColumns.push({ kind: 'computed-key', node: property.name, key: property.name.expression.getText(context.sourceFile), access });
        }
      }
    }
  }
  // A new record filed under a workspace, store or account the client names, with nothing checking the caller may
  // add to it (`create({ data: { accountsIDs: data.account } })`): another tenant's records can be written to.
  if (signedIn && !hasOwnershipCheck && !authorizedByHelper) {
    for (const access of facts.dataAccess) {
      const payload = access.write && access.payload ? unwrap(access.payload) : undefined;
      if (!payload || !ts.isObjectLiteralExpression(payload)) continue;
      for (const property of payload.properties) {
        if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
        const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
        const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
        if (!name || !knowledge.conventions.parentField.test(name) || !isClientValued(value) || isSessionValued(value)) continue;
        if (facts.clientColumns.some((c) => c.access === access)) continue;
        facts.clientColumns.push({ kind: 'client-parent', node: value, field: name, access });
        break;
      }
    }
  }
  // The payment provider's customer a call acts on (`billingPortal.sessions.create({ customer: input.stripeCustomerId })`):
  // the caller opens someone else's billing.
  for (const effect of facts.sideEffects) {
    if (effect.library !== 'stripe' || !ts.isCallExpression(effect.node)) continue;
    const options = effect.node.arguments[0] && unwrap(effect.node.arguments[0]);
    if (!options || !ts.isObjectLiteralExpression(options)) continue;
    for (const property of options.properties) {
      if (!ts.isPropertyAssignment(property) || property.name.getText(context.sourceFile) !== 'customer') continue;
      const value = property.initializer;
      if (!isClientValued(value) || isSessionValued(value) || facts.identityFromClient.some((i) => isInside(value, i.node) || isInside(i.node, value))) continue;
      facts.identityFromClient.push({ node: value, field: 'customer', input: undefined, replaceable: undefined });
    }
  }
  const inPayload = (node: ts.Node): boolean => facts.dataAccess.some((a) => a.write && a.payload !== undefined && isInside(node, a.payload));
  facts.identityFromClient = facts.identityFromClient.filter((i) => {
    if (verified.size > 0 && [...referencedNames(i.node)].some((n) => verified.has(n))) return false;
    // Reading someone's public profile by id is no identity taken from the client; using it to write or to hand back
    // private rows is.
    if (!writes && !privateReads && !ownerKeyedReads) return false;
    // Once access is checked, a client-chosen user is the one acted on (the member to remove), unless it is written
    // as the owner of a new record.
    if (hasOwnershipCheck && !inPayload(i.node)) return false;
    // Which organisation or team to act on is the client's choice once membership is checked.
    if (hasOwnershipCheck && knowledge.conventions.tenantField.test(i.field)) return false;
    if (authorizedByHelper && knowledge.conventions.privilegeField.test(i.field)) return false;
    return true;
  });
  // A filter built from a client identity already reported (`const conditions = { buyer: userId }` then
  // `Order.find(conditions)`) is that one problem, not a second.
  if (body && facts.idors.length > 0 && facts.identityFromClient.length > 0) {
    const identityNames = new Set(facts.identityFromClient.flatMap((i) => (ts.isIdentifier(unwrap(i.node)) ? [(unwrap(i.node) as ts.Identifier).text] : [])));
    const fromIdentity = derivedNames(body, identityNames, new Set());
    for (const idor of facts.idors) {
      if ([...referencedNames(idor.node)].some((n) => fromIdentity.has(n) && !identityNames.has(n))) idor.sameAsIdentity = true;
    }
  }
  // An organisation handed to a call together with a credential the server holds (a token from a cookie, the session):
  // `auth.completeOrgSelection({ pendingAuthToken: cookie.value, orgId })`. The callee may well check membership.
  if (body && facts.identityFromClient.length > 0) {
    const credentialNames = derivedNames(body, new Set([...sessionNames, ...cookieReads(body)]), new Set());
    const credentialed = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => credentialNames.has(n)) || readsCookie(node);
    for (const identity of facts.identityFromClient) {
      if (!knowledge.conventions.tenantField.test(identity.field)) continue;
      const call = enclosingCall(identity.node);
      if (!call) continue;
      const others = call.arguments
        .flatMap((arg): ts.Node[] => {
          const value = unwrap(arg);
          return ts.isObjectLiteralExpression(value) ? [...value.properties] : [arg];
        })
        .filter((part) => !isInside(identity.node, part));
      if (others.some(credentialed)) {
        identity.withCredential = call.expression.getText(context.sourceFile).replace(/\s+/g, '');
      }
    }
  }
}

/** Names bound to a cookie read: `const token = (await cookies()).get(NAME)`, `const c = cookies().get('x')?.value`. */
function cookieReads(body: ts.Node): string[] {
  const out: string[] = [];
  walk(body, (node) => {
    if (ts.isVariableDeclaration(node) && node.initializer && readsCookie(node.initializer)) out.push(...boundNames(node.name));
  }, true);
  return out;
}

function readsCookie(node: ts.Node): boolean {
  return /\bcookies\(\)\)?\.get\(/.test(node.getText());
}

/** The call whose arguments hold `node` (directly or in an object literal argument). */
function enclosingCall(node: ts.Node): ts.CallExpression | undefined {
  let current: ts.Node = node;
  for (let depth = 0; depth < 4 && current.parent; depth++) {
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent)) return parent.arguments.includes(current as ts.Expression) ? parent : undefined;
    if (!ts.isPropertyAssignment(parent) && !ts.isShorthandPropertyAssignment(parent) && !ts.isObjectLiteralExpression(parent)) return undefined;
    current = parent;
  }
  return undefined;
}

/**
 * Client names an early exit compares with the session's identity: `if (userId !== session.user.id) throw`, also
 * when an admin may pass (`&& session.user.role !== 'admin'`). What is left of them is the session's own value.
 */
function verifiedAgainstSession(body: ts.Node, sessionNames: Set<string>, clientDerived: Set<string>, context: ActionContext): Set<string> {
  const out = new Set<string>();
  const sessionDerived = derivedNames(body, sessionNames, new Set());
  walk(body, (node) => {
    if (!ts.isIfStatement(node) || !exits(node.thenStatement)) return;
    walk(node.expression, (part) => {
      if (!ts.isBinaryExpression(part) || !/^(!==|!=)$/.test(part.operatorToken.getText(context.sourceFile))) return;
      const sides = [part.left, part.right];
      const session = sides.find((side) => [...referencedNames(side)].some((n) => sessionDerived.has(n)));
      const client = sides.find((side) => side !== session && ts.isIdentifier(unwrap(side)) && clientDerived.has((unwrap(side) as ts.Identifier).text));
      if (session && client) out.add((unwrap(client) as ts.Identifier).text);
    });
    // `walk` skips the node itself: a bare `a !== b` condition.
    const expression = node.expression;
    if (ts.isBinaryExpression(expression) && /^(!==|!=)$/.test(expression.operatorToken.getText(context.sourceFile))) {
      const sides = [expression.left, expression.right];
      const session = sides.find((side) => [...referencedNames(side)].some((n) => sessionDerived.has(n)));
      const client = sides.find((side) => side !== session && ts.isIdentifier(unwrap(side)) && clientDerived.has((unwrap(side) as ts.Identifier).text));
      if (session && client) out.add((unwrap(client) as ts.Identifier).text);
    }
  }, true);
  return out;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some(exits);
  if (ts.isExpressionStatement(statement) && ts.isCallExpression(unwrap(statement.expression))) {
    return /^(redirect|notFound|forbidden|unauthorized|permanentRedirect)$/.test((unwrap(statement.expression) as ts.CallExpression).expression.getText());
  }
  return false;
}

/** `const post = await db.post.findFirst({ where: { id, authorId } })` followed by `if (!post) throw …`. */
function resultIsChecked(node: ts.Node, context: ActionContext): boolean {
  let current: ts.Node = node;
  while (current.parent && (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  // Used directly in a condition (`if (!(await db.post.findFirst(…)))`) or returned: the caller decides.
  if (!parent || !ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name)) return true;
  const name = parent.name.text;
  let checked = false;
  if (context.body) {
    walk(context.body, (n) => {
      if (!checked && ts.isIfStatement(n) && referencedNames(n.expression).has(name) && exits(n.thenStatement)) checked = true;
    }, true);
  }
  return checked;
}

/**
 * An access check: `assertCanWriteAccount(user, id)`, `ensureProjectOwner(projectId, session.user.id)` — a call given
 * the session's identity and the client's choice, named like a check or a project helper that can exit — or
 * `if (!isAuthor(session, post.userId)) throw`, `if (!isAdmin(session)) throw`: a check of the session in a condition
 * that exits, against a record (not against what the client claims).
 */
function isAccessCheck(
  node: ts.Node,
  summary: FunctionSummary | undefined,
  isClientValued: (node: ts.Node) => boolean,
  isSessionValued: (node: ts.Node) => boolean,
  claimedByClient: (node: ts.Node) => boolean,
  context: ActionContext,
): boolean {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
  const callee = unwrap(node.expression);
  // An ability built from the session asked about a record (CASL: `if (ability.cannot('delete', subject('Member',
  // member))) throw`, `ForbiddenError.from(ability).throwUnlessCan(…)`).
  if (ts.isPropertyAccessExpression(callee) && /^(can|cannot|throwUnlessCan|authorize|isAllowed|allows?)$/.test(callee.name.text) && isSessionValued(callee.expression)) {
    if (callee.name.text === 'throwUnlessCan') return true;
    if (ancestorCondition(node)) return true;
  }
  if (!node.arguments.some(isSessionValued)) return false;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  const named = context.knowledge.isOwnershipHelper(name) || /^(assert|ensure|check|verify|authori[sz]e|require|can|has|is|throwIf|validate)[A-Z]\w*/.test(name);
  const condition = ancestorCondition(node);
  if (condition && named) return !node.arguments.some((a) => !isSessionValued(a) && claimedByClient(a));
  // A project helper handed the session's user with the client's id checks it when it can stop the request — unless
  // it writes the rows that id selects itself, which its own summary judges (`keyedWrites`).
  // `isAuthor(session, author)` with the author the client sent compares the session with the client's claim.
  const claimsOwner = node.arguments.some((a) => {
    const value = unwrap(a);
    const name = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : undefined;
    return name !== undefined && isClientValued(a) && context.knowledge.conventions.ownerField.test(name);
  });
  if (claimsOwner) return false;
  return (named || (summary?.exits === true && !summary.keyedWrites?.length)) && node.arguments.some(isClientValued);
}

/** The `if` whose condition holds the call, when that `if` exits. */
function ancestorCondition(node: ts.Node): ts.IfStatement | undefined {
  let current: ts.Node = node;
  while (current.parent) {
    const parent: ts.Node = current.parent;
    if (ts.isIfStatement(parent)) return parent.expression === current && exits(parent.thenStatement) ? parent : undefined;
    if (!ts.isPrefixUnaryExpression(parent) && !ts.isParenthesizedExpression(parent) && !ts.isAwaitExpression(parent) && !ts.isBinaryExpression(parent)) return undefined;
    current = parent;
  }
  return undefined;
}

/**
 * `if (post.ownerId !== session.user.id) throw …` anywhere in the action: a record's field compared with the session.
 * Comparing the session with a value the client sent (`input.createdBy`) proves nothing: the client sends its own id.
 */
function hasOwnershipCheckIn(body: ts.Node, sessionDerived: Set<string>, clientDerived: Set<string>): boolean {
  let found = false;
  walk(
    body,
    (node) => {
      if (found || !ts.isBinaryExpression(node) || !/^(===|!==|==|!=)$/.test(node.operatorToken.getText())) return;
      const leftSession = [...referencedNames(node.left)].some((n) => sessionDerived.has(n));
      const rightSession = [...referencedNames(node.right)].some((n) => sessionDerived.has(n));
      const other = leftSession ? node.right : node.left;
      const fromClient = [...referencedNames(other)].some((n) => clientDerived.has(n));
      if (leftSession !== rightSession && !fromClient && (ts.isPropertyAccessExpression(unwrap(other)) || ts.isElementAccessExpression(unwrap(other)))) found = true;
    },
    true,
  );
  return found;
}

/** The expression for the signed-in user's id, from the guards' shapes (library knowledge) or their names. */
function sessionUserIdOf(guards: AuthGuard[], sessionNames: Set<string>, context: ActionContext): string | undefined {
  const { body, sourceFile, ctxUserId } = context;
  // An action client's `ctx` holds what its middleware put there; when that cannot be seen, what the action reads.
  const used = body ? /\bctx\.(userId|user\.id|session\.user\.id)\b/.exec(body.getText(sourceFile))?.[1] : undefined;
  const fromCtx = ctxUserId ?? used;
  for (const guard of guards) {
    const declaration = guardDeclaration(guard);
    if (guard.shape && declaration) {
      const expression = userIdExpression(declaration.name, guard.shape.userIdPath);
      if (expression && checkNarrows(guard, declaration, expression, context)) return expression;
    }
    for (const name of guard.identityNames) {
      if (/^(userId|uid|currentUserId)$/.test(name)) return name;
      if (name === 'ctx') {
        if (fromCtx) return `ctx.${fromCtx}`;
        continue;
      }
      if (/^(user|currentUser|viewer|me)$/.test(name)) return `${name}.id`;
      if (/session/i.test(name)) {
        // Auth.js types `session.user.id` as optional: only a check of the id itself narrows it to a string.
        const check = sourceFile.text.slice(guard.node.getStart(sourceFile), guard.protectsFrom);
        if (new RegExp(`\\b${name}\\??\\.user\\??\\.id\\b`).test(check)) return `${name}.user.id`;
      }
    }
  }
  if (sessionNames.has('ctx') && fromCtx) return `ctx.${fromCtx}`;
  return undefined;
}

function guardDeclaration(guard: AuthGuard): ts.VariableDeclaration | undefined {
  let current: ts.Node = guard.node;
  while (current.parent && (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent))) current = current.parent;
  return current.parent && ts.isVariableDeclaration(current.parent) && current.parent.initializer === current ? current.parent : undefined;
}

/**
 * The user id expression for a binding and the path of the id in the bound value: `session` + user.id →
 * `session.user.id`; `{ userId }` + userId → `userId`; `{ data: { user } }` + data.user.id → `user.id`.
 */
export function userIdExpression(binding: ts.BindingName, path: readonly string[]): string | undefined {
  if (ts.isIdentifier(binding)) return [binding.text, ...path].join('.');
  if (!ts.isObjectBindingPattern(binding) || path.length === 0) return undefined;
  const [head, ...rest] = path;
  for (const element of binding.elements) {
    const property = element.propertyName ? element.propertyName.getText() : ts.isIdentifier(element.name) ? element.name.text : undefined;
    if (property === head) return userIdExpression(element.name, rest);
  }
  return undefined;
}

/** The guard's early exit checks the id (or what holds it), so TypeScript knows it is there after the check. */
function checkNarrows(guard: AuthGuard, declaration: ts.VariableDeclaration, expression: string, context: ActionContext): boolean {
  if (guard.shape!.presencePath.length === 0 && !/\./.test(expression)) return true;
  const check = context.sourceFile.text.slice(declaration.getEnd(), guard.protectsFrom);
  const parts = expression.split('.');
  // `if (!user) …` narrows `user.id`; `if (!session?.user?.id) …` narrows `session.user.id`.
  for (let length = parts.length; length >= 1; length--) {
    const prefix = parts.slice(0, length).map((p) => p.replace(/[$]/g, '\\$')).join('\\??\\.');
    if (length >= Math.min(parts.length, 1 + guard.shape!.presencePath.length) && new RegExp(`\\b${prefix}\\b`).test(check)) return true;
  }
  return guard.callee !== undefined && /^(ctx)/.test(expression);
}

/** The argument a helper's keyed write reads: the parameter itself, or the property of an object passed there. */
function argumentFor(call: ts.CallExpression, write: KeyedWrite): ts.Expression | undefined {
  const arg = call.arguments[write.param];
  if (!arg) return undefined;
  if (!write.property) return arg;
  const value = unwrap(arg);
  if (ts.isObjectLiteralExpression(value)) {
    const property = value.properties.find((p) => p.name?.getText() === write.property);
    if (property && ts.isPropertyAssignment(property)) return property.initializer;
    if (property && ts.isShorthandPropertyAssignment(property)) return property.name;
    return undefined;
  }
  return arg;
}

/** The value paths an expression uses: `parsedInput.quotaId`, `inviteId`, `input.quota.surveyId`. */
function valuePaths(node: ts.Node): string[] {
  const out: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isPropertyAccessExpression(child) || ts.isIdentifier(child)) {
      if (ts.isIdentifier(child) && child.parent && ((ts.isPropertyAssignment(child.parent) && child.parent.name === child) || (ts.isPropertyAccessExpression(child.parent) && child.parent.name === child))) return;
      const text = child.getText().replace(/\?\./g, '.');
      if (/^[\w$.]+$/.test(text)) {
        out.push(text);
        return;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return out;
}

/**
 * A check of the caller's role or permissions with an early exit before `node` (`throwIfNoPermission({ role:
 * workspace.role, … })`, `if (session.user.role !== 'admin') throw`): the caller is privileged, and whether that
 * privilege covers every row or only the caller's own is more than the analyzer can tell.
 */
function roleGateBefore(node: ts.Node, context: ActionContext, isSessionValued: (node: ts.Node) => boolean): boolean {
  const before = (n: ts.Node): boolean => n.getEnd() <= node.getStart(context.sourceFile);
  const privilege = /(permission|role|admin|privilege)/i;
  for (const { node: call, description } of context.calls) {
    if (!ts.isCallExpression(call) || !before(call) || !call.arguments.some(isSessionValued)) continue;
    const callee = unwrap(call.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (!/^(throwIf\w*|require|assert|ensure|check|verify|has|can|is|authori[sz]e|validate)\w*(permission|role|admin|privilege)/i.test(name)) continue;
    if (description?.summary?.exits || ancestorCondition(call) || ts.isExpressionStatement(call.parent) || ts.isAwaitExpression(call.parent)) return true;
  }
  let found = false;
  if (context.body) {
    walk(context.body, (n) => {
      if (found || !ts.isIfStatement(n) || !before(n) || !exits(n.thenStatement)) return;
      walk(n.expression, (part) => {
        if (!found && ts.isPropertyAccessExpression(part) && privilege.test(part.name.text) && isSessionValued(part)) found = true;
      });
    }, true);
  }
  return found;
}

/** `{ members: { connect: { id: session.user.id } } }`, `{ $addToSet: { likes: userId } }`: the caller joins or leaves. */
function joinsCaller(payload: ts.Expression, isSessionValued: (node: ts.Node) => boolean, isClientValued: (node: ts.Node) => boolean): boolean {
  let relation = false;
  const visit = (node: ts.Node): void => {
    if (relation) return;
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && /^(connect|disconnect|connectOrCreate|\$addToSet|\$pull|\$push)$/.test(node.name.getText())) {
      relation = isSessionValued(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(payload);
  return relation && !isClientValued(payload);
}

/** `isGroupOwner`, `canEditPost`, `assertMember`, `checkAccess`: a call named like an access check. */
function looksLikeAccessCheck(callee: string, knowledge: ActionContext['knowledge']): boolean {
  const name = callee.slice(callee.lastIndexOf('.') + 1);
  return knowledge.isOwnershipHelper(name) || /^(assert|ensure|check|verify|authori[sz]e|require|can|has|is|throwIf)[A-Z]\w*/.test(name) || /(Owner|Member|Admin|Access|Permission|Visible|Allowed|Authori[sz]ed)/.test(name);
}

/** The condition of a filter whose owner is an optional read of the session (`userId: user?.id`). */
function optionalSessionOwner(filter: ts.Node, sessionNames: Set<string>): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && node.questionDotToken) {
      let root: ts.Expression = node.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isNonNullExpression(root) || ts.isParenthesizedExpression(root)) root = root.expression;
      if (ts.isIdentifier(root) && sessionNames.has(root.text)) {
        let top: ts.Node = node;
        while (ts.isPropertyAccessExpression(top.parent) || ts.isNonNullExpression(top.parent)) top = top.parent;
        found = ts.isPropertyAssignment(top.parent) ? top.parent : top;
      }
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(filter);
  return found;
}
