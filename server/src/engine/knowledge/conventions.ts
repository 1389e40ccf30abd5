/**
 * What the engine knows about a project's own code without a library to go by: the names teams give their auth
 * helpers, guards, rate limiters, ownership checks and database clients, where they keep their auth module, and the
 * field names that carry identity. Settings extend these (knowledge/index.ts); nothing here is read elsewhere.
 */
import type { SessionShape } from './types';

export const conventions = {
  /** Project helpers that return the session or user (the caller must exit without one). */
  authGetterNames: new Set([
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
  ]),
  /** Dotted callees that return identity on values the engine cannot classify. */
  authGetterSuffixes: ['auth.getUser', 'auth.getSession', 'auth.getClaims', 'api.getSession', 'getUser'],
  /** Calls that stop an unauthenticated request by themselves. */
  selfExitingGuards: new Set(['auth.protect', 'redirectToSignIn', 'auth().protect']),
  /** `requireUser`, `ensureAdmin`, `assertSession`: a project guard that probably throws or redirects. */
  guardName:
    /^(?:require|ensure|assert|verify|protect|must|check|enforce|with)(?:[A-Z]\w*)?(?:Auth|Session|User|Admin|Login|LoggedIn|SignedIn|Owner|Member|Role|Permission|Access|Viewer|Account|Team|Org)\w*$/,
  /** `getCurrentUser`, `fetchSession`: a project getter. */
  getterName: /^(?:get|fetch|load|read|current)(?:Server|Current|Auth|Authed|Authenticated|LoggedIn|SignedIn)*(?:Session|User|Viewer|Auth|Account|Member)(?:OrNull|OrUndefined)?$/,
  /** Exits that are not Next.js's own: Auth.js `signIn` redirects. */
  extraExits: new Set(['signIn', 'redirectToSignIn']),
  /** `ratelimit.limit(ip)`, `checkRateLimit()`, `verifyTurnstile(token)`. */
  rateLimitName: /rate.?limit|throttle|limiter|captcha|turnstile|recaptcha|hcaptcha|botid|checkbot|isbot|verifybot|antibot|arcjet|shield/i,
  /** `updatePost`, `archiveThread`: a helper whose name says it changes data the app shows. */
  mutatingVerb:
    /^(create|update|delete|remove|add|save|set|insert|upsert|archive|unarchive|publish|unpublish|toggle|invite|rename|move|edit|change|mark|assign|unassign|approve|reject|cancel|complete|restore|destroy|clear|reset|increment|decrement|like|unlike|follow|unfollow|vote|submit|post|put|patch|write|store|upload|attach|detach|link|unlink|enable|disable|join|leave|accept|decline|transfer|duplicate|copy|import|sync|register|apply|revoke|grant|purge|empty|replace|reorder|sort|pin|unpin|star|unstar|bookmark|favorite|subscribe|unsubscribe)/i,
  /** Factories and accessors named like verbs (`createEmailProvider`) return things; they change no data. */
  factoryNoun: /(Client|Provider|Service|Instance|Factory|Context|Logger|Store|Schema|Handler|Router|Sdk|Api|Config|Options|Url|Key|Token)$/,
  /** `ensureProjectOwner(id, user)`, `authorizeMemberManagement(…)`: a helper that checks access to a record. */
  ownershipHelper:
    /^(ensure|assert|verify|check|authorize|authorise|require|can|has|is|validate|get|throwIfNo)\w*(Owner|Ownership|Access|Permission|Member|Membership|Admin|Authori[sz]ed|Authori[sz]ation|Allowed|Manage|Management)\w*$|^authori[sz]e[A-Z]/,
  /** Tenant ids: which organisation or team to act on is the caller's choice once membership is checked. */
  tenantField: /^(team|org|organization|organisation|tenant|workspace|account|project|company|group)_?id$/i,
  /** Privileges an authorised manager may set for others (`updateMemberRole` after `authorizeMemberManagement`). */
  privilegeField: /^(role|roles|permissions?)$/i,
  /** Fields of a record naming the user who owns or made it. */
  ownerField: /^(user_?id|(owner|author|creator|created_?by|updated_?by)(_?id)?)$/i,
  /** Fields naming the acting or owning user: what the session replaces. */
  userField: /^(user|owner|author|creator|created_?by|updated_?by|account|member)_?(id)?$/i,
  /** Parameters a wrapper hands its callback from the session (`withUser(async (formData, user) => …)`). */
  sessionParameter: /^(user|team|session|ctx|context|auth|account|org|organization|member|viewer|currentUser|me)$/,
  /**
   * Columns no page shows: a payment provider's ids and secrets, credentials and tokens. A write of only these (and the
   * keys that place the row) changes nothing the app renders.
   */
  bookkeepingField:
    /^(stripe\w*|paymentIntent\w*|clientSecret|(customer|subscription|account|price|checkoutSession|provider\w*)_?Id|\w*(secret|token|hash|salt)|password\w*|hashedPassword|last_?(login|seen|used)\w*)$/i,
  /** Helpers that change credentials and sessions, which no page renders. */
  credentialHelper: /password|session|token|otp|passkey|credential/i,
  /** A new record's parent that holds other people's records: the workspace, store or account it is filed under. */
  parentField: /^(team|org|organi[sz]ation|tenant|workspace|account|project|company|store|site|shop|board|folder)s?_?(id|ids)$/i,
  /** Public counters a like, vote or view button bumps: no one owns them. */
  counterField: /^(rating|ratings|likes?|likeCount|views?|viewCount|\w*Count|favou?rites?|votes?|upvotes?|downvotes?|clicks?|hits|stars?)$/i,
  /** Sign-in, sign-up and password flows run before there is a session. */
  authFlowName:
    /^(sign_?(in|up)|log_?in|register(User|Account|Action)?$|forgot_?password|reset(_?password)?(Action)?$|verify_?(otp|code|2fa|totp|mfa|pin|password)|request(PasswordReset|MagicLink|Otp|Code)|send(MagicLink|Otp|Code|VerificationEmail|PasswordReset\w*)|createAccount(Action)?$|(email|otp|magic_?link|password|passkey|two_?factor|2fa)(Sign_?in|Login|Verification|Reset)\w*|resend(Verification|Code|Otp)\w*)/i,
  /** A sign-in named for a provider redirect (`signInViaOAuth`, `loginWithSso`, `signInSocial`): nothing to guess. */
  oauthFlowName: /o_?auth|sso|social/i,
  /**
   * The second half of a flow that an emailed link completes (`newPassword`, `newVerification`, `confirmEmail`): public,
   * and authorised by a long random token, so not a secret a script can guess.
   */
  linkFlowName: /^(new_?password|new_?verification|confirm_?(email|sign_?up)|verify_?(email|token))(Action)?$/i,
  /** Forms that are public on purpose: waitlists, newsletters, contact and feedback forms, guest RSVPs. */
  publicFormName: /^(join|submit|send|subscribe(To)?|signUpFor|add(To)?)?(waitlist|newsletter|contact(Form|Us)|feedback(Form)?|rsvp|guestRsvp)(Action)?$|waitlist|newsletter|rsvp|contactForm|contactUs/i,
  /** Maintenance tasks (seed, wipe, migrate): never meant for visitors, even in an app without sign-in. */
  maintenanceName: /^(seed|reseed|wipe|truncate|migrate|drop)(?![a-z])|^(reset|purge|clear)(All|Db|Database|Tables?|Data)(?![a-z])/,
  /** Folders whose actions are sign-in, sign-up or public forms. */
  publicFlowPath: /[\\/]\(?(signup|sign-up|signin|sign-in|login|register|forgot-password|reset-password|waitlist|newsletter|contact)\)?[\\/]/i,
  /**
   * Tables whose rows are someone's own (orders, payments, messages, submissions, keys): read by a client-chosen id
   * or without a session, they leak.
   */
  privateModel: /(^|_)(orders?|payments?|invoices?|customers?|subscriptions?|submissions?|messages?|notifications?|tokens?|secrets?|sessions?|transactions?|addresses|address|billing|sales?|purchases?|api_?keys?|keys|credentials?|passwords?|drafts?|audit_?logs?|private\w*)$/i,
  /** Fields a user must not set on their own record: privilege, money, verification, ownership. */
  privilegedField: /^(role|roles|isAdmin|admin|is_admin|permissions?|plan|tier|credits?|balance|price|verified|isVerified|emailVerified|email_verified|approved|isApproved|banned)$/,
  /** Where projects keep their auth helper, for fixes in files that import none. */
  authHelperLocations: ['lib/auth', 'src/lib/auth', 'lib/session', 'src/lib/session', 'lib/auth/session', 'auth', 'src/auth', 'server/auth', 'src/server/auth', 'utils/auth', 'app/lib/auth'],
  /** Conventional names of database clients and transactions (extended by the `databaseClients` setting). */
  databaseNames: new Set(['db', 'prisma', 'sql', 'knex', 'drizzle', 'pool', 'client', 'supabase', 'kv', 'redis', 'mongoose', 'database', 'tx', 'trx', 'transaction']),
  /** Cache, lock and rate-limit stores hold no data the page shows. */
  cacheStoreName: /redis|^kv$|cache|lock|ratelimit|limiter/i,
  /** A record id rather than a natural key (`id`, `postId`, `post_id`, `_id`). */
  idKey: /(^|[._])(id|_id|uuid)$|Id$|ID$/,
  /** Environment variables that hold secrets. */
  secretEnvName: /SECRET|KEY|TOKEN|PASSWORD|PRIVATE|DATABASE|DB_|SERVICE_ROLE|CREDENTIAL/i,
  /** Environment variables safe anywhere (public by design, or build metadata). */
  publicEnvName: /^(NEXT_PUBLIC_|VERCEL_|NODE_ENV$|CI$|PORT$|TZ$|npm_)/,
} as const;

/** How a project helper's result carries the user when its body does not say: a user object (`user.id`). */
export const USER_SHAPE: SessionShape = { userIdPath: ['id'], presencePath: [], fixBinding: 'user' };
