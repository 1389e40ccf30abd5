/**
 * Classifies calls by what they do (auth, exit, write, revalidate, rate limit, schema parse, expensive service),
 * following imports into project files through the `Resolver`. Used both for actions and for the summaries of
 * helpers they call, so a helper is judged by the same rules as inline code.
 */
import ts from 'typescript';
import type { GuardSettings } from '../../../../shared/settings';
import { calleeMember, chainMembers, chainRoot, dottedName, isFunctionLike, unwrap, walk } from '../ast';
import type { FileBindings } from './bindings';
import {
  classifyAuthName,
  EXIT_CALLS,
  isExpensiveModule,
  isRateLimitName,
  isSafeSchemaMethod,
  isDatabaseModule,
  isMutatingName,
  privilegedModuleReason,
  RATE_LIMIT_MODULES,
  REVALIDATE_CALLS,
  SCHEMA_FUNCTIONS,
  SCHEMA_METHODS,
  SCHEMA_MODULES,
} from './knowledge';
import type { Certainty, EffectKind } from './model';

export interface FunctionSummary {
  /** `guard`: stops callers without a session itself; `getter`: returns the session for the caller to check. */
  auth: 'guard' | 'getter' | undefined;
  authCertainty: Certainty;
  /** The first data write (ORM, SQL) the function makes, directly or through helpers. */
  write: string | undefined;
  /** It sends a mutating `fetch` (a webhook, a verification API): a side effect, but no data of ours to revalidate. */
  fetchWrite: boolean;
  revalidates: boolean;
  rateLimits: boolean;
  expensive: string | undefined;
  validates: boolean;
}

export interface ValueSummary {
  dbClient: boolean;
  expensiveModule: string | undefined;
  /** A next-safe-action / zsa client or procedure; `auth` when its middleware chain establishes identity. */
  actionClient:
    | {
        auth: Certainty | undefined;
        authCallee: string | undefined;
        /** Where the middleware puts the user's id in `ctx` (`userId`, `user.id`), when it can be seen. */
        ctxUserId?: string;
      }
    | undefined;
}

export interface ExportSummary {
  file: string;
  fn: FunctionSummary | undefined;
  value: ValueSummary | undefined;
}

export interface Resolver {
  settings: GuardSettings;
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
  auth?: { kind: 'getter' | 'guard'; certainty: Certainty };
  exit?: boolean;
  revalidate?: boolean;
  rateLimit?: boolean;
  schema?: { safe: boolean };
  write?: EffectKind;
  read?: boolean;
  expensive?: string;
  /** Where the call's behaviour was learned, when it was a project helper. */
  via?: string;
}

const WRITE_METHODS_STRONG = new Set([
  'createMany',
  'createManyAndReturn',
  'updateMany',
  'upsert',
  'deleteMany',
  'insertOne',
  'insertMany',
  'updateOne',
  'replaceOne',
  'deleteOne',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'findByIdAndUpdate',
  'findByIdAndDelete',
  'findByIdAndRemove',
  'bulkWrite',
  '$executeRaw',
  '$executeRawUnsafe',
]);
const WRITE_METHODS_DB = new Set([
  'create',
  'update',
  'delete',
  'insert',
  'remove',
  'destroy',
  'save',
  'set',
  'hset',
  'del',
  'incr',
  'decr',
  'lpush',
  'rpush',
  'sadd',
  'zadd',
  'expire',
  'put',
  'add',
  'values',
  'increment',
]);
const READ_METHODS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'findOne',
  'findById',
  'find',
  'select',
  'selectFrom',
  'get',
  'hget',
  'hgetall',
  'count',
  'aggregate',
  'query',
]);
const DB_ROOT_FALLBACK = new Set(['tx', 'trx', 'transaction']);

