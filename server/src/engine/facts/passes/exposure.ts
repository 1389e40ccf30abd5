/**
 * Exposure pass: whether the action is an auth flow, and whether it is public on purpose — an auth flow, a public
 * form, an anonymous action keyed by the caller's own cookie or by a secret token from a link, a session used only
 * when present, a project without sign-in. Such actions are judged by abuse-protection, not require-auth.
 */
import ts from 'typescript';
import { referencedNames, walk } from '../../ast';
import type { ActionContext } from '../context';
import type { ActionFacts } from '../model';

const AUTH_COOKIE = /session|token|auth|jwt|sid|access|refresh/i;
const LINK_SECRET = /token|code|otp|secret|hash|signature/i;

export function exposurePass(context: ActionContext, facts: ActionFacts): void {
  const { knowledge } = context;
  for (const { node, description, start } of context.calls) {
    if (description?.authFlow) facts.authFlowCalls.push({ node, start, end: node.getEnd(), label: description.label });
  }
  facts.authFlow ||= facts.authFlowCalls.length > 0;
  if (facts.publicByDesign) return;
  const unauthenticated = facts.authGuards.length === 0;
  facts.publicByDesign =
    (facts.authFlow && 'an auth flow, which runs before there is a session') ||
    (unauthenticated && knowledge.isLinkFlowName(facts.name) && 'it completes a flow started by an emailed link') ||
    (knowledge.isPublicFormName(facts.name) && 'a public form') ||
    (unauthenticated && knowledge.conventions.publicFlowPath.test(context.scope.file) && 'it sits in a sign-in, sign-up or public form folder') ||
    (unauthenticated && facts.uncheckedSessions.length === 0 && readsOwnCookie(context) && "keyed by the caller's own cookie (an anonymous cart or preference)") ||
    (unauthenticated && facts.uncheckedSessions.length === 0 && keyedByLinkSecret(context, facts) && 'authorised by a secret token from a link') ||
    (unauthenticated && facts.uncheckedSessions.length > 0 && sessionIsOptional(context, facts) && 'its session is optional: it also serves visitors who are not signed in') ||
    (!context.projectHasAuth && unauthenticated && 'the project has no sign-in (no auth library or auth helper)') ||
    undefined;
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
 * `const session = await auth()` used only to decide (`if (session) {…}`, `session ? … : …`): the action serves
 * signed-in and anonymous visitors alike. Not when the session scopes its data (`where: { userId: session?.user.id }`):
 * then it is meant to be signed-in only, and the missing check is require-auth's.
 */
function sessionIsOptional(context: ActionContext, facts: ActionFacts): boolean {
  const body = context.body;
  if (!body) return false;
  const names = context.sessionNames;
  const usesSession = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => names.has(n));
  if (facts.dataAccess.some((access) => access.filters.some(usesSession) || (access.payload !== undefined && usesSession(access.payload)))) return false;
  if (context.calls.some(({ node, description }) => description?.effects?.length && ts.isCallExpression(node) && node.arguments.some(usesSession))) return false;
  let decides = false;
  walk(body, (node) => {
    if (decides) return;
    if (ts.isIfStatement(node) && usesSession(node.expression)) decides = true;
    if (ts.isConditionalExpression(node) && usesSession(node.condition)) decides = true;
  });
  return decides;
}
