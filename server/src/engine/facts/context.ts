/**
 * The per-action context every fact pass reads: the action's calls with what they do (described once), its
 * parameters, the names that hold client values, and what its action client or wrapper establishes. Built once per
 * action; the passes (passes/*.ts) fill the action's facts from it.
 */
import ts from 'typescript';
import { boundNames, destructuredProperties, isFunctionLike, unwrap } from '../ast';
import type { FoundAction } from '../actions';
import type { Knowledge } from '../knowledge';
import { describeCall, valueOfRoot, type CallDescription, type Scope } from './calls';
import type { ActionFacts, ActionParam, AuthGuard, ClientInput } from './model';

export interface DescribedCall {
  node: ts.CallExpression | ts.TaggedTemplateExpression | ts.NewExpression;
  description: CallDescription | undefined;
  start: number;
}

export interface ClientValue {
  param: string;
  field: string | undefined;
  source: ClientInput['source'];
  validated: boolean;
}

export interface ActionContext {
  found: FoundAction;
  fn: ts.FunctionLikeDeclaration;
  body: ts.ConciseBody | undefined;
  scope: Scope;
  knowledge: Knowledge;
  sourceFile: ts.SourceFile;
  calls: DescribedCall[];
  params: ActionParam[];
  formDataNames: Set<string>;
  /** Names holding client values: name → the parameter and field they come from. */
  clientVars: Map<string, ClientValue>;
  /** Names bound to the session's identity (grown by the auth pass). */
  sessionNames: Set<string>;
  /** Action clients: the input is validated by `.schema()` / `.inputSchema()` / `.input()`. */
  clientSchema: boolean;
  /** Action clients and wrappers: auth established before the handler runs. */
  clientAuth: AuthGuard | undefined;
  clientLeaksErrors: boolean;
  /** Where an action client's middleware puts the user's id in `ctx`. */
  ctxUserId: string | undefined;
  publicReason: string | undefined;
  /** The project has a sign-in at all. */
  projectHasAuth: boolean;
}

const SCHEMA_CLIENT_METHODS = new Set(['schema', 'inputSchema', 'input', 'bindArgsSchemas']);

export function buildContext(found: FoundAction, scope: Scope, publicReason: string | undefined, projectHasAuth = true): ActionContext {
  const fn = found.fn;
  const knowledge = scope.resolver.knowledge;
  const calls: DescribedCall[] = [];
  if (fn.body) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node) || ts.isNewExpression(node)) {
        calls.push({ node, description: describeCall(node, scope), start: node.getStart(scope.sourceFile) });
      }
      ts.forEachChild(node, visit);
    };
    visit(fn.body);
  }
  const context: ActionContext = {
    found,
    fn,
    body: fn.body,
    scope,
    knowledge,
    sourceFile: scope.sourceFile,
    calls,
    params: [],
    formDataNames: new Set(),
    clientVars: new Map(),
    sessionNames: new Set(),
    clientSchema: false,
    clientAuth: undefined,
    clientLeaksErrors: false,
    ctxUserId: undefined,
    publicReason,
    projectHasAuth,
  };
  let wrapperValidates = false;
  if (found.chain) readActionClient(context);
  else wrapperValidates = readWrapper(context);
  readParameters(context, wrapperValidates);
  return context;
}

function readActionClient(context: ActionContext): void {
  const { found, fn, scope } = context;
  const chain = found.chain!;
  context.clientSchema = chain.some((link) => link.member !== undefined && SCHEMA_CLIENT_METHODS.has(link.member) && link.args.length > 0);
  const base = chain[0]!;
  const root = ts.isIdentifier(base.callee) ? base.callee : undefined;
  const value = root ? valueOfRoot(root, scope) : undefined;
  let certainty = value?.actionClient?.auth;
  // The client's name (`adminActionClient`) says more than its middleware's text.
  let callee = root?.text ?? 'the action client';
  for (const link of chain) {
    if ((link.member === 'use' || link.member === 'middleware') && link.args[0] && !certainty) {
      certainty = 'unverified';
      const middleware = link.args[0];
      callee = ts.isIdentifier(middleware) ? middleware.text : `${callee}.${link.member}(…)`;
    }
  }
  if (!certainty && root && /auth|protected|private|user|admin|session/i.test(root.text)) {
    // A client whose name promises auth, where we could not see the check (unreadable, or an unknown getter).
    certainty = 'unverified';
    callee = root.text;
  }
  if (certainty) {
    context.clientAuth = { node: base.callee, kind: 'client', callee, certainty, protectsFrom: fn.pos, scope: fn, identityNames: ['ctx'] };
    context.sessionNames.add('ctx');
  }
  context.ctxUserId = value?.actionClient?.ctxUserId;
  context.clientLeaksErrors = value?.actionClient?.leaksErrors === true;
}

/**
 * `export const save = withAuth(async (formData) => …)`: a wrapper may establish identity, and
 * `validatedAction(schema, async (data) => …)` validates what it passes on. Returns whether one validates.
 */
