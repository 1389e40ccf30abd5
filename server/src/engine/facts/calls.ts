/**
 * What a call does — auth, exit, revalidation, rate limit, schema parse, effects on data or money — as the knowledge
 * registry says for library calls, and as their bodies say for project helpers (followed through imports by the
 * `Resolver`). Used both for actions and for the summaries of helpers they call, so a helper is judged by the same
 * knowledge as inline code.
 */
import ts from 'typescript';
import { boundNames, callChain, calleeMember, chainMembers, chainRoot, dottedName, isAsyncFunction, isFunctionLike, isInside, referencedNames, unwrap, walk } from '../ast';
import { EFFECT_TRAITS, USER_SHAPE, type CallKnowledge, type EffectKind, type Knowledge, type LibraryDescriptor, type SessionShape } from '../knowledge';
import type { FileBindings } from './bindings';
import { dataAccessOf } from './data';

export type Certainty = 'certain' | 'unverified';

export interface AuthInfo {
  /** `getter`: returns the session for the caller to check; `guard`: stops callers without a session itself. */
  kind: 'getter' | 'guard';
  certainty: Certainty;
  /** How the result carries the user, when the library or the helper's body says. */
  shape?: SessionShape;
  /** The call a fix writes, when it is not simply `name()`. */
  fixCall?: CallKnowledge['fixCall'];
}

export interface EffectInfo {
  kind: EffectKind;
  /** Short description for messages (`db.post.update()`, `resend.emails.send()`). */
  label: string;
  /** The project helper it happens in, when not in the call itself (`updatePost`). */
  helper?: string;
  /** The module a `paid-service` effect is declared for (the `expensiveModules` setting). */
  module?: string;
  /** The library whose client made the call (`supabase`), when the engine knows it. */
  library?: string;
}

export interface FunctionSummary {
  auth: AuthInfo | undefined;
  /** What calling the function does to the world, one entry per kind (the first seen). */
  effects: EffectInfo[];
  revalidates: boolean;
  rateLimits: boolean;
  validates: boolean;
  /** It returns the message (or the whole) of the error passed as this parameter: `handleError(e) → e.message`. */
  leaksErrorParam?: number;
  /** It returns a library's client (`createClient()` of the project returning `createServerClient(…)`). */
  returnsClient?: LibraryDescriptor;
  /** How what it returns carries a user's id (`return user` after a lookup → `user.id`), when it can be seen. */
  returnsShape?: SessionShape;
  /** It can stop the request: it throws, redirects or calls a guard. */
  exits?: boolean;
  /** It is `async` (or returns a Promise by its signature): a call of it that is not awaited is a Promise. */
  async?: boolean;
  /**
   * Checks in its body that never fail: an `if` whose condition calls an async function without `await`
   * (`if (!isGroupOwner(user, id)) throw …` — a Promise is always truthy).
   */
  brokenChecks?: BrokenCheck[];
  /**
   * Writes keyed by one of its parameters with nothing else selecting the rows (`deleteQuota(quotaId)` →
   * `quota.delete({ where: { id: quotaId } })`): a caller passing a client id there lets the client pick the row.
   */
  keyedWrites?: KeyedWrite[];
  /**
   * For a wrapper (`withSiteAuth(action)`): what it passes its callback, argument by argument — `client` when it
   * forwards an argument its caller sent (the exported function's parameter), `server` when it is its own (the site
   * it loaded and checked).
   */
  passes?: ('client' | 'server')[];
}

/** An exiting `if` whose condition holds a Promise it never awaits. */
export interface BrokenCheck {
  /** The call that is not awaited. */
  node: ts.CallExpression;
  sourceFile: ts.SourceFile;
  callee: string;
}

/** A write of a helper selected only by (a property of) one of its parameters. */
export interface KeyedWrite {
  param: number;
  /** The property of an object parameter that holds the id (`{ quotaId }`, `input.id`), when it is one. */
  property?: string;
  label: string;
  model: string | undefined;
}

export interface ActionClientSummary {
  auth: Certainty | undefined;
  /** Where the middleware puts the user's id in `ctx` (`userId`, `user.id`), when it can be seen. */
  ctxUserId?: string;
  /** The client's `handleServerError` returns the error's message to the caller. */
  leaksErrors?: boolean;
}

export interface ValueSummary {
  /** The library whose client this value is (a Prisma client, a Stripe instance, a Supabase client). */
  library: LibraryDescriptor | undefined;
  /** A database client (of a database library, or built from one by a factory of the project). */
  db: boolean;
  /** A next-safe-action / zsa client or procedure. */
  actionClient: ActionClientSummary | undefined;
  /** A schema of a validation library. */
  schema: boolean;
  /** A mutable container held at module level (`{}`, `[]`, `new Map()`): state shared by every request. */
  state?: boolean;
}

export interface ExportSummary {
  file: string;
  fn: FunctionSummary | undefined;
  value: ValueSummary | undefined;
}

export interface Resolver {
  knowledge: Knowledge;
  /** The summary of `name` exported by `specifier` as imported from `fromFile`; undefined for non-project modules. */
  importedSummary(fromFile: string, specifier: string, name: string): ExportSummary | undefined;
  /** Whether `specifier` resolves to a project file (as opposed to a package or an unresolvable path). */
  isProjectModule(fromFile: string, specifier: string): boolean;
}

export interface Scope {
  file: string;
  sourceFile: ts.SourceFile;
  bindings: FileBindings;
  resolver: Resolver;
  /** Function summaries of this file's own top-level functions (filled lazily, with cycle protection). */
  localSummaries: Map<ts.Node, FunctionSummary | 'pending'>;
  depth: number;
}

export interface CallDescription {
  label: string;
  auth?: AuthInfo;
  exit?: boolean;
  revalidate?: boolean;
  rateLimit?: boolean;
  /** A credential or code check, an account created, a sign-in link or code sent. */
  authFlow?: boolean;
  /** It starts an OAuth sign-in. */
  oauth?: boolean;
  /** It acts as the signed-in caller and throws without a session. */
  actsAsCaller?: boolean;
  schema?: { safe: boolean };
  effects?: EffectInfo[];
  /** The helper's summary, when the call is to a project function. */
  summary?: FunctionSummary;
  /** Where the call's behaviour was learned, when it was a project helper. */
  via?: string;
}

/** Prisma's model methods: `<client>.<model>.<method>({ where | data | … })` is a database call whoever `client` is. */
const PRISMA_WRITES = /^(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)$/;
const PRISMA_READS = /^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|count|aggregate|groupBy)$/;
const PRISMA_ARG_KEYS = new Set(['where', 'data', 'select', 'include', 'orderBy', 'create', 'update', 'skip', 'take', 'cursor', 'distinct', 'by', '_count', 'omit']);
/** Generic database methods, for clients the engine knows only by name (`tx`, a `databaseClients` setting). */
const GENERIC_WRITES = /^(create\w*|insert\w*|update\w*|upsert|delete\w*|remove|destroy|save|set|put|add|values|increment|findOneAnd\w+|findByIdAnd\w+|replaceOne|bulkWrite|\$executeRaw\w*)$/;
const GENERIC_READS = /^(find\w*|select\w*|get|count|aggregate|query|execute)$/;
const SQL_WRITE = /^\W*(insert|update|delete|upsert|merge|replace|truncate|drop|alter|create)\b/i;
const STATIC_CHECK = /^(is[A-Z]\w*|isInstance|instanceOf)$/;

function effect(kind: EffectKind, label: string, helper?: string): EffectInfo[] {
  return [helper ? { kind, label, helper } : { kind, label }];
}

