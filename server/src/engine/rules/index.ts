import type { RuleId } from '../../../../shared/settings';
import type { Rule, RuleMeta } from './rule';

/** Every rule, registered explicitly, in checklist order. */
export const RULES: readonly Rule[] = [];

const BY_ID = new Map<RuleId, Rule>(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleMeta(id: RuleId): RuleMeta | undefined {
  return BY_ID.get(id)?.meta;
}

const DOCS_BASE = 'https://github.com/server-action-guard/server-action-guard/blob/main/docs/rules/';

export function docsUrl(id: RuleId): string {
  return `${DOCS_BASE}${id}.md`;
}
