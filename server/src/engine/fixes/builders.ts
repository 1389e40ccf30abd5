/** Edit builders shared by fixes: plain text edits with both offsets and positions, matching the file's style. */
import ts from 'typescript';
import { indentationAt, lineEndOf, lineStartOf, newlineOf, quoteOf, usesSemicolons } from '../ast';
import { hostPathOf, spanOf } from '../span';
import type { TextEdit } from '../types';

export interface Style {
  eol: string;
  semi: string;
  quote: string;
}

export function styleOf(sourceFile: ts.SourceFile): Style {
  let style = styles.get(sourceFile);
  if (!style) {
    style = { eol: newlineOf(sourceFile.text), semi: usesSemicolons(sourceFile) ? ';' : '', quote: quoteOf(sourceFile) };
    styles.set(sourceFile, style);
  }
  return style;
}

/** Per parsed file: every fix asks, and scanning the whole file each time is quadratic in its number of actions. */
const styles = new WeakMap<ts.SourceFile, Style>();

/** A string literal for `value` in the file's quote style, escaped: text from file names never becomes code. */
export function stringLiteral(value: string, quote: string): string {
  const json = JSON.stringify(value);
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

export function replace(sourceFile: ts.SourceFile, start: number, end: number, newText: string): TextEdit {
  return { ...spanOf(sourceFile, hostPathOf(sourceFile), start, end), newText };
}

export function insert(sourceFile: ts.SourceFile, at: number, newText: string): TextEdit {
  return replace(sourceFile, at, at, newText);
}

export function replaceNode(sourceFile: ts.SourceFile, node: ts.Node, newText: string): TextEdit {
  return replace(sourceFile, node.getStart(sourceFile), node.getEnd(), newText);
}

/** Inserts whole lines before the line holding `node`, indented like it. */
export function insertLinesBefore(sourceFile: ts.SourceFile, node: ts.Node, lines: string[]): TextEdit {
  const text = sourceFile.text;
  const start = node.getStart(sourceFile);
  const indent = indentationAt(text, start);
  const eol = newlineOf(text);
  return insert(sourceFile, lineStartOf(text, start), lines.map((line) => (line ? indent + line : line) + eol).join(''));
}

/** Inserts whole lines after the statement `node` (after its line break), indented like it. */
export function insertLinesAfter(sourceFile: ts.SourceFile, node: ts.Node, lines: string[]): TextEdit {
  const text = sourceFile.text;
  const indent = indentationAt(text, node.getStart(sourceFile));
  const eol = newlineOf(text);
  const at = lineEndOf(text, node.getEnd());
  const needsBreak = at === text.length && !text.endsWith('\n');
  return insert(sourceFile, at, (needsBreak ? eol : '') + lines.map((line) => (line ? indent + line : line) + eol).join(''));
}

/** Where new imports go: after the directive prologue and existing imports. */
function importInsertionPoint(sourceFile: ts.SourceFile): { at: number; leading: string } {
  const statements = sourceFile.statements;
  let last: ts.Statement | undefined;
  for (const statement of statements) {
    if (ts.isImportDeclaration(statement) || (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression) && !last)) {
      last = statement;
    } else if (ts.isImportEqualsDeclaration(statement)) {
      last = statement;
    } else {
      break;
    }
  }
  const eol = newlineOf(sourceFile.text);
  if (!last) return { at: 0, leading: '' };
  const isDirective = ts.isExpressionStatement(last);
  const end = lineEndOf(sourceFile.text, last.getEnd());
  const atEof = end === sourceFile.text.length && !sourceFile.text.endsWith('\n');
  return { at: end, leading: (atEof ? eol : '') + (isDirective ? eol : '') };
}

/**
 * An edit that makes `name` importable from `from`: nothing if already imported, a new specifier in an existing
 * import of the module, or a new import line.
 */
