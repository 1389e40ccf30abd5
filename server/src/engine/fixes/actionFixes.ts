/** Fix builders for action-level rules. Each returns undefined when it cannot produce code that compiles. */
import ts from 'typescript';
import { ancestor, indentationAt, indentUnitOf, isFunctionLike, prologue, referencedNames, statementIn, unwrap, walk } from '../ast';
import type { ActionFacts, ClientInput, FileFacts, IdentityFromClient } from '../facts/model';
import type { Fix, TextEdit } from '../types';
import { ensureNamedImport, freshName, insert, insertLinesAfter, insertLinesBefore, replace, replaceNode, stringLiteral, styleOf } from './builders';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function topLevelStatement(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

function returnsValues(action: ActionFacts): boolean {
  let found = false;
  if (action.fn.body) {
    walk(action.fn.body, (node) => {
      if (ts.isReturnStatement(node) && node.expression) found = true;
    });
  }
  return found || !!action.fn.type && !/Promise<\s*void\s*>|^void$/.test(action.fn.type.getText());
}

function zodType(input: ClientInput, sourceFile: ts.SourceFile): string {
  const field = input.field ?? '';
  const call = input.node as ts.CallExpression;
  const method = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : 'get';
  if (method === 'getAll') return 'z.array(z.string())';
  let outer: ts.Node = call;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isNonNullExpression(outer.parent))) outer = outer.parent;
  const parent = outer.parent;
  const parentText = parent?.getText(sourceFile) ?? '';
  if (parent && ts.isAsExpression(parent) && /\b(File|Blob)\b/.test(parent.type.getText(sourceFile))) return 'z.instanceof(File)';
  if (parent && ts.isCallExpression(parent) && /^(Number|parseInt|parseFloat)$/.test(parent.expression.getText(sourceFile))) return 'z.coerce.number()';
  if (parent && ts.isBinaryExpression(parent) && /===?\s*['"]on['"]/.test(parentText)) return 'z.string().nullable()';
  if (parent && ts.isBinaryExpression(parent) && /^(\?\?|\|\|)$/.test(parent.operatorToken.getText(sourceFile))) return 'z.string().nullable()';
  if (/email/i.test(field)) return 'z.string().email()';
  return 'z.string()';
}

function accessor(base: string, field: string): string {
  return IDENTIFIER.test(field) ? `${base}.${field}` : `${base}[${JSON.stringify(field)}]`;
}

/** validate-input: declare a zod schema for the FormData fields read, safeParse them, exit early, use the data. */
export function wrapFormDataInZod(action: ActionFacts, file: FileFacts): Fix | undefined {
  const body = action.fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  const reads = action.inputs.filter((i) => i.source === 'form-data' && !i.validated && !i.whole && i.field !== undefined);
  if (reads.length === 0 || action.inputs.some((i) => i.source === 'form-data' && !i.validated && i.whole)) return undefined;
  const formData = reads[0]!.param;
  const sourceFile = file.sourceFile;
  const style = styleOf(sourceFile);
  const unit = indentUnitOf(file.text);
  const fields = new Map<string, ClientInput>();
  for (const read of reads) if (!fields.has(read.field!)) fields.set(read.field!, read);

  // Every unvalidated read of these fields, not only the first one per field.
  const allReads: ts.CallExpression[] = [];
  walk(
    body,
    (node) => {
      if (!ts.isCallExpression(node)) return;
      const callee = unwrap(node.expression);
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(unwrap(callee.expression)) &&
        (unwrap(callee.expression) as ts.Identifier).text === formData &&
        callee.name.text === 'get' &&
        node.arguments[0] &&
        ts.isStringLiteralLike(node.arguments[0]) &&
        fields.has(node.arguments[0].text)
      ) {
        allReads.push(node);
      }
    },
    true,
  );
  if (allReads.some((read) => action.schemaParses.some((p) => read.pos >= p.node.pos && read.end <= p.node.end))) return undefined;

  const schemaName = freshName(sourceFile, `${action.name === 'default' || !IDENTIFIER.test(action.name) ? 'input' : action.name}Schema`);
  const parsedName = freshName(action.fn, 'parsed');
  const edits: TextEdit[] = [];
  const declaration = topLevelStatement(action.declaration);
  edits.push(
    insertLinesBefore(sourceFile, declaration, [
      `const ${schemaName} = z.object({`,
      ...[...fields].map(([field, read]) => `${unit}${IDENTIFIER.test(field) ? field : JSON.stringify(field)}: ${zodType(read, sourceFile)},`),
      `})${style.semi}`,
      '',
    ]),
  );
  const first = allReads.reduce((a, b) => (a.getStart() < b.getStart() ? a : b));
  const anchor = statementIn(body, first);
  if (!anchor) return undefined;
  const exit = returnsValues(action)
    ? `return { error: ${style.quote}Invalid input${style.quote}, fieldErrors: ${parsedName}.error.flatten().fieldErrors }${style.semi}`
    : `throw new Error(${style.quote}Invalid form data${style.quote})${style.semi}`;
  edits.push(
    insertLinesBefore(sourceFile, anchor, [
      `const ${parsedName} = ${schemaName}.safeParse({`,
      ...[...fields.keys()].map((field) => `${unit}${IDENTIFIER.test(field) ? field : JSON.stringify(field)}: ${formData}.get(${stringLiteral(field, style.quote)}),`),
      `})${style.semi}`,
      `if (!${parsedName}.success) {`,
      `${unit}${exit}`,
      '}',
    ]),
  );
  for (const read of allReads) {
    const field = (read.arguments[0] as ts.StringLiteral).text;
    edits.push(replaceNode(sourceFile, read, accessor(`${parsedName}.data`, field)));
  }
  const zImport = ensureNamedImport(sourceFile, 'z', 'zod');
  if (zImport) edits.push(zImport);
  return { title: 'Wrap FormData reads in a zod schema', safe: false, edits };
}

