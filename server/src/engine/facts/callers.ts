/**
 * How the client code that calls an action shows its result: a component that awaits `deletePost(id)` and then calls
 * `router.refresh()`, SWR's `mutate(key)`, React Query's `invalidateQueries()`, or puts the result into the state it
 * renders has refreshed what the action changed, even though the action itself revalidates nothing.
 */
import ts from 'typescript';
import { walk } from '../ast';
import { bindingsOf } from './bindings';

export interface CallerUse {
  /** The file that imports and uses the action. */
  file: string;
  /** How it refreshes after calling it (`router.refresh()`), when it does. */
  refresh: string | undefined;
  /** It only hands the action on as a prop (`<CreateStore createStore={createStore} />`): the component that receives it decides. */
  passedOn?: boolean;
  /** Where it hands the action on, when that component could be followed: its file and how it refreshes after the call. */
  via?: { file: string; refresh: string | undefined };
}

/** A component the action is handed to: the specifier its tag is imported from, and the name it receives it under. */
export interface PropHandOff {
  specifier: string;
  /** The tag's imported name (`default` for a default import). */
  exportName: string;
  /** The prop (`handleSubmit`) or, for `actions={{ save }}`, the key inside it (`save`); for a hook, its name. */
  name: string;
  /** A component's prop, or the argument of a project hook (`useSafeAction(save)`) that calls it. */
  kind: 'prop' | 'hook';
}