export function describeCall(node: ts.CallExpression | ts.TaggedTemplateExpression, scope: Scope): CallDescription | undefined {
  const settings = scope.resolver.settings;
  if (ts.isTaggedTemplateExpression(node)) {
    const tag = dottedName(node.tag) ?? '';
    const text = node.template.getText(scope.sourceFile);
    const writesSql = /^\W*(insert|update|delete|upsert|merge|replace|truncate|drop|alter|create)\b/i.test(text.replace(/^`/, ''));
    // Prisma's `$executeRaw` runs statements that return an affected-row count: writes, whatever the text.
    if ((/(^|\.)sql$/.test(tag) && writesSql) || /(^|\.)\$executeRaw(Unsafe)?$/.test(tag) || (/(^|\.)\$queryRaw$/.test(tag) && writesSql)) {
      return { label: `${tag}\`…\``, write: 'sql-write' };
    }
    return undefined;
  }
  const callee = unwrap(node.expression);
  const dotted = dottedName(callee);
  const label = dotted ? `${dotted.replace(/\(\)/g, '()')}()` : 'call';
  const member = calleeMember(node);
  const root = chainRoot(callee);
  const rootName = root?.text;
  const rootImport = rootName ? scope.bindings.imports.get(rootName) : undefined;

  // Directly imported or local functions: `auth()`, `redirect()`, `requireUser()`, `revalidatePath()`.
  if (ts.isIdentifier(callee)) {
    const name = callee.text;
    const imported = scope.bindings.imports.get(name);
    if (imported) {
      const fromProject = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported);
      // A helper whose body shows nothing we recognise (a JWT check, an SDK we do not know) is still judged by name below.
      const described = fromProject?.fn ? fromSummary(label, fromProject.fn, fromProject.file) : undefined;
      // `verifyTurnstile()` POSTs to a verification API; its name says what it is for.
      if (described && isRateLimitName(name, settings)) described.rateLimit = true;
      if (described) return described;
      // A project export that is not a readable function (`export const { auth } = NextAuth(…)`): judge by name.
      if (!fromProject) {
        const external = describeExternal(imported.specifier, imported.imported, label, settings, node);
        if (external) return external;
      }
    } else {
      const local = scope.bindings.functions.get(name);
      if (local && scope.depth < 4) {
        const summary = summarizeLocal(local, scope);
        const described = summary ? fromSummary(label, summary, undefined) : undefined;
        if (described) return described;
      }
    }
    if (EXIT_CALLS.has(name) && (!imported || /^next\//.test(imported.specifier))) return { label, exit: true };
    if (REVALIDATE_CALLS.has(name) && (!imported || imported.specifier === 'next/cache')) return { label, revalidate: true };
    if (isRateLimitName(name, settings)) return { label, rateLimit: true };
    if (settings.validationFunctions.includes(name)) return { label, schema: { safe: false } };
    const authKind = classifyAuthName(name, settings);
    if (authKind) return authDescription(label, authKind);
    return undefined;
  }

  const dottedClean = (dotted ?? '').replace(/\(\)/g, '');
  // `auth.protect()`, `supabase.auth.getUser()`, `auth.api.getSession()`.
  const authKind = dotted ? classifyAuthName(dotted, settings) : undefined;
  if (authKind && (authKind !== 'guard-like' || !rootImport)) return authDescription(label, authKind);
  if (dotted && isRateLimitName(dotted, settings)) return { label, rateLimit: true };
  if (rootImport && RATE_LIMIT_MODULES.includes(rootImport.specifier)) return { label, rateLimit: true };
  if (member && SCHEMA_METHODS.has(member) && looksLikeSchemaReceiver(callee, scope, member)) {
    return { label, schema: { safe: isSafeSchemaMethod(member) } };
  }
  if (member === 'set' || member === 'delete') {
    if (/cookies\(\)|cookieStore|cookie/i.test(dotted ?? '') || isCookieStore(root, scope)) return { label, write: 'cookie-write' };
  }
  if (rootName === 'fetch' || (dotted === undefined && member === 'fetch')) return undefined;

  // Method calls on a value: DB clients (project exports, driver imports, conventional names), expensive SDKs.
  if (root) {
    const value = valueOfRoot(root, scope);
    const members = chainMembers(callee);
    // `APICallError.isInstance(e)`, `Stripe.errors…`: static checks on an SDK's exports cost nothing.
    const staticCheck = member !== undefined && /^(is[A-Z]\w*|isInstance|instanceOf)$/.test(member);
    if (value?.expensiveModule && !staticCheck) return { label, expensive: value.expensiveModule };
    const isDb =
      value?.dbClient ||
      settings.databaseClients.includes(root.text) ||
      DB_ROOT_FALLBACK.has(root.text) ||
      (rootImport !== undefined && isDatabaseModule(rootImport.specifier));
    if (member && WRITE_METHODS_STRONG.has(member)) return { label, write: 'db-write' };
    // Cache, lock and rate-limit stores (`redis.del(key)`, `kv.set(…)`) hold no data the page shows.
    const cacheStore = /redis|^kv$|cache|lock|ratelimit|limiter/i.test(root.text) || (rootImport !== undefined && /redis|^@vercel\/kv$/.test(rootImport.specifier));
    if (cacheStore && member && !WRITE_METHODS_STRONG.has(member)) return undefined;
    if (isDb && member) {
      if (members.some((m) => WRITE_METHODS_DB.has(m) || WRITE_METHODS_STRONG.has(m))) return { label, write: 'db-write' };
      if (member === 'query' || member === 'execute' || member === 'exec' || member === 'run') {
        const first = node.arguments[0];
        const sqlText = first && (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first)) ? first.getText(scope.sourceFile) : '';
        if (/^\W*(insert|update|delete|upsert|merge|replace|truncate)\b/i.test(sqlText)) return { label, write: 'sql-write' };
        if (first && ts.isTaggedTemplateExpression(first)) return undefined;
        return { label, read: true };
      }
      if (members.some((m) => READ_METHODS.has(m))) return { label, read: true };
    }
    if (rootImport) {
      const fromProject = scope.resolver.importedSummary(scope.file, rootImport.specifier, rootImport.imported);
      // `import * as posts from '@/lib/posts'; posts.remove(id)`.
      if (rootImport.imported === '*' && member) {
        const nested = scope.resolver.importedSummary(scope.file, rootImport.specifier, member);
        if (nested?.fn) return fromSummary(label, nested.fn, nested.file);
      }
      if (!fromProject && !staticCheck && isExpensiveModule(rootImport.specifier, settings)) return { label, expensive: rootImport.specifier };
    }
  }
  if (dottedClean.endsWith('.revalidatePath') || dottedClean.endsWith('.revalidateTag')) return { label, revalidate: true };
  return undefined;
}

