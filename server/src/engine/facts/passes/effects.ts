/**
 * Effects pass: what the action does to the world (writes, reads, sends, spends), whether a session check dominates
 * each effect, the data accesses with their filters and payloads, and the revalidations and rate limits.
 */
import ts from 'typescript';
import { calleeMember, chainMembers, chainRoot, isInside, referencedNames, unwrap } from '../../ast';
import { EFFECT_TRAITS } from '../../knowledge';
import { isModuleState, isMutatingFetch } from '../calls';
import type { ActionContext, DescribedCall } from '../context';
import { dataAccessOf, includedRelations, modelOf, setsOnlyCounters } from '../data';
import { chainContains, containsFormDataRead, derivedNames, flowsIntoReturn } from '../flow';
import type { ActionFacts, AuthGuard, DataAccess, SideEffect } from '../model';

export function effectsPass(context: ActionContext, facts: ActionFacts): void {
  const { fn, sourceFile, knowledge } = context;
  const guardFor = (node: ts.Node): AuthGuard | undefined => {
    let best: AuthGuard | undefined;
    for (const guard of facts.authGuards) {
      if (node.getStart(sourceFile) >= guard.protectsFrom && isInside(node, guard.scope)) {
        if (!best || (best.certainty === 'unverified' && guard.certainty === 'certain')) best = guard;
      }
    }
    return best;
  };
  const effects: SideEffect[] = [];
  const accesses: DataAccess[] = [];
  const clientNames = derivedNames(context.body, new Set(context.clientVars.keys()), context.formDataNames);
  const clientValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => clientNames.has(n)) || containsFormDataRead(node, context.formDataNames);
  const takesClientInput = (node: ts.Node): boolean => ts.isCallExpression(node) && node.arguments.some(clientValued);
  /**
   * The caller picks whom a message goes to: `send({ to: input.email })`, `sendInvite(parsed.email)`. A helper given
   * a referral id decides the recipient itself.
   */
  // Rows read from the database are server data: an owner's address looked up by a client-chosen folder id is not an
  // address the caller typed. So is the row a write returns, unless the client chose its address
  // (`generateVerificationToken(email)`, `create({ data: { email: input.email } })`).
  const serverData = new Set<ts.Node>();
  const writes = (description: DescribedCall['description']): boolean => !!description?.effects?.some((e) => e.kind === 'db-write');
  for (const { node, description } of context.calls) {
    if (!writes(description) && description?.effects?.some((e) => e.kind === 'db-read' || e.kind === 'storage-read' || e.kind === 'billing-read')) serverData.add(node);
  }
  const afterReads = derivedNames(context.body, new Set(context.clientVars.keys()), context.formDataNames, serverData);
  const readValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => afterReads.has(n)) || containsFormDataRead(node, context.formDataNames);
  for (const { node, description } of context.calls) {
    if (writes(description) && ts.isCallExpression(node) && !writesClientRecipient(node)) serverData.add(node);
  }
  function writesClientRecipient(call: ts.CallExpression): boolean {
    let found = false;
    const visit = (value: ts.Expression, depth: number): void => {
      const object = unwrap(value);
      if (found || depth > 4) return;
      if (!ts.isObjectLiteralExpression(object)) {
        if (readValued(object)) found = true;
        return;
      }
      for (const property of object.properties) {
        if (ts.isSpreadAssignment(property) && readValued(property.expression)) found = true;
        if (ts.isShorthandPropertyAssignment(property) && RECIPIENT.test(property.name.text) && readValued(property.name)) found = true;
        if (!ts.isPropertyAssignment(property)) continue;
        const inner = unwrap(property.initializer);
        if (ts.isObjectLiteralExpression(inner)) visit(inner, depth + 1);
        else if (RECIPIENT.test(property.name.getText(context.sourceFile)) && readValued(inner)) found = true;
      }
    };
    for (const arg of call.arguments) visit(arg, 0);
    return found;
  }
  const typedByClient = derivedNames(context.body, new Set(context.clientVars.keys()), context.formDataNames, serverData);
  const recipientValued = (node: ts.Node): boolean => [...referencedNames(node)].some((n) => typedByClient.has(n)) || containsFormDataRead(node, context.formDataNames);
  const clientRecipient = (node: ts.Node): boolean => {
    if (!ts.isCallExpression(node)) return false;
    for (const arg of node.arguments) {
      const value = unwrap(arg);
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          const key = property.name?.getText(context.sourceFile) ?? '';
          const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
          if (initializer && RECIPIENT.test(key) && recipientValued(initializer)) return true;
        }
      } else if (recipientValued(value) && RECIPIENT_VALUE.test(value.getText(context.sourceFile))) {
        return true;
      }
    }
    return false;
  };
  for (const { node, description, start } of context.calls) {
    const at = { start, end: node.getEnd() };
    if (ts.isCallExpression(node) && isMutatingFetch(node)) {
      effects.push(sideEffect(node, at, 'external-write', 'fetch()', undefined, guardFor(node), fn, takesClientInput(node)));
      continue;
    }
    if (!description) continue;
    // The session lookup an auth helper makes is how the action learns who calls, not work done on their behalf.
    const effectsOf = description.auth ? [] : (description.effects ?? []);
    const data = description.effects?.find((e) => !e.helper && (e.kind === 'db-write' || e.kind === 'db-read'));
    const access: DataAccess | undefined =
      data && ts.isCallExpression(node)
        ? { ...dataAccessOf(node, data.kind === 'db-write', description.label), library: data.library, returned: data.kind === 'db-read' && flowsIntoReturn(node, fn) }
        : undefined;
    for (const effect of effectsOf) {
      const entry = sideEffect(node, at, effect.kind, effect.label, effect.helper, guardFor(node), fn, takesClientInput(node));
      if (effect.kind === 'email' || effect.kind === 'sms') entry.clientRecipient = clientRecipient(node);
      if (entry.read && ts.isCallExpression(node)) {
        entry.model = modelOf(node);
        const relations = includedRelations(node);
        if (relations.length > 0) entry.relations = relations;
        entry.scopedBySession = node.arguments.some((arg) => [...referencedNames(arg)].some((n) => context.sessionNames.has(n)));
      }
      if (effect.module) entry.module = effect.module;
      if (effect.library && !effect.helper) entry.library = effect.library;
      // A helper's write counts as a change the page shows when its name says it mutates: token refreshes, cache
      // evictions and analytics inside read-only helpers are not.
      if (entry.helper && !knowledge.isMutatingName(entry.helper)) entry.changesAppData = false;
      // Credentials, sessions and a payment provider's ids are written but never shown.
      if (entry.changesAppData && entry.helper && knowledge.isCredentialHelper(entry.helper)) entry.changesAppData = false;
      if (entry.changesAppData && !entry.helper && ts.isCallExpression(node) && onlyBookkeeping((access ?? dataAccessOf(node, true, '')).payload, knowledge.isBookkeepingField)) {
        entry.changesAppData = false;
      }
      effects.push(entry);
    }
    if (access) {
      if (access.write && setsOnlyCounters(access.payload, knowledge.isCounterField)) access.counterOnly = true;
      accesses.push(access);
    }
    if (description.revalidate || description.exit) facts.revalidates.push({ node, ...at });
    if (description.rateLimit) facts.rateLimits.push({ node, ...at });
  }
  // Module-level state every request shares (`sessions[key] = role`, `delete sessions[key]`, `cache.set(k, v)`),
  // keyed or fed by the client: a write anyone can make, like a database write.
  for (const write of serverStateWrites(context, clientValued)) {
    effects.push(sideEffect(write.node, { start: write.node.getStart(context.sourceFile), end: write.node.getEnd() }, 'server-state-write', write.label, undefined, guardFor(write.node), fn, true));
  }
  // A secret the action hands back (`return process.env.STRIPE_SECRET_KEY`, `{ key: config.apiSecret }`).
  for (const secret of returnedSecrets(context)) {
    const entry = sideEffect(secret.node, { start: secret.node.getStart(context.sourceFile), end: secret.node.getEnd() }, 'secret-read', secret.label, undefined, guardFor(secret.node), fn, false);
    entry.returned = true;
    effects.push(entry);
  }
  // A chained call (`db.update(t).set(v).where(w)`) is one access and one effect: keep the outermost call.
  facts.dataAccess = accesses.filter((a) => !accesses.some((b) => b !== a && isInside(a.node, b.node) && chainContains(b.node, a.node)));
  facts.sideEffects = effects.filter(
    (a) => !effects.some((b) => b !== a && b.kind === a.kind && isInside(a.node, b.node) && chainContains(b.node, a.node)),
  );
}

