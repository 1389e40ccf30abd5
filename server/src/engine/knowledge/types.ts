/**
 * The shape of what the engine knows about a library. One `LibraryDescriptor` per library (libraries/*.ts), plain
 * data: which packages it is, what calling its exports or the clients it creates does, how its auth results carry
 * the user, and what a fix inserts in its idiom. `knowledge/index.ts` merges them with the user's settings.
 */

/** What a call does to the world, as far as the checklist cares. */
export type EffectKind =
  | 'db-write'
  | 'db-read'
  | 'storage-write'
  | 'storage-read'
  | 'payment'
  | 'billing-read'
  | 'email'
  | 'sms'
  | 'ai'
  | 'external-write'
  | 'fs-write'
  | 'process'
  | 'cookie-write'
  | 'server-state-write'
  | 'secret-read'
  | 'paid-service';

export interface EffectTraits {
  /** A read: it matters when it returns per-user or secret data to an unauthenticated caller. */
  read: boolean;
  /** It costs money or reputation per call (AI, email, SMS, payments): rate limit it. */
  expensive: boolean;
  /** It changes data the app renders: revalidate after it. */
  changesAppData: boolean;
  /** Short noun phrase for messages ("a database write"). */
  noun: string;
}

export const EFFECT_TRAITS: Readonly<Record<EffectKind, EffectTraits>> = {
  'db-write': { read: false, expensive: false, changesAppData: true, noun: 'a database write' },
  'db-read': { read: true, expensive: false, changesAppData: false, noun: 'a database read' },
  // A file upload or delete shows on a page only through the row that points at it, which is a database write.
  'storage-write': { read: false, expensive: false, changesAppData: false, noun: 'a storage write' },
  'storage-read': { read: true, expensive: false, changesAppData: false, noun: 'a storage read' },
  payment: { read: false, expensive: true, changesAppData: false, noun: 'a payment call' },
  'billing-read': { read: true, expensive: false, changesAppData: false, noun: 'a billing read' },
  email: { read: false, expensive: true, changesAppData: false, noun: 'an email' },
  sms: { read: false, expensive: true, changesAppData: false, noun: 'an SMS' },
  ai: { read: false, expensive: true, changesAppData: false, noun: 'an AI model call' },
  'external-write': { read: false, expensive: false, changesAppData: false, noun: 'a write to an external service' },
  'fs-write': { read: false, expensive: false, changesAppData: false, noun: 'a file write' },
  process: { read: false, expensive: false, changesAppData: false, noun: 'a child process' },
  'cookie-write': { read: false, expensive: false, changesAppData: false, noun: 'a cookie write' },
  'server-state-write': { read: false, expensive: false, changesAppData: false, noun: 'a write to server state' },
  // A secret from the environment or a config module, returned to the caller.
  'secret-read': { read: true, expensive: false, changesAppData: false, noun: 'a secret' },
  'paid-service': { read: false, expensive: true, changesAppData: false, noun: 'a call to a paid service' },
};

/**
 * How an auth result carries the signed-in user, and how a fix binds and checks it in the library's idiom.
 * Paths are property paths from the value the call resolves to.
 */
export interface SessionShape {
  /** Path to the user's id: `['user', 'id']` (Auth.js session), `['userId']` (Clerk `auth()`), `['id']` (a user). */
  userIdPath: readonly string[];
  /** Path whose truthiness proves a signed-in caller (and narrows `userIdPath` for TypeScript). */
  presencePath: readonly string[];
  /** The binding a fix declares: a name (`session`) or a destructuring pattern (`{ userId }`). */
  fixBinding: string;
}