/** A fetch with a mutating method: `fetch(url, { method: 'POST' })`. */
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
    // GraphQL sends queries with POST: a body carrying `query` (and no mutation) reads.
    if (ts.isPropertyAssignment(property) && property.name.getText() === 'body') {
      const body = property.initializer.getText();
      graphqlQuery = /\bquery\b/.test(body) && !/mutation/i.test(body);
    }
  }
  return mutating && !graphqlQuery;
}

function authDescription(label: string, kind: NonNullable<ReturnType<typeof classifyAuthName>>): CallDescription {
  if (kind === 'self-exiting') return { label, auth: { kind: 'guard', certainty: 'certain' } };
  if (kind === 'identity-getter') return { label, auth: { kind: 'getter', certainty: 'certain' } };
  // A guard-looking helper we could not read: it probably stops the request, but we cannot prove it.
  return { label, auth: { kind: 'guard', certainty: 'unverified' } };
}

function fromSummary(label: string, summary: FunctionSummary, via: string | undefined): CallDescription | undefined {
  const description: CallDescription = { label, via };
  let any = false;
  if (summary.auth) {
    description.auth = { kind: summary.auth, certainty: summary.authCertainty };
    any = true;
  }
  if (summary.write) {
    description.write = 'helper-write';
    description.label = via ? `${label} (writes through ${summary.write})` : label;
    any = true;
  } else if (summary.fetchWrite) {
    description.write = 'fetch-write';
    any = true;
  }
  if (summary.revalidates) (description.revalidate = true), (any = true);
  if (summary.rateLimits) (description.rateLimit = true), (any = true);
  if (summary.expensive) (description.expensive = summary.expensive), (any = true);
  if (summary.validates) (description.schema = { safe: false }), (any = true);
  return any ? description : undefined;
}

