/**
 * Human output for a terminal: one line per finding as `file:line:col  severity  rule-id  message` (clickable in
 * most terminals and editors), grouped by file, then one checklist line per action and the totals.
 */
import type { AuditReport, ReportDiagnostic } from '../../../../shared/protocol';
import { CHECKLIST_RULE_IDS, type Severity } from '../../../../shared/settings';
import { countBySeverity, isFailing } from '../model';

export interface TextOptions {
  color: boolean;
  /** Findings only: no checklist and no totals. */
  quiet?: boolean;
}

type Style = (text: string) => string;

interface Palette {
  bold: Style;
  dim: Style;
  underline: Style;
  red: Style;
  yellow: Style;
  blue: Style;
  green: Style;
}

const plain: Style = (text) => text;
const ansi =
  (open: number, close: number): Style =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export function formatText(report: AuditReport, options: TextOptions): string {
  const c: Palette = options.color
    ? {
        bold: ansi(1, 22),
        dim: ansi(2, 22),
        underline: ansi(4, 24),
        red: ansi(31, 39),
        yellow: ansi(33, 39),
        blue: ansi(34, 39),
        green: ansi(32, 39),
      }
    : { bold: plain, dim: plain, underline: plain, red: plain, yellow: plain, blue: plain, green: plain };
  const severityStyle: Record<Severity, Style> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];

  const byFile = new Map<string, ReportDiagnostic[]>();
  for (const diagnostic of report.diagnostics) {
    const group = byFile.get(diagnostic.file) ?? [];
    group.push(diagnostic);
    byFile.set(diagnostic.file, group);
  }
  const ruleWidth = Math.max(0, ...report.diagnostics.map((d) => d.ruleId.length));
  for (const [file, diagnostics] of byFile) {
    lines.push(c.underline(safe(file)));
    const locations = diagnostics.map((d) => `${safe(d.file)}:${d.range.start.line}:${d.range.start.column}`);
    const locationWidth = Math.max(...locations.map((l) => l.length));
    diagnostics.forEach((diagnostic, i) => {
      const severity = severityStyle[diagnostic.severity](diagnostic.severity.padEnd(7));
      const fixNote = diagnostic.fixes.some((f) => f.safe)
        ? c.dim(' (fixable with --fix)')
        : diagnostic.fixes.length > 0
          ? c.dim(' (fix available in the editor)')
          : '';
      lines.push(
        `  ${locations[i]!.padEnd(locationWidth)}  ${severity}  ${c.dim(diagnostic.ruleId.padEnd(ruleWidth))}  ` +
          `${safe(diagnostic.message)}${diagnostic.covers?.length ? c.dim(` (also ${diagnostic.covers.join(', ')})`) : ''}${fixNote}`,
      );
      // The imports that report a finding shown at another module; related places in the same file are named by the
      // message already.
      const importers = (diagnostic.related ?? []).filter((r) => r.file !== diagnostic.file);
      if (importers.length > 0) {
        const shown = importers.slice(0, 3).map((r) => `${safe(r.file)}:${r.line}:${r.column}`);
        const more = importers.length - shown.length;
        lines.push(`  ${' '.repeat(locationWidth)}  ${c.dim(`imported by ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`)}`);
      }
    });
    lines.push('');
  }
  if (options.quiet) return lines.length > 0 ? `${lines.join('\n')}\n` : '';

  if (report.actions.length > 0) {
    lines.push(c.bold('Server Actions'));
    const names = report.actions.map((a) => `${safe(a.name)}  ${c.dim(`${safe(a.file)}:${a.line}:${a.column}`)}`);
    const visible = report.actions.map((a) => `${safe(a.name)}  ${safe(a.file)}:${a.line}:${a.column}`.length);
    const nameWidth = Math.max(...visible);
    report.actions.forEach((action, i) => {
      const failed = CHECKLIST_RULE_IDS.filter((id) => action.checks[id] === 'fail');
      const passed = CHECKLIST_RULE_IDS.filter((id) => action.checks[id] === 'pass').length;
      const notApplicable = CHECKLIST_RULE_IDS.filter((id) => action.checks[id] === 'n/a').length;
      const mark = isFailing(action) ? c.red('✖') : c.green('✔');
      const counts = `${passed} pass, ${failed.length} fail, ${notApplicable} n/a`;
      const failing = failed.length > 0 ? `  ${c.red(`failing: ${failed.join(', ')}`)}` : '';
      lines.push(`  ${mark} ${names[i]}${' '.repeat(nameWidth - visible[i]!)}  ${counts}${failing}`);
    });
    lines.push('');
  }

  const counts = countBySeverity(report);
  const { files, actions, failing, durationMs } = report.summary;
  const findings = counts.error + counts.warning + counts.info;
  const problemSummary =
    findings === 0
      ? c.green('no problems')
      : [
          counts.error > 0 ? c.red(plural(counts.error, 'error')) : undefined,
          counts.warning > 0 ? c.yellow(plural(counts.warning, 'warning')) : undefined,
          counts.info > 0 ? c.blue(plural(counts.info, 'info finding')) : undefined,
        ]
          .filter(Boolean)
          .join(', ');
  const fixable = report.diagnostics.filter((d) => d.fixes.some((f) => f.safe)).length;
  lines.push(
    `${c.bold(problemSummary)} in ${plural(files, 'file')}; ${plural(actions, 'server action')}, ` +
      `${failing} failing (${durationMs} ms)`,
  );
  if (fixable > 0) lines.push(c.dim(`${plural(fixable, 'finding')} can be fixed with --fix`));
  return `${lines.join('\n')}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Names, messages and paths come from the analysed code; control characters in them could move the cursor or
 * recolour the terminal, and bidirectional overrides could make a line read differently than it is, so they are
 * shown escaped.
 */
function safe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