/** How to get the signed-in user's id in this action, and the edits that establish it if needed. */
export function sessionAccess(
  action: ActionFacts,
  file: FileFacts,
  before: number,
  needsUserId = true,
): { expression: string; edits: TextEdit[] } | undefined {
  const guard = action.authGuards.find((g) => g.certainty === 'certain' && g.protectsFrom <= before && before >= g.scope.pos && before <= g.scope.end);
  if (guard && action.sessionUserId) return { expression: action.sessionUserId, edits: [] };
  if (guard) return narrowedUserId(action, file, guard);
  const body = action.fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  const idiom = fileIdiom(action, file, needsUserId) ?? libraryIdiom(action, file, needsUserId);
  if (!idiom || (needsUserId && !idiom.userId)) return undefined;
  const sourceFile = file.sourceFile;
  const style = styleOf(sourceFile);
  const unit = indentUnitOf(file.text);
  const skip = prologue(body.statements).length;
  const first = body.statements[skip];
  const edit = first
    ? insertLinesBefore(sourceFile, first, idiom.lines)
    : insert(sourceFile, body.getStart(sourceFile) + 1, `${style.eol}${idiom.lines.map((l) => unit + unit + l).join(style.eol)}${style.eol}`);
  const imports = idiom.imports.map((i) => ensureNamedImport(sourceFile, i.name, i.from)).filter((e): e is TextEdit => e !== undefined);
  return { expression: idiom.userId ?? '', edits: [edit, ...imports] };
}

/**
 * A session checked for presence only (`if (!session?.user) return …`), where the library types the id as optional
 * (Auth.js): the id, after a check of its own inserted right after the guard.
 */
