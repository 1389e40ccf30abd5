/**
 * Typed settings shared by the VS Code client (package.json `contributes.configuration`), the language server
 * (`workspace/configuration`, section `serverActionGuard`) and the CLI (`server-action-guard.config.json` or the
 * `"serverActionGuard"` key of package.json). Every field has a default; `resolveSettings` validates untrusted
 * input and reports wrong types instead of throwing.
 */

/** The eight checklist rules, in checklist order. Stable ids: used in diagnostics, JSON, SARIF, settings and docs. */
export const CHECKLIST_RULE_IDS = [
  'validate-input',
  'require-auth',
  'server-identity',
  'server-only',
  'safe-errors',
  'revalidate-after-write',
  'abuse-protection',
  'narrow-contract',
] as const;
export type ChecklistRuleId = (typeof CHECKLIST_RULE_IDS)[number];

/** Rules that are about how a file declares server code rather than about one action's checklist. */
export const STRUCTURE_RULE_IDS = ['misplaced-directive', 'non-async-export'] as const;
export type StructureRuleId = (typeof STRUCTURE_RULE_IDS)[number];

export const RULE_IDS = [...CHECKLIST_RULE_IDS, ...STRUCTURE_RULE_IDS] as const;
export type RuleId = ChecklistRuleId | StructureRuleId;

export type Severity = 'error' | 'warning' | 'info';
export const AUTH_POLICIES = ['effects', 'every-action'] as const;
export type AuthPolicy = (typeof AUTH_POLICIES)[number];
export type SeveritySetting = Severity | 'off';

export interface GuardSettings {
  /** Turns analysis off for this scope. */
  enable: boolean;
  /** Per-rule severity override; a rule missing here keeps its default severity. */
  rules: Partial<Record<RuleId, SeveritySetting>>;
  /** Extra functions that establish identity on the server (e.g. `requireUser`, `getCurrentUser`). */
  authFunctions: string[];
  /** Extra functions that validate input (schema parsers of your own). */
  validationFunctions: string[];
  /** Extra functions that rate limit or bot-check a request (e.g. `checkRateLimit`). */
  rateLimitFunctions: string[];
  /** Names of database clients, beyond the libraries the engine knows, whose method calls count as reads/writes. */
  databaseClients: string[];
  /** Field names that carry identity, ownership, tenant or privilege and must come from the session. */
  identityFields: string[];
  /** Globs (relative to the workspace root) of files whose actions are public on purpose, or `file#action`. */
  publicActions: string[];
  /** Module specifiers, beyond the libraries the engine knows, whose calls are expensive or abusable. */
  expensiveModules: string[];
  /**
   * When an action must check the session: `effects` (before any side effect or sensitive read; actions that only
   * compute are fine) or `every-action` (every action not marked public checks it first, whatever it does).
   */
  authPolicy: AuthPolicy;
  /** Globs (or `file#action`) whose actions follow the `every-action` policy whatever `authPolicy` says. */
  protectedActions: string[];
  /** Globs of files to skip. */
  exclude: string[];
  /** Globs of test files, which are not endpoints and are skipped; `[]` analyses tests too. */
  testFiles: string[];
  /** Files larger than this are skipped with a visible message. */
  maxFileSizeKb: number;
}

export const DEFAULT_SETTINGS: GuardSettings = {
  enable: true,
  rules: {},
  authFunctions: [],
  validationFunctions: [],
  rateLimitFunctions: [],
  databaseClients: [],
  identityFields: [
    'userId',
    'ownerId',
    'authorId',
    'creatorId',
    'createdBy',
    'updatedBy',
    'accountId',
    'teamId',
    'orgId',
    'organizationId',
    'tenantId',
    'workspaceId',
    'role',
    'roles',
    'isAdmin',
    'admin',
    'permissions',
    'plan',
    'published',
    'verified',
    'isVerified',
    'credits',
    'balance',
  ],
  publicActions: [],
  expensiveModules: [],
  authPolicy: 'effects',
  protectedActions: [],
  exclude: [],
  testFiles: ['**/*.test.*', '**/*.spec.*', '**/__tests__/**'],
  maxFileSizeKb: 1024,
};

export interface SettingsResult {
  settings: GuardSettings;
  /** Human-readable problems with the input (wrong types, unknown rule ids); empty when the input was clean. */
  errors: string[];
}

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];
/** The settings that are lists of strings (function names, globs, fields). */
export const STRING_LIST_KEYS = [
  'authFunctions',
  'validationFunctions',
  'rateLimitFunctions',
  'databaseClients',
  'identityFields',
  'publicActions',
  'expensiveModules',
  'protectedActions',
  'exclude',
  'testFiles',
] as const;

/** Lists the user's value replaces rather than extends (globs: a user listing their own wants only theirs). */
const REPLACED_LISTS: ReadonlySet<string> = new Set(['publicActions', 'protectedActions', 'exclude', 'testFiles']);

/**
 * Validates settings from an untrusted source (a JSON file, the editor) on top of the defaults. Never throws:
 * every value of the wrong type is dropped and named in `errors`.
 */
export function resolveSettings(input: unknown, base: GuardSettings = DEFAULT_SETTINGS): SettingsResult {
  const errors: string[] = [];
  const settings: GuardSettings = structuredClone(base);
  if (input === undefined || input === null) return { settings, errors };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { settings, errors: [`settings must be an object, got ${describe(input)}`] };
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (key === 'enable') {
      if (typeof value === 'boolean') settings.enable = value;
      else errors.push(`"enable" must be a boolean, got ${describe(value)}`);
    } else if (key === 'maxFileSizeKb') {
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) settings.maxFileSizeKb = value;
      else errors.push(`"maxFileSizeKb" must be a positive number, got ${describe(value)}`);
    } else if (key === 'authPolicy') {
      if ((AUTH_POLICIES as readonly unknown[]).includes(value)) settings.authPolicy = value as AuthPolicy;
      else errors.push(`"authPolicy" must be one of ${AUTH_POLICIES.join(', ')}, got ${describe(value)}`);
    } else if (key === 'rules') {
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push(`"rules" must be an object of rule id to severity, got ${describe(value)}`);
        continue;
      }
      for (const [id, severity] of Object.entries(value as Record<string, unknown>)) {
        if (!(RULE_IDS as readonly string[]).includes(id)) {
          errors.push(`"rules.${id}": unknown rule id (known: ${RULE_IDS.join(', ')})`);
        } else if (!SEVERITIES.includes(severity as SeveritySetting)) {
          errors.push(`"rules.${id}" must be one of ${SEVERITIES.join(', ')}, got ${describe(severity)}`);
        } else {
          settings.rules[id as RuleId] = severity as SeveritySetting;
        }
      }
    } else if ((STRING_LIST_KEYS as readonly string[]).includes(key)) {
      const listKey = key as (typeof STRING_LIST_KEYS)[number];
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        // Built-in name lists are extended, not replaced, so a user adding `requireUser` keeps `auth()` working.
        const merged = REPLACED_LISTS.has(listKey) ? value : [...settings[listKey], ...value];
        settings[listKey] = [...new Set(merged as string[])];
      } else {
        errors.push(`"${key}" must be an array of strings, got ${describe(value)}`);
      }
    } else if (key !== '$schema') {
      errors.push(`unknown setting "${key}"`);
    }
  }
  return { settings, errors };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}
