import type { RuleId, Severity } from '../../../../shared/settings';
import type { ActionFacts, FileFacts, SyntaxFile, SyntaxNode } from '../facts/model';
import type { Fix } from '../types';

export interface RuleMeta {
  id: RuleId;
  /** One line, shown in SARIF, settings descriptions and the docs index. */
  description: string;
  /** Markdown: What it does / Why is this bad? / Example / Use instead. This block is the docs page. */
  docs: string;
  defaultSeverity: Severity;
  /** Message templates keyed by id; `{{name}}` placeholders are filled from a report's data. */
  messages: Record<string, string>;
  /** Whether some finding of this rule carries a fix. */
  fixable: boolean;
}

/** What a rule reports: a node (or explicit offsets) in the action's file, a message id and fixes. */
export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  node?: SyntaxNode;
  start?: number;
  end?: number;
  /**
   * This message's own default: lower than the rule's when the analyzer could not decide (an unresolved auth helper),
   * higher for a worse case (a client file importing a DB module). A severity the user sets for the rule caps it.
   */
  severity?: Severity;
  fixes?: Fix[];
  /**
   * The place to change when it is in another file (the module that needs \`import 'server-only'\`): a workspace
   * report shows one finding there for every import that reports it.
   */
  target?: { sourceFile: SyntaxFile; node: SyntaxNode; messageId: string; data?: Record<string, string | number> };
  /**
   * Reports of one action with the same group key are one problem (the unvalidated fields of a form): unless only one
   * is left after suppressions, they become one finding at the first, with `messageId` and \`{{items}}\` naming them
   * all, and the others as related places with `relatedMessageId` and \`{{item}}\`.
   */
  group?: { key: string; messageId: string; item: string; relatedMessageId: string };
  /** Other checks this one finding also answers (an unchecked session that also leaves an owner filter empty). */
  covers?: RuleId[];
  /** Other places in the file that are part of the same problem, with a message each. */
  related?: { node: SyntaxNode; messageId: string; data?: Record<string, string | number> }[];
}

export interface ActionRuleContext {
  action: ActionFacts;
  file: FileFacts;
  report(report: Report): void;
}

export interface FileRuleContext {
  file: FileFacts;
  report(report: Report & { action?: string }): void;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * Checks one action. Returns `'n/a'` when the rule does not apply to it (no client input, no write…);
   * otherwise the checklist status follows from what was reported.
   */
  checkAction?(context: ActionRuleContext): 'n/a' | void;
  /** Checks the file as a whole (module-level facts, client components, directives). */
  checkFile?(context: FileRuleContext): void;
}