/** Applies a library's call knowledge to a concrete call (SQL text, GraphQL documents, S3 command objects). */
function fromKnowledge(label: string, known: CallKnowledge, node: ts.CallExpression | ts.NewExpression, scope: Scope): CallDescription {
  const description: CallDescription = { label };
  if (known.auth) description.auth = { kind: known.auth, certainty: 'certain', shape: known.shape, fixCall: known.fixCall };
  if (known.exit) description.exit = true;
  if (known.revalidate) description.revalidate = true;
  if (known.rateLimit) description.rateLimit = true;
  // `signIn('github', …)` only redirects; `signIn('credentials', data)` checks a password, `signIn('resend', data)` mails.
  if (known.authFlow && (!known.exit || !redirectsToOAuth(node))) description.authFlow = true;
  if (known.oauth || (known.authFlow && known.exit && redirectsToOAuth(node))) description.oauth = true;
  if (known.validate) description.schema = { safe: known.validate === 'safe' };
  if (known.actsAsCaller) description.actsAsCaller = true;
  let kind = known.effect;
  if (known.byText) {
    const text = textArgument(node.arguments?.[0], scope);
    if (known.byText === 'sql' && text !== undefined && SQL_WRITE.test(text)) kind = 'db-write';
    if (known.byText === 'graphql' && text !== undefined && /\bmutation\b/.test(text)) kind = 'external-write';
  }
  if (known.commands) {
    const name = commandName(node.arguments?.[known.commands.arg], scope);
    kind = name && known.commands.write.test(name) ? known.commands.writeEffect : known.commands.readEffect;
  }
  if (kind) description.effects = effect(kind, label);
  return description;
}

const CREDENTIAL_PROVIDERS = /^(credentials|email|resend|nodemailer|sendgrid|postmark|http-email|passkey|webauthn|otp)$/i;

/** `signIn('github')` / `signIn('google', { redirectTo })`: the provider is an OAuth one, named by a literal. */
function redirectsToOAuth(node: ts.CallExpression | ts.NewExpression): boolean {
  const provider = node.arguments?.[0] ? unwrap(node.arguments[0]) : undefined;
  return provider !== undefined && ts.isStringLiteralLike(provider) && !CREDENTIAL_PROVIDERS.test(provider.text);
}

/** Names the module behind a `paid-service` effect, for messages. */
function withModule(description: CallDescription, specifier: string): CallDescription {
  for (const e of description.effects ?? []) if (e.kind === 'paid-service') e.module = specifier;
  return description;
}

function textArgument(arg: ts.Expression | undefined, scope: Scope): string | undefined {
  if (!arg) return undefined;
  const value = unwrap(arg);
  if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value)) return value.getText(scope.sourceFile).slice(1);
  if (ts.isTaggedTemplateExpression(value)) return value.template.getText(scope.sourceFile).slice(1);
  if (ts.isIdentifier(value)) {
    const variable = scope.bindings.variables.get(value.text);
    if (variable?.initializer) return textArgument(variable.initializer, scope);
  }
  return undefined;
}

/** `new DeleteObjectCommand(…)`, directly or through a `const` of the file or of the action. */
function commandName(arg: ts.Expression | undefined, scope: Scope): string | undefined {
  if (!arg) return undefined;
  const value = unwrap(arg);
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression)) return value.expression.text;
  if (ts.isIdentifier(value)) {
    const declaration = localDeclaration(value, scope);
    if (declaration?.initializer) return commandName(declaration.initializer, scope);
  }
  return undefined;
}

/** The `const` a name refers to, in the enclosing functions or at the top of the file. */
function localDeclaration(name: ts.Identifier, scope: Scope): ts.VariableDeclaration | undefined {
  let container: ts.Node | undefined = name.parent;
  while (container) {
    if (ts.isBlock(container) || ts.isSourceFile(container)) {
      for (const statement of container.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === name.text && declaration.end <= name.pos) return declaration;
        }
      }
    }
    container = container.parent;
  }
  return scope.bindings.variables.get(name.text);
}

export function describeCall(node: ts.CallExpression | ts.TaggedTemplateExpression | ts.NewExpression, scope: Scope): CallDescription | undefined {
  const knowledge = scope.resolver.knowledge;
  if (ts.isTaggedTemplateExpression(node)) return describeTaggedTemplate(node, scope);
  const callee = unwrap(node.expression);
  const dotted = dottedName(callee);
  const label = dotted ? `${dotted}()` : 'call';
  if (ts.isNewExpression(node)) {
    if (!ts.isIdentifier(callee)) return undefined;
    const imported = scope.bindings.imports.get(callee.text);
    const known = imported && knowledge.exportCall(imported.specifier, imported.imported);
    return known?.effect ? fromKnowledge(`new ${callee.text}()`, known, node, scope) : undefined;
  }

  // Directly imported or local functions: `auth()`, `redirect()`, `requireUser()`, `generateText()`.
  if (ts.isIdentifier(callee)) return describeNamedCall(node, callee, label, scope);

  const member = calleeMember(node);
  const root = chainRoot(callee);
  const rootImport = root ? scope.bindings.imports.get(root.text) : undefined;
  const members = chainMembers(callee);
  const path = members.join('.');

  // `auth.protect()`, `supabase.auth.getUser()` on values the engine cannot classify: judged by name below.
  if (root && member) {
    // `getAuth().verifyIdToken(t)`, `cookies().set(…)`: the chain starts with a call of the root.
    const factoryCall = startsWithCall(callee, root);
    const value = factoryCall ? summarizeValue(factoryCall, scope) : valueOfRoot(root, scope);
    // `APICallError.isInstance(e)`: static checks on an SDK's exports cost nothing.
    if (STATIC_CHECK.test(member)) return undefined;
    // A namespace or default import of a module of functions: `fs.writeFile(…)`, `posts.remove(id)`.
    if (rootImport && (rootImport.imported === '*' || rootImport.imported === 'default')) {
      const nested = scope.resolver.importedSummary(scope.file, rootImport.specifier, member);
      if (nested?.fn) return fromSummary(label, nested.fn, nested.file, member);
      const known = knowledge.exportCall(rootImport.specifier, member);
      if (known && !value?.library) return withModule(fromKnowledge(label, known, node, scope), rootImport.specifier);
    }
    if (value?.library) {
      const rule = knowledge.memberCall(value.library, path);
      if (rule) {
        const described = fromKnowledge(label, rule, node, scope);
        for (const e of described.effects ?? []) e.library = value.library.id;
        return described;
      }
    }
    // A value of a library whose members we do not list (`clerkClient.users.updateUser`) is judged by the generic tables.
    const prisma = prismaShaped(node, members);
    if (prisma) return { label, effects: effect(prisma, label) };
    if (value?.actionClient) return undefined;
    if (value?.schema || (member && knowledge.schemaMethod(member) && isSchemaReceiver(callee, scope))) {
      const method = knowledge.schemaMethod(member);
      if (method) return { label, schema: { safe: method === 'safe' } };
    }
    if ((member === 'set' || member === 'delete') && (/cookies\(\)/.test(dotted ?? '') || isCookieStore(root, scope))) {
      return { label, effects: effect('cookie-write', label) };
    }
    const authByName = dotted ? knowledge.authByName(dotted) : undefined;
    if (authByName && (authByName !== 'unverified-guard' || !rootImport)) return authDescription(label, authByName);
    if (dotted && knowledge.isRateLimitName(dotted)) return { label, rateLimit: true };
    if (root.text === 'fetch') return undefined;
    const cacheStore = knowledge.conventions.cacheStoreName.test(root.text);
    // A library's own namespace (`mongoose.set(…)`, `mongoose.connect(…)`) is described by its descriptor or not at all.
    const knownLibraryRoot = rootImport !== undefined && !scope.resolver.isProjectModule(scope.file, rootImport.specifier) && knowledge.library(rootImport.specifier) !== undefined;
    if ((value?.db || knowledge.isDatabaseName(root.text)) && !cacheStore && !value?.library && !knownLibraryRoot) {
      if (GENERIC_WRITES.test(member) || members.some((m) => /^(insert|update|delete)$/.test(m))) return { label, effects: effect('db-write', label) };
      if (member === 'query' || member === 'execute') {
        const text = textArgument(node.arguments[0], scope);
        if (text !== undefined && SQL_WRITE.test(text)) return { label, effects: effect('db-write', label) };
      }
      if (GENERIC_READS.test(member) || members.some((m) => /^(select|from|query)$/.test(m))) return { label, effects: effect('db-read', label) };
    }
    if (rootImport && !scope.resolver.isProjectModule(scope.file, rootImport.specifier) && knowledge.isExpensiveModule(rootImport.specifier)) {
      return { label, effects: [{ kind: 'paid-service', label, module: rootImport.specifier }] };
    }
  }
  if (dotted && /\.(revalidatePath|revalidateTag)$/.test(dotted)) return { label, revalidate: true };
  return undefined;
}

