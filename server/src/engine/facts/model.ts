/**
 * What the engine knows about a file and its actions. Facts are extracted once per analysis; rules only read them.
 * These types hold TypeScript nodes and never leave the engine (see ../types.ts for the plain output).
 */
import type ts from 'typescript';
import type { CallerUse } from './callers';
import type { DataAccess } from './data';

export type { DataAccess };

/**
 * An export of a `'use server'` file defined in another module (`export { f } from './impl'`, `export * from './impl'`,
 * `import { f } from './impl'; export { f }`): an endpoint whose function is analysed where it is defined.
 */
export interface Reexport {
  /** The name the endpoint is exported under; for `export *`, undefined (every export of the module). */
  name: string | undefined;
  /** The name in the module it comes from (`default` for a default export); undefined for `export *`. */
  imported: string | undefined;
  specifier: string;
  /** Where the endpoint is reported: the export specifier, or the whole `export *` declaration. */
  nameNode: ts.Node;
}

/**
 * Which exports of a module without `'use server'` to treat as endpoints, because a `'use server'` file re-exports
 * them: a set of export names, or every export (`export *`).
 */
export type EndpointExports = ReadonlySet<string> | 'all';
import type { GuardSettings } from '../../../../shared/settings';
import { EFFECT_TRAITS, type EffectKind, type Knowledge, type SessionShape } from '../knowledge';
import type { ActionKind } from '../types';
import type { AuthSource, BrokenCheck, Certainty, ExportSummary, FunctionSummary } from './calls';
import type { FileBindings } from './bindings';

export type { Certainty, EffectKind };

/** A node of the analysed file, as rules hand it back in reports (they never look into it). */
export type SyntaxNode = ts.Node;
/** A parsed file, as rules name one (the module a finding's target sits in). */
export type SyntaxFile = ts.SourceFile;

export type Directive = 'use server' | 'use client';

export interface FileFacts {
  path: string;
  /** Path relative to the project root, with forward slashes. */
  relativePath: string;
  text: string;
  sourceFile: ts.SourceFile;
  settings: GuardSettings;
  knowledge: Knowledge;
  /** The file-level directive, only when it is the first statement (as Next.js reads it). */
  directive: Directive | undefined;
  /** Directive strings that are not the first statement of the file or of a function body. */
  misplacedDirectives: { node: ts.StringLiteral; directive: Directive }[];
  actions: ActionFacts[];
  /** Exports of a `'use server'` file built by a factory whose function the engine cannot see. */
  opaqueExports: { name: string; nameNode: ts.Node; reason: string }[];
  /** Exports of a `'use server'` file that are not async functions (a build error in Next.js). */
  nonAsyncExports: { node: ts.Node; name: string; declaration: ts.Node }[];
  /** Exports of a `'use server'` file defined in another module: endpoints analysed where they are defined. */
  reexports: Reexport[];
  /** Inline `'use server'` functions in a `'use client'` module (rejected by Next.js). */
  clientInlineActions: { node: ts.Node; name: string }[];
  /** `import 'server-only'` is present. */
  hasServerOnlyImport: boolean;
  /** Module-level privileged material in this file (DB clients, secret env reads, admin SDKs). */
  privileged: { node: ts.Node; reason: string }[];
  /** Imports of project modules that hold privileged material and lack `import 'server-only'`. */
  privilegedImports: PrivilegedImport[];
  /** Hidden `<input>` elements whose name is an identity field, in forms whose action is a server action. */
  hiddenIdentityInputs: { node: ts.Node; field: string }[];
  /** Imported functions that establish identity, usable by fixes that insert an auth check. */
  authImports: AuthImport[];
  /** The project has a sign-in: an auth library among its dependencies, or an auth helper where projects keep one. */
  projectHasAuth: boolean;
  /** The app route this file renders or belongs to, inferred from its `app/` segment (e.g. `/dashboard/posts`). */
  route: string | undefined;
  /** Project files whose facts were used (imports followed). */
  dependencies: Set<string>;
}

export type PublicKind = 'marked' | 'auth-flow' | 'oauth' | 'link' | 'form' | 'cookie' | 'token' | 'optional-session' | 'no-sign-in';

