import * as path from 'node:path';
import type { ActionChecklist, ChecklistItem, FileChecklist, StatusParams } from '../../../shared/protocol';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId, type GuardSettings, type Severity } from '../../../shared/settings';
import { ruleMeta, type ActionSummary, type FileAnalysis, type Finding } from '../engine';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The panel's view of one analysis: every action with its eight checks, reasons and where each failure is. */
export function toFileChecklist(uri: string, analysis: FileAnalysis, settings: GuardSettings): FileChecklist {
  return { uri, actions: analysis.actions.map((action) => toActionChecklist(action, analysis, settings)) };
}

function toActionChecklist(action: ActionSummary, analysis: FileAnalysis, settings: GuardSettings): ActionChecklist {
  const file = path.normalize(analysis.file);
  const ofAction = analysis.findings.filter(
    (finding) => finding.action === action.name || finding.actions?.includes(action.name),
  );
  const here = ofAction.filter((finding) => path.normalize(finding.file || file) === file);
  return {
    name: action.name,
    kind: action.kind,
    range: action.range,
    checks: CHECKLIST_RULE_IDS.map((ruleId): ChecklistItem => {
      // The rule's own finding, or the one it was merged into (one problem several rules see is one finding).
      const first = here.find((finding) => finding.ruleId === ruleId) ?? here.find((finding) => finding.covers?.includes(ruleId));
      const reason = action.reasons?.[ruleId] ?? (first ? first.message : undefined);
      const status = action.checks?.[ruleId] ?? 'n/a';
      const severity = status === 'fail' ? failureSeverity(ruleId, ofAction, settings) : undefined;
      return {
        ruleId,
        status,
        ...(severity ? { severity } : {}),
        ...(reason ? { reason } : {}),
        ...(first ? { range: first.range } : {}),
      };
    }),
  };
}

/**
 * The severity of the most severe finding of the rule for the action, wherever it points; without one, of the finding
 * that stands for it (`covers`: one problem several rules see at one place is one finding); without either (reported
 * once at a shared module), the rule's severity under the settings.
 */
function failureSeverity(ruleId: ChecklistRuleId, findings: readonly Finding[], settings: GuardSettings): Severity | undefined {
  const configured = settings.rules[ruleId] ?? ruleMeta(ruleId)?.defaultSeverity;
  return (
    mostSevere(findings.filter((finding) => finding.ruleId === ruleId)) ??
    mostSevere(findings.filter((finding) => finding.covers?.includes(ruleId))) ??
    (configured === 'off' ? undefined : configured)
  );
}

function mostSevere(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const { severity } of findings) if (!worst || SEVERITY_RANK[severity] > SEVERITY_RANK[worst]) worst = severity;
  return worst;
}

export function isFailing(action: ActionChecklist): boolean {
  return action.checks.some((check) => check.status === 'fail');
}

export function countActions(checklists: Iterable<FileChecklist>): StatusParams {
  let actions = 0;
  let failingActions = 0;
  for (const checklist of checklists) {
    for (const action of checklist.actions) {
      actions++;
      if (isFailing(action)) failingActions++;
    }
  }
  return { actions, failingActions };
}
