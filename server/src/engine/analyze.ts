/** Runs fact extraction and every rule over one parsed file, producing the engine's plain output. */
import * as path from 'node:path';
import type ts from 'typescript';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId, type GuardSettings, type RuleId, type Severity } from '../../../shared/settings';
import { errorText, extractFileFacts, type FileFactsInput } from './facts/file';
import type { ActionFacts } from './facts/model';
import type { EndpointExports, Reexport } from './actions';
import { RULES } from './rules';
import type { Report, Rule } from './rules/rule';
import { skipReason } from './skip';
import { hostPathOf, spanOf } from './span';
import { parseSuppressions } from './suppressions';
import { AnalysisCancelled, type ActionSummary, type CheckStatus, type FileAnalysis, type Finding, type Fix } from './types';

export interface AnalyzeInput extends FileFactsInput {
  /** The rules to run (default: all of RULES). */
  rules?: readonly Rule[];
}

/** Files without directives or forms cannot produce findings: checked on the text, before parsing. */
export function mayHoldFindings(text: string): boolean {
  return /use server|use client|<form/.test(text);
}

export function analyzeSourceFile(input: AnalyzeInput): FileAnalysis {
  const { file, sourceFile, settings } = input;
  const relativePath = path.relative(input.root, file).split(path.sep).join('/');
  const result: FileAnalysis = { file, hasActions: false, actions: [], findings: [], problems: [], dependencies: [] };
  // Disabled or excluded: nothing to say (the adapters decided about folders and sizes before reading the file).
  const skipped = skipReason({ relativePath }, settings);
  if (skipped?.kind === 'disabled' || skipped?.kind === 'excluded' || skipped?.kind === 'test-file') return result;

  const checkCancelled = (): void => {
    if (input.token?.isCancellationRequested) throw new AnalysisCancelled();
  };
  const facts = extractFileFacts(input, relativePath, result.problems);
  result.hasActions = facts.actions.length > 0 || facts.directive === 'use server';
  const suppressions = parseSuppressions(sourceFile);
  const byAction = new Map<ActionFacts, Map<ChecklistRuleId, { status: CheckStatus; reason?: string }>>();
  const findingsByKey = new Map<string, Finding>();

  for (const rule of input.rules ?? RULES) {
    checkCancelled();
    const severity = severityOf(rule, settings);
    if (severity === 'off') {
      for (const action of facts.actions) {
        if (isChecklistRule(rule.meta.id)) statusMap(byAction, action).set(rule.meta.id, { status: 'n/a', reason: 'rule turned off' });
      }
      continue;
    }
    const emit = (report: Report & { action?: string }, actionName: string | undefined): Finding | undefined => {
      const finding = toFinding(rule, report, severity, settings.rules[rule.meta.id] !== undefined, sourceFile, file, actionName ?? report.action);
      if (suppressions.isSuppressed(rule.meta.id, finding.range.start.line)) return undefined;
      // Two actions sharing one import report it once; both still fail their check.
      // Keyed lookup: a scan of all findings per report is quadratic in files with thousands of actions.
      const key = `${finding.ruleId}\0${finding.start}\0${finding.end}\0${finding.message}`;
      const same = findingsByKey.get(key);
      if (same) {
        if (actionName && same.action && actionName !== same.action) same.actions = [...new Set([...(same.actions ?? [same.action]), actionName])];
        return same;
      }
      findingsByKey.set(key, finding);
      result.findings.push(finding);
      return finding;
    };
    try {
      if (rule.checkFile) rule.checkFile({ file: facts, report: (report) => void emit(report, report.action) });
      if (rule.checkAction) {
        for (const action of facts.actions) {
          const reported: Finding[] = [];
          const grouped = new Map<string, Report[]>();
          const status = rule.checkAction({
            action,
            file: facts,
            report: (report) => {
              if (report.group) {
                grouped.set(report.group.key, [...(grouped.get(report.group.key) ?? []), report]);
                return;
              }
              const finding = emit(report, action.name);
              if (finding) reported.push(finding);
            },
          });
          for (const reports of grouped.values()) {
            const finding = emit(groupReports(reports, (report) => suppressions.isSuppressed(rule.meta.id, lineOf(sourceFile, report))), action.name);
            if (finding) reported.push(finding);
          }
          if (!isChecklistRule(rule.meta.id)) continue;
          const confident = reported.filter((f) => f.severity !== 'info');
          const entry: { status: CheckStatus; reason?: string } =
            status === 'n/a'
              ? { status: 'n/a' }
              : confident.length > 0
                ? { status: 'fail', reason: firstSentence(confident[0]!.message) }
                : reported.length > 0
                  ? { status: 'pass', reason: `unverified: ${firstSentence(reported[0]!.message)}` }
                  : { status: 'pass' };
          statusMap(byAction, action).set(rule.meta.id, entry);
        }
      }
    } catch (error) {
      if (error instanceof AnalysisCancelled) throw error;
      result.problems.push({ file, ruleId: rule.meta.id, message: `rule ${rule.meta.id} failed: ${errorText(error)}` });
    }
  }

  result.findings = mergeSamePlace(result.findings);
  // A finding that also answers another check (it covers it) fails that check too, unless the user turned it off.
  for (const finding of result.findings) {
    if (!finding.covers || finding.severity === 'info' || finding.action === undefined) continue;
    const action = facts.actions.find((a) => a.name === finding.action);
    if (!action) continue;
    const statuses = statusMap(byAction, action);
    for (const id of finding.covers) {
      if (!isChecklistRule(id) || statuses.get(id)?.status === 'fail' || statuses.get(id)?.reason === 'rule turned off') continue;
      statuses.set(id, { status: 'fail', reason: firstSentence(finding.message) });
    }
  }
  for (const action of facts.actions) {
    const statuses = statusMap(byAction, action);
    const checks = {} as Record<ChecklistRuleId, CheckStatus>;
    const reasons: Partial<Record<ChecklistRuleId, string>> = {};
    for (const id of CHECKLIST_RULE_IDS) {
      const entry = statuses.get(id) ?? { status: 'n/a' as CheckStatus };
      checks[id] = entry.status;
      if (entry.reason) reasons[id] = entry.reason;
    }
    const summary: ActionSummary = { ...spanOf(sourceFile, file, action.nameNode.getStart(sourceFile), action.nameNode.getEnd()), name: action.name, kind: action.kind, checks, reasons };
    result.actions.push(summary);
  }
  if (facts.reexports.length > 0 && input.analyzeEndpoints) addReexportedEndpoints(input, facts.reexports, suppressions, result);
  result.findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return result;
}

