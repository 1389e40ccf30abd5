import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND } from '../../../shared/protocol';
import { DISABLE_NEXT_LINE } from '../engine';
import { readDiagnosticData, type FixData } from './diagnostics';

export const REASON_PLACEHOLDER = 'TODO: say why this is safe';

/** Whether a request limited to `only` kinds wants actions of `kind` (LSP kinds are hierarchical, dot-separated). */
export function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

export function ownDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
}

export interface DocumentView {
  uri: string;
  /** The document's current version when it is open; fixes computed on another version are not offered. */
  version: number | undefined;
  /** Text of a line (without its line break), for the indentation of a suppression comment. */
  lineText(line: number): string | undefined;
  eol: string;
}

/**
 * Every engine fix of the given diagnostics as a `quickfix` (safe ones preferred), then one "Disable <rule> for
 * this line" per rule and line. Identical fixes offered by several diagnostics appear once.
 */
export function quickFixActions(document: DocumentView, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of ownDiagnostics(diagnostics)) {
    const data = readDiagnosticData(diagnostic);
    if (!data) continue;
    if (data.version !== undefined && document.version !== undefined && data.version !== document.version) continue;
    for (const fix of data.fixes) {
      const key = `${fix.title}\u0000${JSON.stringify(fix.changes)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.safe,
        edit: { changes: fix.changes },
      });
    }
  }
  const suppressed = new Set<string>();
  for (const diagnostic of ownDiagnostics(diagnostics)) {
    const ruleId = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    if (!ruleId) continue;
    const key = `${ruleId}:${diagnostic.range.start.line}`;
    if (suppressed.has(key)) continue;
    suppressed.add(key);
    const action = disableLineAction(document, diagnostic, ruleId);
    if (action) actions.push(action);
  }
  return actions;
}

/**
 * "Disable <rule> for this line": inserts `// server-action-guard-disable-next-line <rule> -- <reason>` above the
 * line, indented like it (as a JSX block comment between JSX children, where `//` would be text). When the line above
 * already holds a disable-next-line comment, the rule is added to its list instead, since a comment only covers
 * the line right below it.
 */
export function disableLineAction(document: DocumentView, diagnostic: Diagnostic, ruleId: string): CodeAction | undefined {
  const line = diagnostic.range.start.line;
  const text = document.lineText(line);
  if (text === undefined) return undefined;
  const title = `Disable ${ruleId} for this line`;
  const above = line > 0 ? document.lineText(line - 1) : undefined;
  const existing = above === undefined ? undefined : existingSuppression(above);
  if (existing) {
    if (existing.ids.length === 0 || existing.ids.includes(ruleId)) return undefined;
    const at = { line: line - 1, character: existing.insertAt };
    return {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [document.uri]: [{ range: point(at), newText: `, ${ruleId}` }] } },
    };
  }
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const body = `${DISABLE_NEXT_LINE} ${ruleId} -- ${REASON_PLACEHOLDER}`;
  const comment = isJsxChildLine(document, line) ? `{/* ${body} */}` : `// ${body}`;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [document.uri]: [{ range: point({ line, character: 0 }), newText: `${indent}${comment}${document.eol}` }] } },
  };
}

const EXISTING_SUPPRESSION = new RegExp(`^\\s*(?://|/\\*|\\{\\s*/\\*)\\s*${DISABLE_NEXT_LINE}\\b`);

/** The rule ids of a disable-next-line comment and where a new id goes (after the last one). */
function existingSuppression(line: string): { ids: string[]; insertAt: number } | undefined {
  const match = EXISTING_SUPPRESSION.exec(line);
  if (!match) return undefined;
  const start = match[0].length;
  const rest = line.slice(start);
  const stops = [rest.search(/\s--(\s|$)/), rest.indexOf('*/')].filter((index) => index >= 0);
  const idsText = rest.slice(0, stops.length > 0 ? Math.min(...stops) : rest.length);
  const ids = idsText.split(/[\s,]+/).filter(Boolean);
  return { ids, insertAt: start + idsText.trimEnd().length };
}

/** A line that starts a JSX element right after another element's opening tag: a JSX child position. */
function isJsxChildLine(document: DocumentView, line: number): boolean {
  if (!/\.[jt]sx$/i.test(document.uri)) return false;
  if (!document.lineText(line)?.trimStart().startsWith('<')) return false;
  for (let previous = line - 1; previous >= 0; previous--) {
    const text = document.lineText(previous)?.trim();
    if (text === undefined) return false;
    if (text === '') continue;
    return text.endsWith('>') && !text.endsWith('=>');
  }
  return false;
}

/**
 * `source.fixAll.server-action-guard`: the safe fixes of the document's diagnostics whose edits stay inside the
 * document (saving one file must not rewrite another), in document order, skipping any fix that would overlap an
 * edit already taken. Edits shared by several fixes (the same import) are applied once.
 */
export function fixAllAction(uri: string, diagnostics: readonly Diagnostic[]): CodeAction | undefined {
  const taken: TextEdit[] = [];
  const sorted = [...ownDiagnostics(diagnostics)].sort((a, b) => comparePositions(a.range.start, b.range.start));
  for (const diagnostic of sorted) {
    const data = readDiagnosticData(diagnostic);
    if (!data) continue;
    for (const fix of data.fixes) {
      if (!fix.safe || !onlyTouches(fix, uri)) continue;
      const fresh = addable(taken, fix.changes[uri] ?? []);
      if (fresh) taken.push(...fresh);
    }
  }
  if (taken.length === 0) return undefined;
  const edit: WorkspaceEdit = { changes: { [uri]: taken } };
  return { title: 'Fix all safe Server Action Guard problems', kind: FIX_ALL_KIND, edit };
}

function onlyTouches(fix: FixData, uri: string): boolean {
  const uris = Object.keys(fix.changes);
  return uris.length > 0 && uris.every((u) => u === uri);
}

/** The edits of a fix that are not already taken, or undefined when one of them conflicts with a taken edit. */
function addable(taken: readonly TextEdit[], edits: readonly TextEdit[]): TextEdit[] | undefined {
  const fresh: TextEdit[] = [];
  for (const edit of edits) {
    if (taken.some((other) => sameEdit(other, edit)) || fresh.some((other) => sameEdit(other, edit))) continue;
    if (taken.some((other) => conflicts(other, edit))) return undefined;
    fresh.push(edit);
  }
  return fresh;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.newText === b.newText && rangesEqual(a.range, b.range);
}

function conflicts(a: TextEdit, b: TextEdit): boolean {
  // Two edits starting at the same point have no defined order (two inserts, or an insert before a replacement).
  if (comparePositions(a.range.start, b.range.start) === 0) return true;
  return comparePositions(a.range.start, b.range.end) < 0 && comparePositions(b.range.start, a.range.end) < 0;
}

function rangesEqual(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

function point(position: Position): Range {
  return { start: position, end: position };
}
