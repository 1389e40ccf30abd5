/**
 * A human audit report ("Export Audit Report"): summary, a checklist table per Server Action, then the findings.
 * The Markdown is rendered by previews that allow inline HTML, and every name, message and path in it comes from the
 * analysed (possibly hostile) code, so each of those is escaped for both Markdown and HTML before it is written.
 */
import type { AuditReport, CheckStatus, ReportAction } from '../../../../shared/protocol';
import { CHECKLIST_RULE_IDS, type Severity } from '../../../../shared/settings';
import { countBySeverity, isFailing } from '../model';

const STATUS_LABEL: Record<CheckStatus, string> = { pass: '✅ pass', fail: '❌ fail', 'n/a': '➖ n/a' };
const SEVERITY_LABEL: Record<Severity, string> = { error: '🔴 error', warning: '🟠 warning', info: '🔵 info' };

export function formatMarkdown(report: AuditReport): string {
  const out: string[] = [];
  const counts = countBySeverity(report);
  const { files, actions, failing, durationMs } = report.summary;

  out.push('# Server Action Guard audit report', '');
  out.push(`- Root: ${escapeMarkdown(report.root)}`);
  out.push(`- Tool: ${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)}`);
  out.push(`- Files analysed: ${files}`);
  out.push(`- Server Actions: ${actions} (${failing} failing at least one check)`);
  out.push(`- Findings: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`);
  out.push(`- Duration: ${durationMs} ms`, '');

  out.push('## Checklist', '');
  if (report.actions.length === 0) out.push('No Server Actions found.', '');
  for (const action of report.actions) out.push(...actionSection(action, report));

  out.push('## Findings', '');
  if (report.diagnostics.length === 0) {
    out.push('No findings.', '');
  } else {
    out.push('| Severity | Rule | Location | Action | Message | Fixes |', '| --- | --- | --- | --- | --- | --- |');
    for (const d of report.diagnostics) {
      const location = `${d.file}:${d.range.start.line}:${d.range.start.column}`;
      const fixes = d.fixes.map((f) => `${f.title}${f.safe ? ' (safe)' : ''}`).join('; ');
      out.push(
        row([
          SEVERITY_LABEL[d.severity],
          d.ruleId,
          escapeMarkdown(location),
          d.action === undefined ? '' : escapeMarkdown(d.action),
          escapeMarkdown(d.message),
          escapeMarkdown(fixes),
        ]),
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function actionSection(action: ReportAction, report: AuditReport): string[] {
  const mark = isFailing(action) ? '❌' : '✅';
  const lines = [
    `### ${mark} ${escapeMarkdown(action.name)} (${escapeMarkdown(`${action.file}:${action.line}:${action.column}`)})`,
    '',
    `Kind: ${action.kind}`,
    '',
    '| Check | Status | Findings |',
    '| --- | --- | --- |',
  ];
  for (const id of CHECKLIST_RULE_IDS) {
    const messages = report.diagnostics
      .filter((d) => d.ruleId === id && d.action === action.name && d.file === action.file)
      .map((d) => `line ${d.range.start.line}: ${d.message}`);
    lines.push(row([id, STATUS_LABEL[action.checks[id]], escapeMarkdown(messages.join('; '))]));
  }
  lines.push('');
  return lines;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Escapes text for Markdown and for the HTML a Markdown preview renders: `<`, `>`, `&` and `"` become entities;
 * characters that start emphasis, code spans, links or table cells get a backslash; line breaks (which would end a
 * table row or start a new block) and other control characters become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    // Bidirectional overrides would make a path or name read differently than it is: show them as code points.
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
    .replace(/[\\`*_[\]|~!#]/g, (ch) => `\\${ch}`)
    .replace(/[&<>"]/g, (ch) => HTML_ENTITIES[ch]!);
}
