/**
 * The engine's public, plain-data output. Everything here is JSON-serialisable and free of TypeScript AST nodes
 * and of LSP types, so the CLI, the language server and tests can use it as is.
 */
import type { ActionKind, CheckStatus } from '../../../shared/protocol';
import type { ChecklistRuleId, RuleId, Severity } from '../../../shared/settings';

export type { ActionKind, CheckStatus };

/** A 0-based line / UTF-16 character position, as both TypeScript and LSP count them. */
export interface Position {
  line: number;
  character: number;
}

export interface Span {
  /** Absolute path of the file. */
  file: string;
  /** Offsets into the file's text (UTF-16 code units). */
  start: number;
  end: number;
  /** The same range as line/character positions. */
  range: { start: Position; end: Position };
}

/** One replacement of `[start, end)` by `newText`; fixes may touch other files than the finding's. */
export interface TextEdit extends Span {
  newText: string;
}

export interface Fix {
  title: string;
  /**
   * Safe fixes keep behaviour for legitimate callers and may be applied automatically (fix-all, `--fix`).
   * Unsafe fixes change behaviour (reject input, require a session) and are offered as suggestions only.
   */
  safe: boolean;
  edits: TextEdit[];
  /**
   * The check this fix addresses when it is not the finding's own: a fix of a rule whose finding another one
   * `covers` moves to the kept finding and names its rule here.
   */
  ruleId?: RuleId;
}

export interface Finding extends Span {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  /** Name of the action the finding belongs to, when it belongs to one. */
  action?: string;
  /** Every action the finding belongs to, when several share it (one import used by two actions). */
  actions?: string[];
  /**
   * Other checks this one finding stands for: one problem reported by several rules at the same place is one
   * finding (the most severe), which names the others here; each check still fails on the checklist.
   */
  covers?: RuleId[];
  /**
   * The place to change, when it is in another file than the finding (the module that needs \`import 'server-only'\`,
   * reported at each import): a workspace report shows one finding there, with the files that import it.
   */
  target?: Span & { message: string };
  /** Other places in the same file that are part of this one problem (the other unvalidated fields). */
  related?: (Span & { message: string })[];
  fixes: Fix[];
}

export interface ActionSummary extends Span {
  name: string;
  kind: ActionKind;
  checks: Record<ChecklistRuleId, CheckStatus>;
  /** Short reason per check, for the checklist panel ("no schema parse before the write on line 12"). */
  reasons: Partial<Record<ChecklistRuleId, string>>;
}

/** Something the engine could not do: a file it skipped, a rule that threw. Shown, never fatal. */
export interface AnalysisProblem {
  file: string;
  message: string;
  ruleId?: RuleId;
  /** The file the problem is about when it is not `file` (the tsconfig.json every file under it reports). */
  source?: string;
}

export interface FileAnalysis {
  file: string;
  /** True when the file holds server actions (file-level directive or inline actions) or feeds a client form. */
  hasActions: boolean;
  actions: ActionSummary[];
  findings: Finding[];
  problems: AnalysisProblem[];
  /** Absolute paths of other files whose contents this result depends on (imports followed for cross-file facts). */
  dependencies: string[];
}

/** Structurally compatible with the LSP and vscode cancellation tokens. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

/** Raised (and caught by adapters) when a cancellation token fires mid-analysis. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'AnalysisCancelled';
  }
}