function describeNamedCall(node: ts.CallExpression, callee: ts.Identifier, label: string, scope: Scope): CallDescription | undefined {
  const knowledge = scope.resolver.knowledge;
  const name = callee.text;
  const imported = scope.bindings.imports.get(name);
  if (imported) {
    const fromProject = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported);
    // `export const { auth } = NextAuth(config)`: a member of the library's client, destructured by the project.
    const client = fromProject?.value?.library;
    if (client) {
      const rule = knowledge.memberCall(client, imported.imported);
      return rule ? fromKnowledge(label, rule, node, scope) : undefined;
    }
    if (fromProject?.fn) {
      const described = fromSummary(label, fromProject.fn, fromProject.file, name);
      if (described) {
        // `verifyTurnstile()` POSTs to a verification API; its name says what it is for.
        if (knowledge.isRateLimitName(name)) described.rateLimit = true;
        // A helper whose body shows no auth we recognise (a JWT check, a session table read) is judged by its name.
        if (!described.auth) described.auth = withShape(authDescription(label, knowledge.authByName(name))?.auth, fromProject.fn.returnsShape);
        return described;
      }
    }
    if (!fromProject) {
      const known = knowledge.exportCall(imported.specifier, imported.imported);
      if (known) return withModule(fromKnowledge(label, known, node, scope), imported.specifier);
      const library = knowledge.library(imported.specifier);
      // A library we know that has nothing to say about this export: it is not an auth helper by its name.
      if (library && library.category !== 'auth') return undefined;
    }
  } else {
    const local = scope.bindings.functions.get(name);
    if (local && scope.depth < 4) {
      const summary = summarizeLocal(local, scope);
      const described = summary ? fromSummary(label, summary, undefined, name) : undefined;
      if (described) {
        if (!described.auth) described.auth = withShape(authDescription(label, knowledge.authByName(name))?.auth, summary!.returnsShape);
        return described;
      }
    }
    // `const { getUser } = getKindeServerSession()`: a member of a library's client, destructured.
    const destructured = destructuredMember(callee, scope);
    if (destructured) return fromKnowledge(label, destructured, node, scope);
  }
  if (!imported || knowledge.library(imported.specifier)?.id === 'next') {
    if (knowledge.isExit(name)) return { label, exit: true };
  }
  if (knowledge.isRateLimitName(name)) return { label, rateLimit: true };
  if (knowledge.isValidationFunction(name)) return { label, schema: { safe: false } };
  return authDescription(label, knowledge.authByName(name));
}

function destructuredMember(callee: ts.Identifier, scope: Scope): CallKnowledge | undefined {
  const declaration = localDeclaration(callee, scope);
  if (!declaration || !declaration.initializer || !ts.isObjectBindingPattern(declaration.name)) return undefined;
  const element = declaration.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === callee.text);
  const property = element?.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : callee.text;
  const value = summarizeValue(declaration.initializer, scope);
  return value?.library ? scope.resolver.knowledge.memberCall(value.library, property) : undefined;
}

function describeTaggedTemplate(node: ts.TaggedTemplateExpression, scope: Scope): CallDescription | undefined {
  const tag = dottedName(node.tag) ?? '';
  const text = node.template.getText(scope.sourceFile).replace(/^`/, '');
  const label = `${tag}\`…\``;
  const writes = SQL_WRITE.test(text);
  // Prisma's `$executeRaw` runs statements that return an affected-row count: writes, whatever the text.
  if (/(^|\.)\$executeRaw(Unsafe)?$/.test(tag) || ((/(^|\.)sql$/.test(tag) || /(^|\.)\$queryRaw$/.test(tag)) && writes)) {
    return { label, effects: effect('db-write', label) };
  }
  const root = chainRoot(node.tag);
  const rootImport = root ? scope.bindings.imports.get(root.text) : undefined;
  const library = rootImport ? scope.resolver.knowledge.library(rootImport.specifier) : undefined;
  const value = root && !rootImport ? valueOfRoot(root, scope) : undefined;
  if (/(^|\.)(sql|\$queryRaw)$/.test(tag) && (library?.category === 'database' || value?.db)) return { label, effects: effect('db-read', label) };
  return undefined;
}

/** The innermost call of a chain when it calls the root itself: `getAuth()` of `getAuth().verifyIdToken(t)`. */
function startsWithCall(callee: ts.Expression, root: ts.Identifier): ts.CallExpression | undefined {
  let current: ts.Expression = unwrap(callee);
  for (;;) {
    if (ts.isCallExpression(current)) {
      if (unwrap(current.expression) === root) return current;
      current = unwrap(current.expression);
    } else if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      current = unwrap(current.expression);
    } else {
      return undefined;
    }
  }
}

/** `db.post.update({ where, data })`: Prisma's shape, recognisable without knowing `db`. */
function prismaShaped(node: ts.CallExpression, members: string[]): EffectKind | undefined {
  if (members.length !== 2) return undefined;
  const method = members[1]!;
  const write = PRISMA_WRITES.test(method);
  if (!write && !PRISMA_READS.test(method)) return undefined;
  const arg = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
  const keyed = arg !== undefined && ts.isObjectLiteralExpression(arg) && arg.properties.some((p) => p.name !== undefined && PRISMA_ARG_KEYS.has(p.name.getText()));
  if (!keyed && !(node.arguments.length === 0 && !write)) return undefined;
  return write ? 'db-write' : 'db-read';
}

/** A fetch with a mutating method: `fetch(url, { method: 'POST' })`, unless it sends a GraphQL query. */
export function isMutatingFetch(node: ts.CallExpression): boolean {
  const callee = unwrap(node.expression);
  if (!ts.isIdentifier(callee) || callee.text !== 'fetch') return false;
  const init = node.arguments[1];
  if (!init || !ts.isObjectLiteralExpression(init)) return false;
  let mutating = false;
  let graphqlQuery = false;
  for (const property of init.properties) {
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'method' && ts.isStringLiteralLike(property.initializer)) {
      mutating = /^(post|put|patch|delete)$/i.test(property.initializer.text);
    }
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'body') {
      const body = property.initializer.getText();
      graphqlQuery = /\bquery\b/.test(body) && !/mutation/i.test(body);
    }
  }
  return mutating && !graphqlQuery;
}

function authDescription(label: string, kind: ReturnType<Knowledge['authByName']>): CallDescription | undefined {
  if (!kind) return undefined;
  if (kind === 'guard') return { label, auth: { kind: 'guard', certainty: 'certain' } };
  if (kind === 'getter') return { label, auth: { kind: 'getter', certainty: 'certain' } };
  // A guard-looking helper we could not read: it probably stops the request, but we cannot prove it.
  return { label, auth: { kind: 'guard', certainty: 'unverified' } };
}