function describeExternal(
  specifier: string,
  imported: string,
  label: string,
  settings: GuardSettings,
  node: ts.CallExpression,
): CallDescription | undefined {
  if (specifier === 'next/cache' && REVALIDATE_CALLS.has(imported)) return { label, revalidate: true };
  if (specifier === 'next/navigation' && EXIT_CALLS.has(imported)) return { label, exit: true };
  if (RATE_LIMIT_MODULES.includes(specifier)) return { label, rateLimit: true };
  if (SCHEMA_MODULES.includes(specifier) && SCHEMA_FUNCTIONS.has(imported)) return { label, schema: { safe: imported.startsWith('safe') } };
  // The AI SDK's helpers (`tool()`, `jsonSchema()`, provider factories) are free; its generate/stream/embed calls are not.
  if (isExpensiveModule(specifier, settings) && (!/^(ai|@ai-sdk\/)/.test(specifier) || /^(generate|stream|embed|experimental_(generate|stream|transcribe))\w*$/.test(imported))) {
    return { label, expensive: specifier };
  }
  if (/^(next-auth|@auth\/|@clerk\/|@kinde-oss\/|better-auth|lucia|iron-session|@supabase\/|@workos-inc\/|@stackframe\/|@propelauth\/|firebase)/.test(specifier)) {
    const kind = classifyAuthName(imported, settings);
    if (kind) return authDescription(label, kind);
  }
  if (imported === 'cookies' && specifier === 'next/headers') return undefined;
  if (privilegedModuleReason(specifier) && node.arguments.length > 0) {
    // e.g. `sql('insert …')` from a driver.
    const first = node.arguments[0]!;
    if (ts.isStringLiteralLike(first) && /^\s*(insert|update|delete)/i.test(first.text)) return { label, write: 'sql-write' };
  }
  return undefined;
}

function looksLikeSchemaReceiver(callee: ts.Expression, scope: Scope, member: string): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  // Only schema libraries have `safeParse`; `parse` alone is also JSON.parse, URL parsers, date libraries.
  if (member === 'safeParse' || member === 'safeParseAsync') return true;
  const receiver = unwrap(callee.expression);
  const root = chainRoot(receiver);
  if (!root) return ts.isCallExpression(receiver);
  return isSchemaName(root, scope, 0);
}

