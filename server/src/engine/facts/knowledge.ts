/**
 * What the engine knows about libraries without reading them: the names and modules of auth, validation,
 * rate-limiting, cache and expensive services. Users extend the name lists through settings.
 */
import picomatch from 'picomatch';
import type { GuardSettings } from '../../../../shared/settings';

/** Calls that return the current session or user (may be null: the caller must exit without one). */
const IDENTITY_GETTERS = new Set([
  'auth',
  'getServerSession',
  'getServerAuthSession',
  'getAuthSession',
  'getSession',
  'getUser',
  'getCurrentUser',
  'currentUser',
  'getViewer',
  'validateRequest',
  'getIronSession',
  'getKindeServerSession',
  'isAuthenticated',
  'getAuth',
  'getClaims',
  'verifySession',
  'getSessionUser',
  'getLoggedInUser',
  'getSignedInUser',
  'getUserId',
  'getCurrentSession',
]);

/** Dotted callees that return identity: Supabase, Better Auth, Kinde. */
const IDENTITY_GETTER_SUFFIXES = ['auth.getUser', 'auth.getSession', 'auth.getClaims', 'api.getSession', 'getUser'];

/** Calls that stop an unauthenticated request by themselves (throw or redirect). */
const SELF_EXITING_GUARDS = new Set(['auth.protect', 'redirectToSignIn', 'auth().protect']);

/** Names that look like a project's own guard helper (`requireUser`, `ensureAdmin`, `assertSession`). */
const GUARD_NAME = /^(?:require|ensure|assert|verify|protect|must|check|enforce|with)(?:[A-Z]\w*)?(?:Auth|Session|User|Admin|Login|LoggedIn|SignedIn|Owner|Member|Role|Permission|Access|Viewer|Account|Team|Org)\w*$/;
const GETTER_NAME = /^(?:get|fetch|load|read|current)(?:Server|Current|Auth|Authed|Authenticated|LoggedIn|SignedIn)*(?:Session|User|Viewer|Auth|Account|Member)(?:OrNull|OrUndefined)?$/;

export type AuthCallKind = 'identity-getter' | 'self-exiting' | 'guard-like' | undefined;

export function classifyAuthName(dotted: string, settings: GuardSettings): AuthCallKind {
  const clean = dotted.replace(/\(\)/g, '');
  const last = clean.slice(clean.lastIndexOf('.') + 1);
  if (settings.authFunctions.includes(clean) || settings.authFunctions.includes(last)) return 'self-exiting';
  if (SELF_EXITING_GUARDS.has(clean)) return 'self-exiting';
  if (IDENTITY_GETTERS.has(clean) || IDENTITY_GETTER_SUFFIXES.some((s) => clean === s || clean.endsWith(`.${s}`))) {
    return 'identity-getter';
  }
  if (IDENTITY_GETTERS.has(last) && clean.split('.').length <= 2) return 'identity-getter';
  if (GUARD_NAME.test(last)) return 'guard-like';
  if (GETTER_NAME.test(last)) return 'identity-getter';
  return undefined;
}

/** Calls that end the request: used for early exits after a failed check. */
export const EXIT_CALLS = new Set([
  'redirect',
  'permanentRedirect',
  'notFound',
  'forbidden',
  'unauthorized',
  'redirectToSignIn',
  'signIn',
]);

export const REVALIDATE_CALLS = new Set(['revalidatePath', 'revalidateTag', 'updateTag', 'refresh', 'expireTag', 'expirePath']);

/** Method names of schema libraries that validate (zod, yup, valibot, superstruct, arktype, effect). */
export const SCHEMA_METHODS = new Set([
  'parse',
  'safeParse',
  'parseAsync',
  'safeParseAsync',
  'spa',
  'validate',
  'validateSync',
  'validateAsync',
  'cast',
  'assert',
  'decode',
  'decodeUnknown',
  'decodeUnknownSync',
  'is',
  'create',
  'mask',
]);
const SAFE_SCHEMA_METHODS = new Set(['safeParse', 'safeParseAsync', 'spa']);

export function isSafeSchemaMethod(name: string): boolean {
  return SAFE_SCHEMA_METHODS.has(name);
}

/** Free functions of schema libraries that take (schema, value) or (value, schema). */
export const SCHEMA_FUNCTIONS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'assert', 'create', 'validate', 'is', 'mask']);
export const SCHEMA_MODULES = ['zod', 'zod/v4', 'zod/mini', 'valibot', 'yup', 'superstruct', 'arktype', 'effect', '@effect/schema', 'zod-form-data', '@sinclair/typebox', 'joi', 'io-ts'];