/** What calling something does: a session getter or guard, an exit, an effect, a validation, a rate limit. */
export interface CallKnowledge {
  /** `getter`: returns the session/user, the caller must exit without one; `guard`: stops callers without one. */
  auth?: 'getter' | 'guard';
  /** For auth calls: how the result carries the user. */
  shape?: SessionShape;
  /**
   * For auth calls: the call a fix writes and its imports. For a member of a client, the text starts with a
   * placeholder for the client's name (`auth.api.getSession({ headers: await headers() })`, `supabase.auth.getUser()`).
   */
  fixCall?: { text: string; imports?: readonly { name: string; from: string }[] };
  effect?: EffectKind;
  /** Ends the request (redirect, notFound). */
  exit?: boolean;
  /** Refreshes cached data (revalidatePath). */
  revalidate?: boolean;
  rateLimit?: boolean;
  /**
   * An auth flow a script could hammer: a credential or code check, an account created, a sign-in link or code sent
   * (not an OAuth redirect, not sign-out).
   */
  authFlow?: boolean;
  /** It starts an OAuth sign-in (a redirect to a provider): public, and nothing a script could guess. */
  oauth?: boolean;
  /**
   * It acts as the signed-in caller and throws without a session (Better Auth's `api.setPassword({ headers })`): its
   * own effect, and what follows it, run only for a signed-in user.
   */
  actsAsCaller?: boolean;
  /** A schema parse: `throws` on invalid input, or `safe` (returns a result to check). */
  validate?: 'throws' | 'safe';
  /**
   * The effect depends on the text sent: SQL that inserts, updates or deletes writes (`db-write`), a GraphQL document
   * holding a `mutation` writes (`external-write`); otherwise `effect` stands.
   */
  byText?: 'sql' | 'graphql';
  /**
   * The effect depends on the command object passed (`send(new DeleteObjectCommand(…))`): the constructor name of
   * argument `arg` picks `write` or `read`.
   */
  commands?: { arg: number; write: RegExp; writeEffect: EffectKind; readEffect: EffectKind };
}

/**
 * Calls on a value the library creates (a Prisma client, a Stripe instance, a Supabase client), matched on the
 * member path after the value (`post.update`, `checkout.sessions.create`, `from.insert`, `auth.getUser`). The first
 * rule whose `path` matches wins.
 */
export interface MemberRule extends CallKnowledge {
  path: RegExp;
}

export type LibraryCategory = 'auth' | 'database' | 'sdk' | 'validation' | 'rate-limit' | 'framework';

export interface LibraryDescriptor {
  id: string;
  /** Human name for docs and messages. */
  name: string;
  category: LibraryCategory;
  /** Package names; a trailing `*` matches any rest (`drizzle-orm/*`, `@prisma/adapter-*`). */
  packages: readonly string[];
  /** Project specifiers that stand for the package (a generated Prisma client: `@/generated/prisma`). */
  specifierPatterns?: readonly RegExp[];
  /** Functions the packages export, by export name (`default` for a default export). */
  exports?: Readonly<Record<string, CallKnowledge>>;
  /**
   * Exports that create a client (`PrismaClient`, `drizzle`, `createServerClient`, `Stripe`): a value built from one
   * is this library's client, whose calls `members` describes.
   */
  clientFactories?: readonly string[];
  /** Exports that are clients themselves (`import sgMail from '@sendgrid/mail'`, `import { kv } from '@vercel/kv'`). */
  clientExports?: readonly string[];
  /** Calls on the library's clients. */
  members?: readonly MemberRule[];
  /**
   * Importing a value from the package puts secrets or database access in the module: it belongs behind
   * `import 'server-only'`. `browserSafe` lists exports (or a test on the name) that stay safe in the browser.
   */
  privileged?: boolean;
  browserSafe?: (exported: string, specifier: string) => boolean;
  /** Schema builders imported from the package (`z`, `v`, `yup`, `type`): values built from them are schemas. */
  schemaBuilders?: readonly string[];
  /** Method names of the library's schemas that validate, and whether they throw or return a result. */
  schemaMethods?: Readonly<Record<string, 'throws' | 'safe'>>;
  /** Examples of what this descriptor recognises, checked by the table-driven registry test. */
  examples: readonly LibraryExample[];
}

/** A small file and what the engine must recognise in it because of this descriptor. */
export interface LibraryExample {
  /** Code of an action file ('use server' is added); the call under test is on the line marked `// <-`. */
  code: string;
  /** What the marked call is. */
  expect: 'auth-getter' | 'auth-guard' | 'validate' | 'rate-limit' | 'revalidate' | 'exit' | EffectKind | 'nothing';
}