function withShape(auth: AuthInfo | undefined, shape: SessionShape | undefined): AuthInfo | undefined {
  return auth && shape ? { ...auth, shape } : auth;
}

function fromSummary(label: string, summary: FunctionSummary, via: string | undefined, helper: string): CallDescription | undefined {
  const description: CallDescription = { label, via, summary };
  let any = false;
  if (summary.auth) (description.auth = summary.auth), (any = true);
  if (summary.effects.length > 0) {
    description.effects = summary.effects.map((e) => ({ ...e, label: via ? `${label} (${EFFECT_TRAITS[e.kind].noun} through ${e.label})` : label, helper }));
    any = true;
  }
  if (summary.revalidates) (description.revalidate = true), (any = true);
  if (summary.rateLimits) (description.rateLimit = true), (any = true);
  if (summary.validates) (description.schema = { safe: false }), (any = true);
  if (summary.leaksErrorParam !== undefined) any = true;
  return any ? description : undefined;
}

function isSchemaReceiver(callee: ts.Expression, scope: Scope): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const member = callee.name.text;
  // Only schema libraries have `safeParse`; `parse` alone is also JSON.parse, URL parsers, date libraries.
  if (member === 'safeParse' || member === 'safeParseAsync') return true;
  const receiver = unwrap(callee.expression);
  const root = chainRoot(receiver);
  if (!root) return ts.isCallExpression(receiver);
  // `Schema.decodeUnknownSync(S)`, `Value.Parse(T, x)`: the library's namespace.
  const imported = scope.bindings.imports.get(root.text);
  if (imported && scope.resolver.knowledge.validationLibrary(imported.specifier)) return true;
  return isSchemaName(root, scope, 0);
}

function isSchemaName(root: ts.Identifier, scope: Scope, depth: number): boolean {
  const name = root.text;
  if (/schema|validator|^z$|^v$|^y$|^t$|^s$|type$|^yup$|^Joi$/i.test(name)) return true;
  const imported = scope.bindings.imports.get(name);
  if (imported) {
    if (scope.resolver.knowledge.validationLibrary(imported.specifier)) return true;
    return scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported)?.value?.schema === true;
  }
  const variable = scope.bindings.variables.get(name);
  if (variable?.initializer) return depth < 4 && schemaValue(variable.initializer, scope, depth + 1);
  return false;
}

/** `z.object(…)`, `FormSchema.omit(…)`, `v.object(…)`: a value built from a validation library or another schema. */
function schemaValue(expression: ts.Expression, scope: Scope, depth: number): boolean {
  const root = chainRoot(unwrap(expression));
  if (!root) return false;
  const imported = scope.bindings.imports.get(root.text);
  if (imported && scope.resolver.knowledge.validationLibrary(imported.specifier)) return true;
  if (/^(z|v|y|yup|zfd|Joi|t)$/.test(root.text)) return true;
  const variable = scope.bindings.variables.get(root.text);
  return variable?.initializer !== undefined && variable.initializer !== expression && depth < 4 && schemaValue(variable.initializer, scope, depth + 1);
}

function isCookieStore(root: ts.Identifier, scope: Scope): boolean {
  const declaration = localDeclaration(root, scope);
  return !!declaration?.initializer && /cookies\(\)/.test(declaration.initializer.getText(scope.sourceFile));
}

/** What a name denotes as a value: a library client, a DB client, an action client, a schema. */
export function valueOfRoot(root: ts.Identifier, scope: Scope): ValueSummary | undefined {
  const imported = scope.bindings.imports.get(root.text);
  if (imported) {
    const fromProject = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported);
    if (fromProject) return fromProject.value;
    return packageValue(imported.specifier, imported.imported, scope);
  }
  const declaration = localDeclaration(root, scope);
  if (declaration?.initializer && scope.depth < 6) {
    // `const { data: { user } } = …` binds parts of a value, not the value itself.
    if (!ts.isIdentifier(declaration.name)) return undefined;
    return summarizeValue(declaration.initializer, { ...scope, depth: scope.depth + 1 });
  }
  return undefined;
}

function packageValue(specifier: string, imported: string, scope: Scope): ValueSummary | undefined {
  const knowledge = scope.resolver.knowledge;
  const library = knowledge.library(specifier);
  if (library?.clientExports?.includes(imported)) return clientValue(library);
  if (library?.category === 'validation') return { library: undefined, db: false, actionClient: undefined, schema: true };
  return undefined;
}

function clientValue(library: LibraryDescriptor): ValueSummary {
  return { library, db: library.category === 'database', actionClient: undefined, schema: false };
}

/**
 * Classifies a value expression: `new PrismaClient()`, `globalThis.prisma ?? createPrismaClient()`,
 * `createServerClient(…)`, `new Stripe(key)`, `createSafeActionClient().use(mw)`, `z.object(…)`.
 */
export function summarizeValue(expression: ts.Expression, scope: Scope): ValueSummary | undefined {
  const expr = unwrap(expression);
  const actionClient = actionClientOf(expr, scope);
  if (actionClient) return { library: undefined, db: false, actionClient, schema: false };
  if (schemaValue(expr, scope, 0)) return { library: undefined, db: false, actionClient: undefined, schema: true };
  const library = libraryOfValue(expr, scope, new Set());
  if (library) return clientValue(library);
  if (ts.isIdentifier(expr)) return valueOfRoot(expr, scope);
  if (isMutableContainer(expr)) return { library: undefined, db: false, actionClient: undefined, schema: false, state: true };
  return undefined;
}

const CONTAINERS = /^(Map|Set|WeakMap|WeakSet)$/;

function isMutableContainer(expr: ts.Expression): boolean {
  if (ts.isObjectLiteralExpression(expr) || ts.isArrayLiteralExpression(expr)) return true;
  return ts.isNewExpression(expr) && ts.isIdentifier(expr.expression) && CONTAINERS.test(expr.expression.text);
}

/**
 * Whether `root` names a mutable container at module level (this file's, or a project module's it imports): a
 * `{}`, `[]` or `new Map()` that every request shares. A local of the action by that name shadows it.
 */
export function isModuleState(root: ts.Identifier, scope: Scope): boolean {
  let container: ts.Node | undefined = root.parent;
  while (container && !ts.isSourceFile(container)) {
    if (ts.isBlock(container)) {
      for (const statement of container.statements) {
        if (ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => boundNames(d.name).includes(root.text))) return false;
      }
    }
    if (isFunctionLike(container) && container.parameters.some((p) => boundNames(p.name).includes(root.text))) return false;
    container = container.parent;
  }
  const imported = scope.bindings.imports.get(root.text);
  if (imported) {
    if (imported.imported === '*' || !scope.resolver.isProjectModule(scope.file, imported.specifier)) return false;
    return scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported)?.value?.state === true;
  }
  const variable = scope.bindings.variables.get(root.text);
  return !!variable?.initializer && ts.isIdentifier(variable.name) && isMutableContainer(unwrap(variable.initializer));
}

/**
 * The library a value derives from: a client factory called or constructed anywhere in the expression, in the
 * functions it calls of the same file (`prismaClientSingleton()`), or through the names it references
 * (`globalThis.prisma ?? prisma`, `base.$extends(…)`).
 */
