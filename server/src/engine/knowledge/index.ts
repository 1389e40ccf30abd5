/**
 * The knowledge registry: every library descriptor merged with the user's settings into one read-only object, built
 * once per settings object. Facts ask it what a call, an import or a name means; nothing else in the engine keeps a
 * list of library names.
 */
import picomatch from 'picomatch';
import type { GuardSettings } from '../../../../shared/settings';
import { conventions } from './conventions';
import { LIBRARIES } from './libraries';
import type { CallKnowledge, EffectKind, LibraryDescriptor, MemberRule } from './types';

export type { CallKnowledge, EffectKind, LibraryDescriptor, MemberRule, SessionShape } from './types';
export { EFFECT_TRAITS } from './types';
export { USER_SHAPE } from './conventions';
export { LIBRARIES };

/** How the engine classifies an auth-looking name it has no library for. */
export type AuthByName = 'getter' | 'guard' | 'unverified-guard';

export interface Knowledge {
  readonly settings: GuardSettings;
  readonly libraries: readonly LibraryDescriptor[];
  /** The descriptor a module specifier belongs to. */
  library(specifier: string): LibraryDescriptor | undefined;
  /** What calling (or constructing) the export `name` of `specifier` does, as the descriptor or settings say. */
  exportCall(specifier: string, name: string): CallKnowledge | undefined;
  /** Whether the export creates (or is) a client whose calls `memberCall` describes. */
  clientOf(specifier: string, name: string): LibraryDescriptor | undefined;
  /** The rule for calling `path` (`post.update`, `emails.send`) on a client of `library`. */
  memberCall(library: LibraryDescriptor, path: string): MemberRule | undefined;
  /** Why importing these names from `specifier` makes a module privileged, or undefined when it does not. */
  privilegedImport(specifier: string, names: readonly string[]): string | undefined;
  /** The validation library of a specifier. */
  validationLibrary(specifier: string): LibraryDescriptor | undefined;
  /** Whether `method` validates on some validation library's schemas, and how. */
  schemaMethod(method: string): 'throws' | 'safe' | undefined;
  /** Auth by name alone, for project helpers the engine cannot read. */
  authByName(dotted: string): AuthByName | undefined;
  isExit(name: string): boolean;
  isRateLimitName(dotted: string): boolean;
  isValidationFunction(name: string): boolean;
  isDatabaseName(name: string): boolean;
  /** A user-declared expensive module (`expensiveModules` setting). */
  isExpensiveModule(specifier: string): boolean;
  isMutatingName(name: string): boolean;
  /** A column no page shows (`stripeAccountId`, `clientSecret`, `passwordHash`). */
  isBookkeepingField(name: string): boolean;
  /** A public counter (`rating`, `views`, `likeCount`). */
  isCounterField(name: string): boolean;
  /** A helper that changes credentials or sessions (`updatePassword`, `deleteSessionForUser`). */
  isCredentialHelper(name: string): boolean;
  isOwnershipHelper(name: string): boolean;
  isAuthFlowName(name: string): boolean;
  isLinkFlowName(name: string): boolean;
  isPublicFormName(name: string): boolean;
  isMaintenanceName(name: string): boolean;
  isPrivateModel(name: string): boolean;
  isPrivilegedField(name: string): boolean;
  isIdentityField(field: string): boolean;
  isSecretEnvName(name: string): boolean;
  readonly conventions: typeof conventions;
}

const cache = new WeakMap<GuardSettings, Knowledge>();

/** The registry for these settings; the same object for the same settings object. */
export function knowledgeFor(settings: GuardSettings): Knowledge {
  let knowledge = cache.get(settings);
  if (!knowledge) cache.set(settings, (knowledge = build(settings)));
  return knowledge;
}

export function normalizeField(name: string): string {
  return name.replace(/[^a-z0-9]/gi, '').toLowerCase();
}

function matchesPackage(pattern: string, specifier: string): boolean {
  return pattern.endsWith('*') ? specifier.startsWith(pattern.slice(0, -1)) : specifier === pattern;
}

