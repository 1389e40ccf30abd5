/**
 * The facts of one file: its directive, its actions (each extracted by the passes of extract.ts), the privileged
 * modules it imports, the auth helpers a fix could call, hidden identity inputs of its forms.
 */
import * as path from 'node:path';
import ts from 'typescript';
import type { GuardSettings } from '../../../../shared/settings';
import { findActions, type EndpointExports } from '../actions';
import { matchesPathGlob } from '../globs';
import { knowledgeFor, type Knowledge } from '../knowledge';
import { AnalysisCancelled, type AnalysisProblem, type CancellationToken, type FileAnalysis } from '../types';
import { bindingsOf } from './bindings';
import type { CallerUse } from './callers';
import { authSourceOf, type FunctionSummary, type Resolver, type Scope } from './calls';
import { extractActionFacts } from './extract';
import type { ActionFacts, AuthImport, Exposure, FileFacts, ModuleInfo } from './model';
import { isErasedImport, privilegedMaterial } from './modules';

export interface FileFactsInput {
  file: string;
  root: string;
  sourceFile: ts.SourceFile;
  settings: GuardSettings;
  resolver: Resolver;
  localSummaries: Map<ts.Node, FunctionSummary | 'pending'>;
  moduleInfo(from: string, specifier: string): ModuleInfo | undefined;
  /** The project's own auth helper, for fixes in files that import none. */
  discoverAuthHelper?(file: string): AuthImport | undefined;
  /** Whether the project the file belongs to has a sign-in at all (unknown: assume it has). */
  hasAuthentication?(file: string): boolean;
  /** The project files that import `exportName` from `file` and call it, and whether they refresh afterwards. */
  callersOf?(file: string, exportName: string): CallerUse[];
  /**
   * Analyses the exports `names` of the module `specifier` resolves to from `from` as endpoints, because this
   * `'use server'` file re-exports them; undefined when the module is not the project's or is a `'use server'` file
   * (analysed on its own).
   */
  analyzeEndpoints?(from: string, specifier: string, names: EndpointExports): FileAnalysis | undefined;
  /** Set when this file is analysed for its re-exported endpoints only (see `analyzeEndpoints`). */
  endpoints?: EndpointExports;
  token?: CancellationToken;
}

export function extractFileFacts(input: FileFactsInput, relativePath: string, problems: AnalysisProblem[]): FileFacts {
  const { file, settings, sourceFile } = input;
  // Project.analyzeFile has already skipped files that fail mayHoldFindings, before parsing them.
  const text = sourceFile.text;
  const knowledge = knowledgeFor(settings);
  const found = findActions(sourceFile, knowledge, input.endpoints);
  const bindings = bindingsOf(sourceFile);
  const scope: Scope = { file, sourceFile, bindings, resolver: input.resolver, localSummaries: input.localSummaries, depth: 0 };
  const checkCancelled = (): void => {
    if (input.token?.isCancellationRequested) throw new AnalysisCancelled();
  };

  const facts: FileFacts = {
    path: file,
    relativePath,
    text,
    sourceFile,
    settings,
    knowledge,
    directive: found.directive,
    misplacedDirectives: found.misplaced,
    actions: [],
    nonAsyncExports: found.nonAsyncExports,
    opaqueExports: found.opaqueExports,
    reexports: found.reexports,
    clientInlineActions: found.clientInlineActions,
    hasServerOnlyImport: bindings.sideEffectImports.includes('server-only'),
    privileged: [],
    privilegedImports: [],
    hiddenIdentityInputs: [],
    authImports: [],
    route: inferRoute(relativePath),
    projectHasAuth: true,
    dependencies: new Set(),
  };

  if (found.actions.length > 0) {
    facts.projectHasAuth = input.hasAuthentication?.(file) ?? true;
    facts.authImports = authImportsOf(scope);
    if (facts.authImports.length === 0) {
      const discovered = input.discoverAuthHelper?.(file);
      if (discovered) facts.authImports.push(discovered);
    }
  }

  for (const action of found.actions) {
    checkCancelled();
    try {
      const actionFacts = extractActionFacts(action, scope, publicReason(action.jsDoc, action.name, relativePath, settings, sourceFile), facts.projectHasAuth);
      actionFacts.sessionRequiredBy = sessionPolicy(actionFacts, relativePath, settings);
      facts.actions.push(actionFacts);
    } catch (error) {
      if (error instanceof AnalysisCancelled) throw error;
      problems.push({ file, message: `could not analyse action ${action.name}: ${errorText(error)}` });
    }
  }

  // An action that changes data and revalidates nothing after it may still be refreshed by the code that calls it.
  for (const action of facts.actions) {
    if (action.kind === 'inline-directive' || !input.callersOf) continue;
    const writes = action.sideEffects.filter((e) => e.changesAppData);
    if (writes.length === 0) continue;
    const last = Math.max(...writes.map((e) => e.start));
    if (action.revalidates.some((marker) => marker.start > last)) continue;
    checkCancelled();
    action.callers = input.callersOf(file, action.name);
  }

  const needsModuleFacts = found.directive !== undefined || facts.actions.length > 0;
  if (needsModuleFacts) {
    facts.privileged = privilegedMaterial(sourceFile, knowledge);
    for (const statement of sourceFile.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly) continue;
      const info = input.moduleInfo(file, statement.moduleSpecifier.text);
      if (!info) continue;
      facts.dependencies.add(info.path);
      if (isErasedImport(statement, sourceFile)) continue;
      // A client file bundles what it imports: SDKs and drivers matter there, secret env reads do not (they are
      // undefined in the browser). A marked module there breaks the build.
      const client = found.directive === 'use client';
      const exposed = exposedPrivilege(info, input, client ? 'bundled' : 'any');
      if (exposed || (info.hasServerOnly && (info.privileged || client))) {
        facts.privilegedImports.push({
          node: statement,
          specifier: statement.moduleSpecifier.text,
          names: localNames(statement),
          resolvedPath: exposed?.holder.path ?? info.path,
          module: exposed?.holder.sourceFile ?? info.sourceFile,
          reason: exposed?.reason ?? info.privileged ?? 'is server-only',
          holder: exposed && exposed.holder.path !== info.path ? exposed.holder.path : undefined,
          holderNode: exposed?.node,
          hasServerOnly: info.hasServerOnly,
        });
      }
    }
  }
  if (/<form/.test(text) && /\.[jt]sx$/i.test(file)) facts.hiddenIdentityInputs = hiddenIdentityInputs(sourceFile, knowledge);

  return facts;
}