/** Refreshes every client data layer offers; `mutate` is SWR's only where the file uses SWR. */
const REFRESH = /\b(?:\w*[rR]outer)\.(?:refresh\(\)|push\(|replace\()|(?<![.\w])refresh\(\)|\b(?:invalidateQueries|refetchQueries|resetQueries|setQueryData|setQueriesData)\(|(?<![.\w])refetch\w*\(|\b(?:window\.)?location\.reload\(\)|\brevalidatePath\(|\brevalidateTag\(/;
const SWR_MUTATE = /(?<![.\w])mutate(?!Async)\w*\(|\.mutate\(\s*['"`[]/;
/** State that reports progress, not data: setting it shows nothing the action changed. */
const UI_STATE_SUFFIX = /(?:Open|Opened|Loading|Pending|Visible|Error|Errors|Submitting|Saving|Busy|Disabled|Dialog|Modal)$/;
const UI_STATE = /^set(?:Is)?(?:Loading|Pending|Open|Opened|Error|Errors|Submitting|Saving|Busy|Show\w*|Visible|Disabled|Deleting|Updating|Creating|Editing|Dialog\w*|Modal\w*|Step|Tab|Active\w*|Message|Toast\w*|Status|Copied|Hover\w*|Focus\w*)$/;

/**
 * The uses of an imported action in one importing file, each judged by the function it is called in (the component
 * or hook around it, outermost): whether that function refreshes. A file that only re-exports or passes the action on
 * (`<Form action={save} />` in a server component) refreshes nothing.
 */
export function callerUse(
  sourceFile: ts.SourceFile,
  file: string,
  target: (specifier: string) => boolean,
  exportName: string,
  follow?: (handOff: PropHandOff) => CallerUse['via'],
): CallerUse | undefined {
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
  const usesSwr = usesSwrIn(sourceFile);
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
  if (called.length === 0) {
    // Handed on to one component that can be followed: that component is the caller.
    const handOffs = follow ? references.map((reference) => handOff(reference, sourceFile)) : [];
    if (handOffs.length > 0 && handOffs.every((h) => h !== undefined)) {
      const followed = handOffs.map((h) => follow!(h!));
      if (followed.every((via) => via?.refresh !== undefined)) return { file, refresh: undefined, passedOn: true, via: followed[0] };
      const silent = followed.find((via) => via !== undefined && via.refresh === undefined);
      if (silent) return { file, refresh: undefined, passedOn: true, via: silent };
    }
    return { file, refresh: undefined, passedOn: true };
  }
  for (const reference of called) {
    // `action: typeof save` in a props type: the component that receives it calls it; the file is that component.
    const fn = inType(reference) ? sourceFile : outermostFunction(reference);
    const how = fn
      ? (refreshIn(fn, sourceFile, usesSwr) ?? setterAfter(reference, setters) ?? aliasSetter(reference, sourceFile, setters) ?? serverRender(reference, sourceFile))
      : undefined;
    const hooked = how ?? (follow ? hookRefresh(reference, sourceFile, follow) : undefined);
    if (!hooked) return { file, refresh: undefined };
    refresh ??= hooked;
  }
  return { file, refresh };
}

/** `useSafeAction(save)`: a project hook imported from another file that refreshes after it runs the action. */
function hookRefresh(reference: ts.Node, sourceFile: ts.SourceFile, follow: (handOff: PropHandOff) => CallerUse['via']): string | undefined {
  const call = reference.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(reference as ts.Expression) || !ts.isIdentifier(call.expression)) return undefined;
  const hook = call.expression.text;
  const imported = bindingsOf(sourceFile).imports.get(hook);
  if (!imported || imported.imported === '*') return undefined;
  const via = follow({ specifier: imported.specifier, exportName: imported.imported, name: imported.imported, kind: 'hook' });
  return via?.refresh ? `${hook}() → ${via.refresh}` : undefined;
}

/** How the component or hook a caller hands the action to refreshes after calling it. */
export function followedRefresh(sourceFile: ts.SourceFile, file: string, handOff: PropHandOff): CallerUse['via'] {
  if (handOff.kind === 'prop') return propCallerRefresh(sourceFile, file, handOff.name);
  // The hook's own definition: `export const useSafeAction = (action, options) => useAction(action, { onSuccess() { router.refresh(); } })`.
  const bindings = bindingsOf(sourceFile);
  const definition: ts.Node | undefined =
    handOff.exportName === 'default'
      ? sourceFile.statements.find((s) => ts.isFunctionDeclaration(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))
      : (bindings.functions.get(handOff.exportName) ?? bindings.variables.get(handOff.exportName));
  if (!definition) return undefined;
  const usesSwr = usesSwrIn(sourceFile);
  return { file, refresh: refreshIn(definition, sourceFile, usesSwr) };
}

function refreshIn(fn: ts.Node, sourceFile: ts.SourceFile, usesSwr: boolean): string | undefined {
  const text = fn.getText(sourceFile);
  const match = REFRESH.exec(text) ?? (usesSwr ? SWR_MUTATE.exec(text) : null);
  return match ? match[0].replace(/\($/, '()') : undefined;
}

/**
 * The state the component renders set in the handler that makes the call: `const votes = await upvote(id);
 * setVotes(votes)`, an optimistic `setVotes(v + 1)` before it, or a callback handed to the call (`useAction(save, {
 * onSuccess: (r) => setItems(r.items) })`). A setter elsewhere in the component (a form field's onChange) says nothing
 * about the call.
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
    // After the call, around it (`setVotes(await upvote(id))`), or before it in the same handler (an optimistic update).
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const name = node.expression.text;
      if (setters.has(name) && !UI_STATE.test(name) && !UI_STATE_SUFFIX.test(name)) found = `${name}()`;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/**
 * The action wrapped and called under another name: `const { executeAsync } = useAction(save)` or `const debounced =
 * useRef(debounce(async () => save())).current`, the state set where that name is called.
 */
function aliasSetter(reference: ts.Node, sourceFile: ts.SourceFile, setters: Set<string>): string | undefined {
  if (setters.size === 0) return undefined;
  let declaration: ts.VariableDeclaration | undefined;
  for (let current = reference.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isVariableDeclaration(current)) {
      declaration = current;
      break;
    }
    if (ts.isBlock(current) && !ts.isArrowFunction(current.parent) && !ts.isFunctionExpression(current.parent)) return undefined;
  }
  if (!declaration?.initializer || !(reference.pos >= declaration.initializer.pos && reference.end <= declaration.initializer.end)) return undefined;
  const names = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  collect(declaration.name);
  let found: string | undefined;
  walk(
    sourceFile,
    (node) => {
      if (found || !ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || !names.has(node.expression.text)) return;
      if (node.pos >= declaration!.pos && node.end <= declaration!.end) return;
      found = setterAfter(node.expression, setters);
    },
    true,
  );
  return found;
}

/**
 * Called while a Server Component renders (`export default async function Page() { await syncStatus(); … }`): what
 * the page shows is read after the write, in the same render.
 */
function serverRender(reference: ts.Node, sourceFile: ts.SourceFile): string | undefined {
  if (!/\.[jt]sx$/.test(sourceFile.fileName)) return undefined;
  const directive = sourceFile.statements[0];
  if (directive && ts.isExpressionStatement(directive) && ts.isStringLiteral(directive.expression) && /^use (client|server)$/.test(directive.expression.text)) return undefined;
  const fn = innermostFunction(reference);
  if (!fn || !ts.canHaveModifiers(fn) || !ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  const topLevel = ts.isFunctionDeclaration(fn) ? fn.parent === sourceFile : ts.isVariableDeclaration(fn.parent) && ts.isSourceFile(fn.parent.parent.parent.parent);
  return topLevel ? 'server render' : undefined;
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
  const attribute = propAttribute(reference);
  if (!attribute) return false;
  const element = attribute.attribute.parent.parent;
  const tag = ts.isJsxOpeningElement(element) || ts.isJsxSelfClosingElement(element) ? element.tagName.getText() : '';
  return !/^[a-z]/.test(tag);
}

/** The JSX attribute a reference is the value of: `action={save}`, or `actions={{ save }}` / `actions={{ update: save }}`. */
function propAttribute(reference: ts.Node): { attribute: ts.JsxAttribute; key: string | undefined } | undefined {
  let node = reference;
  let key: string | undefined;
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent) || (ts.isPropertyAssignment(parent) && parent.initializer === node)) {
    if (!ts.isObjectLiteralExpression(parent.parent)) return undefined;
    key = ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name) ? parent.name.text : undefined;
    if (!key) return undefined;
    node = parent.parent;
  }
  const expression = node.parent;
  if (!ts.isJsxExpression(expression) || expression.expression !== node || !ts.isJsxAttribute(expression.parent)) return undefined;
  return { attribute: expression.parent, key };
}

/** The imported component and prop a reference is handed to, when the tag is an import of this file. */
function handOff(reference: ts.Node, sourceFile: ts.SourceFile): PropHandOff | undefined {
  const found = propAttribute(reference);
  if (!found) return undefined;
  const element = found.attribute.parent.parent;
  if (!(ts.isJsxOpeningElement(element) || ts.isJsxSelfClosingElement(element)) || !ts.isIdentifier(element.tagName)) return undefined;
  const tag = element.tagName.text;
  const name = found.key ?? (ts.isIdentifier(found.attribute.name) ? found.attribute.name.text : undefined);
  if (!name) return undefined;
  const imported = bindingsOf(sourceFile).imports.get(tag);
  return imported && imported.imported !== '*' ? { specifier: imported.specifier, exportName: imported.imported, name, kind: 'prop' } : undefined;
}

/**
 * How a component that receives an action as a prop refreshes after calling it: `handleSubmit(data).then(() =>
 * router.refresh())`, `props.actions.save(…)`. Undefined refresh when it calls the prop and refreshes nothing;
 * undefined when it never calls it (it hands it on again, or the name is not found).
 */
export function propCallerRefresh(sourceFile: ts.SourceFile, file: string, name: string): CallerUse['via'] {
  const calls: ts.CallExpression[] = [];
  walk(
    sourceFile,
    (node) => {
      if (!ts.isCallExpression(node)) return;
      const callee = node.expression;
      const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (called === name) calls.push(node);
    },
    true,
  );
  if (calls.length === 0) return undefined;
  const usesSwr = usesSwrIn(sourceFile);
  const setters = stateSetters(sourceFile);
  let refresh: string | undefined;
  for (const call of calls) {
    const fn = outermostFunction(call);
    const how = fn ? (refreshIn(fn, sourceFile, usesSwr) ?? setterAfter(call.expression, setters)) : undefined;
    if (!how) return { file, refresh: undefined };
    refresh ??= how;
  }
  return { file, refresh };
}

function inType(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) if (ts.isTypeNode(current)) return true;
  return false;
}

/**
 * SWR's mutate, or a project helper around it (`import { mutatePrefix } from '@/lib/swr/mutate'`); React Query's
 * `mutate` from useMutation runs the mutation instead.
 */
function usesSwrIn(sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      (/(^|\/)swr(\/|$)/i.test(s.moduleSpecifier.text) ||
        (s.importClause?.namedBindings !== undefined && ts.isNamedImports(s.importClause.namedBindings) && s.importClause.namedBindings.elements.some((e) => /^mutate/.test(e.name.text)))),
  );
}
