/**
 * Exposure pass: whether the action is an auth flow, and whether it is public on purpose — an auth flow, a public
 * form, an anonymous action keyed by the caller's own cookie or by a secret token from a link, a session used only
 * when present, a project without sign-in. Such actions are judged by abuse-protection, not require-auth.
 */
import ts from 'typescript';
import { referencedNames, walk } from '../../ast';
import type { ActionContext } from '../context';
import { derivedNames } from '../flow';
import type { ActionFacts, PublicKind } from '../model';

const AUTH_COOKIE = /session|token|auth|jwt|sid|access|refresh/i;
const LINK_SECRET = /token|code|otp|secret|hash|signature/i;

export function exposurePass(context: ActionContext, facts: ActionFacts): void {
  const { knowledge } = context;
  for (const { node, description, start } of context.calls) {
    if (description?.authFlow) facts.authFlowCalls.push({ node, start, end: node.getEnd(), label: description.label });
  }
  const oauth = context.calls.some((c) => c.description?.oauth) || (knowledge.isAuthFlowName(facts.name) && knowledge.conventions.oauthFlowName.test(facts.name));
  // An OAuth sign-in (`signIn('github')`) only redirects: no secret to guess, nothing sent.
  facts.authFlow = !oauth && (facts.authFlow || facts.authFlowCalls.length > 0);
  if (facts.publicByDesign) return;
  // No session check, or only a middleware the engine could not read: as far as the engine can tell, anyone calls it.
  // A check that comes after the first write (a sign-up that creates the user, then loads its session) gates nothing.
  const unauthenticated =
    !facts.authGuards.some((g) => g.kind !== 'client' || g.certainty === 'certain') ||
    facts.sideEffects.find((e) => !e.read && e.kind !== 'cookie-write')?.guard === undefined && facts.sideEffects.some((e) => !e.read && e.kind !== 'cookie-write');
  const kinds: [PublicKind, boolean | undefined, string][] = [
    ['oauth', oauth && unauthenticated, 'it starts an OAuth sign-in'],
    ['auth-flow', facts.authFlow, 'an auth flow, which runs before there is a session'],
    ['link', unauthenticated && knowledge.isLinkFlowName(facts.name), 'it completes a flow started by an emailed link'],
    ['form', knowledge.isPublicFormName(facts.name), 'a public form'],
    ['form', unauthenticated && knowledge.conventions.publicFlowPath.test(context.scope.file), 'it sits in a sign-in, sign-up or public form folder'],
    ['cookie', unauthenticated && facts.uncheckedSessions.length === 0 && readsOwnCookie(context), "keyed by the caller's own cookie (an anonymous cart or preference)"],
    ['token', unauthenticated && keyedByLinkSecret(context, facts), 'authorised by a secret token from a link'],
    ['optional-session', unauthenticated && facts.uncheckedSessions.length > 0 && sessionIsOptional(context, facts), 'its session is optional: it also serves visitors who are not signed in'],
    ['no-sign-in', !context.projectHasAuth && unauthenticated && !knowledge.isMaintenanceName(facts.name), 'the project has no sign-in (no auth library or auth helper)'],
  ];
  const match = kinds.find(([, applies]) => applies);
  if (match) {
    facts.publicKind = match[0];
    facts.publicByDesign = match[2];
  }
}

/** `cookies().get('cartId')` with a name that is not a session's: the visitor's own anonymous state. */
function readsOwnCookie(context: ActionContext): boolean {
  return context.calls.some(({ node }) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'get') return false;
    const receiver = node.expression.expression.getText(context.sourceFile);
    if (!/cookies\(\)|cookieStore|cookie/i.test(receiver)) return false;
    const name = node.arguments[0];
    return name !== undefined && ts.isStringLiteralLike(name) && !AUTH_COOKIE.test(name.text);
  });
}

/** A read or write selected by a client value named like a secret from an emailed link (`where: { token }`). */
function keyedByLinkSecret(context: ActionContext, facts: ActionFacts): boolean {
  const secrets = new Set<string>();
  for (const [name, value] of context.clientVars) if (LINK_SECRET.test(value.field ?? name)) secrets.add(name);
  for (const input of facts.inputs) if (input.field && LINK_SECRET.test(input.field)) secrets.add(input.field);
  if (secrets.size === 0) return false;
  return facts.dataAccess.some((access) => access.filters.some((filter) => {
    const text = filter.getText(context.sourceFile);
    return [...secrets].some((name) => new RegExp(`\\b${name}\\b`).test(text)) || [...referencedNames(filter)].some((n) => secrets.has(n));
  }));
}

/**
 * `const session = await auth()` used only to decide (`if (session) {…}`, `session ? … : …`, `session?.user.id`): the
 * action serves signed-in and anonymous visitors alike. Not when the session scopes its data outside a branch that
 * runs only with a session (`where: { userId: session?.user.id }`: signed out, the filter is gone), nor when a write
 * is handed the session: then it is meant to be signed-in only, and the missing check is require-auth's.
 */
function sessionIsOptional(context: ActionContext, facts: ActionFacts): boolean {
  const body = context.body;
  if (!body) return false;
  const names = context.sessionNames;
  // Values computed from the session count too (`const values = { storeId: user?.storeId }` then `.values(values)`).
  const derived = derivedNames(body, names, new Set());
  const usesSession = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => names.has(n));
  const usesSessionValue = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => derived.has(n));
  const onlyWithSession = (node: ts.Node): boolean => {
    for (let current: ts.Node = node; current.parent && current !== body; current = current.parent) {
      const parent = current.parent;
      if (ts.isConditionalExpression(parent) && parent.whenTrue === current && usesSessionValue(parent.condition)) return true;
      if (ts.isIfStatement(parent) && parent.thenStatement === current && usesSessionValue(parent.expression)) return true;
      if (ts.isBinaryExpression(parent) && parent.right === current && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && usesSessionValue(parent.left)) return true;
    }
    return false;
  };
  const scopes = (access: ActionFacts['dataAccess'][number]): boolean =>
    !onlyWithSession(access.node) && (access.filters.some(usesSessionValue) || (access.write && access.payload !== undefined && usesSessionValue(access.payload)));
  if (facts.dataAccess.some(scopes)) return false;
  const accessNodes = new Set<ts.Node>(facts.dataAccess.map((a) => a.node));
  const handsWriteTheSession = context.calls.some(
    ({ node, description }) =>
      !accessNodes.has(node) &&
      description?.effects?.some((e) => e.kind !== 'db-read' && e.kind !== 'storage-read' && e.kind !== 'billing-read') &&
      ts.isCallExpression(node) &&
      !onlyWithSession(node) &&
      node.arguments.some(usesSessionValue),
  );
  if (handsWriteTheSession) return false;
  let decides = false;
  walk(body, (node) => {
    if (decides) return;
    if (ts.isIfStatement(node) && usesSession(node.expression)) decides = true;
    if (ts.isConditionalExpression(node) && usesSession(node.condition)) decides = true;
    // `session?.user.id`: written for a session that may be missing.
    if (ts.isPropertyAccessExpression(node) && node.questionDotToken && ts.isIdentifier(node.expression) && names.has(node.expression.text)) decides = true;
  });
  return decides;
}
