/**
 * Everything the client, the server and the CLI exchange beyond standard LSP: the audit report JSON contract
 * (also the CLI's `--format json`) and the custom requests/notifications. Plain types and method names only,
 * so both sides import this file without pulling in either runtime.
 */
import type { ChecklistRuleId, RuleId, Severity } from './settings';

// ---------------------------------------------------------------------------------------------------------------
// The audit report: a public contract (CLI `--format json`, the checklist panel, CI users).
// `file` is relative to `root` with forward slashes; lines and columns are 1-based.

export type CheckStatus = 'pass' | 'fail' | 'n/a';
export type ActionKind = 'file-directive' | 'inline-directive' | 'action-client';

export interface ReportPosition {
  line: number;
  column: number;
}

export interface ReportAction {
  file: string;
  name: string;
  line: number;
  column: number;
  kind: ActionKind;
  checks: Record<ChecklistRuleId, CheckStatus>;
}

export interface ReportDiagnostic {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  file: string;
  range: { start: ReportPosition; end: ReportPosition };
  action?: string;
  /** Every action of the file the finding belongs to, when it belongs to more than one (a shared import). */
  actions?: string[];
  /** Other checks this finding stands for: one problem several rules report at the same place is one finding. */
  covers?: RuleId[];
  /**
   * Other places that are part of this one finding: the other unvalidated fields of the action; or, for a finding at
   * the place to change in another file (a module that needs `import 'server-only'`), the imports that report it,
   * each with the actions of its file it concerns.
   */
  related?: { file: string; line: number; column: number; message?: string; actions?: string[] }[];
  fixes: { title: string; safe: boolean }[];
}

export interface AuditReport {
  tool: { name: 'server-action-guard'; version: string };
  root: string;
  actions: ReportAction[];
  diagnostics: ReportDiagnostic[];
  summary: { files: number; actions: number; failing: number; durationMs: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Custom LSP messages. Ranges are LSP ranges (0-based line/character).

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface ChecklistItem {
  ruleId: ChecklistRuleId;
  status: CheckStatus;
  /**
   * For a failing check: the severity of the most severe finding behind it (the rule's configured severity when the
   * finding sits elsewhere, e.g. in an imported module), so the panel shows an error, warning or info icon.
   */
  severity?: Severity;
  /** Short reason shown next to the check ("no schema parse before the write"). */
  reason?: string;
  /** Where the first finding of this rule for this action is, to reveal it. */
  range?: LspRange;
}

export interface ActionChecklist {
  name: string;
  kind: ActionKind;
  /** The range of the action's name. */
  range: LspRange;
  checks: ChecklistItem[];
}

export interface FileChecklist {
  uri: string;
  actions: ActionChecklist[];
}

/** Request: the checklists of one document (as last analysed). */
export const ChecklistRequest = 'serverActionGuard/checklist';
export interface ChecklistParams {
  uri: string;
}
export type ChecklistResult = FileChecklist;

/** Notification server → client after every analysis of a file, so the panel follows typing. */
export const ChecklistChangedNotification = 'serverActionGuard/checklistChanged';
export type ChecklistChangedParams = FileChecklist;

/**
 * Request: audit every file of the workspace folders (or of `uris`), publishing diagnostics for files that are
 * not open. Reports work-done progress through the standard `workDoneToken` and honours cancellation.
 */
export const AuditWorkspaceRequest = 'serverActionGuard/auditWorkspace';
export interface AuditWorkspaceParams {
  workDoneToken?: string | number;
  /** Folder URIs to audit; defaults to every workspace folder. */
  uris?: string[];
}
export interface AuditWorkspaceResult {
  cancelled: boolean;
  files: number;
  actions: number;
  failing: number;
  findings: number;
  durationMs: number;
  checklists: FileChecklist[];
}

/** Request: render the last workspace audit (running one if needed) as Markdown or SARIF text. */
export const ExportReportRequest = 'serverActionGuard/exportReport';
export interface ExportReportParams {
  format: 'markdown' | 'sarif' | 'json';
}
export interface ExportReportResult {
  content: string;
}

/**
 * Notification server → client: counts for the status bar item. The first one follows the first analysis (of an
 * open document, or an audit), so a client can say "starting…" until then.
 */
export const StatusNotification = 'serverActionGuard/status';
export interface StatusParams {
  actions: number;
  failingActions: number;
}

/** What a client may send as `initializationOptions`. */
export interface InitializationOptions {
  /** Quiet time after the last keystroke before a document is analysed (default 200 ms). */
  debounceMs?: number;
  /**
   * The `serverActionGuard` section per workspace folder URI, as `workspace/configuration` would answer it, so the
   * first analysis does not wait for a round trip to a client that is still starting up. Dropped on the first
   * configuration change; without it the server asks.
   */
  folderSettings?: Record<string, unknown>;
}

/** The configuration section the server pulls with `workspace/configuration`. */
export const CONFIGURATION_SECTION = 'serverActionGuard';
/** The language server's `source` on diagnostics. */
export const DIAGNOSTIC_SOURCE = 'server-action-guard';
/** The code action kind of "fix all safe problems". */
export const FIX_ALL_KIND = 'source.fixAll.server-action-guard';

/**
 * `workspace/executeCommand` the server offers. Arguments: `[ruleId]`; returns the URI of the rule's docs page shipped
 * with the server (a `file:` URI of `docs/rules/<rule>.md`), or null.
 */
export const RULE_DOCS_COMMAND = 'serverActionGuard.server.ruleDocsUrl';
/**
 * The command of the "Show documentation for <rule>" code action. Arguments: `[ruleId]`. The server answers it by
 * asking the client to show the docs page (`window/showDocument`); the VS Code client handles it itself and opens the
 * page as a Markdown preview.
 */
export const SHOW_RULE_DOCS_COMMAND = 'serverActionGuard.server.showRuleDocs';
