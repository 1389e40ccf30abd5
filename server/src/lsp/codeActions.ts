import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, SHOW_RULE_DOCS_COMMAND } from '../../../shared/protocol';
import { DISABLE_FILE, DISABLE_NEXT_LINE } from '../engine';
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
  /** Text of a line (without its line break), or undefined past the end: for where a suppression comment goes. */
  lineText(line: number): string | undefined;
  eol: string;
}

export interface CodeActionOptions {
  /** Whether a rule has a docs page to show ("Show documentation for <rule>" is offered only then). */
  hasDocs(ruleId: string): boolean;
}

/**
 * Every engine fix of the given diagnostics as a `quickfix` (safe ones preferred); then, per rule, "Disable <rule>
 * for this line" (per line), "Disable <rule> for this file" and "Show documentation for <rule>", as ESLint offers
 * them. Identical fixes offered by several diagnostics appear once.
 */
export function quickFixActions(
  document: DocumentView,
  diagnostics: readonly Diagnostic[],
  options: CodeActionOptions,
): CodeAction[] {
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
  // A document the server cannot read (neither open nor on disk) gets no comment and no docs, only carried fixes.
  if (document.lineText(0) === undefined) return actions;
  const byRule = new Map<string, Diagnostic[]>();
  for (const diagnostic of ownDiagnostics(diagnostics)) {
    const ruleId = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    if (ruleId) byRule.set(ruleId, [...(byRule.get(ruleId) ?? []), diagnostic]);
  }
  for (const [ruleId, ruleDiagnostics] of byRule) {
    const lines = new Set<number>();
    for (const diagnostic of ruleDiagnostics) {
      if (lines.has(diagnostic.range.start.line)) continue;
      lines.add(diagnostic.range.start.line);
      const action = disableLineAction(document, diagnostic, ruleId);
      if (action) actions.push(action);
    }
    const disableFile = disableFileAction(document, ruleDiagnostics, ruleId);
    if (disableFile) actions.push(disableFile);
    if (options.hasDocs(ruleId)) actions.push(showDocsAction(ruleDiagnostics, ruleId));
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

/**
 * "Disable <rule> for this file": `// server-action-guard-disable-file <rule> -- <reason>` on its own line after the
 * directive prologue, so `'use server'` or `'use client'` stays the first statement (Next.js ignores a directive that
 * is not), or at the top of a file without directives. A file that already has such a comment gets the rule added to
 * its list.
 */
export function disableFileAction(document: DocumentView, diagnostics: Diagnostic[], ruleId: string): CodeAction | undefined {
  const title = `Disable ${ruleId} for this file`;
  const edit = (range: Range, newText: string): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    edit: { changes: { [document.uri]: [{ range, newText }] } },
  });
  for (let line = 0, text = document.lineText(0); text !== undefined; text = document.lineText(++line)) {
    const existing = existingSuppression(text, FILE_SUPPRESSION);
    if (!existing) continue;
    if (existing.ids.length === 0 || existing.ids.includes(ruleId)) return undefined;
    return edit(point({ line, character: existing.insertAt }), `, ${ruleId}`);
  }
  const comment = `// ${DISABLE_FILE} ${ruleId} -- ${REASON_PLACEHOLDER}`;
  const after = lastPrologueLine(document);
  if (after === undefined) return edit(point({ line: 0, character: 0 }), `${comment}${document.eol}`);
  if (document.lineText(after + 1) === undefined) {
    // The directive is the last line and has no line break: the comment starts a new one.
    return edit(point({ line: after, character: document.lineText(after)!.length }), `${document.eol}${comment}`);
  }
  return edit(point({ line: after + 1, character: 0 }), `${comment}${document.eol}`);
}

/** "Show documentation for <rule>": the rule's docs page, through the server command (see SHOW_RULE_DOCS_COMMAND). */
function showDocsAction(diagnostics: Diagnostic[], ruleId: string): CodeAction {
  const title = `Show documentation for ${ruleId}`;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [ruleId] },
  };
}

/** A statement that is a lone string literal: a directive, when it comes before any other statement. */
const DIRECTIVE = /^(['"])[^'"\\]*\1\s*;?\s*(?:\/\/.*|\/\*.*\*\/\s*)?$/;

/**
 * The last line of the directive prologue (`'use server';`, `"use client"`…), skipping a shebang, blank lines and
 * comments before and between the directives; undefined when the file has no directive. For a file without one,
 * a shebang line still comes first: the comment then goes right below it.
 */
function lastPrologueLine(document: DocumentView): number | undefined {
  let last: number | undefined;
  let inBlockComment = false;
  for (let line = 0, text = document.lineText(0); text !== undefined; text = document.lineText(++line)) {
    const trimmed = text.trim();
    if (inBlockComment) {
      inBlockComment = !trimmed.includes('*/');
      continue;
    }
    if (line === 0 && trimmed.startsWith('#!')) {
      last = 0;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    if (trimmed.startsWith('/*')) {
      inBlockComment = !trimmed.slice(2).includes('*/');
      continue;
    }
    if (!DIRECTIVE.test(trimmed)) break;
    last = line;
  }
  return last;
}

const LINE_SUPPRESSION = new RegExp(`^\\s*(?://|/\\*|\\{\\s*/\\*)\\s*${DISABLE_NEXT_LINE}\\b`);
const FILE_SUPPRESSION = new RegExp(`^\\s*(?://|/\\*|\\{\\s*/\\*)\\s*${DISABLE_FILE}\\b`);

/** The rule ids of a suppression comment and where a new id goes (after the last one). */
function existingSuppression(line: string, pattern = LINE_SUPPRESSION): { ids: string[]; insertAt: number } | undefined {
  const match = pattern.exec(line);
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
