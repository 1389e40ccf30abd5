/** Small, pure helpers over the TypeScript AST shared by facts, rules and fixes. */
import ts from 'typescript';

/** Strips wrappers that do not change which value an expression denotes. */
export function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isAwaitExpression(current)
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** `a.b.c` / `a?.b` / `a['b']` as dotted text; calls in the chain appear as `name()`; undefined when not a name chain. */
export function dottedName(node: ts.Node): string | undefined {
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}.${node.argumentExpression.text}`;
  }
  if (ts.isCallExpression(node)) {
    const left = dottedName(node.expression);
    return left === undefined ? undefined : `${left}()`;
  }
  if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isNonNullExpression(node)) {
    return dottedName(node.expression);
  }
  return undefined;
}

/** The last name of a callee: `db.post.update` → `update`, `auth` → `auth`. */
export function calleeMember(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    return callee.argumentExpression.text;
  }
  return undefined;
}

/** The identifier a member/call chain starts from: `prisma.post.update(...)` → `prisma`. */
export function chainRoot(node: ts.Expression): ts.Identifier | undefined {
  let current: ts.Expression = node;
  for (;;) {
    current = unwrap(current);
    if (ts.isIdentifier(current)) return current;
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = current.expression;
    else if (ts.isCallExpression(current)) current = current.expression;
    else if (ts.isTaggedTemplateExpression(current)) current = current.tag;
    else return undefined;
  }
}

/** Every method name along a call chain: `db.insert(t).values(v)` → [`insert`, `values`]. */
export function chainMembers(node: ts.Expression): string[] {
  const names: string[] = [];
  let current: ts.Expression = node;
  for (;;) {
    current = unwrap(current);
    if (ts.isPropertyAccessExpression(current)) {
      names.unshift(current.name.text);
      current = current.expression;
    } else if (ts.isCallExpression(current)) {
      current = current.expression;
    } else if (ts.isElementAccessExpression(current)) {
      if (ts.isStringLiteralLike(current.argumentExpression)) names.unshift(current.argumentExpression.text);
      current = current.expression;
    } else {
      return names;
    }
  }
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node)
  );
}

export function isAsyncFunction(fn: ts.FunctionLikeDeclaration): boolean {
  return hasModifier(fn, ts.SyntaxKind.AsyncKeyword);
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) ? !!ts.getModifiers(node)?.some((m) => m.kind === kind) : false;
}

/** The leading string-literal statements of a block or file (its directive prologue). */
export function prologue(statements: readonly ts.Statement[]): ts.ExpressionStatement[] {
  const out: ts.ExpressionStatement[] = [];
  for (const statement of statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) out.push(statement);
    else break;
  }
  return out;
}

export function hasDirective(statements: readonly ts.Statement[], directive: string): boolean {
  return prologue(statements).some((s) => (s.expression as ts.StringLiteral).text === directive);
}

/** Calls `visit` on every descendant, not descending into nested functions unless `intoFunctions`. */
export function walk(node: ts.Node, visit: (node: ts.Node) => void, intoFunctions = false): void {
  const recurse = (child: ts.Node): void => {
    visit(child);
    if (!intoFunctions && isFunctionLike(child)) return;
    ts.forEachChild(child, recurse);
  };
  ts.forEachChild(node, recurse);
}

/** Identifiers referenced in an expression (not property names). */
export function referencedNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (ts.isIdentifier(child)) {
      const parent = child.parent;
      const isPropertyName =
        parent &&
        ((ts.isPropertyAccessExpression(parent) && parent.name === child) ||
          (ts.isPropertyAssignment(parent) && parent.name === child) ||
          (ts.isBindingElement(parent) && parent.propertyName === child));
      if (!isPropertyName) names.add(child.text);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  return undefined;
}

/** Names bound by a variable declaration's binding pattern (`const { a, b: c } = …` → a, c). */
export function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    out.push(...boundNames(element.name));
  }
  return out;
}

/** Property names destructured from an object binding (`{ userId, role: r }` → userId→userId, role→r). */
export function destructuredProperties(name: ts.BindingName): { property: string; local: string; node: ts.BindingElement }[] {
  if (!ts.isObjectBindingPattern(name)) return [];
  const out: { property: string; local: string; node: ts.BindingElement }[] = [];
  for (const element of name.elements) {
    const property = element.propertyName
      ? ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName)
        ? element.propertyName.text
        : undefined
      : ts.isIdentifier(element.name)
        ? element.name.text
        : undefined;
    if (property && ts.isIdentifier(element.name)) out.push({ property, local: element.name.text, node: element });
  }
  return out;
}

/** The nearest enclosing node satisfying `test`, stopping at `stop`. */
export function ancestor<T extends ts.Node>(
  node: ts.Node,
  test: (n: ts.Node) => n is T,
  stop?: ts.Node,
): T | undefined {
  let current = node.parent;
  while (current && current !== stop) {
    if (test(current)) return current;
    current = current.parent;
  }
  return undefined;
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** The statement directly inside `block` that contains `node`. */
export function statementIn(block: ts.Node, node: ts.Node): ts.Statement | undefined {
  let current: ts.Node | undefined = node;
  while (current && current.parent !== block) current = current.parent;
  return current as ts.Statement | undefined;
}

/** Indentation (spaces/tabs) of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = lineStartOf(text, offset);
  let end = lineStart;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return text.slice(lineStart, end);
}

export function lineStartOf(text: string, offset: number): number {
  const breaks = lineBreaksOf(text);
  const index = firstBreakAtOrAfter(breaks, offset);
  return index === 0 ? 0 : breaks[index - 1]! + 1;
}

/** The end of the line holding `offset`, past its line break. */
export function lineEndOf(text: string, offset: number): number {
  const breaks = lineBreaksOf(text);
  const index = firstBreakAtOrAfter(breaks, offset);
  return index === breaks.length ? text.length : breaks[index]! + 1;
}

/**
 * Offsets of every '\n' in the last text asked about. Fixes ask for line starts and ends once per edit; scanning
 * for the nearest line break each time is quadratic in a minified file whose thousands of actions share one line.
 */
let lineBreaks: { text: string; offsets: number[] } = { text: '', offsets: [] };

function lineBreaksOf(text: string): number[] {
  if (text !== lineBreaks.text) {
    const offsets: number[] = [];
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) offsets.push(at);
    lineBreaks = { text, offsets };
  }
  return lineBreaks.offsets;
}

function firstBreakAtOrAfter(breaks: readonly number[], offset: number): number {
  let low = 0;
  let high = breaks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (breaks[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The file's line break style, so inserted code matches it. */
export function newlineOf(text: string): string {
  // Fixes ask once per edit; for a file with thousands of actions a scan per call would be quadratic.
  if (text !== lastNewline.text) lastNewline = { text, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  return lastNewline.eol;
}

let lastNewline = { text: '', eol: '\n' };

/** The indentation unit used by the file (two spaces when it cannot tell). */
export function indentUnitOf(text: string): string {
  // Asked once per fix; without an indented line the search reads the whole file, so remember the last answer.
  if (text !== lastIndentUnit.text) lastIndentUnit = { text, unit: detectIndentUnit(text) };
  return lastIndentUnit.unit;
}

let lastIndentUnit = { text: '', unit: '  ' };

function detectIndentUnit(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  if (!match) return '  ';
  return match[1]!.startsWith('\t') ? '\t' : match[1]!.length >= 4 && match[1]!.length % 4 === 0 ? '    ' : '  ';
}

/** Whether the file uses semicolons at the end of statements (most do). */
export function usesSemicolons(sourceFile: ts.SourceFile): boolean {
  let withSemi = 0;
  let without = 0;
  for (const statement of sourceFile.statements.slice(0, 40)) {
    if (ts.isImportDeclaration(statement) || ts.isExpressionStatement(statement) || ts.isVariableStatement(statement)) {
      if (sourceFile.text[statement.end - 1] === ';') withSemi++;
      else without++;
    }
  }
  return withSemi >= without;
}

/** The quote style of the file's import specifiers (or of its directives, in a file without imports). */
export function quoteOf(sourceFile: ts.SourceFile): string {
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      return sourceFile.text[statement.moduleSpecifier.getStart(sourceFile)] === '"' ? '"' : "'";
    }
  }
  const directive = prologue(sourceFile.statements)[0];
  return directive && sourceFile.text[directive.getStart(sourceFile)] === '"' ? '"' : "'";
}

export interface ChainLink {
  callee: ts.Expression;
  member: string | undefined;
  args: readonly ts.Expression[];
  node: ts.CallExpression;
}

/** `a.b(x).c(y)` → links for `a.b(x)` and `.c(y)`, innermost first. */
export function callChain(expression: ts.Expression): ChainLink[] {
  const links: ChainLink[] = [];
  let current: ts.Expression = unwrap(expression);
  while (ts.isCallExpression(current)) {
    const callee = unwrap(current.expression);
    links.unshift({
      callee,
      member: ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined,
      args: current.arguments,
      node: current,
    });
    current = ts.isPropertyAccessExpression(callee) ? unwrap(callee.expression) : callee;
    if (!ts.isCallExpression(current)) {
      if (ts.isIdentifier(current) && links[0]!.callee !== current) {
        links.unshift({ callee: current, member: current.text, args: [], node: links[0]!.node });
      }
      break;
    }
  }
  return links;
}