/** A config module's field that holds a credential: `apiSecret`, `password`, `webhookToken`, `STRIPE_KEY`. */
const SECRET_FIELD = /(secret|password|passwd|privateKey|private_key|apiKey|api_key|token|credentials?)$|_KEY$/i;

function returnedSecrets(context: ActionContext): { node: ts.PropertyAccessExpression | ts.ElementAccessExpression; label: string }[] {
  const found: { node: ts.PropertyAccessExpression | ts.ElementAccessExpression; label: string }[] = [];
  const { body, scope, knowledge, fn } = context;
  if (!body) return found;
  const secretName = (access: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined => {
    const name = ts.isPropertyAccessExpression(access) ? access.name.text : ts.isStringLiteral(access.argumentExpression) ? access.argumentExpression.text : undefined;
    if (!name) return undefined;
    const object = unwrap(access.expression);
    // `process.env.STRIPE_SECRET_KEY`
    if (ts.isPropertyAccessExpression(object) && object.name.text === 'env' && ts.isIdentifier(object.expression) && object.expression.text === 'process') {
      return knowledge.isSecretEnvName(name) ? `process.env.${name}` : undefined;
    }
    // `config.apiSecret`, `env.STRIPE_SECRET_KEY` (a project's env or config module)
    if (ts.isIdentifier(object)) {
      const imported = scope.bindings.imports.get(object.text);
      if (!imported || !scope.resolver.isProjectModule(scope.file, imported.specifier)) return undefined;
      return knowledge.isSecretEnvName(name) || SECRET_FIELD.test(name) ? `${object.text}.${name}` : undefined;
    }
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && !ts.isPropertyAccessExpression(node.parent)) {
      const label = secretName(node);
      if (label && handedOut(node, fn)) found.push({ node, label });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/** The value itself reaches the result: not through a call it is passed to, nor a comparison or a test. */
function handedOut(node: ts.Expression, fn: ts.Node): boolean {
  let current: ts.Node = node;
  while (current.parent && current.parent !== fn) {
    const parent: ts.Node = current.parent;
    if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
      if (parent.expression !== current) return false;
    }
    if (ts.isBinaryExpression(parent) && !isValueOperator(parent.operatorToken.kind)) return false;
    if ((ts.isConditionalExpression(parent) && parent.condition === current) || ts.isPrefixUnaryExpression(parent) || ts.isTypeOfExpression(parent)) return false;
    if (ts.isIfStatement(parent) || ts.isExpressionStatement(parent) || ts.isVariableDeclaration(parent) || ts.isReturnStatement(parent)) break;
    current = parent;
  }
  return flowsIntoReturn(node, fn);
}

function isValueOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.PlusToken || kind === ts.SyntaxKind.CommaToken;
}

const STATE_METHODS = new Set(['set', 'delete', 'clear', 'add']);

function serverStateWrites(context: ActionContext, clientValued: (node: ts.Node) => boolean): { node: SideEffect['node']; label: string }[] {
  const writes: { node: SideEffect['node']; label: string }[] = [];
  const { body, scope, sourceFile } = context;
  if (!body) return writes;
  const short = (node: ts.Node): string => {
    const text = node.getText(sourceFile).replace(/\s+/g, ' ');
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  };
  const stateRoot = (target: ts.Expression): ts.Identifier | undefined => {
    const root = chainRoot(target);
    return root && (ts.isElementAccessExpression(unwrap(target)) || ts.isPropertyAccessExpression(unwrap(target))) && isModuleState(root, scope) ? root : undefined;
  };
  const described = new Set(context.calls.filter((c) => c.description).map((c) => c.node));
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const target = unwrap(node.left);
      const key = ts.isElementAccessExpression(target) ? target.argumentExpression : undefined;
      if (stateRoot(target) && ((key && clientValued(key)) || clientValued(node.right))) writes.push({ node, label: `${short(target)} = …` });
    } else if (ts.isDeleteExpression(node)) {
      const target = unwrap(node.expression);
      const key = ts.isElementAccessExpression(target) ? target.argumentExpression : undefined;
      if (stateRoot(target) && key && clientValued(key)) writes.push({ node, label: `delete ${short(target)}` });
    } else if (ts.isCallExpression(node) && !described.has(node) && ts.isPropertyAccessExpression(node.expression) && STATE_METHODS.has(node.expression.name.text)) {
      const receiver = unwrap(node.expression.expression);
      const root = ts.isIdentifier(receiver) ? receiver : undefined;
      if (root && isModuleState(root, scope) && node.arguments.some(clientValued)) writes.push({ node, label: `${root.text}.${node.expression.name.text}()` });
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return writes;
}

function sideEffect(
  node: SideEffect['node'],
  at: { start: number; end: number },
  kind: SideEffect['kind'],
  label: string,
  helper: string | undefined,
  guard: AuthGuard | undefined,
  fn: ts.Node,
  clientInput: boolean,
): SideEffect {
  const traits = EFFECT_TRAITS[kind];
  return {
    node,
    ...at,
    kind,
    label,
    helper,
    read: traits.read,
    expensive: traits.expensive,
    changesAppData: traits.changesAppData,
    guard: guard?.certainty,
    returned: traits.read && flowsIntoReturn(node, fn),
    takesClientInput: clientInput,
    clientRecipient: false,
    scopedBySession: false,
  };
}

const RECIPIENT = /^(to|email|emails|recipients?|phone|phoneNumber|number|cc|bcc)$|email|recipient|phone/i;
/** An argument that is itself an address: `email`, `parsed.email`, `input.to`, `data.phoneNumber`. */
const RECIPIENT_VALUE = /(^|\.)(to|emails?|\w*Email|recipients?|phone\w*)$/i;

/**
 * A write payload of only columns no page shows (`{ paymentIntentId, clientSecret }`), besides the keys that place the
 * row (`storeId`).
 */
function onlyBookkeeping(payload: ts.Expression | undefined, isBookkeeping: (name: string) => boolean): boolean {
  const object = payload && unwrap(payload);
  if (!object || !ts.isObjectLiteralExpression(object) || object.properties.length === 0) return false;
  let bookkeeping = 0;
  for (const property of object.properties) {
    if (!(ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return false;
    const name = property.name.text;
    if (isBookkeeping(name)) bookkeeping++;
    else if (!/^(id|\w+Id|\w+_id)$/.test(name)) return false;
  }
  return bookkeeping > 0;
}
