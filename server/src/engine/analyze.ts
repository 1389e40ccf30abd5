/** Runs fact extraction and every rule over one parsed file, producing the engine's plain output. */
import * as path from 'node:path';
import ts from 'typescript';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId, type GuardSettings, type RuleId, type Severity } from '../../../shared/settings';
import { findActions } from './actions';
import { bindingsOf } from './facts/bindings';
import { describeCall, type FunctionSummary, type Resolver, type Scope } from './facts/calls';
import { extractActionFacts, normalizeField } from './facts/extract';
import type { ActionFacts, FileFacts } from './facts/model';
import { privilegedMaterial } from './facts/modules';
import type { ModuleInfo } from './project';
import { RULES } from './rules';
import type { Report, Rule } from './rules/rule';
import { matchesPathGlob } from './globs';
import { spanOf } from './span';
import { parseSuppressions } from './suppressions';
import { AnalysisCancelled, type ActionSummary, type CancellationToken, type CheckStatus, type FileAnalysis, type Finding } from './types';

export interface AnalyzeInput {
  file: string;
  root: string;
  sourceFile: ts.SourceFile;
  settings: GuardSettings;
  resolver: Resolver;
  localSummaries: Map<ts.Node, FunctionSummary | 'pending'>;
  moduleInfo(from: string, specifier: string): ModuleInfo | undefined;
  /** The project's own auth helper, for fixes in files that import none: `{ name, kind, from }`. */
  discoverAuthHelper?(file: string): { name: string; kind: 'getter' | 'guard'; from: string } | undefined;
  token?: CancellationToken;
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
  if (!settings.enable || settings.exclude.some((glob) => matchesPathGlob(relativePath, glob))) return result;

  // Project.analyzeFile has already skipped files that fail mayHoldFindings, before parsing them.
  const text = sourceFile.text;
  const found = findActions(sourceFile);
  const bindings = bindingsOf(sourceFile);
  const scope: Scope = { file, sourceFile, bindings, resolver: input.resolver, localSummaries: input.localSummaries, depth: 0 };
  const checkCancelled = (): void => {
    if (input.token?.isCancellationRequested) throw new AnalysisCancelled();
  };

  const facts: FileFacts = {
    path: file,
    relativePath,
    text,
    sourceFile,
    settings,
    directive: found.directive,
    misplacedDirectives: found.misplaced,
    actions: [],
    nonAsyncExports: found.nonAsyncExports,
    hasServerOnlyImport: bindings.sideEffectImports.includes('server-only'),
    privileged: [],
    privilegedImports: [],
    hiddenIdentityInputs: [],
    authImports: [],
    route: inferRoute(relativePath),
    dependencies: new Set(),
  };

  if (found.actions.length > 0) {
    facts.authImports = authImportsOf(scope);
    if (facts.authImports.length === 0) {
      const discovered = input.discoverAuthHelper?.(file);
      if (discovered) facts.authImports.push(discovered);
    }
  }

  for (const action of found.actions) {
    checkCancelled();
    try {
      facts.actions.push(extractActionFacts(action, scope, publicReason(action.jsDoc, action.name, relativePath, settings, sourceFile)));
    } catch (error) {
      if (error instanceof AnalysisCancelled) throw error;
      result.problems.push({ file, message: `could not analyse action ${action.name}: ${errorText(error)}` });
    }
  }