function narrowedUserId(action: ActionFacts, file: FileFacts, guard: ActionFacts['authGuards'][number]): { expression: string; edits: TextEdit[] } | undefined {
  const name = guard.identityNames.length === 1 ? guard.identityNames[0] : undefined;
  if (!guard.shape || !name || guard.shape.userIdPath.length === 0 || guard.kind === 'client') return undefined;
  const statement = statementIn(guard.scope, guard.node) ?? ancestor(guard.node, (n): n is ts.Statement => ts.isVariableStatement(n));
  if (!statement || !ts.isVariableStatement(statement)) return undefined;
  const declaration = statement.declarationList.declarations[0];
  if (!declaration || !ts.isIdentifier(declaration.name) || declaration.name.text !== name) return undefined;
  const sourceFile = file.sourceFile;
  const style = styleOf(sourceFile);
  const unit = indentUnitOf(file.text);
  const expression = [name, ...guard.shape.userIdPath].join('.');
  // After the guard's own check (the statement that ends where it starts protecting).
  const checkEnd = guard.protectsFrom;
  const container = guard.scope;
  if (!ts.isBlock(container)) return undefined;
  const anchor = container.statements.find((s) => s.getEnd() === checkEnd) ?? statement;
  const lines = [`if (!${[name, ...guard.shape.userIdPath].join('?.')}) {`, `${unit}throw new Error(${style.quote}Unauthorized${style.quote})${style.semi}`, '}'];
  return { expression, edits: [insertLinesAfter(sourceFile, anchor, lines)] };
}

interface SessionIdiom {
  /** Statements that establish the session and exit without one, unindented. */
  lines: string[];
  /** The signed-in user's id after them. */
  userId: string | undefined;
  imports: { name: string; from: string }[];
}

/**
 * The file's own idiom: another action of the file that checks the session at the top of its body, copied as it is
 * written (its helper, its variable names, its early exit), when none of its names is taken in this action.
 */
function fileIdiom(action: ActionFacts, file: FileFacts, needsUserId: boolean): SessionIdiom | undefined {
  const sourceFile = file.sourceFile;
  for (const other of file.actions) {
    if (other === action || !other.sessionUserId || !other.fn.body || !ts.isBlock(other.fn.body)) continue;
    const body = other.fn.body;
    const guard = other.authGuards.find((g) => g.certainty === 'certain' && g.scope === body && ts.isCallExpression(g.node));
    if (!guard) continue;
    const statement = statementIn(body, guard.node);
    if (!statement || ts.isReturnStatement(statement)) continue;
    // A guard that only has to run here: call it, without binding what this action would not use.
    if (!needsUserId && guard.kind === 'guard') {
      const call = (guard.node as ts.CallExpression).getText(sourceFile);
      return { lines: [`await ${call}${styleOf(sourceFile).semi}`], userId: undefined, imports: [] };
    }
    const end = Math.max(guard.protectsFrom, statement.getEnd());
    const index = body.statements.indexOf(statement);
    const copied = body.statements.filter((s) => s.getStart(sourceFile) >= statement.getStart(sourceFile) && s.getEnd() <= end);
    // The declarations the guard's statements need (`const supabase = await createClient()` before `supabase.auth.getUser()`).
    const needed = new Set<string>();
    for (const s of copied) for (const name of referencedNames(s)) needed.add(name);
    const prefix: ts.Statement[] = [];
    for (let i = index - 1; i >= 0; i--) {
      const earlier = body.statements[i]!;
      if (!ts.isVariableStatement(earlier)) continue;
      const declares = new Set<string>();
      for (const d of earlier.declarationList.declarations) boundNamesOf(d.name, declares);
      if (![...declares].some((n) => needed.has(n))) continue;
      prefix.unshift(earlier);
      for (const name of referencedNames(earlier)) needed.add(name);
    }
    const statements = [...prefix, ...copied];
    const declared = new Set<string>();
    for (const s of statements) if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) boundNamesOf(d.name, declared);
    if (!other.sessionUserId.split('.').every((part, i) => i > 0 || declared.has(part) || part === 'ctx')) continue;
    if ([...declared].some((name) => freshName(action.fn, name) !== name)) continue;
    const lines: string[] = [];
    for (const s of statements) {
      const start = s.getStart(sourceFile);
      const indent = indentationAt(sourceFile.text, start);
      const text = sourceFile.text.slice(start, s.getEnd());
      lines.push(...text.split(/\r?\n/).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())));
    }
    return { lines, userId: other.sessionUserId, imports: [] };
  }
  return undefined;
}

