import * as path from 'node:path';
import type { ActionChecklist, FileChecklist, StatusParams } from '../../../shared/protocol';
import { CHECKLIST_RULE_IDS } from '../../../shared/settings';
import type { ActionSummary, FileAnalysis } from '../engine';

/** The panel's view of one analysis: every action with its eight checks, reasons and where each failure is. */
export function toFileChecklist(uri: string, analysis: FileAnalysis): FileChecklist {
  return { uri, actions: analysis.actions.map((action) => toActionChecklist(action, analysis)) };
}

function toActionChecklist(action: ActionSummary, analysis: FileAnalysis): ActionChecklist {
  const file = path.normalize(analysis.file);
  const findings = analysis.findings.filter(
    (finding) => finding.action === action.name && path.normalize(finding.file || file) === file,
  );
  return {
    name: action.name,
    kind: action.kind,
    range: action.range,
    checks: CHECKLIST_RULE_IDS.map((ruleId) => {
      const first = findings.find((finding) => finding.ruleId === ruleId);
      const reason = action.reasons?.[ruleId] ?? (first ? first.message : undefined);
      return {
        ruleId,
        status: action.checks?.[ruleId] ?? 'n/a',
        ...(reason ? { reason } : {}),
        ...(first ? { range: first.range } : {}),
      };
    }),
  };
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