  const needsModuleFacts = found.directive !== undefined || facts.actions.length > 0;
  if (needsModuleFacts) {
    facts.privileged = privilegedMaterial(sourceFile);
    for (const statement of sourceFile.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly) continue;
      const info = input.moduleInfo(file, statement.moduleSpecifier.text);
      if (!info) continue;
      facts.dependencies.add(info.path);
      if (found.directive === 'use client' && onlyTypesUsed(statement, sourceFile)) continue;
      const exposed = exposedPrivilege(info, input, new Set());
      const reason = exposed?.reason;
      if (reason || (info.hasServerOnly && (info.privileged || found.directive === 'use client'))) {
        facts.privilegedImports.push({
          node: statement,
          resolvedPath: exposed?.holder.path ?? info.path,
          module: exposed?.holder.sourceFile ?? info.sourceFile,
          reason: reason ?? info.privileged ?? 'is server-only',
          hasServerOnly: info.hasServerOnly,
        });
      }
    }
  }
  if (/<form/.test(text) && /\.[jt]sx$/i.test(file)) facts.hiddenIdentityInputs = hiddenIdentityInputs(sourceFile, settings);

  result.hasActions = facts.actions.length > 0 || found.directive === 'use server';
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
      if (same) return same;
      findingsByKey.set(key, finding);
      result.findings.push(finding);
      return finding;
    };
    try {
      if (rule.checkFile) rule.checkFile({ file: facts, report: (report) => void emit(report, report.action) });
      if (rule.checkAction) {
        for (const action of facts.actions) {
          const reported: Finding[] = [];
          const status = rule.checkAction({
            action,
            file: facts,
            report: (report) => {
              const finding = emit(report, action.name);
              if (finding) reported.push(finding);
            },
          });
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
  result.findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return result;
}

/** What was thrown, for a problem message: code may throw anything, not only Errors. */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  return { ...spanOf(sourceFile, file, start, end), ruleId: rule.meta.id, severity: effective, message, action, fixes: report.fixes ?? [] };
}

function rank(severity: Severity): number {
  return severity === 'error' ? 2 : severity === 'warning' ? 1 : 0;
}

/** `@public` JSDoc tag on the action, or a `publicActions` glob (`app/(marketing)/**` or `path#action`). */
function publicReason(node: ts.Node, name: string, relativePath: string, settings: GuardSettings, sourceFile: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? [];
  for (const range of ranges) {
    if (/@public\b/.test(sourceFile.text.slice(range.pos, range.end))) return '@public tag';
  }
  for (const pattern of settings.publicActions) {
    const [glob, actionName] = pattern.split('#');
    if (actionName && actionName !== name) continue;
    if (glob && matchesPathGlob(relativePath, glob)) return `publicActions "${pattern}"`;
  }
  return undefined;
}


/** The route a file under `app/` belongs to: route groups, parallel slots and private folders do not count. */
export function inferRoute(relativePath: string): string | undefined {
  const parts = relativePath.split('/');
  const appIndex = parts.indexOf('app');
  if (appIndex === -1) return undefined;
  const segments = parts.slice(appIndex + 1, -1).filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  if (segments.some((segment) => segment.startsWith('_'))) return undefined;
  return `/${segments.join('/')}`;
}

/** A module is exposed if it holds privileged material, or imports such a module, without `import 'server-only'`. */
function exposedPrivilege(info: ModuleInfo, input: AnalyzeInput, seen: Set<string>): { reason: string; holder: ModuleInfo } | undefined {
  if (info.hasServerOnly || info.directive === 'use server' || seen.has(info.path) || seen.size > 6) return undefined;
  seen.add(info.path);
  if (info.privileged) return { reason: info.privileged, holder: info };
  // Through an unmarked module that imports the privileged one: the marker belongs on the module that holds it.
  for (const statement of info.sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.importClause?.isTypeOnly) continue;
    const inner = input.moduleInfo(info.path, statement.moduleSpecifier.text);
    if (!inner || inner.hasServerOnly) continue;
    const found = exposedPrivilege(inner, input, seen);
    if (found) return { reason: `imports ${path.basename(inner.path)}, which ${found.reason}`, holder: found.holder };
  }
  return undefined;
}

function hiddenIdentityInputs(sourceFile: ts.SourceFile, settings: GuardSettings): { node: ts.Node; field: string }[] {
  const identity = new Set(settings.identityFields.map(normalizeField));
  const out: { node: ts.Node; field: string }[] = [];
  const visit = (node: ts.Node, inActionForm: boolean): void => {
    let inside = inActionForm;
    if (ts.isJsxElement(node) && node.openingElement.tagName.getText(sourceFile) === 'form') {
      inside = hasActionAttribute(node.openingElement.attributes);
    }
    if (inside && (ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) && node.tagName.getText(sourceFile) === 'input') {
      const attributes = attributesOf(node.attributes);
      const type = attributes.get('type');
      const name = attributes.get('name');
      if (type === 'hidden' && name && identity.has(normalizeField(name))) out.push({ node, field: name });
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(sourceFile, false);
  return out;
}

function hasActionAttribute(attributes: ts.JsxAttributes): boolean {
  return attributes.properties.some(
    (p) => ts.isJsxAttribute(p) && p.name.getText() === 'action' && p.initializer !== undefined && ts.isJsxExpression(p.initializer),
  );
}

function attributesOf(attributes: ts.JsxAttributes): Map<string, string> {
  const out = new Map<string, string>();
  for (const property of attributes.properties) {
    if (!ts.isJsxAttribute(property) || !property.initializer) continue;
    const name = property.name.getText();
    if (ts.isStringLiteral(property.initializer)) out.set(name, property.initializer.text);
    else if (ts.isJsxExpression(property.initializer) && property.initializer.expression && ts.isStringLiteralLike(property.initializer.expression)) {
      out.set(name, property.initializer.expression.text);
    }
  }
  return out;
}

/** Imported functions that establish identity (`auth`, `getSession`, `requireUser`), as a fix can call them. */
function authImportsOf(scope: Scope): FileFacts['authImports'] {
  const out: FileFacts['authImports'] = [];
  for (const [name] of scope.bindings.imports) {
    const call = ts.factory.createCallExpression(ts.factory.createIdentifier(name), undefined, []);
    // A synthetic call has no source text; describeCall only needs the callee's name and the file's bindings.
    let description: ReturnType<typeof describeCall>;
    try {
      description = describeCall(call, scope);
    } catch {
      description = undefined;
    }
    if (description?.auth?.certainty === 'certain') out.push({ name, kind: description.auth.kind });
  }
  return out;
}

/** An import whose names are only used as types (`import { ActionState } …` without `import type`) is erased. */
function onlyTypesUsed(statement: ts.ImportDeclaration, sourceFile: ts.SourceFile): boolean {
  const clause = statement.importClause;
  if (!clause || clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return false;
  const names = new Set(clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => e.name.text));
  if (names.size === 0) return true;
  let valueUse = false;
  let typeUse = false;
  const visit = (node: ts.Node, inType: boolean): void => {
    if (valueUse || ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node) && names.has(node.text)) {
      if (inType) typeUse = true;
      else valueUse = true;
    }
    ts.forEachChild(node, (child) => visit(child, inType || ts.isTypeNode(node)));
  };
  visit(sourceFile, false);
  // An import not used yet (code being typed) still pulls the module in as far as we can tell.
  return typeUse && !valueUse;
}
