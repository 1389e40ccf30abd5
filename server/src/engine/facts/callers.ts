/**
 * How the client code that calls an action shows its result: a component that awaits `deletePost(id)` and then calls
 * `router.refresh()`, SWR's `mutate(key)`, React Query's `invalidateQueries()`, or puts the result into the state it
 * renders has refreshed what the action changed, even though the action itself revalidates nothing.
 */
import ts from 'typescript';
import { walk } from '../ast';

export interface CallerUse {
  /** The file that imports and uses the action. */
  file: string;
  /** How it refreshes after calling it (`router.refresh()`), when it does. */
  refresh: string | undefined;
  /** It only hands the action on as a prop (`<CreateStore createStore={createStore} />`): the component that receives it decides. */
  passedOn?: boolean;
}

/** Refreshes every client data layer offers; `mutate` is SWR's only where the file uses SWR. */
const REFRESH = /\b(?:\w*[rR]outer)\.(?:refresh\(\)|push\(|replace\()|(?<![.\w])refresh\(\)|\b(?:invalidateQueries|refetchQueries|resetQueries|setQueryData|setQueriesData)\(|(?<![.\w])refetch\w*\(|\b(?:window\.)?location\.reload\(\)|\brevalidatePath\(|\brevalidateTag\(/;
const SWR_MUTATE = /(?<![.\w])mutate(?!Async)\w*\(|\.mutate\(\s*['"`[]/;
/** State that reports progress, not data: setting it shows nothing the action changed. */
const UI_STATE = /^set(?:Is)?(?:Loading|Pending|Open|Opened|Error|Errors|Submitting|Saving|Busy|Show\w*|Visible|Disabled|Deleting|Updating|Creating|Editing|Dialog\w*|Modal\w*|Step|Tab|Active\w*|Message|Toast\w*|Status|Copied|Hover\w*|Focus\w*)$/;

/**
 * The uses of an imported action in one importing file, each judged by the function it is called in (the component
 * or hook around it, outermost): whether that function refreshes. A file that only re-exports or passes the action on
 * (`<Form action={save} />` in a server component) refreshes nothing.
 */
export function callerUse(sourceFile: ts.SourceFile, file: string, target: (specifier: string) => boolean, exportName: string): CallerUse | undefined {
  const locals = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !target(statement.moduleSpecifier.text)) continue;
    // Type-only imports count: a client component typed `{ createStore: typeof createStore }` calls it from its props.
    const clause = statement.importClause;
    if (!clause) continue;
    if (clause.name && exportName === 'default') locals.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if ((element.propertyName ?? element.name).text === exportName) locals.add(element.name.text);
      }
    }
  }
  if (locals.size === 0 && namespaces.size === 0) return undefined;
  // SWR's mutate, or a project helper around it (`import { mutatePrefix } from '@/lib/swr/mutate'`); React Query's
  // `mutate` from useMutation runs the mutation instead.
  const usesSwr = sourceFile.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      (/(^|\/)swr(\/|$)/i.test(s.moduleSpecifier.text) ||
        (s.importClause?.namedBindings !== undefined && ts.isNamedImports(s.importClause.namedBindings) && s.importClause.namedBindings.elements.some((e) => /^mutate/.test(e.name.text)))),
  );
  const setters = stateSetters(sourceFile);
  const references: ts.Node[] = [];
  walk(
    sourceFile,
    (node) => {
      if (ts.isIdentifier(node) && locals.has(node.text) && !isDeclarationName(node) && !ts.isImportSpecifier(node.parent) && !ts.isImportClause(node.parent)) references.push(node);
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && namespaces.has(node.expression.text) && node.name.text === exportName) references.push(node);
    },
    true,
  );
  if (references.length === 0) return undefined;
  let refresh: string | undefined;
  const called = references.filter((reference) => !isPassedAsProp(reference));
  if (called.length === 0) return { file, refresh: undefined, passedOn: true };
  for (const reference of called) {
    // `action: typeof save` in a props type: the component that receives it calls it; the file is that component.
    const fn = inType(reference) ? sourceFile : outermostFunction(reference);
    const how = fn ? refreshIn(fn, sourceFile, usesSwr) ?? setterAfter(reference, setters) : undefined;
    if (!how) return { file, refresh: undefined };
    refresh ??= how;
  }
  return { file, refresh };
}

function refreshIn(fn: ts.Node, sourceFile: ts.SourceFile, usesSwr: boolean): string | undefined {
  const text = fn.getText(sourceFile);
  const match = REFRESH.exec(text) ?? (usesSwr ? SWR_MUTATE.exec(text) : null);
  return match ? match[0].replace(/\($/, '()') : undefined;
}

/**
 * The result put into rendered state right after the call: `const votes = await upvote(id); setVotes(votes)` in the
 * same handler, or in a callback handed to the call (`useAction(save, { onSuccess: (r) => setItems(r.items) })`).
 * A setter elsewhere in the component (a form field's onChange) says nothing about the call.
 */
function setterAfter(reference: ts.Node, setters: Set<string>): string | undefined {
  if (setters.size === 0) return undefined;
  const fn = innermostFunction(reference);
  if (!fn) return undefined;
  let call: ts.Node | undefined;
  for (let current = reference.parent; current && current !== fn; current = current.parent) if (ts.isCallExpression(current)) call = current;
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const nested = node !== fn && (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node));
    if (nested && !(call && node.pos >= call.pos && node.end <= call.end)) return;
    // After the call, or around it: `setVotes(await upvote(id))`.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && (node.pos >= reference.end || (node.pos <= reference.pos && reference.end <= node.end))) {
      const name = node.expression.text;
      if (setters.has(name) && !UI_STATE.test(name)) found = `${name}()`;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

function innermostFunction(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) return current;
  }
  return undefined;
}

/** `const [posts, setPosts] = useState(…)` (or useOptimistic): the setters of state the component renders. */
function stateSetters(sourceFile: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  walk(
    sourceFile,
    (node) => {
      if (!ts.isVariableDeclaration(node) || !ts.isArrayBindingPattern(node.name) || !node.initializer) return;
      const init = node.initializer;
      if (!ts.isCallExpression(init) || !/^(React\.)?(useState|useOptimistic|useReducer)$/.test(init.expression.getText(sourceFile))) return;
      const setter = node.name.elements[1];
      if (setter && ts.isBindingElement(setter) && ts.isIdentifier(setter.name)) out.add(setter.name.text);
    },
    true,
  );
  return out;
}

function outermostFunction(node: ts.Node): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) found = current;
  }
  return found;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isJsxAttribute(parent) && parent.name === node)
  );
}

/**
 * `<CreateStore createStore={save} />`, `<ActionButton action={save} />`: a prop of a component, which decides what
 * happens after the call. `<form action={save}>` and `<button formAction={save}>` submit it themselves.
 */
function isPassedAsProp(reference: ts.Node): boolean {
  const parent = reference.parent;
  if (!ts.isJsxExpression(parent) || parent.expression !== reference || !ts.isJsxAttribute(parent.parent)) return false;
  const element = parent.parent.parent.parent;
  const tag = ts.isJsxOpeningElement(element) || ts.isJsxSelfClosingElement(element) ? element.tagName.getText() : '';
  return !/^[a-z]/.test(tag);
}

function inType(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) if (ts.isTypeNode(current)) return true;
  return false;
}
