/**
 * Data accesses as the engine reads them: the filters that select rows, the payload written, the table or model —
 * for an action's own calls and for the helpers it calls alike.
 */
import ts from 'typescript';
import { calleeMember, chainMembers, chainRoot, unwrap } from '../ast';

/** A database read or write the action (or a helper) makes, as the engine reads it. */
export interface DataAccess {
  node: ts.CallExpression;
  write: boolean;
  label: string;
  /** The conditions, when recognisable: the `where` object (ORM), the id argument, each `.where()` / `.eq()` of a chain. */
  filters: ts.Expression[];
  /** The `data` / values payload of a write. */
  payload: ts.Expression | undefined;
  /** The table or model (`db.post.update` → `post`, `.from(orders)` → `orders`, `.from('todos')` → `todos`). */
  model: string | undefined;
  /** The library whose client made it (`supabase`), when known. */
  library: string | undefined;
  /** For reads: the rows flow into the action's result. */
  returned: boolean;
  /** A write whose payload sets only public counters (`{ rating }`, `{ views: … }`): a like button, not an owner's data. */
  counterOnly?: boolean;
}

const MODEL_QUERY = /^(find\w*|distinct|countDocuments|exists|aggregate|where|updateMany|updateOne|deleteMany|deleteOne)$/;

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
  const root = chainRoot(node.expression);
  // A Mongoose model and its query chain: `Order.find(c).sort(s).populate(p)` reads `Order`.
  if (root && /^[A-Z]/.test(root.text) && members.length >= 2 && MODEL_QUERY.test(members[0]!)) return root.text;
  if (members.length >= 2) return members[members.length - 2];
  return members.length === 1 && root && /^[A-Z]/.test(root.text) ? root.text : undefined;
}


export function dataAccessOf(node: ts.CallExpression, write: boolean, label: string): Omit<DataAccess, 'library' | 'returned'> {
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
    if (filters.length === 0 && member && /^(deleteOne|deleteMany|updateOne|updateMany|find|findOne|findOneAndUpdate|findOneAndDelete|replaceOne|countDocuments)$/.test(member)) filters.push(first);
    if (!payload && member && /^(create|insertOne|insertMany)$/.test(member) && !first.properties.some((p) => p.name?.getText() === 'data')) payload = first;
    // Mongoose / MongoDB: `Model.findOneAndUpdate(filter, update)`, `collection.updateOne(filter, update)`.
    if (!payload && write && member && /^(updateOne|updateMany|findOneAndUpdate|replaceOne)$/.test(member)) payload = node.arguments[1];
  } else if (!first && write && member === 'save') {
    // Mongoose: `const doc = new Thread({ author: userId }); await doc.save()` writes what the constructor was given.
    payload = constructedDocument(node);
  } else if (first && write && member && /^(create|insertOne|insertMany)$/.test(member) && node.arguments.length === 1 && ts.isIdentifier(unwrap(first))) {
    // `User.create(user)`, `collection.insertOne(doc)`: the object written is the argument.
    payload = first;
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
    // A Mongoose query chain's own condition: `Order.distinct('x').find(conditions).sort(…)`.
    if (current !== node && /^(find|findOne|countDocuments)$/.test(method) && current.arguments[0]) filters.push(current.arguments[0]);
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

/**
 * Whether a client value in the filter selects a record by its id (`{ id }`, `eq(posts.id, id)`, `findById(id)`),
 * as opposed to a natural key such as an e-mail or a slug used for sign-in and uniqueness checks.
 */
export function keyedByClientId(filter: ts.Expression, isClientValued: (node: ts.Node) => boolean, idKey: RegExp): boolean {
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
 * Relations a read pulls in with its rows: `include: { submission: true }`, `select: { orders: { … } }`, `with: {
 * invoices: true }` (Drizzle), at any depth.
 */
export function includedRelations(node: ts.CallExpression): string[] {
  const out: string[] = [];
  const visit = (value: ts.Expression, depth: number): void => {
    const object = unwrap(value);
    if (!ts.isObjectLiteralExpression(object) || depth > 6) return;
    for (const property of object.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key = property.name.getText();
      if (/^(include|select|with)$/.test(key)) {
        const inner = unwrap(property.initializer);
        if (!ts.isObjectLiteralExpression(inner)) continue;
        for (const relation of inner.properties) {
          if (!ts.isPropertyAssignment(relation)) continue;
          const included = unwrap(relation.initializer);
          if (included.kind === ts.SyntaxKind.TrueKeyword || ts.isObjectLiteralExpression(included)) out.push(relation.name.getText());
          visit(relation.initializer, depth + 1);
        }
      }
    }
  };
  for (const arg of node.arguments) visit(arg, 0);
  return out;
}

/** The object a document was constructed from, for `doc.save()` where `const doc = new Model({ … })` in an enclosing block. */
function constructedDocument(save: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrap(save.expression);
  const receiver = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : undefined;
  if (!receiver || !ts.isIdentifier(receiver)) return undefined;
  for (let container: ts.Node | undefined = save.parent; container; container = container.parent) {
    if (!ts.isBlock(container) && !ts.isSourceFile(container)) continue;
    for (const statement of container.statements) {
      if (!ts.isVariableStatement(statement) || statement.pos > save.pos) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== receiver.text || !declaration.initializer) continue;
        const init = unwrap(declaration.initializer);
        return ts.isNewExpression(init) && /^[A-Z]/.test(init.expression.getText()) && init.arguments?.[0] ? init.arguments[0] : undefined;
      }
    }
  }
  return undefined;
}

/** A payload object whose every key is a public counter. */
export function setsOnlyCounters(payload: ts.Expression | undefined, isCounter: (name: string) => boolean): boolean {
  const object = payload && unwrap(payload);
  if (!object || !ts.isObjectLiteralExpression(object) || object.properties.length === 0) return false;
  return object.properties.every(
    (p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && isCounter(p.name.text),
  );
}