function readWrapper(context: ActionContext): boolean {
  const { scope } = context;
  let validates = false;
  for (const wrapper of context.found.wrappers) {
    const description = describeCall(wrapper, scope);
    validates ||=
      !!description?.schema ||
      wrapper.arguments.some((arg) => {
        const text = arg.getText(scope.sourceFile);
        return !isFunctionLike(unwrap(arg)) && (/schema|validator/i.test(text.slice(0, 60)) || /^(z|v|yup)\.\w+\(/.test(text));
      });
    if (description?.auth && !context.clientAuth) {
      const fn = context.fn;
      context.clientAuth = { node: wrapper.expression, kind: 'client', callee: description.label, certainty: description.auth.certainty, protectsFrom: fn.pos, scope: fn, identityNames: [], shape: description.auth.shape };
    }
  }
  return validates;
}

function readParameters(context: ActionContext, wrapperValidates: boolean): void {
  const { fn, found, scope, clientVars, sessionNames, knowledge } = context;
  context.params = fn.parameters.map((parameter, index) => {
    const name = ts.isIdentifier(parameter.name) ? parameter.name.text : parameter.name.getText(scope.sourceFile);
    const typeText = parameter.type?.getText(scope.sourceFile) ?? '';
    return { name, node: parameter, index, isFormData: /\bFormData\b/.test(typeText) || (!parameter.type && /^(formData|fd|form)$/i.test(name)) };
  });
  context.formDataNames = new Set(context.params.filter((p) => p.isFormData).map((p) => p.name));
  if (found.kind === 'action-client') {
    const first = fn.parameters[0];
    const validated = context.clientSchema;
    if (first && ts.isObjectBindingPattern(first.name)) {
      for (const element of destructuredProperties(first.name)) {
        if (element.property === 'parsedInput' || element.property === 'input') clientVars.set(element.local, { param: element.property, field: undefined, source: 'parsed-input', validated });
        if (element.property === 'bindArgsParsedInputs') clientVars.set(element.local, { param: element.property, field: undefined, source: 'bound-argument', validated });
        if (element.property === 'ctx') sessionNames.add(element.local);
      }
      // `({ parsedInput: { title, userId } })`
      for (const element of first.name.elements) {
        const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : undefined;
        if ((property === 'parsedInput' || property === 'bindArgsParsedInputs' || property === 'input') && ts.isObjectBindingPattern(element.name)) {
          for (const inner of destructuredProperties(element.name)) {
            clientVars.set(inner.local, { param: property, field: inner.property, source: property === 'bindArgsParsedInputs' ? 'bound-argument' : 'parsed-input', validated });
          }
        }
        if (property === 'ctx' && ts.isObjectBindingPattern(element.name)) {
          for (const name of boundNames(element.name)) sessionNames.add(name);
        }
      }
    } else if (first && ts.isIdentifier(first.name)) {
      // zsa / next-safe-action with a plain parameter: it holds the parsed input.
      clientVars.set(first.name.text, { param: first.name.text, field: undefined, source: 'parsed-input', validated });
    }
    return;
  }
  const wrapped = found.kind === 'file-directive' && found.wrappers.length > 0;
  // What the innermost wrapper hands the handler, when its body says (`action(formData, site, key)`).
  const innermost = found.wrappers[found.wrappers.length - 1];
  const passes = innermost ? describeCall(innermost, scope)?.summary?.passes : undefined;
  let firstData = true;
  for (const param of context.params) {
    if (param.isFormData) continue;
    // A wrapper hands its callback the session's user/team: those are server values, not client input. A wrapper
    // that checks the session builds its callback's arguments: after the client's data, they are its own (the post
    // `withPostAuth` loaded and checked).
    const fromWrapper = passes ? passes[param.index] === 'server' : param.index > 0 && context.clientAuth !== undefined;
    if (wrapped && ts.isIdentifier(param.node.name) && (knowledge.conventions.sessionParameter.test(param.name) || fromWrapper)) {
      sessionNames.add(param.name);
      continue;
    }
    const validated = wrapped && wrapperValidates && firstData;
    firstData = false;
    if (ts.isIdentifier(param.node.name)) {
      clientVars.set(param.name, { param: param.name, field: undefined, source: 'argument', validated });
    } else {
      for (const element of destructuredProperties(param.node.name)) {
        clientVars.set(element.local, { param: param.name, field: element.property, source: 'argument', validated });
      }
      for (const name of boundNames(param.node.name)) {
        if (!clientVars.has(name)) clientVars.set(name, { param: param.name, field: name, source: 'argument', validated });
      }
    }
  }
}

/** Facts every pass starts from. */
export function emptyFacts(context: ActionContext): ActionFacts {
  const { found, fn, knowledge } = context;
  return {
    name: found.name,
    kind: found.kind,
    fn,
    nameNode: found.nameNode,
    declaration: found.declaration,
    isAsync: true,
    isPublic: context.publicReason !== undefined,
    publicReason: context.publicReason,
    authFlow: knowledge.isAuthFlowName(found.name),
    publicByDesign: context.publicReason,
    publicKind: context.publicReason ? 'marked' : undefined,
    params: context.params,
    inputs: [],
    schemaParses: [],
    clientSchema: context.clientSchema,
    clientAuth: context.clientAuth,
    authGuards: context.clientAuth ? [context.clientAuth] : [],
    sideEffects: [],
    dataAccess: [],
    revalidates: [],
    rateLimits: [],
    authFlowCalls: [],
    errorLeaks: [],
    identityFromClient: [],
    idors: [],
    clientColumns: [],
    brokenChecks: [],
    massAssignments: [],
    uncheckedSessions: [],
    sessionIdentity: [],
    sessionVerified: [],
    sessionUserId: undefined,
    handlesErrors: false,
    usedImports: new Set(),
    clientLeaksErrors: context.clientLeaksErrors,
  };
}

export function isInsideNestedFunction(node: ts.Node, fn: ts.Node): boolean {
  let current = node.parent;
  while (current && current !== fn) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) return true;
    current = current.parent;
  }
  return false;
}
