import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range, type TextEdit } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../../../shared/protocol';
import type { GuardSettings, RuleId, Severity } from '../../../shared/settings';
import type { FileAnalysis, Finding, Fix } from '../engine';
import { ruleDocsUri } from './docs';

/** A fix as carried in `diagnostic.data`: ready-made LSP edits, so a code-action request needs no re-analysis. */
export interface FixData {
  title: string;
  safe: boolean;
  /** Edits per document URI; a fix may touch other files than the diagnostic's (e.g. a helper module). */
  changes: Record<string, TextEdit[]>;
}

export interface DiagnosticData {
  ruleId: RuleId;
  /** Version of the diagnostic's document the fixes were computed on (open documents only). */
  version?: number;
  fixes: FixData[];
}

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export interface DiagnosticContext {
  settings: GuardSettings;
  /** The URI to use for a file (the client's spelling for open documents). */
  uriOf(file: string): string;
  /** The version of an open document, for stamping `data.version`. */
  versionOf(file: string): number | undefined;
}

/**
 * The LSP diagnostics of one analysis, grouped by the file they point into (normally the analysed file itself).
 * Rules switched `off` in the settings are dropped here too, so a setting wins even over a stale engine default.
 */
export function toDiagnostics(analysis: FileAnalysis, context: DiagnosticContext): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const finding of analysis.findings) {
    if (context.settings.rules[finding.ruleId] === 'off') continue;
    const file = path.normalize(finding.file || analysis.file);
    let list = byFile.get(file);
    if (!list) {
      list = [];
      byFile.set(file, list);
    }
    list.push(toDiagnostic(finding, context, context.versionOf(file)));
  }
  return byFile;
}

export function toDiagnostic(finding: Finding, context: Pick<DiagnosticContext, 'uriOf'>, version?: number): Diagnostic {
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    fixes: finding.fixes.map((fix) => toFixData(fix, context.uriOf)),
  };
  if (version !== undefined) data.version = version;
  const docs = ruleDocsUri(finding.ruleId);
  // The other places of the one problem (the other unvalidated fields), and the module to change when it is another
  // file (the one that needs import 'server-only'): the editor lists them under the diagnostic.
  const related: DiagnosticRelatedInformation[] = [
    ...(finding.target ? [{ location: { uri: context.uriOf(path.normalize(finding.target.file)), range: finding.target.range }, message: finding.target.message }] : []),
    ...(finding.related ?? []).map((r) => ({ location: { uri: context.uriOf(path.normalize(r.file)), range: r.range }, message: r.message })),
  ];
  // One finding standing for several checks says which (the checklist fails each of them).
  const covers = finding.covers && finding.covers.length > 0 ? ` (also ${finding.covers.join(', ')})` : '';
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    ...(docs ? { codeDescription: { href: docs } } : {}),
    message: `${finding.message}${covers}`,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    data,
  };
}

export function toFixData(fix: Fix, uriOf: (file: string) => string): FixData {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of fix.edits) {
    const uri = uriOf(path.normalize(edit.file));
    (changes[uri] ??= []).push({ range: edit.range, newText: edit.newText });
  }
  return { title: fix.title, safe: fix.safe, changes };
}

/** Reads `diagnostic.data` defensively: it travelled through the client and may be missing or foreign. */
export function readDiagnosticData(diagnostic: Diagnostic): DiagnosticData | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (!data || typeof data !== 'object' || typeof data.ruleId !== 'string' || !Array.isArray(data.fixes)) return undefined;
  const fixes = data.fixes.filter(
    (fix): fix is FixData =>
      !!fix && typeof fix.title === 'string' && typeof fix.safe === 'boolean' && isChanges(fix.changes),
  );
  return { ruleId: data.ruleId, version: typeof data.version === 'number' ? data.version : undefined, fixes };
}

function isChanges(value: unknown): value is Record<string, TextEdit[]> {
  if (!value || typeof value !== 'object') return false;
  return Object.values(value).every((edits) => Array.isArray(edits) && edits.every(isTextEdit));
}

function isTextEdit(value: unknown): value is TextEdit {
  const edit = value as TextEdit;
  return !!edit && typeof edit.newText === 'string' && isRange(edit.range);
}

function isRange(value: unknown): value is Range {
  const range = value as Range;
  return (
    !!range &&
    typeof range.start?.line === 'number' &&
    typeof range.start.character === 'number' &&
    typeof range.end?.line === 'number' &&
    typeof range.end.character === 'number'
  );
}

/** Stable identity of a diagnostic, to merge the same finding reported by two analyses. */
export function diagnosticKey(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${String(diagnostic.code)}:${start.line}:${start.character}:${end.line}:${end.character}:${diagnostic.message}`;
}