/** The auth helper's or library's shape: `const { userId } = await auth(); if (!userId) throw …` for Clerk. */
function libraryIdiom(action: ActionFacts, file: FileFacts, needsUserId: boolean): SessionIdiom | undefined {
  const sourceFile = file.sourceFile;
  const style = styleOf(sourceFile);
  const unit = indentUnitOf(file.text);
  const source = file.authImports.find((a) => a.kind === 'getter' && a.shape) ?? file.authImports.find((a) => a.kind === 'guard');
  if (!source) return undefined;
  const imports = [...(source.from ? [{ name: source.name, from: source.from }] : []), ...(source.fixCall?.imports ?? [])];
  const exit = `${unit}throw new Error(${style.quote}Unauthorized${style.quote})${style.semi}`;
  if (source.kind === 'guard') {
    // A guard that only has to run: binding its result would leave an unused variable.
    if (!needsUserId) return { lines: [`await ${source.name}()${style.semi}`], userId: undefined, imports };
    if (!source.shape) return undefined;
    const binding = bindingFor(action, source.shape.fixBinding);
    if (!binding) return undefined;
    return { lines: [`const ${binding.text} = await ${source.name}()${style.semi}`], userId: binding.expression(source.shape.userIdPath), imports };
  }
  const shape = source.shape!;
  const lines: string[] = [];
  let call = source.fixCall && !source.clientMember ? source.fixCall.text : `${source.name}()`;
  if (source.clientMember) {
    const client = freshName(action.fn, 'supabase');
    lines.push(`const ${client} = await ${source.name}()${style.semi}`);
    call = `${client}.${source.clientMember}`;
  }
  const binding = bindingFor(action, shape.fixBinding);
  if (!binding) return undefined;
  lines.push(`const ${binding.text} = await ${call}${style.semi}`, `if (!${binding.presence(shape.presencePath)}) {`, exit, '}');
  return { lines, userId: shape.userIdPath.length > 0 ? binding.expression(shape.userIdPath) : undefined, imports };
}

/**
 * The binding a fix declares (`session`, `{ userId }`, `{ data: { user } }`), renamed when a simple name is taken;
 * undefined when a destructured name is taken. `expression(path)` reads a path of the bound value through it.
 */
function bindingFor(action: ActionFacts, pattern: string): { text: string; expression(path: readonly string[]): string; presence(path: readonly string[]): string } | undefined {
  if (/^[A-Za-z_$][\w$]*$/.test(pattern)) {
    const name = freshName(action.fn, pattern);
    return { text: name, expression: (path) => [name, ...path].join('.'), presence: (path) => [name, ...path].join('?.') };
  }
  const parsed = ts.createSourceFile('binding.ts', `const ${pattern} = value;`, ts.ScriptTarget.Latest, true);
  const statement = parsed.statements[0];
  if (!statement || !ts.isVariableStatement(statement)) return undefined;
  const name = statement.declarationList.declarations[0]!.name;
  const declared = new Set<string>();
  boundNamesOf(name, declared);
  if ([...declared].some((n) => freshName(action.fn, n) !== n)) return undefined;
  const resolve = (path: readonly string[], join: string): string => {
    let current: ts.BindingName = name;
    let index = 0;
    while (!ts.isIdentifier(current) && index < path.length) {
      const elements: readonly ts.ArrayBindingElement[] = current.elements;
      const element = elements.filter(ts.isBindingElement).find((e) => (e.propertyName ?? e.name).getText(parsed) === path[index]);
      if (!element) return path.join(join);
      current = element.name;
      index++;
    }
    return [(current as ts.Identifier).text, ...path.slice(index)].join(join);
  };
  return { text: pattern, expression: (path) => resolve(path, '.'), presence: (path) => resolve(path, '?.') };
}