/**
 * Endpoints a `'use server'` file re-exports are analysed in the module that defines them; the endpoint is the export,
 * so each finding is reported once there, with the place in the definition as related information (its fixes still
 * edit the definition). A suppression comment at the export applies as well as one at the definition.
 */
function addReexportedEndpoints(input: AnalyzeInput, reexports: readonly Reexport[], suppressions: ReturnType<typeof parseSuppressions>, result: FileAnalysis): void {
  const { sourceFile, file } = input;
  const bySpecifier = new Map<string, Reexport[]>();
  for (const reexport of reexports) bySpecifier.set(reexport.specifier, [...(bySpecifier.get(reexport.specifier) ?? []), reexport]);
  for (const [specifier, entries] of bySpecifier) {
    const star = entries.find((entry) => entry.imported === undefined);
    const names: EndpointExports = star ? 'all' : new Set(entries.map((entry) => entry.imported!));
    const analysis = input.analyzeEndpoints!(file, specifier, names);
    if (!analysis) continue;
    result.hasActions = true;
    result.dependencies.push(analysis.file, ...analysis.dependencies);
    result.problems.push(...analysis.problems);
    const definedIn = path.relative(input.root, analysis.file).split(path.sep).join('/');
    for (const action of analysis.actions) {
      if (action.kind === 'inline-directive') continue;
      // `export { a as b } from`, several names for one function, or every export for `export *`.
      const exports = entries.filter((entry) => entry.imported === action.name || entry === star);
      for (const entry of exports) {
        const name = entry.name ?? action.name;
        const at = spanOf(sourceFile, file, entry.nameNode.getStart(sourceFile), entry.nameNode.getEnd());
        result.actions.push({ ...at, name, kind: action.kind, checks: action.checks, reasons: action.reasons });
        for (const finding of analysis.findings) {
          if (finding.action !== action.name && !finding.actions?.includes(action.name)) continue;
          if (suppressions.isSuppressed(finding.ruleId, at.range.start.line)) continue;
          const line = finding.range.start.line + 1;
          const { actions: _shared, ...rest } = finding;
          result.findings.push({
            ...rest,
            ...at,
            action: name,
            message: `${finding.message} (in ${definedIn}:${line}, exported here as a Server Action)`,
            related: [{ file: finding.file, start: finding.start, end: finding.end, range: finding.range, message: `${name} is defined here` }, ...(finding.related ?? [])],
          });
        }
      }
    }
  }
}

/**
 * One problem, one finding: a client value that is unvalidated, chosen by the client and written as the owner is one
 * problem seen by up to three rules (validate-input, narrow-contract, server-identity) on exactly the same range. They
 * become one finding of the most specific rule, at the most severe level of the group, which `covers` the others and
 * carries their fixes. Findings of other rules on the same range (an unauthenticated write that is also not
 * revalidated) are different problems with different changes, and stay apart.
 */
const CLIENT_VALUE_RULES: readonly RuleId[] = ['server-identity', 'narrow-contract', 'validate-input'];

