/**
 * `server-action-guard/eslint`: the engine's rules as an ESLint flat-config plugin.
 *
 *   import guard from 'server-action-guard/eslint';
 *   export default [...nextConfig, guard.configs.recommended];
 *
 * Rules are `server-action-guard/<rule-id>`; `configs.recommended` turns each on at its default severity. The
 * engine reads the files itself (whatever parser ESLint uses), honours the suppression comments and the project's
 * config file; a rule's options override the config file's settings.
 */
import type { ESLint, Linter, Rule } from 'eslint';
import { version } from '../../../package.json';
import { RULES } from '../engine';
import { eslintRule } from './rules';

const PREFIX = 'server-action-guard';

const rules: Record<string, Rule.RuleModule> = Object.fromEntries(RULES.map((rule) => [rule.meta.id, eslintRule(rule.meta)]));

const recommendedRules: Linter.RulesRecord = Object.fromEntries(
  RULES.map((rule) => [`${PREFIX}/${rule.meta.id}`, rule.meta.defaultSeverity === 'error' ? 'error' : rule.meta.defaultSeverity === 'warning' ? 'warn' : 'off']),
);

const plugin = {
  meta: { name: PREFIX, version },
  rules,
  configs: {} as { recommended: Linter.Config },
} satisfies ESLint.Plugin;

plugin.configs.recommended = { name: `${PREFIX}/recommended`, plugins: { [PREFIX]: plugin }, rules: recommendedRules };

export default plugin;
