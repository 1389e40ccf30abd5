/**
 * Turns engine analyses into the audit report, the public JSON contract of shared/protocol.ts that the CLI prints,
 * the checklist panel reads and CI users parse. Paths relative to the root with forward slashes, 1-based
 * positions, and a stable order so that two runs over the same code print the same bytes.
 */
import * as path from 'node:path';
import type { AuditReport, CheckStatus, ReportAction, ReportDiagnostic } from '../../../shared/protocol';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId, type Severity } from '../../../shared/settings';
import type { FileAnalysis, Finding, Position } from '../engine';

export interface ReportOptions {
  files: number;
  durationMs: number;
  version: string;
}

export function buildReport(root: string, analyses: FileAnalysis[], options: ReportOptions): AuditReport {
  const actions = new Map<string, ReportAction>();
  const diagnostics = new Map<string, ReportDiagnostic>();
  const targeted = new Map<string, ReportDiagnostic>();
  for (const analysis of analyses) {
    for (const action of analysis.actions) {
      const entry: ReportAction = {
        file: relativePath(root, action.file),
        name: action.name,
        ...toReportPosition(action.range.start),
        kind: action.kind,
        checks: completeChecks(action.checks),
      };
      actions.set(JSON.stringify([entry.file, entry.name, entry.line, entry.column]), entry);
    }
    for (const finding of analysis.findings) {
      if (finding.target) {
        addAtTarget(root, targeted, finding);
        continue;
      }
      const entry: ReportDiagnostic = {
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        file: relativePath(root, finding.file),
        range: { start: toReportPosition(finding.range.start), end: toReportPosition(finding.range.end) },
        ...(finding.action !== undefined ? { action: finding.action } : {}),
        ...(finding.actions !== undefined ? { actions: finding.actions } : {}),
        ...(finding.covers !== undefined ? { covers: finding.covers } : {}),
        ...(finding.related !== undefined
          ? { related: finding.related.map((r) => ({ file: relativePath(root, r.file), ...toReportPosition(r.range.start), message: r.message })) }
          : {}),
        fixes: finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe })),
      };
      // A finding in a shared helper is reported by every action file that imports it: print it once.
      const key = JSON.stringify([entry.file, entry.range, entry.ruleId, entry.message, entry.action]);
      if (!diagnostics.has(key)) diagnostics.set(key, entry);
    }
  }
  const sortedActions = [...actions.values()].sort(
    (a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.name, b.name),
  );
  for (const entry of targeted.values()) {
    entry.related!.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
    const files = new Set(entry.related!.map((r) => r.file)).size;
    entry.message += ` ${files} ${files === 1 ? 'file imports' : 'files import'} it.`;
    diagnostics.set(JSON.stringify([entry.file, entry.range, entry.ruleId, entry.message]), entry);
  }
  const sortedDiagnostics = [...diagnostics.values()].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      a.range.end.line - b.range.end.line ||
      a.range.end.column - b.range.end.column ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.message, b.message),
  );
  return {
    tool: { name: 'server-action-guard', version: options.version },
    root,
    actions: sortedActions,
    diagnostics: sortedDiagnostics,
    summary: {
      files: options.files,
      actions: sortedActions.length,
      failing: sortedActions.filter(isFailing).length,
      durationMs: options.durationMs,
    },
  };
}

/**
 * One finding at the place to change for every import that reports it (a module without `import 'server-only'`):
 * the most severe of them, every fix once, and each reporting import as a related location with its actions.
 */
function addAtTarget(root: string, targeted: Map<string, ReportDiagnostic>, finding: Finding): void {
  const target = finding.target!;
  const file = relativePath(root, target.file);
  const key = JSON.stringify([file, target.start, target.end, finding.ruleId, target.message]);
  let entry = targeted.get(key);
  if (!entry) {
    entry = {
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: target.message,
      file,
      range: { start: toReportPosition(target.range.start), end: toReportPosition(target.range.end) },
      related: [],
      fixes: [],
    };
    targeted.set(key, entry);
  }
  if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[entry.severity]) entry.severity = finding.severity;
  for (const fix of finding.fixes) if (!entry.fixes.some((f) => f.title === fix.title)) entry.fixes.push({ title: fix.title, safe: fix.safe });
  const site = { file: relativePath(root, finding.file), ...toReportPosition(finding.range.start) };
  const names = finding.actions ?? (finding.action !== undefined ? [finding.action] : []);
  const same = entry.related!.find((r) => r.file === site.file && r.line === site.line && r.column === site.column);
  if (same) {
    if (names.length > 0) same.actions = [...new Set([...(same.actions ?? []), ...names])].sort(compare);
  } else {
    entry.related!.push({ ...site, message: 'imported here', ...(names.length > 0 ? { actions: [...names].sort(compare) } : {}) });
  }
}

export function isFailing(action: ReportAction): boolean {
  return CHECKLIST_RULE_IDS.some((id) => action.checks[id] === 'fail');
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Whether `severity` is at or above `threshold` (error > warning > info). */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function countBySeverity(report: AuditReport): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const diagnostic of report.diagnostics) counts[diagnostic.severity]++;
  return counts;
}

/** `root`-relative with forward slashes on every platform; files outside the root keep their absolute path. */
export function relativePath(root: string, file: string): string {
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return file.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}

function toReportPosition(position: Position): { line: number; column: number } {
  return { line: position.line + 1, column: position.character + 1 };
}

/** Every action lists all eight checks in checklist order, whatever the engine filled in. */
function completeChecks(checks: Partial<Record<ChecklistRuleId, CheckStatus>>): Record<ChecklistRuleId, CheckStatus> {
  const complete = {} as Record<ChecklistRuleId, CheckStatus>;
  for (const id of CHECKLIST_RULE_IDS) complete[id] = checks[id] ?? 'n/a';
  return complete;
}

/** Code-unit order, independent of the machine's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