export interface PrivilegedImport {
  node: ts.ImportDeclaration;
  /** The specifier as written. */
  specifier: string;
  /** The names the import binds (default, named, namespace). */
  names: string[];
  resolvedPath: string;
  module: ts.SourceFile;
  /** Why the module is privileged (`imports @prisma/client`, `reads process.env.STRIPE_SECRET_KEY`). */
  reason: string;
  /** The module that holds the privileged material, when it is reached through the imported one. */
  holder: string | undefined;
  /** The import or secret read in `module` that makes it privileged, when it lacks the marker. */
  holderNode: ts.Node | undefined;
  hasServerOnly: boolean;
}

/** An auth helper a fix can call: the import's name, where from (when the file does not import it yet), what it returns. */
export interface AuthImport extends AuthSource {
  from?: string;
}

export type InputSource = 'form-data' | 'argument' | 'bound-argument' | 'parsed-input';

/** One read of a value the client controls. */
export interface ClientInput {
  node: ts.Expression;
  source: InputSource;
  /** The parameter it comes from. */
  param: string;
  /** FormData field name or destructured property, when known. */
  field: string | undefined;
  /** The whole object at once (`Object.fromEntries(formData)`, a spread of an argument). */
  whole: boolean;
  /** The read flows into a schema parse before being used anywhere else. */
  validated: boolean;
}

export interface ActionParam {
  name: string;
  node: ts.ParameterDeclaration;
  isFormData: boolean;
  /** Index of the parameter; with `.bind(null, …)` the first ones are bound arguments. */
  index: number;
}

export interface SchemaParse {
  node: ts.CallExpression;
  /** Name of the variable holding the result, if any. */
  resultName: string | undefined;
  /** `safeParse`-style results: whether a failure leads to an early exit (or only the success branch uses data). */
  checked: boolean;
  safe: boolean;
  /** The parse call as written, for messages (`profileSchema.safeParse`). */
  callee: string;
}

export interface AuthGuard {
  node: ts.Node;
  /** `getter`: a session fetched and checked with an early exit; `guard`: a call that exits by itself; `client`: an action client or wrapper. */
  kind: 'getter' | 'guard' | 'client';
  /** The callee as written (`auth`, `requireUser`, `supabase.auth.getUser`). */
  callee: string;
  /** `certain` when the call and its early exit were seen; `unverified` when a helper could not be resolved. */
  certainty: Certainty;
  /** Offset from which the guard protects the code that follows in the same block. */
  protectsFrom: number;
  /** The block whose later statements it protects. */
  scope: ts.Node;
  /** Variables that hold the session / user (`session`, `user`, `userId`). */
  identityNames: string[];
  /** How the guard's result carries the user, when known. */
  shape?: SessionShape;
}

export interface SideEffect {
  /** The call; the assignment or `delete` of module-level state; the secret a return hands out. */
  node: ts.CallExpression | ts.TaggedTemplateExpression | ts.NewExpression | ts.BinaryExpression | ts.DeleteExpression | ts.PropertyAccessExpression | ts.ElementAccessExpression;
  /** Offsets of the call in the file. */
  start: number;
  end: number;
  kind: EffectKind;
  /** Short description for messages (`db.post.update()`, `updatePost() (a database write through db.post.update())`). */
  label: string;
  /** The project helper it happens in, when not in the action itself. */
  helper?: string;
  /** The module a `paid-service` effect is declared for. */
  module?: string;
  /** The library whose client made the call (`supabase`: row-level security may limit what it reads). */
  library?: string;
  read: boolean;
  expensive: boolean;
  /** It changes data the app renders: a write in the action, or in a helper whose name says it mutates. */
  changesAppData: boolean;
  /** The strongest auth guard that dominates it: certain, unverified (an unresolved helper), or none. */
  guard: Certainty | undefined;
  /** For reads: what it returns flows into the action's result. */
  returned: boolean;
  /** For reads: the table or model read, when the call names it (`db.order.findMany` → `order`). */
  model?: string;
  /** For reads: relations pulled in with the rows (`include: { submission: true }`). */
  relations?: string[];
  /** A client value is among its arguments. */
  takesClientInput: boolean;
  /** For an email or SMS: the caller chooses whom it goes to. */
  clientRecipient: boolean;
  /** For a read: the session's identity is part of what selects the rows (`where: { userId: session?.user.id }`). */
  scopedBySession: boolean;
}

