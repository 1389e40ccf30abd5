/**
 * Identity pass: the expression for the signed-in user's id, reads and writes keyed by a client-chosen id with no
 * owner from the session (IDOR), and which client-chosen identities an ownership check makes legitimate.
 */
import ts from 'typescript';
import { referencedNames, unwrap, walk } from '../../ast';
import type { ActionContext } from '../context';
import { containsFormDataRead, derivedNames } from '../flow';
import type { ActionFacts, AuthGuard } from '../model';

export function identityPass(context: ActionContext, facts: ActionFacts): void {
  const { body, sessionNames, clientVars, formDataNames, knowledge } = context;
  facts.sessionIdentity = [...sessionNames];
  facts.sessionUserId = sessionUserIdOf(facts.authGuards, sessionNames, context);
  const clientNames = new Set([...clientVars.keys()]);
  // Rows read from the database — directly or by a helper that reads — are server data, even when the lookup was
  // keyed by client input: `const user = await getUserByEmail(token.email)` then `update({ where: { id: user.id } })`.
  const serverData = new Set<ts.Node>(facts.dataAccess.map((a) => a.node));
  for (const { node, description } of context.calls) {
    if (description?.effects?.some((e) => e.kind === 'db-read' || e.kind === 'storage-read' || e.kind === 'billing-read')) serverData.add(node);
  }
  const derivedFromClient = derivedNames(body, clientNames, formDataNames, serverData);
  const derivedFromSession = derivedNames(body, sessionNames, new Set());
  const isClientValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => derivedFromClient.has(n)) || containsFormDataRead(node, formDataNames);
  const isSessionValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => derivedFromSession.has(n));
  const isOwned = (filters: ts.Expression[]): boolean => filters.some(isSessionValued);
  // A lookup scoped to the session's user (`findFirst({ where: { id, ownerId: session.user.id } })`), an access check
  // given both the session's user and the client's id (`assertCanWriteAccount(user, id)`), or a comparison of a
  // record's owner with the session proves ownership for the rest of the action.
  const scopedLookup = facts.dataAccess.some((access) => access.filters.some(isClientValued) && isOwned(access.filters));
  const accessChecks = context.calls.filter(({ node, description }) => isAccessCheck(node, description?.summary !== undefined, isClientValued, isSessionValued, context));
  const authorizedByHelper = accessChecks.length > 0;
  const hasOwnershipCheck = body ? scopedLookup || hasOwnershipCheckIn(body, derivedFromSession, derivedFromClient) || authorizedByHelper : false;
  for (const access of facts.dataAccess) {
    if (access.filters.length === 0 || hasOwnershipCheck) continue;
    // Reads are lookups (a uniqueness check, a public record, a token) unless they hand a private row back.
    if (!access.write && !(access.returned && access.model !== undefined && knowledge.isPrivateModel(access.model))) continue;
    const clientFilter = access.filters.find((filter) => isClientValued(filter) && keyedByClientId(filter, isClientValued, context));
    if (clientFilter && !isOwned(access.filters)) facts.idors.push({ access, node: clientFilter, mayBeEnforcedByDatabase: access.library === 'supabase' });
  }
  // Which organisation or team to act on is the client's choice once membership is checked.
  facts.identityFromClient = facts.identityFromClient.filter(
    (i) => !(hasOwnershipCheck && knowledge.conventions.tenantField.test(i.field)) && !(authorizedByHelper && knowledge.conventions.privilegeField.test(i.field)),
  );
}

/**
 * `assertCanWriteAccount(user, id)`, `ensureProjectOwner(projectId, session.user.id)`, `checkAuthorization({ userId,
 * organizationId })`: a call given both the session's identity and a client-chosen value, that is a project helper or
 * named like a check.
 */
function isAccessCheck(
  node: ts.Node,
  projectHelper: boolean,
  isClientValued: (node: ts.Node) => boolean,
  isSessionValued: (node: ts.Node) => boolean,
  context: ActionContext,
): boolean {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return false;
  const callee = unwrap(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  const named = context.knowledge.isOwnershipHelper(name) || /^(assert|ensure|check|verify|authori[sz]e|require|can|has|is|throwIf|validate)[A-Z]\w*/.test(name);
  // A project helper handed the session's user with the client's id scopes by it (the seed's
  // `updateProjectName({ projectId, ownerId: session.userId })`); what it does inside is its own finding.
  return (named || projectHelper) && node.arguments.some(isSessionValued) && node.arguments.some(isClientValued);
}

/**
 * Whether a client value in the filter selects a record by its id (`{ id }`, `eq(posts.id, id)`, `findById(id)`),
 * as opposed to a natural key such as an e-mail or a slug used for sign-in and uniqueness checks.
 */
function keyedByClientId(filter: ts.Expression, isClientValued: (node: ts.Node) => boolean, context: ActionContext): boolean {
  const idKey = context.knowledge.conventions.idKey;
  const direct = unwrap(filter);
  // `findById(id)`, `.eq('id', id)`: the filter is the value itself.
  if (ts.isIdentifier(direct) || ts.isPropertyAccessExpression(direct) || ts.isElementAccessExpression(direct)) return true;
  let keyed = false;
  const visit = (node: ts.Node): void => {
    if (keyed) return;
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && isClientValued(ts.isPropertyAssignment(node) ? node.initializer : node.name)) {
      const key = node.name.getText();
      if (idKey.test(key)) keyed = true;
      else if (ts.isPropertyAssignment(node) && (ts.isObjectLiteralExpression(unwrap(node.initializer)) || ts.isArrayLiteralExpression(unwrap(node.initializer)))) {
        ts.forEachChild(node.initializer, visit);
      }
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length === 2) {
      const [column, value] = node.arguments as unknown as [ts.Expression, ts.Expression];
      if (isClientValued(value) && !isClientValued(column)) {
        const text = ts.isStringLiteralLike(column) ? column.text : column.getText();
        if (idKey.test(text)) keyed = true;
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
