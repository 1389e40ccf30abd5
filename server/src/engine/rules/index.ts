import type { RuleId } from '../../../../shared/settings';
import { abuseProtection } from './abuse-protection';
import { misplacedDirective } from './misplaced-directive';
import { narrowContract } from './narrow-contract';
import { nonAsyncExport } from './non-async-export';
import { requireAuth } from './require-auth';
import { revalidateAfterWrite } from './revalidate-after-write';
import type { Rule, RuleMeta } from './rule';
import { safeErrors } from './safe-errors';
import { serverIdentity } from './server-identity';
import { serverOnly } from './server-only';
import { validateInput } from './validate-input';

/** Every rule, registered explicitly, in checklist order. */
export const RULES: readonly Rule[] = [
  validateInput,
  requireAuth,
  serverIdentity,
  serverOnly,
  safeErrors,
  revalidateAfterWrite,
  abuseProtection,
  narrowContract,
  misplacedDirective,
  nonAsyncExport,
];

const BY_ID = new Map<RuleId, Rule>(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleMeta(id: RuleId): RuleMeta | undefined {
  return BY_ID.get(id)?.meta;
}

/** The rule's docs page, relative to the package (shipped in the extension and the npm package). */
export function docsPath(id: RuleId): string {
  return `docs/rules/${id}.md`;
}