/** A call that refreshes data or ends the request (revalidatePath, redirect), or limits the rate. */
export interface Marker {
  node: ts.Node;
  start: number;
  end: number;
}

export interface ErrorLeak {
  node: ts.Expression;
  /** What is leaked: `error.message`, `error.stack`, the caught error itself. */
  what: string;
  catchVariable: string;
}

export interface IdentityFromClient {
  node: ts.Expression;
  field: string;
  input: ClientInput | undefined;
  /** The expression to replace with the session's identity (the read, with wrappers like `String(…)`). */
  replaceable: ts.Expression | undefined;
  /** An organisation handed to this call together with a credential the server holds: the callee may check it. */
  withCredential?: string;
}

export interface ClientColumn {
  kind: 'spread-over' | 'computed-key' | 'client-parent';
  /** The spread, or the computed key (`[key]`). */
  node: ts.Expression | ts.ComputedPropertyName;
  /** The session's owner field the spread can overwrite (`reporterId`), or the parent field the client names (`storeId`). */
  field?: string;
  /** The expression naming the column, for a computed key (`key` of `[key]`). */
  key?: string;
  access: DataAccess;
}

export interface Idor {
  access: DataAccess;
  /** The client-controlled value in the filter. */
  node: ts.Expression;
  /**
   * The database may enforce ownership itself (a Supabase client carrying the user's session, under row-level
   * security): the engine cannot tell, so it says so at a lower severity.
   */
  mayBeEnforcedByDatabase: boolean;
  /** A role or permission check with an early exit comes first: whether it covers every row is not for the analyzer to tell. */
  roleGated?: boolean;
  /** The filter is built from a client identity reported on its own (`{ buyer: userId }` in a variable): one problem. */
  sameAsIdentity?: boolean;
}

export interface MassAssignment {
  node: ts.Node;
  reason: 'from-entries' | 'spread-input' | 'whole-input' | 'spread-parsed' | 'computed-key' | 'privileged-field' | 'client-amount';
  label: string;
}