function boundNamesOf(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (ts.isBindingElement(element)) boundNamesOf(element.name, into);
}

/** server-identity: use the session's user id instead of the client-supplied one. */
export function replaceWithSession(action: ActionFacts, file: FileFacts, identity: IdentityFromClient): Fix | undefined {
  const target = identity.replaceable;
  if (!isUserField(identity.field)) return undefined;
  if (!target) return replaceParameterWithSession(action, file, identity);
  if (ancestor(target, isFunctionLike, action.fn)) return undefined;
  const session = sessionAccess(action, file, target.getStart(file.sourceFile));
  if (!session) return undefined;
  const edits = [...session.edits, replaceNode(file.sourceFile, target, session.expression)];
  return { title: `Replace client ${identity.field} with the session`, safe: false, edits };
}

/**
 * A parameter such as a bound `userId`: every use in the body becomes the session's id. The parameter stays, so
 * callers (`action.bind(null, userId)`) still compile; its value is simply no longer trusted.
 */
function replaceParameterWithSession(action: ActionFacts, file: FileFacts, identity: IdentityFromClient): Fix | undefined {
  const body = action.fn.body;
  const param = action.params.find((p) => p.name === identity.field && ts.isIdentifier(p.node.name));
  if (!body || !ts.isBlock(body) || !param || identity.input?.source !== 'argument') return undefined;
  const uses: ts.Identifier[] = [];
  let shadowed = false;
  walk(
    body,
    (node) => {
      if (ts.isIdentifier(node) && node.text === param.name) {
        const parent = node.parent;
        if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) shadowed = true;
        else if (!(ts.isPropertyAccessExpression(parent) && parent.name === node) && !(ts.isPropertyAssignment(parent) && parent.name === node)) uses.push(node);
      }
    },
    true,
  );
  if (shadowed || uses.length === 0) return undefined;
  const first = uses.reduce((a, b) => (a.getStart() < b.getStart() ? a : b));
  const session = sessionAccess(action, file, first.getStart(file.sourceFile));
  if (!session) return undefined;
  // Inside a callback (`db.transaction(async (tx) => …)`) a narrowed `const` stays narrowed; a `let` does not.
  if (uses.some((use) => ancestor(use, isFunctionLike, action.fn)) && declaredWithLet(body, session.expression.split('.')[0]!)) return undefined;
  // Renamed so `noUnusedParameters` accepts the now unused parameter.
  const edits = [...session.edits, replaceNode(file.sourceFile, param.node.name, `_${param.name}`)];
  for (const use of uses) {
    const parent = use.parent;
    edits.push(ts.isShorthandPropertyAssignment(parent) ? replaceNode(file.sourceFile, parent, `${param.name}: ${session.expression}`) : replaceNode(file.sourceFile, use, session.expression));
  }
  return { title: `Replace client ${identity.field} with the session`, safe: false, edits };
}

function declaredWithLet(body: ts.Block, name: string): boolean {
  let found = false;
  walk(body, (node) => {
    if (ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.Const) && node.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) found = true;
  });
  return found;
}

function isUserField(field: string): boolean {
  return /^(user|owner|author|creator|created_?by|updated_?by|account|member)_?(id)?$/i.test(field) || /^(userId|ownerId|authorId|creatorId|createdBy|updatedBy)$/.test(field);
}

/** require-auth: establish the session at the top of the action. */
export function addAuthGuard(action: ActionFacts, file: FileFacts): Fix | undefined {
  const body = action.fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  const session = sessionAccess(action, file, body.getStart(file.sourceFile), false);
  if (!session || session.edits.length === 0) return undefined;
  return { title: 'Add an auth check at the start of the action', safe: false, edits: session.edits };
}