/** What was thrown, for a problem message: code may throw anything, not only Errors. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `@public` JSDoc tag on the action, or a `publicActions` glob (`app/(marketing)/**` or `path#action`). */
function publicReason(node: ts.Node, name: string, relativePath: string, settings: GuardSettings, sourceFile: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? [];
  for (const range of ranges) {
    if (/@public\b/.test(sourceFile.text.slice(range.pos, range.end))) return '@public tag';
  }
  const pattern = matchingActionPattern(settings.publicActions, relativePath, name);
  return pattern !== undefined ? `publicActions "${pattern}"` : undefined;
}

/** The first `glob` or `glob#action` setting pattern that names this action of the file at `relativePath`. */
function matchingActionPattern(patterns: readonly string[], relativePath: string, name: string): string | undefined {
  return patterns.find((pattern) => {
    const [glob, actionName] = pattern.split('#');
    return (!actionName || actionName === name) && !!glob && matchesPathGlob(relativePath, glob);
  });
}

/** Public kinds that cannot have a session by nature: signing in, following an emailed link or token. */
const SESSIONLESS_KINDS: ReadonlySet<string> = new Set(['marked', 'auth-flow', 'oauth', 'link', 'token']);

/** Why the action must check the session whatever it does (the strict policy), if it must. */
function sessionPolicy(action: ActionFacts, relativePath: string, settings: GuardSettings): string | undefined {
  if (action.publicReason || (action.publicKind && SESSIONLESS_KINDS.has(action.publicKind))) return undefined;
  if (settings.authPolicy === 'every-action') return 'authPolicy "every-action"';
  const pattern = matchingActionPattern(settings.protectedActions, relativePath, action.name);
  return pattern !== undefined ? `protectedActions "${pattern}"` : undefined;
}

/** The route a file under `app/` belongs to: route groups, parallel slots and private folders do not count. */
export function inferRoute(relativePath: string): string | undefined {
  const parts = relativePath.split('/');
  const appIndex = parts.indexOf('app');
  if (appIndex === -1) return undefined;
  const segments = parts.slice(appIndex + 1, -1).filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  if (segments.some((segment) => segment.startsWith('_'))) return undefined;
  return `/${segments.join('/')}`;
}

/**
 * The first privileged module without `import 'server-only'` that a module reaches through its value imports, at any
 * depth (a marked module on the way does not protect an unmarked one below it from other importers). `bundled` asks
 * what a browser bundle would carry: SDKs and drivers, not secret env reads. Memoised on the module: every action
 * file importing a shared helper asks the same question.
 */