export interface ActionFacts {
  name: string;
  kind: ActionKind;
  /** The function that runs on the server (for action clients: the handler passed to `.action` / `.handler`). */
  fn: ts.FunctionLikeDeclaration;
  /** The node whose range names the action (its identifier, or the directive for anonymous inline actions). */
  nameNode: ts.Node;
  /** The statement or declaration the action is defined by (where fixes insert code before it). */
  declaration: ts.Node;
  isAsync: boolean;
  isPublic: boolean;
  params: ActionParam[];
  inputs: ClientInput[];
  schemaParses: SchemaParse[];
  /** Action clients: the input is validated by `.schema()` / `.inputSchema()` / `.input()`. */
  clientSchema: boolean;
  /** Action clients: auth established by the client's middleware chain. */
  clientAuth: AuthGuard | undefined;
  authGuards: AuthGuard[];
  sideEffects: SideEffect[];
  dataAccess: DataAccess[];
  revalidates: Marker[];
  /**
   * The client files that import and call the action, and whether each refreshes afterwards (router.refresh(), SWR
   * mutate, React Query invalidation, the result put into rendered state). Looked up only for actions that change
   * data and revalidate nothing after it; undefined otherwise.
   */
  callers?: CallerUse[];
  rateLimits: Marker[];
  /** Calls of an auth library's credential check, sign-up or sign-in link (`signIn('credentials', …)`). */
  authFlowCalls: (Marker & { label: string })[];
  errorLeaks: ErrorLeak[];
  identityFromClient: IdentityFromClient[];
  idors: Idor[];
  /**
   * Writes where the client picks an owner column after all: a client object spread after the session's owner
   * (`{ reporterId: user.id, ...input }`), or a column named by the client (`{ [key]: value }`).
   */
  clientColumns: ClientColumn[];
  /**
   * An owner condition that is an optional read of the session (`userId: user?.id`) in a filter a client id keys: with
   * the session unchecked it is undefined for a signed-out caller, and the ORM drops it.
   */
  optionalOwnerFilter?: ts.Node;
  /**
   * Access checks that never fail because the Promise of an async check is not awaited: in the action
   * (`node` is the call), or inside a helper it calls (`node` is that call, `via` names the helper).
   */
  brokenChecks: { node: ts.Node; check: BrokenCheck; via?: string }[];
  massAssignments: MassAssignment[];
  /** A getter's session that is never checked before use (`const session = await auth()` with no early exit). */
  uncheckedSessions: { node: ts.Node; callee: string }[];
  /** Identifiers bound to the session's identity (`session`, `user`, `userId` from `auth()`, `ctx`). */
  sessionIdentity: string[];
  /**
   * Reads of client values whose first use is the early exit that compares them with the session's identity
   * (`if (userId !== session.user.id) throw`): past the check they can only be the session's own value.
   */
  sessionVerified: ts.Node[];
  /** The expression for the signed-in user's id (`session.user.id`, `userId`, `ctx.userId`), when it is known. */
  sessionUserId: string | undefined;
  /** Reasons the action counts as public (`@public` tag, a publicActions glob). */
  publicReason: string | undefined;
  /**
   * A sign-in, sign-up, password or code flow, which runs before there is a session and a script could hammer: its
   * name says so, or it calls an auth library's credential check, sign-up or sign-in link.
   */
  authFlow: boolean;
  /**
   * Why it is public on purpose, when it is: an auth flow, a public form (waitlist, contact), an anonymous action keyed
   * by the caller's own cookie or by a secret token from a link, a session that is optional, a project without
   * sign-in, an `@public` tag. require-auth leaves these to abuse-protection.
   */
  publicByDesign: string | undefined;
  /** Which kind of public action it is, for abuse-protection (a link or token authorises it; a form needs a limit). */
  publicKind: PublicKind | undefined;
  /**
   * The policy that requires this action to check the session whatever it does (`authPolicy "every-action"`, a
   * `protectedActions` glob); undefined under the default policy (a session before effects and sensitive reads).
   */
  sessionRequiredBy?: string;
  /** It catches errors or returns an error value (something for safe-errors to judge). */
  handlesErrors: boolean;
  /** Names imported by the file that the action's code uses. */
  usedImports: Set<string>;
  /** Its action client returns any error's message to the caller (`handleServerError: (e) => e.message`). */
  clientLeaksErrors: boolean;
}

/** What each kind of effect is called in messages ("a database write"). */
export const EFFECT_NOUNS: Readonly<Record<EffectKind, string>> = Object.fromEntries(
  Object.entries(EFFECT_TRAITS).map(([kind, traits]) => [kind, traits.noun]),
) as Record<EffectKind, string>;

/** A project module as seen from the files that import it. */
export interface ModuleInfo {
  path: string;
  sourceFile: ts.SourceFile;
  bindings: FileBindings;
  hasServerOnly: boolean;
  directive: 'use server' | 'use client' | undefined;
  /** Why this module itself is privileged (DB client, secret env read…), if it is. */
  privileged: string | undefined;
  /** Where: the first import or secret read that makes it so. */
  privilegedNode: ts.Node | undefined;
  /** Why it is privileged leaving out secret env reads (Next.js inlines only `NEXT_PUBLIC_*` into the browser). */
  bundledPrivilege: { reason: string; node: ts.Node } | undefined;
  exports: Map<string, ExportSummary | null>;
  localSummaries: Map<ts.Node, FunctionSummary | 'pending'>;
  /** Memo of the unmarked privileged module this one reaches (null: none; undefined: not computed yet). */
  exposure?: Exposure | null;
  /** The same, for what a browser bundle would carry: SDKs and drivers, not secret env reads. */
  bundledExposure?: Exposure | null;
}

/** The unmarked privileged module a module reaches, why, and where in it. */
export interface Exposure {
  reason: string;
  holder: ModuleInfo;
  node: ts.Node | undefined;
}