function libraryOfValue(expression: ts.Node, scope: Scope, seen: Set<ts.Node>): LibraryDescriptor | undefined {
  if (seen.has(expression) || seen.size > 40) return undefined;
  seen.add(expression);
  const knowledge = scope.resolver.knowledge;
  let found: LibraryDescriptor | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const root = chainRoot(node.expression);
      const imported = root ? scope.bindings.imports.get(root.text) : undefined;
      if (imported && root && scope.resolver.isProjectModule(scope.file, imported.specifier)) {
        const returned = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported)?.fn?.returnsClient;
        if (returned) {
          found = returned;
          return;
        }
      } else if (imported && root) {
        const members = chainMembers(node.expression);
        // `new PrismaClient()`, `drizzle(…)`, `Redis.fromEnv()`, `nodemailer.createTransport()`.
        const name = imported.imported === '*' || imported.imported === 'default' ? (members[0] ?? imported.imported) : imported.imported;
        const library = knowledge.clientOf(imported.specifier, name) ?? knowledge.clientOf(imported.specifier, imported.imported);
        if (library && library.category !== 'validation') {
          found = library;
          return;
        }
      }
      // A factory of this file: `const prismaClientSingleton = () => new PrismaClient()`.
      if (root && !imported) {
        const local = scope.bindings.functions.get(root.text);
        if (local?.body && (found = libraryOfValue(local.body, scope, seen))) return;
      }
    }
    if (ts.isIdentifier(node) && !isPropertyName(node)) {
      const imported = scope.bindings.imports.get(node.text);
      if (imported) {
        const value = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported)?.value;
        if (value?.library) {
          found = value.library;
          return;
        }
        const client = knowledge.library(imported.specifier);
        if (client?.clientExports?.includes(imported.imported)) found = client;
        return;
      }
      const variable = scope.bindings.variables.get(node.text);
      if (variable?.initializer && variable.initializer !== expression && (found = libraryOfValue(variable.initializer, scope, seen))) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return !!parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node));
}

/** next-safe-action / zsa clients: walk the call chain from the outside in, collecting `.use()` middlewares. */
function actionClientOf(expr: ts.Expression, scope: Scope): ActionClientSummary | undefined {
  const chain = callChain(expr);
  if (chain.length === 0) return undefined;
  const base = chain[0]!;
  let client: ActionClientSummary | undefined;
  const factoryName = ts.isIdentifier(base.callee) ? (scope.bindings.imports.get(base.callee.text)?.imported ?? base.callee.text) : '';
  const factory = /^(createSafeActionClient|createServerAction|createServerActionProcedure|createMiddleware)$/.test(factoryName);
  // zsa procedures run their `.handler(fn)` before every action built on them: it is their middleware.
  const procedure = /Procedure$/.test(factoryName);
  if (ts.isIdentifier(base.callee) && factory) {
    client = { auth: undefined, leaksErrors: base.args[0] ? handlesErrorsByLeaking(unwrap(base.args[0]), scope) : false };
    const parent = base.args[0] ? unwrap(base.args[0]) : undefined;
    if (procedure && parent && isFunctionLike(parent)) {
      const summary = summarizeFunctionBody(parent, scope);
      if (summary.auth) client = { ...client, auth: summary.auth.certainty };
    } else if (procedure && parent && ts.isIdentifier(parent)) {
      // `createServerActionProcedure(authedProcedure)` inherits the parent procedure's checks.
      const inherited = valueOfRoot(parent, scope)?.actionClient;
      if (inherited) client = { ...inherited };
    }
  } else {
    const root = chainRoot(base.callee);
    const rootValue = root ? valueOfRoot(root, scope) : undefined;
    if (rootValue?.actionClient) client = { ...rootValue.actionClient };
  }
  if (!client) return undefined;
  for (const link of chain) {
    if ((link.member === 'use' || link.member === 'middleware' || (procedure && link.member === 'handler')) && link.args[0]) {
      const mw = unwrap(link.args[0]);
      const summary = isFunctionLike(mw) ? summarizeFunctionBody(mw, scope) : ts.isIdentifier(mw) ? summaryOfName(mw, scope) : undefined;
      if (summary?.auth && client.auth !== 'certain') {
        client = { ...client, auth: summary.auth.certainty };
      }
      const ctxUserId = isFunctionLike(mw) ? ctxUserIdOf(mw) : undefined;
      if (ctxUserId) client = { ...client, ctxUserId };
    }
  }
  return client;
}

/**
 * `createSafeActionClient({ handleServerError: (e) => e.message })`: every action of the client returns raw errors.
 * Not when the message is passed on only for errors the handler picked (`if (isExpectedError(e)) return e.message`,
 * `e instanceof ActionError`): those are the app's own messages. `e instanceof Error` picks nothing.
 */
function handlesErrorsByLeaking(options: ts.Expression, scope: Scope): boolean {
  if (!ts.isObjectLiteralExpression(options)) return false;
  for (const property of options.properties) {
    const name = property.name?.getText(scope.sourceFile);
    if (name !== 'handleServerError' && name !== 'handleReturnedServerError') continue;
    const fn = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : ts.isMethodDeclaration(property) ? property : undefined;
    if (!fn || !isFunctionLike(fn) || !fn.body) continue;
    const param = fn.parameters[0];
    if (!param || !ts.isIdentifier(param.name)) continue;
    const error = param.name.text;
    if (!ts.isBlock(fn.body)) return leaksName(fn.body, error);
    let leaks = false;
    walk(fn.body, (node) => {
      if (!leaks && ts.isReturnStatement(node) && node.expression && leaksName(node.expression, error) && !pickedByType(node, fn, error)) leaks = true;
    });
    return leaks;
  }
  return false;
}

function leaksName(expression: ts.Expression, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(unwrap(node.expression)) && (unwrap(node.expression) as ts.Identifier).text === name) {
      found = /^(message|stack|cause)$/.test(node.name.text);
      return;
    }
    if (ts.isCallExpression(node) && /^(String|JSON\.stringify)$/.test(node.expression.getText()) && node.arguments.some((a) => referencedNames(a).has(name))) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** The return sits under a condition that tests the error for a type of the app's own (not `instanceof Error`). */
function pickedByType(node: ts.Node, fn: ts.Node, error: string): boolean {
  let current: ts.Node | undefined = node.parent;
  while (current && current !== fn) {
    const condition = ts.isIfStatement(current) ? current.expression : ts.isConditionalExpression(current) ? current.condition : undefined;
    if (condition && referencedNames(condition).has(error) && !/^\s*\w+\s+instanceof\s+Error\s*$/.test(condition.getText())) return true;
    current = current.parent;
  }
  return false;
}

/** Whether the function returns `param.message` / `String(param)` / the parameter itself (for error helpers). */
function returnsErrorMessageOf(fn: ts.FunctionLikeDeclaration, index: number): boolean {
  const param = fn.parameters[index];
  if (!param || !ts.isIdentifier(param.name) || !fn.body) return false;
  const name = param.name.text;
  const leaks = (expression: ts.Expression): boolean => {
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(unwrap(node.expression)) && (unwrap(node.expression) as ts.Identifier).text === name) {
        found = /^(message|stack|cause)$/.test(node.name.text);
        return;
      }
      if (ts.isCallExpression(node) && /^(String|JSON\.stringify)$/.test(node.expression.getText()) && node.arguments.some((a) => referencedNames(a).has(name))) {
        found = true;
        return;
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return;
      ts.forEachChild(node, visit);
    };
    visit(expression);
    return found;
  };
  if (!ts.isBlock(fn.body)) return leaks(fn.body);
  let found = false;
  walk(fn.body, (node) => {
    if (!found && ts.isReturnStatement(node) && node.expression && leaks(node.expression)) found = true;
  });
  return found;
}

/**
 * The path of the user's id in the `ctx` a middleware hands on: next-safe-action `next({ ctx: { userId } })`, or the
 * object a zsa procedure handler returns (`return { user }` → `user.id`).
 */