const RATE_LIMIT_NAME = /rate.?limit|throttle|limiter|captcha|turnstile|recaptcha|hcaptcha|botid|checkbot|isbot|verifybot|antibot|arcjet|shield/i;
export const RATE_LIMIT_MODULES = ['@upstash/ratelimit', '@arcjet/next', 'arcjet', 'botid/server', 'rate-limiter-flexible', 'limiter', '@unkey/ratelimit'];

export function isRateLimitName(dotted: string, settings: GuardSettings): boolean {
  const clean = dotted.replace(/\(\)/g, '');
  const last = clean.slice(clean.lastIndexOf('.') + 1);
  if (settings.rateLimitFunctions.includes(clean) || settings.rateLimitFunctions.includes(last)) return true;
  // `ratelimit.limit(ip)`, `aj.protect(req)`, `checkRateLimit()`, `verifyTurnstile(token)`.
  return RATE_LIMIT_NAME.test(clean) || /^aj\.protect$/.test(clean);
}

const MATCHERS = new Map<string, (value: string) => boolean>();
function compiled(pattern: string): (value: string) => boolean {
  let matcher = MATCHERS.get(pattern);
  if (!matcher) MATCHERS.set(pattern, (matcher = picomatch(pattern)));
  return matcher;
}

export function isExpensiveModule(specifier: string, settings: GuardSettings): boolean {
  return settings.expensiveModules.some((pattern) =>
    pattern.includes('*') ? compiled(pattern)(specifier) : specifier === pattern || specifier.startsWith(`${pattern}/`),
  );
}

/** Modules whose import makes a module privileged (DB drivers, admin SDKs). */
const PRIVILEGED_MODULES = [
  '@prisma/client',
  'pg',
  'postgres',
  'mysql2',
  'mysql2/promise',
  'mongodb',
  'mongoose',
  'better-sqlite3',
  '@libsql/client',
  '@neondatabase/serverless',
  '@planetscale/database',
  '@vercel/postgres',
  '@vercel/kv',
  'ioredis',
  'redis',
  '@upstash/redis',
  'firebase-admin',
  'firebase-admin/app',
  'firebase-admin/auth',
  'firebase-admin/firestore',
  'stripe',
  'kysely',
  'knex',
  'sequelize',
  'typeorm',
];
/** Drivers and clients whose method calls read or write a database (not payment or admin SDKs). */
export function isDatabaseModule(specifier: string): boolean {
  return privilegedModuleReason(specifier) !== undefined && !/^(stripe|firebase-admin\/auth)$/.test(specifier);
}

export function privilegedModuleReason(specifier: string): string | undefined {
  if (PRIVILEGED_MODULES.includes(specifier)) return `imports ${specifier}`;
  if (/^drizzle-orm\/(?!pg-core|mysql-core|sqlite-core$)[\w-]+/.test(specifier)) return `imports ${specifier}`;
  // The generated Prisma client is privileged; its enums/models/browser entry points are plain constants and types.
  if (/^@prisma\/(client|adapter-|extension-accelerate)/.test(specifier)) return `imports ${specifier}`;
  if (/(^|\/)generated\/prisma(\/(client|index|edge))?$/.test(specifier)) return `imports ${specifier}`;
  return undefined;
}

/** Environment variables that are safe anywhere (public by design or build metadata). */
export function isPublicEnvName(name: string): boolean {
  return /^(NEXT_PUBLIC_|VERCEL_|NODE_ENV$|CI$|PORT$|TZ$|npm_)/.test(name) || name === 'VERCEL_URL';
}

/** Modules of the Next.js server runtime that define the cache / navigation calls above. */
export const NEXT_CACHE = 'next/cache';
export const NEXT_NAVIGATION = 'next/navigation';

const MUTATING_VERB =
  /^(create|update|delete|remove|add|save|set|insert|upsert|archive|unarchive|publish|unpublish|toggle|invite|rename|move|edit|change|mark|assign|unassign|approve|reject|cancel|complete|restore|destroy|clear|reset|increment|decrement|like|unlike|follow|unfollow|vote|submit|post|put|patch|write|store|upload|attach|detach|link|unlink|enable|disable|join|leave|accept|decline|transfer|duplicate|copy|import|sync|register|apply|revoke|grant|purge|empty|replace|reorder|sort|pin|unpin|star|unstar|bookmark|favorite|subscribe|unsubscribe)/i;
/** Factories and accessors named like verbs (`createEmailProvider`, `setupLogger`) return things; they change no data. */
const FACTORY_NOUN = /(Client|Provider|Service|Instance|Factory|Context|Logger|Store|Schema|Handler|Router|Sdk|Api|Config|Options|Url|Key|Token)$/;

/** Whether a helper's name says it changes data the app shows (`updatePost`, `archiveThread`). */
export function isMutatingName(name: string): boolean {
  return MUTATING_VERB.test(name) && !FACTORY_NOUN.test(name);
}