export function ensureNamedImport(sourceFile: ts.SourceFile, name: string, from: string): TextEdit | undefined {
  const style = styleOf(sourceFile);
  const imports = importDeclarationsOf(sourceFile);
  for (const statement of imports) {
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    if (statement.moduleSpecifier.text !== from || !clause || clause.isTypeOnly) continue;
    const named = clause.namedBindings;
    if (named && ts.isNamedImports(named)) {
      if (named.elements.some((e) => e.name.text === name && !e.isTypeOnly)) return undefined;
      const last = named.elements[named.elements.length - 1];
      if (last) return insert(sourceFile, last.getEnd(), `, ${name}`);
      return replaceNode(sourceFile, named, `{ ${name} }`);
    }
  }
  // Some other import already binds the name: leave it (a second binding would not compile).
  for (const statement of imports) {
    if (statement.importClause) {
      const clause = statement.importClause;
      if (clause.name?.text === name) return undefined;
      const named = clause.namedBindings;
      if (named && ts.isNamedImports(named) && named.elements.some((e) => e.name.text === name)) return undefined;
      if (named && ts.isNamespaceImport(named) && named.name.text === name) return undefined;
    }
  }
  const { at, leading } = importInsertionPoint(sourceFile);
  return insert(sourceFile, at, `${leading}import { ${name} } from ${stringLiteral(from, style.quote)}${style.semi}${style.eol}`);
}

const importDeclarations = new WeakMap<ts.SourceFile, ts.ImportDeclaration[]>();

/** Per parsed file, like `styleOf`: a file with thousands of actions asks once per fix. */
function importDeclarationsOf(sourceFile: ts.SourceFile): ts.ImportDeclaration[] {
  let imports = importDeclarations.get(sourceFile);
  if (!imports) importDeclarations.set(sourceFile, (imports = sourceFile.statements.filter(ts.isImportDeclaration)));
  return imports;
}

/** `import 'server-only'` as the first import (after any prologue). */
export function serverOnlyImport(sourceFile: ts.SourceFile): TextEdit {
  const style = styleOf(sourceFile);
  let at = 0;
  let leading = '';
  for (const statement of sourceFile.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) {
      at = lineEndOf(sourceFile.text, statement.getEnd());
      leading = at === sourceFile.text.length && !sourceFile.text.endsWith('\n') ? style.eol : '';
    } else break;
  }
  return insert(sourceFile, at, `${leading}import ${style.quote}server-only${style.quote}${style.semi}${style.eol}${at === 0 ? style.eol : ''}`);
}

/**
 * A name not yet used in `scope`'s text: `base`, `base2`, … For a function-local name pass the function (a name used
 * only in another function does not clash); module-level names need the whole file.
 */
export function freshName(scope: ts.Node, base: string): string {
  if (ts.isSourceFile(scope) && /^\w+$/.test(base)) {
    // File-wide names come from one scan per file: a regex over the whole text per fix is quadratic.
    const words = wordsOf(scope);
    if (!words.has(base)) return base;
    for (let i = 2; ; i++) if (!words.has(`${base}${i}`)) return `${base}${i}`;
  }
  const text = ts.isSourceFile(scope) ? scope.text : scope.getText();
  if (!new RegExp(`\\b${base}\\b`).test(text)) return base;
  for (let i = 2; ; i++) if (!new RegExp(`\\b${base}${i}\\b`).test(text)) return `${base}${i}`;
}

const fileWords = new WeakMap<ts.SourceFile, Set<string>>();

/** Every maximal run of word characters: `\bname\b` matches the text exactly when the run `name` is in this set. */
function wordsOf(sourceFile: ts.SourceFile): Set<string> {
  let words = fileWords.get(sourceFile);
  if (!words) fileWords.set(sourceFile, (words = new Set(sourceFile.text.match(/\w+/g) ?? [])));
  return words;
}

export function isInsideJsx(node: ts.Node): boolean {
  let current: ts.Node | undefined = node.parent;
  while (current) {
    if (ts.isJsxElement(current) || ts.isJsxSelfClosingElement(current) || ts.isJsxExpression(current)) return true;
    if (ts.isSourceFile(current)) return false;
    current = current.parent;
  }
  return false;
}