function ctxUserIdOf(mw: ts.FunctionLikeDeclaration): string | undefined {
  const objects: ts.ObjectLiteralExpression[] = [];
  const body = mw.body;
  if (!body) return undefined;
  if (!ts.isBlock(body) && ts.isObjectLiteralExpression(unwrap(body))) objects.push(unwrap(body) as ts.ObjectLiteralExpression);
  walk(body, (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'next') {
      const arg = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      const ctx = arg && ts.isObjectLiteralExpression(arg) ? arg.properties.find((p) => p.name?.getText() === 'ctx') : undefined;
      if (ctx && ts.isPropertyAssignment(ctx) && ts.isObjectLiteralExpression(unwrap(ctx.initializer))) objects.push(unwrap(ctx.initializer) as ts.ObjectLiteralExpression);
    }
    if (ts.isReturnStatement(node) && node.expression && ts.isObjectLiteralExpression(unwrap(node.expression))) objects.push(unwrap(node.expression) as ts.ObjectLiteralExpression);
  });
  for (const object of objects) {
    const keys = object.properties.map((p) => p.name?.getText()).filter((k): k is string => k !== undefined);
    if (keys.includes('userId')) return 'userId';
    if (keys.includes('user')) return 'user.id';
    if (keys.includes('session')) return 'session.user.id';
  }
  return undefined;
}

function summaryOfName(name: ts.Identifier, scope: Scope): FunctionSummary | undefined {
  const imported = scope.bindings.imports.get(name.text);
  if (imported) return scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported)?.fn;
  const local = scope.bindings.functions.get(name.text);
  return local ? summarizeLocal(local, scope) : undefined;
}

function summarizeLocal(fn: ts.FunctionLikeDeclaration, scope: Scope): FunctionSummary | undefined {
  const cached = scope.localSummaries.get(fn);
  if (cached === 'pending') return undefined;
  if (cached) return cached;
  scope.localSummaries.set(fn, 'pending');
  const summary = summarizeFunctionBody(fn, { ...scope, depth: scope.depth + 1 });
  scope.localSummaries.set(fn, summary);
  return summary;
}

/** What calling this function does, judged from its body (nested callbacks included). */
export function summarizeFunctionBody(fn: ts.FunctionLikeDeclaration, scope: Scope): FunctionSummary {
  const summary: FunctionSummary = { auth: undefined, effects: [], revalidates: false, rateLimits: false, validates: false };
  if (!fn.body) return summary;
  let auth: AuthInfo | undefined;
  let authCall: ts.Node | undefined;
  let exits = false;
  const knowledge = scope.resolver.knowledge;
  const addEffect = (e: EffectInfo): void => {
    if (!summary.effects.some((x) => x.kind === e.kind)) summary.effects.push({ kind: e.kind, label: e.label, ...(e.module ? { module: e.module } : {}) });
  };
  walk(
    fn.body,
    (node) => {
      if (ts.isThrowStatement(node)) exits = true;
      if (!ts.isCallExpression(node) && !ts.isTaggedTemplateExpression(node) && !ts.isNewExpression(node)) return;
      if (ts.isCallExpression(node) && isMutatingFetch(node)) addEffect({ kind: 'external-write', label: 'fetch()' });
      const description = describeCall(node, scope);
      if (!description) return;
      if (description.auth) {
        if (!auth || (auth.kind === 'getter' && description.auth.kind === 'guard') || auth.certainty === 'unverified') {
          auth = description.auth;
          authCall = node;
        }
      }
      if (description.exit || description.summary?.exits) exits = true;
      for (const e of description.effects ?? []) {
        // A helper's own writes count; writes further down only through helpers whose names say they mutate
        // (a token refresh three calls deep does not make `createEmailProvider()` a write).
        if (e.helper && EFFECT_TRAITS[e.kind].changesAppData && !knowledge.isMutatingName(e.helper)) continue;
        if (e.kind === 'cookie-write') continue;
        addEffect({ kind: e.kind, label: e.helper ? e.helper + '()' : e.label, module: e.module });
      }
      if (description.revalidate) summary.revalidates = true;
      if (description.rateLimit) summary.rateLimits = true;
      if (description.schema) summary.validates = true;
    },
    true,
  );
  summary.returnsShape = returnedShape(fn, authCall, auth);
  summary.exits = exits;
  if (isAsyncFunction(fn) || (fn.type !== undefined && /^Promise</.test(fn.type.getText(scope.sourceFile)))) summary.async = true;
  const broken = brokenChecksIn(fn.body, scope);
  if (broken.length > 0) summary.brokenChecks = broken;
  summary.passes = forwardedArguments(fn);
  const keyed = keyedWritesOf(fn, scope);
  if (keyed.length > 0) summary.keyedWrites = keyed;
  // A session read only to pick something else (a locale, a theme) makes no auth helper: the helper neither returns
  // the session nor stops without one. `getTranslate()` → `getLocale()` → `getServerSession()` sends no one away.
  if (auth && (auth.kind === 'guard' || summary.returnsShape !== undefined || (authCall !== undefined && (flowsOut(authCall, fn) || exitsOnCheckOf(authCall, fn, scope))))) {
    const kind = auth.kind === 'guard' || exits ? 'guard' : 'getter';
    summary.auth = { ...auth, kind, shape: summary.returnsShape };
  }
  const returned: ts.Node[] = [];
  if (!ts.isBlock(fn.body)) returned.push(fn.body);
  else walk(fn.body, (node) => ts.isReturnStatement(node) && node.expression && returned.push(node.expression));
  for (const expression of returned) {
    const library = libraryOfValue(expression, scope, new Set());
    if (library) {
      summary.returnsClient = library;
      break;
    }
  }
  for (let index = 0; index < fn.parameters.length; index++) {
    if (returnsErrorMessageOf(fn, index) && /err|e$|^e|exception/i.test(fn.parameters[index]!.name.getText(scope.sourceFile))) {
      summary.leaksErrorParam = index;
      break;
    }
  }
  return summary;
}

/**
 * The writes of a helper selected only by one of its parameters: each db-write call of its own (and each keyed write
 * of a helper it calls) whose filter keys a row by a parameter's value and references no other parameter.
 */