function mergeSamePlace(findings: Finding[]): Finding[] {
  const byPlace = new Map<string, Finding[]>();
  for (const finding of findings) {
    // A finding about several places (the unvalidated fields of a form) is more than this one value: it stays.
    if (!CLIENT_VALUE_RULES.includes(finding.ruleId) || finding.severity === 'info' || finding.related) continue;
    const key = `${finding.start}\0${finding.end}\0${finding.action ?? ''}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), finding]);
  }
  const dropped = new Set<Finding>();
  for (const group of byPlace.values()) {
    if (group.length < 2) continue;
    const kept = group.reduce((a, b) => (CLIENT_VALUE_RULES.indexOf(b.ruleId) < CLIENT_VALUE_RULES.indexOf(a.ruleId) ? b : a));
    for (const other of group) {
      if (other === kept) continue;
      if (rank(other.severity) > rank(kept.severity)) kept.severity = other.severity;
      kept.covers = [...new Set([...(kept.covers ?? []), other.ruleId, ...(other.covers ?? [])])];
      kept.fixes = [...kept.fixes, ...other.fixes.filter((fix) => !kept.fixes.some((f) => f.title === fix.title)).map((fix) => ({ ...fix, ruleId: fix.ruleId ?? other.ruleId }))];
      dropped.add(other);
    }
  }
  return dropped.size === 0 ? findings : findings.filter((f) => !dropped.has(f));
}

/**
 * Reports that are one problem (the unvalidated fields of one action) as one: the first report not suppressed, its
 * group message naming every item left, the others as related places. Suppressed reports drop out of the group.
 */
function groupReports(reports: Report[], suppressed: (report: Report) => boolean): Report {
  const left = reports.filter((report) => !suppressed(report));
  if (left.length <= 1) return left[0] ?? reports[0]!;
  const [first, ...rest] = left;
  const group = first!.group!;
  const fixes: Fix[] = [];
  for (const fix of left.flatMap((report) => report.fixes ?? [])) if (!fixes.some((f) => f.title === fix.title)) fixes.push(fix);
  return {
    messageId: group.messageId,
    data: { ...first!.data, items: listOf([...new Set(left.map((report) => report.group!.item))]) },
    node: first!.node,
    start: first!.start,
    end: first!.end,
    severity: first!.severity,
    fixes,
    related: rest.map((report) => ({ node: report.node!, messageId: group.relatedMessageId, data: { item: report.group!.item } })),
  };
}

function lineOf(sourceFile: ts.SourceFile, report: Report): number {
  return sourceFile.getLineAndCharacterOfPosition(report.start ?? report.node!.getStart(sourceFile)).line;
}

/** `'a', 'b' and 'c'`; past four names, `'a', 'b', 'c' and 2 more`. */
function listOf(names: string[]): string {
  const quoted = [...new Set(names)].map((n) => `'${n}'`);
  if (quoted.length === 1) return quoted[0]!;
  if (quoted.length <= 4) return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return `${quoted.slice(0, 3).join(', ')} and ${quoted.length - 3} more`;
}

function statusMap(map: Map<ActionFacts, Map<ChecklistRuleId, { status: CheckStatus; reason?: string }>>, action: ActionFacts) {
  let entry = map.get(action);
  if (!entry) map.set(action, (entry = new Map()));
  return entry;
}

function isChecklistRule(id: RuleId): id is ChecklistRuleId {
  return (CHECKLIST_RULE_IDS as readonly string[]).includes(id);
}

function severityOf(rule: Rule, settings: GuardSettings): Severity | 'off' {
  return settings.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
}

function firstSentence(message: string): string {
  const end = message.search(/[.:;](\s|$)/);
  return end > 0 ? message.slice(0, end) : message;
}

function toFinding(
  rule: Rule,
  report: Report,
  severity: Severity,
  overridden: boolean,
  sourceFile: ts.SourceFile,
  file: string,
  action: string | undefined,
): Finding {
  const start = report.start ?? report.node!.getStart(sourceFile);
  const end = report.end ?? report.node!.getEnd();
  const template = rule.meta.messages[report.messageId] ?? report.messageId;
  const message = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => String(report.data?.[key] ?? ''));
  // A message may carry its own default (an unverified guard is info, a client import of a DB module is an error);
  // a severity the user set for the rule caps it.
  const effective: Severity = !report.severity
    ? severity
    : overridden && rank(report.severity) > rank(severity)
      ? severity
      : report.severity;
  const finding: Finding = { ...spanOf(sourceFile, file, start, end), ruleId: rule.meta.id, severity: effective, message, action, fixes: report.fixes ?? [] };
  if (report.covers && report.covers.length > 0) finding.covers = [...report.covers];
  const fill = (messageId: string, data: Record<string, string | number> | undefined): string =>
    (rule.meta.messages[messageId] ?? messageId).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => String(data?.[key] ?? ''));
  if (report.related && report.related.length > 0) {
    finding.related = report.related.map(({ node, messageId, data }) => ({ ...spanOf(sourceFile, file, node.getStart(sourceFile), node.getEnd()), message: fill(messageId, data) }));
  }
  if (report.target) {
    const { sourceFile: targetFile, node, messageId, data } = report.target;
    finding.target = { ...spanOf(targetFile, hostPathOf(targetFile), node.getStart(targetFile), node.getEnd()), message: fill(messageId, data) };
  }
  return finding;
}

function rank(severity: Severity): number {
  return severity === 'error' ? 2 : severity === 'warning' ? 1 : 0;
}