function exposedPrivilege(info: ModuleInfo, input: FileFactsInput, mode: 'any' | 'bundled'): Exposure | undefined {
  return exposureWalk(info, input, mode, new Set()).found;
}

/**
 * The walk behind exposedPrivilege. `complete` is false when the answer depended on a module still being walked (an
 * import cycle) or on the depth bound: such a negative answer is not remembered, a complete one is (every importer of
 * a module that reaches nothing privileged asks again otherwise).
 */
function exposureWalk(info: ModuleInfo, input: FileFactsInput, mode: 'any' | 'bundled', visiting: Set<string>): { found: Exposure | undefined; complete: boolean } {
  const memo = mode === 'any' ? info.exposure : info.bundledExposure;
  if (memo !== undefined) return { found: memo ?? undefined, complete: true };
  if (info.directive === 'use server') return { found: undefined, complete: true };
  if (visiting.has(info.path) || visiting.size > 60) return { found: undefined, complete: false };
  const own = mode === 'any' ? (info.privileged ? { reason: info.privileged, node: info.privilegedNode } : undefined) : info.bundledPrivilege;
  if (own && !info.hasServerOnly) return { found: remember(info, mode, { reason: own.reason, holder: info, node: own.node }), complete: true };
  visiting.add(info.path);
  let found: Exposure | undefined;
  let complete = true;
  for (const statement of info.sourceFile.statements) {
    // `export * from './client'` (a package's index) loads the module it re-exports, like an import.
    const reExport = ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier);
    const valueImport = ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && !isErasedImport(statement, info.sourceFile);
    if (!reExport && !valueImport) continue;
    const inner = input.moduleInfo(info.path, (statement.moduleSpecifier as ts.StringLiteral).text);
    if (!inner) continue;
    const result = exposureWalk(inner, input, mode, visiting);
    if (!result.complete) complete = false;
    found = result.found;
    if (found) break;
  }
  visiting.delete(info.path);
  if (found || complete || visiting.size === 0) remember(info, mode, found);
  return { found, complete: found !== undefined || complete };
}

function remember(info: ModuleInfo, mode: 'any' | 'bundled', exposure: Exposure | undefined): Exposure | undefined {
  if (mode === 'any') info.exposure = exposure ?? null;
  else info.bundledExposure = exposure ?? null;
  return exposure;
}

function hiddenIdentityInputs(sourceFile: ts.SourceFile, knowledge: Knowledge): { node: ts.Node; field: string }[] {
  const out: { node: ts.Node; field: string }[] = [];
  const visit = (node: ts.Node, inActionForm: boolean): void => {
    let inside = inActionForm;
    if (ts.isJsxElement(node) && node.openingElement.tagName.getText(sourceFile) === 'form') {
      inside = hasActionAttribute(node.openingElement.attributes);
    }
    if (inside && (ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) && node.tagName.getText(sourceFile) === 'input') {
      const attributes = attributesOf(node.attributes);
      const type = attributes.get('type');
      const name = attributes.get('name');
      if (type === 'hidden' && name && knowledge.isIdentityField(name)) out.push({ node, field: name });
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(sourceFile, false);
  return out;
}

function hasActionAttribute(attributes: ts.JsxAttributes): boolean {
  return attributes.properties.some(
    (p) => ts.isJsxAttribute(p) && p.name.getText() === 'action' && p.initializer !== undefined && ts.isJsxExpression(p.initializer),
  );
}

function attributesOf(attributes: ts.JsxAttributes): Map<string, string> {
  const out = new Map<string, string>();
  for (const property of attributes.properties) {
    if (!ts.isJsxAttribute(property) || !property.initializer) continue;
    const name = property.name.getText();
    if (ts.isStringLiteral(property.initializer)) out.set(name, property.initializer.text);
    else if (ts.isJsxExpression(property.initializer) && property.initializer.expression && ts.isStringLiteralLike(property.initializer.expression)) {
      out.set(name, property.initializer.expression.text);
    }
  }
  return out;
}

/** Imported functions that establish identity (`auth`, `getSession`, `requireUser`), as a fix can call them. */
function authImportsOf(scope: Scope): FileFacts['authImports'] {
  const out: FileFacts['authImports'] = [];
  for (const [name] of scope.bindings.imports) {
    const source = authSourceOf(name, scope);
    if (source) out.push(source);
  }
  return out;
}

/** The local names an import binds, as the action's code refers to them. */
function localNames(statement: ts.ImportDeclaration): string[] {
  const clause = statement.importClause;
  if (!clause) return [];
  const names: string[] = [];
  if (clause.name) names.push(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name.text));
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
  return names;
}
