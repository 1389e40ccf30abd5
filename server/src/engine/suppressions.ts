/**
 * Suppression comments:
 *   // server-action-guard-disable-next-line <rule-id>[, <rule-id>…] -- <reason>
 *   // server-action-guard-disable-file <rule-id>[, <rule-id>…] -- <reason>
 * Without rule ids every rule is suppressed. The reason is for reviewers; it is not required.
 */
import ts from 'typescript';
import type { RuleId } from '../../../shared/settings';

const MARKER = 'server-action-guard-disable';
/** The one spelling of the line marker: parsed here, written by the language server's "Disable … for this line". */
export const DISABLE_NEXT_LINE = `${MARKER}-next-line`;
export const DISABLE_FILE = `${MARKER}-file`;

export interface Suppressions {
  isSuppressed(ruleId: RuleId, line: number): boolean;
}

const PATTERN = new RegExp(`(?://|/\\*|\\{\\s*/\\*)\\s*(${DISABLE_NEXT_LINE}|${DISABLE_FILE})\\b(.*)$`);

export function parseSuppressions(sourceFile: ts.SourceFile): Suppressions {
  const text = sourceFile.text;
  if (!text.includes(MARKER)) return { isSuppressed: () => false };
  const byLine = new Map<number, Set<string> | 'all'>();
  let fileLevel: Set<string> | 'all' | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const match = PATTERN.exec(line);
    if (!match) return;
    const ids = match[2]!
      .replace(/\*\/.*$/, '')
      .replace(/\s--(\s.*)?$/, '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const set: Set<string> | 'all' = ids.length === 0 ? 'all' : new Set(ids);
    // 0-based line of the code the comment applies to: the next line.
    if (match[1] === DISABLE_FILE) fileLevel = merge(fileLevel, set);
    else byLine.set(index + 1, merge(byLine.get(index + 1), set));
  });
  return {
    isSuppressed(ruleId, line) {
      const matches = (entry: Set<string> | 'all' | undefined): boolean => entry === 'all' || (entry !== undefined && entry.has(ruleId));
      return matches(fileLevel) || matches(byLine.get(line));
    },
  };
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}