function keyedWritesOf(fn: ts.FunctionLikeDeclaration, scope: Scope): KeyedWrite[] {
  if (!fn.body) return [];
  const params = new Map<string, { param: number; property?: string }>();
  fn.parameters.forEach((parameter, index) => {
    if (ts.isIdentifier(parameter.name)) params.set(parameter.name.text, { param: index });
    else if (ts.isObjectBindingPattern(parameter.name)) {
      for (const element of parameter.name.elements) {
        const property = element.propertyName ? element.propertyName.getText(scope.sourceFile) : element.name.getText(scope.sourceFile);
        if (ts.isIdentifier(element.name)) params.set(element.name.text, { param: index, property });
      }
    }
  });
  if (params.size === 0) return [];
  const idKey = scope.resolver.knowledge.conventions.idKey;
  /** Which parameter (and property) an expression's value comes from, when one. */
  const origin = (node: ts.Node): { param: number; property?: string } | undefined => {
    const value = ts.isExpression(node) ? unwrap(node) : node;
    if (ts.isIdentifier(value)) return params.get(value.text);
    if (ts.isPropertyAccessExpression(value) && ts.isIdentifier(unwrap(value.expression))) {
      const base = params.get((unwrap(value.expression) as ts.Identifier).text);
      return base && base.property === undefined ? { param: base.param, property: value.name.text } : undefined;
    }
    return undefined;
  };
  const out: KeyedWrite[] = [];
  const checks = internalChecks(fn, params, scope);
  /** An exiting check on another parameter (the user) before the write: the helper authorises it itself. */
  const checkedBefore = (node: ts.Node, key: { param: number; property?: string }): boolean =>
    checks.some(
      (check) =>
        check.end <= node.getStart(scope.sourceFile) &&
        check.params.some((p) => !p.startsWith(`${key.param}:`) || (check.call && key.property !== undefined && p !== `${key.param}:${key.property}`)),
    );
  walk(fn.body, (node) => {
    if (!ts.isCallExpression(node)) return;
    const description = describeCall(node, scope);
    if (!description) return;
    if (description.effects?.some((e) => e.kind === 'db-write' && !e.helper)) {
      const access = dataAccessOf(node, true, description.label);
      // Every parameter value the filters use, as `param:property`: one of them keys the row, any other scopes it.
      const used = new Set<string>();
      for (const filter of access.filters) {
        const collect = (child: ts.Node): void => {
          if (ts.isIdentifier(child) && isPropertyName(child)) return;
          const found = ts.isIdentifier(child) || ts.isPropertyAccessExpression(child) ? origin(child) : undefined;
          if (found) used.add(`${found.param}:${found.property ?? ''}`);
          else ts.forEachChild(child, collect);
        };
        collect(filter);
      }
      if (used.size !== 1) return;
      for (const filter of access.filters) {
        let key: { param: number; property?: string } | undefined;
        const probe = (child: ts.Node): void => {
          if (key) return;
          if ((ts.isPropertyAssignment(child) || ts.isShorthandPropertyAssignment(child)) && idKey.test(child.name.getText(scope.sourceFile))) {
            key = origin(ts.isPropertyAssignment(child) ? child.initializer : child.name);
            if (key) return;
          }
          if (ts.isCallExpression(child) && child.arguments.length === 2 && idKey.test(child.arguments[0]!.getText(scope.sourceFile))) {
            key = origin(child.arguments[1]!);
            if (key) return;
          }
          ts.forEachChild(child, probe);
        };
        key = origin(filter);
        if (!key) probe(filter);
        if (key) {
          if (!checkedBefore(node, key)) out.push({ ...key, label: description.label, model: access.model });
          return;
        }
      }
    }
    // A helper of a helper: its keyed write, reached with one of our parameters.
    for (const inner of description.summary?.keyedWrites ?? []) {
      const arg = node.arguments[inner.param];
      if (!arg) continue;
      const value = unwrap(arg);
      const source = inner.property && ts.isObjectLiteralExpression(value)
        ? value.properties.find((p) => p.name?.getText(scope.sourceFile) === inner.property)
        : undefined;
      const key = origin(source ? (ts.isPropertyAssignment(source) ? source.initializer : ts.isShorthandPropertyAssignment(source) ? source.name : value) : inner.property ? value : value);
      if (key && !checkedBefore(node, key)) out.push({ ...key, label: `${description.label} (${inner.label})`, model: inner.model });
    }
  });
  return out;
}

/** How a wrapper calls its callback parameter from the function it returns (see `FunctionSummary.passes`). */
function forwardedArguments(fn: ts.FunctionLikeDeclaration): ('client' | 'server')[] | undefined {
  const callbacks = new Set(fn.parameters.filter((p) => ts.isIdentifier(p.name)).map((p) => (p.name as ts.Identifier).text));
  if (callbacks.size === 0 || !fn.body) return undefined;
  let passes: ('client' | 'server')[] | undefined;
  walk(
    fn.body,
    (node) => {
      if (passes || !ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || !callbacks.has(node.expression.text)) return;
      let inner: ts.Node | undefined = node.parent;
      while (inner && inner !== fn && !isFunctionLike(inner)) inner = inner.parent;
      if (!inner || inner === fn || !isFunctionLike(inner)) return;
      const forwarded = new Set(inner.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])));
      passes = node.arguments.map((arg) => (ts.isIdentifier(unwrap(arg)) && forwarded.has((unwrap(arg) as ts.Identifier).text) ? 'client' : 'server'));
    },
    true,
  );
  return passes;
}

/** The auth call's result reaches the helper's return value (`return session`, `const s = …; return s`). */
function flowsOut(authCall: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return false;
  const bound = boundNamesOf(authCall);
  let found = false;
  const returned = (expression: ts.Node): void => {
    if (found) return;
    if (isInside(authCall, expression) || [...referencedNames(expression)].some((n) => bound.includes(n))) found = true;
  };
  if (!ts.isBlock(body)) returned(body);
  else walk(body, (node) => ts.isReturnStatement(node) && node.expression && returned(node.expression));
  return found;
}

/** An `if` on the auth call's result (or with the call in its condition) that throws, returns or exits. */
function exitsOnCheckOf(authCall: ts.Node, fn: ts.FunctionLikeDeclaration, scope: Scope): boolean {
  if (!fn.body) return false;
  const bound = boundNamesOf(authCall);
  let found = false;
  walk(fn.body, (node) => {
    if (found || !ts.isIfStatement(node)) return;
    const checks = isInside(authCall, node.expression) || [...referencedNames(node.expression)].some((n) => bound.includes(n));
    if (checks && statementExits(node.thenStatement, scope)) found = true;
  });
  return found;
}

/** Where the call's result goes: `const session = await auth()`, `const { userId } = …`, `user = …`. */
function resultTarget(call: ts.Node): ts.VariableDeclaration | ts.BinaryExpression | undefined {
  let current: ts.Node = call;
  while (current.parent && (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent))) current = current.parent;
  const parent = current.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent;
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) return parent;
  return undefined;
}

/** Every name the call's result is bound to. */
function boundNamesOf(call: ts.Node): string[] {
  const target = resultTarget(call);
  if (!target) return [];
  return ts.isVariableDeclaration(target) ? boundNames(target.name) : [(target.left as ts.Identifier).text];
}

/**
 * How the helper's result carries the user: the shape of the auth call it returns, narrowed by what it returns of it
 * (`return session.user` → a user), or a user read from the database.
 */
function returnedShape(fn: ts.FunctionLikeDeclaration, authCall: ts.Node | undefined, auth: AuthInfo | undefined): SessionShape | undefined {
  const body = fn.body;
  if (!body) return undefined;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(body)) returned.push(body);
  else walk(body, (node) => ts.isReturnStatement(node) && node.expression && returned.push(node.expression));
  const inner = auth?.shape;
  const bound = authCall ? boundName(authCall) : undefined;
  for (const expression of returned) {
    const value = unwrap(expression);
    if (authCall && value === authCall) return inner;
    // `return session?.user` / `return session.user ?? null`.
    const base = ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ? unwrap(value.left) : value;
    const path = propertyPath(base);
    if (path && bound && path.root === bound) {
      if (path.rest.length === 0) return inner;
      if (inner && inner.userIdPath.slice(0, path.rest.length).join('.') === path.rest.join('.')) {
        return { userIdPath: inner.userIdPath.slice(path.rest.length), presencePath: [], fixBinding: path.rest[path.rest.length - 1] === 'user' ? 'user' : 'session' };
      }
      continue;
    }
    // `return { id: session.user.id, email }` (a user), `return { user, session }`, `return { userId }`.
    if (ts.isObjectLiteralExpression(value)) {
      const keys = value.properties.map((p) => p.name?.getText()).filter((k): k is string => k !== undefined);
      if (keys.includes('id')) return USER_SHAPE;
      if (keys.includes('user')) return { userIdPath: ['user', 'id'], presencePath: ['user'], fixBinding: '{ user }' };
      if (keys.includes('userId')) return { userIdPath: ['userId'], presencePath: ['userId'], fixBinding: '{ userId }' };
    }
    // `return user` (a record looked up for the session), `return db.user.findUnique(…)`.
    if (ts.isIdentifier(base) && /^(user|currentUser|me|viewer|dbUser|sessionUser)$/.test(base.text)) return USER_SHAPE;
    if (ts.isCallExpression(base) && /(^|\.)(users?|accounts?|profiles?)\.(findUnique|findFirst|findUniqueOrThrow|findFirstOrThrow)$/.test(chainMembers(base.expression).join('.'))) return USER_SHAPE;
  }
  return undefined;
}

/** The one name a declaration binds the call's result to (`const session = …`; not a destructuring). */
function boundName(call: ts.Node): string | undefined {
  const target = resultTarget(call);
  return target && ts.isVariableDeclaration(target) && ts.isIdentifier(target.name) ? target.name.text : undefined;
}

