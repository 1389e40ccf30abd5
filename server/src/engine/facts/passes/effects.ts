/**
 * Effects pass: what the action does to the world (writes, reads, sends, spends), whether a session check dominates
 * each effect, the data accesses with their filters and payloads, and the revalidations and rate limits.
 */
import ts from 'typescript';
import { calleeMember, chainMembers, chainRoot, isInside, referencedNames, unwrap } from '../../ast';
import { EFFECT_TRAITS } from '../../knowledge';
import { isMutatingFetch } from '../calls';
import type { ActionContext } from '../context';
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
  const clientRecipient = (node: ts.Node): boolean => {
    if (!ts.isCallExpression(node)) return false;
    for (const arg of node.arguments) {
      const value = unwrap(arg);
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          const key = property.name?.getText(context.sourceFile) ?? '';
          const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
          if (initializer && RECIPIENT.test(key) && clientValued(initializer)) return true;
        }
      } else if (clientValued(value) && RECIPIENT.test(value.getText(context.sourceFile))) {
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
    for (const effect of effectsOf) {
      const entry = sideEffect(node, at, effect.kind, effect.label, effect.helper, guardFor(node), fn, takesClientInput(node));
      if (effect.kind === 'email' || effect.kind === 'sms') entry.clientRecipient = clientRecipient(node);
      if (entry.read && ts.isCallExpression(node)) entry.model = modelOf(node);
      if (effect.module) entry.module = effect.module;
      // A helper's write counts as a change the page shows when its name says it mutates: token refreshes, cache
      // evictions and analytics inside read-only helpers are not.
      if (entry.helper && !knowledge.isMutatingName(entry.helper)) entry.changesAppData = false;
      effects.push(entry);
    }
    const data = description.effects?.find((e) => !e.helper && (e.kind === 'db-write' || e.kind === 'db-read'));
    if (data && ts.isCallExpression(node)) {
      accesses.push({ ...dataAccessOf(node, data.kind === 'db-write', description.label), library: data.library, returned: data.kind === 'db-read' && flowsIntoReturn(node, fn) });
    }
    if (description.revalidate || description.exit) facts.revalidates.push({ node, ...at });
    if (description.rateLimit) facts.rateLimits.push({ node, ...at });
  }
  // A chained call (`db.update(t).set(v).where(w)`) is one access and one effect: keep the outermost call.
  facts.dataAccess = accesses.filter((a) => !accesses.some((b) => b !== a && isInside(a.node, b.node) && chainContains(b.node, a.node)));
  facts.sideEffects = effects.filter(
    (a) => !effects.some((b) => b !== a && b.kind === a.kind && isInside(a.node, b.node) && chainContains(b.node, a.node)),
  );
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
  };
}

const RECIPIENT = /^(to|email|emails|recipients?|phone|phoneNumber|number|cc|bcc)$|email|recipient|phone/i;

const TABLE_METHODS = /^(from|insert|update|delete|into|selectFrom|insertInto|updateTable|deleteFrom|collection|table)$/;

/** The table or model a data call names: `.from(orders)`, `.from('todos')`, `db.order.findMany`, `Order.find`. */
export function modelOf(node: ts.CallExpression): string | undefined {
  let current: ts.Expression = node;
  while (ts.isCallExpression(current)) {
    const callee = unwrap(current.expression);
    if (ts.isPropertyAccessExpression(callee) && TABLE_METHODS.test(callee.name.text) && current.arguments[0]) {
      const arg = unwrap(current.arguments[0]);
      if (ts.isStringLiteralLike(arg)) return arg.text;
      if (ts.isIdentifier(arg)) return arg.text;
      if (ts.isPropertyAccessExpression(arg)) return arg.name.text;
    }
    current = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : callee;
  }
  const members = chainMembers(unwrap(node.expression)).filter((m) => m !== 'query');
  if (members.length >= 2) return members[members.length - 2];
  const root = chainRoot(node.expression);
  return members.length === 1 && root && /^[A-Z]/.test(root.text) ? root.text : undefined;
}

function dataAccessOf(node: ts.CallExpression, write: boolean, label: string): Omit<DataAccess, 'library' | 'returned'> {
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
    if (!payload && member && /^(create|insertOne|insertMany)$/.test(member) && !first.properties.some((p) => p.name?.getText() === 'data')) payload = first;
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
  return { node, write, label, filters, payload, model: modelOf(node) };
}