/** safe-errors: return a generic message and log the real error on the server. */
export function maskReturnedError(action: ActionFacts, file: FileFacts, leak: ActionFacts['errorLeaks'][number]): Fix | undefined {
  const sourceFile = file.sourceFile;
  const style = styleOf(sourceFile);
  const statement = ancestor(leak.node, ts.isReturnStatement, action.fn);
  if (!statement) return undefined;
  const generic = `${style.quote}Something went wrong. Please try again.${style.quote}`;
  // `Failed: ${error}`: the whole message goes, not only the interpolated error.
  const target = leak.node.parent && ts.isTemplateSpan(leak.node.parent) ? leak.node.parent.parent : leak.node;
  const block = statement.parent;
  const logged = ts.isBlock(block) && new RegExp(`console\\.(error|warn|log)\\([^)]*\\b${leak.catchVariable}\\b`).test(block.getText(sourceFile));
  const log = `console.error(${style.quote}${`${action.name} failed`.replace(/['"\\]/g, '')}${style.quote}, ${leak.catchVariable})${style.semi}`;
  const title = 'Return a generic error message and log the error on the server';
  // Replacing a string (`e.message`) with a string keeps the return type; replacing the error object may not.
  const safe = /\.message$/.test(leak.what);
  if (!ts.isBlock(block)) {
    // `if (error) return { error: error.message };`: a log before the `if` would run on success too, so the
    // return becomes a block that logs and returns.
    const text = sourceFile.text;
    const start = statement.getStart(sourceFile);
    const masked = text.slice(start, target.getStart(sourceFile)) + generic + text.slice(target.getEnd(), statement.getEnd());
    const indent = indentationAt(text, start);
    const unit = indentUnitOf(text);
    const blockText = ['{', `${indent}${unit}${log}`, `${indent}${unit}${masked}`, `${indent}}`].join(style.eol);
    return { title, safe, edits: [replace(sourceFile, start, statement.getEnd(), blockText)] };
  }
  const edits: TextEdit[] = [replaceNode(sourceFile, target, generic)];
  if (!logged) edits.push(insertLinesBefore(sourceFile, statement, [log]));
  return { title, safe, edits };
}

/** revalidate-after-write: refresh the route after the last write. */
export function addRevalidate(action: ActionFacts, file: FileFacts, lastWrite: ts.Node): Fix | undefined {
  const body = action.fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  const container = ancestor(lastWrite, (n): n is ts.Block => ts.isBlock(n), action.fn.parent) ?? body;
  if (ancestor(container, isFunctionLike, action.fn)) return undefined;
  const statement = statementIn(container, lastWrite);
  if (!statement) return undefined;
  const sourceFile = file.sourceFile;
  const style = styleOf(sourceFile);
  const route = file.route;
  const dynamic = route !== undefined && /\[/.test(route);
  const call = route === undefined
    ? `revalidatePath(${style.quote}/${style.quote}, ${style.quote}layout${style.quote})`
    : `revalidatePath(${stringLiteral(route, style.quote)}${dynamic ? `, ${stringLiteral('page', style.quote)}` : ''})`;
  // A write inside a `return` statement cannot be followed by a statement without restructuring the code.
  if (ts.isReturnStatement(statement)) return undefined;
  const edits: TextEdit[] = [insertLinesAfter(sourceFile, statement, [`${call}${style.semi}`])];
  const importEdit = ensureNamedImport(sourceFile, 'revalidatePath', 'next/cache');
  if (importEdit) edits.push(importEdit);
  return {
    // The title shows the call as inserted (a dynamic segment revalidates its page pattern).
    title: `Add ${call.replace(/"/g, "'")} after the last write`,
    safe: route !== undefined,
    edits,
  };
}