function propertyPath(expression: ts.Expression): { root: string; rest: string[] } | undefined {
  const rest: string[] = [];
  let current: ts.Expression = unwrap(expression);
  while (ts.isPropertyAccessExpression(current)) {
    rest.unshift(current.name.text);
    current = unwrap(current.expression);
  }
  return ts.isIdentifier(current) ? { root: current.text, rest } : undefined;
}

/** An auth helper a fix can call, as the file imports it. */
export interface AuthSource {
  name: string;
  kind: 'getter' | 'guard';
  shape?: SessionShape;
  /** The call a fix writes (`auth.api.getSession({ headers: await headers() })`), with the imports it needs. */
  fixCall?: CallKnowledge['fixCall'];
  /** The import is a factory of a client whose member is the getter: `createClient()` → `<client>.auth.getUser()`. */
  clientMember?: string;
}

/** What an imported name offers a fix that establishes the session: a getter, a guard, a client with a getter. */
export function authSourceOf(name: string, scope: Scope): AuthSource | undefined {
  const imported = scope.bindings.imports.get(name);
  if (!imported) return undefined;
  const knowledge = scope.resolver.knowledge;
  const fromProject = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported);
  if (fromProject) {
    const fn = fromProject.fn;
    if (fn?.auth) return fn.auth.certainty === 'certain' ? { name, kind: fn.auth.kind, shape: fn.auth.shape, fixCall: fn.auth.fixCall } : undefined;
    const client = fromProject.value?.library ?? fn?.returnsClient;
    if (client) {
      const own = fromProject.value?.library ? knowledge.memberCall(client, imported.imported) : undefined;
      if (own?.auth) return { name, kind: own.auth, shape: own.shape, fixCall: own.fixCall };
      const getter = client.members?.find((rule) => rule.auth === 'getter' && rule.shape && rule.fixCall);
      if (!getter?.fixCall) return undefined;
      // A client instance (`auth` of better-auth): its getter is called on it; a factory: on what it returns.
      if (fromProject.value?.library) {
        return { name, kind: 'getter', shape: getter.shape, fixCall: { text: getter.fixCall.text.replace(/^\w+/, name), imports: getter.fixCall.imports } };
      }
      return { name, kind: 'getter', shape: getter.shape, fixCall: getter.fixCall, clientMember: getter.fixCall.text.replace(/^\w+\./, '') };
    }
    if (fn) {
      // A helper whose session check the engine cannot see (a JWT, a session table): its name, and what it returns.
      const byName = knowledge.authByName(name);
      return byName === 'getter' || byName === 'guard' ? { name, kind: byName, shape: fn.returnsShape } : undefined;
    }
  } else {
    const known = knowledge.exportCall(imported.specifier, imported.imported);
    if (known?.auth) return { name, kind: known.auth, shape: known.shape, fixCall: known.fixCall };
    const library = knowledge.library(imported.specifier);
    if (library && library.category !== 'auth') return undefined;
  }
  const byName = knowledge.authByName(name);
  return byName === 'getter' || byName === 'guard' ? { name, kind: byName } : undefined;
}

/**
 * The exiting checks of a helper's body and the parameters they look at: `if (post.userId !== user.id) throw`,
 * `if (!(await canEdit(user, post))) throw`, also through a value computed from a parameter (`const isOwner =
 * post.userId === user.id`). A check whose condition holds an un-awaited Promise is no check.
 */
/**
 * Exiting checks in a helper and the parameter values they look at, as `param:property` (`0:spaceId` for a
 * destructured `{ spaceId, id }`): a check of the space scopes a write keyed by the id.
 */
function internalChecks(fn: ts.FunctionLikeDeclaration, params: Map<string, { param: number; property?: string }>, scope: Scope): { end: number; params: string[]; call: boolean }[] {
  if (!fn.body) return [];
  const derived = new Map<string, Set<string>>();
  for (const [name, { param, property }] of params) derived.set(name, new Set([`${param}:${property ?? ''}`]));
  walk(fn.body, (node) => {
    if (!ts.isVariableDeclaration(node) || !node.initializer || !ts.isIdentifier(node.name)) return;
    const from = new Set<string>();
    for (const name of referencedNames(node.initializer)) for (const p of derived.get(name) ?? []) from.add(p);
    if (from.size > 0) derived.set(node.name.text, from);
  });
  const out: { end: number; params: string[]; call: boolean }[] = [];
  const paramsOf = (node: ts.Node): string[] => {
    const looked = new Set<string>();
    for (const name of referencedNames(node)) for (const p of derived.get(name) ?? []) looked.add(p);
    return [...looked];
  };
  /** `await assertGroupOwner(user, groupId)`, also as `const group = await …`: a helper that stops the request, given a parameter. */
  const exitingCall = (statement: ts.Statement, expression: ts.Expression): void => {
    const call = unwrap(expression);
    if (!ts.isCallExpression(call)) return;
    const description = describeCall(call, scope);
    if (!(description?.exit || description?.auth?.kind === 'guard' || description?.summary?.exits === true)) return;
    const awaited = expression.getText(scope.sourceFile).trimStart().startsWith('await') || !description.summary?.async;
    const looked = paramsOf(call);
    if (awaited && looked.length > 0) out.push({ end: statement.getEnd(), params: looked, call: true });
  };
  walk(fn.body, (node) => {
    if (ts.isExpressionStatement(node)) return exitingCall(node, node.expression);
    if (ts.isVariableStatement(node)) {
      for (const declaration of node.declarationList.declarations) if (declaration.initializer) exitingCall(node, declaration.initializer);
      return;
    }
    if (!ts.isIfStatement(node) || !statementExits(node.thenStatement, scope)) return;
    if (unawaitedAsyncCalls(node.expression, scope).length > 0) return;
    const looked = paramsOf(node.expression);
    // A call in the condition (`ability.cannot('revoke', key)`, `isMember(spaceId, user)`) asks a question; a bare
    // `if (!title)` only checks presence.
    let call = ts.isCallExpression(unwrap(node.expression));
    walk(node.expression, (child) => {
      if (ts.isCallExpression(child)) call = true;
    });
    if (looked.length > 0) out.push({ end: node.getEnd(), params: looked, call });
  });
  return out;
}

function statementExits(statement: ts.Statement, scope: Scope): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return statement.statements.some((s) => statementExits(s, scope));
  if (ts.isExpressionStatement(statement)) {
    const expression = unwrap(statement.expression);
    if (ts.isCallExpression(expression)) {
      const description = describeCall(expression, scope);
      return !!description?.exit || description?.auth?.kind === 'guard' || description?.summary?.exits === true;
    }
  }
  return false;
}

/** Calls of async project functions in an expression that are not awaited (nor handed to `.then`). */
function unawaitedAsyncCalls(expression: ts.Expression, scope: Scope): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAwaitExpression(node) || isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      const parent = node.parent;
      const handled = ts.isPropertyAccessExpression(parent) && /^(then|catch|finally)$/.test(parent.name.text);
      if (!handled && describeCall(node, scope)?.summary?.async) out.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return out;
}

/** Exiting `if`s of a body whose condition holds an un-awaited async call: the check never fails. */
export function brokenChecksIn(body: ts.Node, scope: Scope): BrokenCheck[] {
  const out: BrokenCheck[] = [];
  walk(body, (node) => {
    if (!ts.isIfStatement(node) || !statementExits(node.thenStatement, scope)) return;
    for (const call of unawaitedAsyncCalls(node.expression, scope)) {
      out.push({ node: call, sourceFile: scope.sourceFile, callee: dottedName(unwrap(call.expression)) ?? 'call' });
    }
  });
  return out;
}