function isSchemaName(root: ts.Identifier, scope: Scope, depth: number): boolean {
  const name = root.text;
  if (/schema|validator|^z$|^v$|^y$|^t$|^s$|type$|^yup$|^Joi$/i.test(name)) return true;
  const imported = scope.bindings.imports.get(name);
  if (imported) {
    if (SCHEMA_MODULES.includes(imported.specifier)) return true;
    const summary = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported);
    // A schema exported by a project module is a plain value; DB clients, SDKs and action clients are not schemas.
    return summary !== undefined && summary.fn === undefined && !summary.value;
  }
  const variable = scope.bindings.variables.get(name);
  if (variable?.initializer) {
    const text = variable.initializer.getText(scope.sourceFile);
    if (/^(z|v|y|yup|t|s|Joi|zfd|type|object|Schema)\b[.(]/.test(text) || /\b(z|v|yup|zfd)\.\w+\(/.test(text)) return true;
    // `const CreateInvoice = FormSchema.omit({ id: true })`: derived from another schema.
    const base = chainRoot(unwrap(variable.initializer));
    return base !== undefined && base.text !== name && depth < 4 && isSchemaName(base, scope, depth + 1);
  }
  // Locals like `const schema = …` inside a function: accept schema-ish names only (checked above).
  return false;
}

function isCookieStore(root: ts.Identifier | undefined, scope: Scope): boolean {
  if (!root) return false;
  const variable = scope.bindings.variables.get(root.text);
  return !!variable?.initializer && /cookies\(\)/.test(variable.initializer.getText(scope.sourceFile));
}

/** What a top-level name denotes as a value: a DB client, an SDK instance, an action client. */
export function valueOfRoot(root: ts.Identifier, scope: Scope): ValueSummary | undefined {
  const imported = scope.bindings.imports.get(root.text);
  if (imported) {
    const fromProject = scope.resolver.importedSummary(scope.file, imported.specifier, imported.imported);
    if (fromProject?.value) return fromProject.value;
    if (isExpensiveModule(imported.specifier, scope.resolver.settings)) return { dbClient: false, expensiveModule: imported.specifier, actionClient: undefined };
    return undefined;
  }
  const variable = scope.bindings.variables.get(root.text);
  if (variable?.initializer && scope.depth < 6) return summarizeValue(variable.initializer, { ...scope, depth: scope.depth + 1 });
  return undefined;
}

/** Classifies a value expression (`new PrismaClient()`, `new OpenAI()`, `createSafeActionClient().use(mw)`). */
export function summarizeValue(expression: ts.Expression, scope: Scope): ValueSummary | undefined {
  const settings = scope.resolver.settings;
  let dbClient = false;
  let expensiveModule: string | undefined;
  let actionClient: ValueSummary['actionClient'];
  const expr = unwrap(expression);

  // Action clients: walk the call chain from the outside in, collecting `.use()` middlewares.
  const chain = callChain(expr);
  if (chain.length > 0) {
    const base = chain[0]!;
    let baseClient: ValueSummary['actionClient'];
    const factoryName = ts.isIdentifier(base.callee) ? (scope.bindings.imports.get(base.callee.text)?.imported ?? base.callee.text) : '';
    const factory = /^(createSafeActionClient|createServerAction|createServerActionProcedure|createMiddleware)$/.test(factoryName);
    // zsa procedures run their `.handler(fn)` before every action built on them: it is their middleware.
    const procedure = /Procedure$/.test(factoryName);
    if (ts.isIdentifier(base.callee) && factory) {
      const name = base.callee.text;
      baseClient = { auth: undefined, authCallee: undefined };
      const parent = base.args[0] ? unwrap(base.args[0]) : undefined;
      if (procedure && parent && isFunctionLike(parent)) {
        const summary = summarizeFunctionBody(parent, scope);
        if (summary.auth) baseClient = { auth: summary.authCertainty, authCallee: name };
      } else if (procedure && parent && ts.isIdentifier(parent)) {
        // `createServerActionProcedure(authedProcedure)` inherits the parent procedure's checks.
        const inherited = valueOfRoot(parent, scope)?.actionClient;
        if (inherited) baseClient = { ...inherited };
      }
    } else {
      const root = chainRoot(base.callee);
      const rootValue = root ? valueOfRoot(root, scope) : undefined;
      if (rootValue?.actionClient) baseClient = { ...rootValue.actionClient };
    }
    if (baseClient) {
      for (const link of chain) {
        if ((link.member === 'use' || link.member === 'middleware' || (procedure && link.member === 'handler')) && link.args[0]) {
          const mw = unwrap(link.args[0]);
          const summary = isFunctionLike(mw)
            ? summarizeFunctionBody(mw, scope)
            : ts.isIdentifier(mw)
              ? summaryOfName(mw, scope)
              : undefined;
          if (summary?.auth && baseClient.auth !== 'certain') {
            baseClient = {
              ...baseClient,
              auth: summary.auth === 'guard' || summary.auth === 'getter' ? summary.authCertainty : undefined,
              authCallee: mw.getText(scope.sourceFile).slice(0, 40),
            };
          }
          const ctxUserId = isFunctionLike(mw) ? ctxUserIdOf(mw) : undefined;
          if (ctxUserId) baseClient = { ...baseClient, ctxUserId };
        }
      }
      actionClient = baseClient;
    }
  }

  const visitValue = (node: ts.Node): void => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        const root = chainRoot(node.expression);
        const imported = root ? scope.bindings.imports.get(root.text) : undefined;
        if (imported) {
          // Paid SDKs that hold a secret (Stripe) are services to rate limit, not databases to revalidate.
          if (isExpensiveModule(imported.specifier, settings)) expensiveModule = imported.specifier;
          else if (privilegedModuleReason(imported.specifier)) dbClient = true;
          else if (/supabase/.test(imported.specifier) && /createClient|createServerClient|createAdminClient/.test(imported.imported)) dbClient = true;
        }
      }
  };
  visitValue(expr);
  walk(expr, visitValue, true);
  if (expr !== expression || ts.isIdentifier(expr)) {
    if (ts.isIdentifier(expr) && expr !== expression) {
      const inner = valueOfRoot(expr, scope);
      if (inner) return inner;
    }
  }
  if (ts.isIdentifier(expr)) {
    const inner = valueOfRoot(expr, scope);
    if (inner) return inner;
  }
  if (!dbClient && !expensiveModule && !actionClient) return undefined;
  return { dbClient, expensiveModule, actionClient };
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
  const summary: FunctionSummary = {
    auth: undefined,
    authCertainty: 'certain',
    write: undefined,
    fetchWrite: false,
    revalidates: false,
    rateLimits: false,
    expensive: undefined,
    validates: false,
  };
  if (!fn.body) return summary;
  let authCall: CallDescription['auth'] | undefined;
  let exits = false;
  walk(
    fn.body,
    (node) => {
      if (ts.isThrowStatement(node)) exits = true;
      if (!ts.isCallExpression(node) && !ts.isTaggedTemplateExpression(node)) return;
      const description = describeCall(node, scope);
      if (ts.isCallExpression(node) && isMutatingFetch(node)) summary.fetchWrite = true;
      if (!description) return;
      if (description.auth) {
        if (!authCall || (authCall.kind === 'getter' && description.auth.kind === 'guard') || authCall.certainty === 'unverified') {
          authCall = description.auth;
        }
      }
      if (description.exit) exits = true;
      if (description.write === 'fetch-write') summary.fetchWrite = true;
      // A helper's own DB writes count; writes further down only through helpers whose names say they mutate
      // (a token refresh three calls deep does not make `createEmailProvider()` a write).
      else if (description.write && description.write !== 'cookie-write' && (description.write !== 'helper-write' || isMutatingName(calleeName(node)))) {
        summary.write ??= description.label;
      }
      if (description.revalidate) summary.revalidates = true;
      if (description.rateLimit) summary.rateLimits = true;
      if (description.expensive) summary.expensive ??= description.expensive;
      if (description.schema) summary.validates = true;
    },
    true,
  );
  if (authCall) {
    summary.auth = authCall.kind === 'guard' || exits ? 'guard' : 'getter';
    summary.authCertainty = authCall.certainty;
  }
  return summary;
}

/** The called function's own name: `posts.updatePost(…)` → `updatePost`. */
function calleeName(node: ts.CallExpression | ts.TaggedTemplateExpression): string {
  return ts.isCallExpression(node) ? (calleeMember(node) ?? '') : '';
}