function build(settings: GuardSettings): Knowledge {
  const bySpecifier = new Map<string, LibraryDescriptor | null>();
  const library = (specifier: string): LibraryDescriptor | undefined => {
    let found = bySpecifier.get(specifier);
    if (found === undefined) {
      found =
        LIBRARIES.find((d) => d.packages.some((p) => matchesPackage(p, specifier)) || d.specifierPatterns?.some((r) => r.test(specifier))) ?? null;
      bySpecifier.set(specifier, found);
    }
    return found ?? undefined;
  };
  const authFunctions = new Set(settings.authFunctions);
  const rateLimitFunctions = new Set(settings.rateLimitFunctions);
  const validationFunctions = new Set(settings.validationFunctions);
  const databaseNames = new Set([...conventions.databaseNames, ...settings.databaseClients]);
  const identityFields = new Set(settings.identityFields.map(normalizeField));
  const schemaMethods = new Map<string, 'throws' | 'safe'>();
  for (const descriptor of LIBRARIES) {
    for (const [method, kind] of Object.entries(descriptor.schemaMethods ?? {})) if (!schemaMethods.has(method)) schemaMethods.set(method, kind);
  }
  const expensiveMatchers = settings.expensiveModules.map((pattern) =>
    pattern.includes('*') ? picomatch(pattern) : (specifier: string) => specifier === pattern || specifier.startsWith(`${pattern}/`),
  );
  const expensive = (specifier: string): boolean => expensiveMatchers.some((matches) => matches(specifier));

  const knowledge: Knowledge = {
    settings,
    libraries: LIBRARIES,
    conventions,
    library,
    exportCall(specifier, name) {
      const descriptor = library(specifier);
      const known = descriptor?.exports?.[name];
      if (known) return known;
      if (expensive(specifier) && !/^(is[A-Z]\w*|isInstance|instanceOf)$/.test(name)) return { effect: 'paid-service' };
      return undefined;
    },
    clientOf(specifier, name) {
      const descriptor = library(specifier);
      if (descriptor && (descriptor.clientFactories?.includes(name) || descriptor.clientExports?.includes(name) || (name === '*' && descriptor.members))) {
        return descriptor;
      }
      return undefined;
    },
    memberCall(descriptor, path) {
      return descriptor.members?.find((rule) => rule.path.test(path));
    },
    privilegedImport(specifier, names) {
      const descriptor = library(specifier);
      if (!descriptor?.privileged) return undefined;
      const safe = descriptor.browserSafe;
      if (safe && names.length > 0 && names.every((name) => safe(name, specifier))) return undefined;
      if (safe && names.length === 0 && safe('*', specifier)) return undefined;
      return `imports ${specifier}`;
    },
    validationLibrary(specifier) {
      const descriptor = library(specifier);
      return descriptor?.category === 'validation' ? descriptor : undefined;
    },
    schemaMethod: (method) => schemaMethods.get(method),
    authByName(dotted) {
      const clean = dotted.replace(/\(\)/g, '');
      const last = clean.slice(clean.lastIndexOf('.') + 1);
      if (authFunctions.has(clean) || authFunctions.has(last)) return 'guard';
      if (conventions.selfExitingGuards.has(clean)) return 'guard';
      if (conventions.authGetterNames.has(clean) || conventions.authGetterSuffixes.some((s) => clean === s || clean.endsWith(`.${s}`))) return 'getter';
      if (conventions.authGetterNames.has(last) && clean.split('.').length <= 2) return 'getter';
      if (conventions.guardName.test(last)) return 'unverified-guard';
      if (conventions.getterName.test(last)) return 'getter';
      return undefined;
    },
    isExit: (name) => conventions.extraExits.has(name),
    isRateLimitName(dotted) {
      const clean = dotted.replace(/\(\)/g, '');
      const last = clean.slice(clean.lastIndexOf('.') + 1);
      return rateLimitFunctions.has(clean) || rateLimitFunctions.has(last) || conventions.rateLimitName.test(clean) || clean === 'aj.protect';
    },
    isValidationFunction: (name) => validationFunctions.has(name),
    isDatabaseName: (name) => databaseNames.has(name),
    isExpensiveModule: expensive,
    isMutatingName: (name) => conventions.mutatingVerb.test(name) && !conventions.factoryNoun.test(name),
    isBookkeepingField: (name) => conventions.bookkeepingField.test(name),
    isCounterField: (name) => conventions.counterField.test(name),
    isCredentialHelper: (name) => conventions.credentialHelper.test(name),
    isOwnershipHelper: (name) => conventions.ownershipHelper.test(name),
    isAuthFlowName: (name) => conventions.authFlowName.test(name),
    isLinkFlowName: (name) => conventions.linkFlowName.test(name),
    isPublicFormName: (name) => conventions.publicFormName.test(name),
    isMaintenanceName: (name) => conventions.maintenanceName.test(name),
    isPrivateModel: (name) => conventions.privateModel.test(name),
    isPrivilegedField: (name) => conventions.privilegedField.test(name),
    // `createdById` is the `createdBy` identity by another name.
    isIdentityField: (field) => identityFields.has(normalizeField(field)) || identityFields.has(normalizeField(field).replace(/id$/, '')),
    isSecretEnvName: (name) => !conventions.publicEnvName.test(name) && conventions.secretEnvName.test(name),
  };
  return Object.freeze(knowledge);
}
