/**
 * Scores audit reports (the CLI's `--format json`) against hand-written labels (eval/labels/*.json, written as
 * eval/LABELLING.md says). Pure: label files and reports in, counts out.
 *
 * A detection is a warning or an error of a check's rule on a labelled action (info and "unknown" do not count): a
 * diagnostic of its file whose `action` names it, or whose `actions` list (a finding several actions share) does, or
 * a diagnostic elsewhere whose `related` imports name it (one finding at the module that needs import 'server-only');
 * a finding that `covers` other checks (one problem several rules report at one place) counts for each of them.
 */
import type { AuditReport, ReportDiagnostic } from '../shared/protocol';
import { CHECKLIST_RULE_IDS, type ChecklistRuleId } from '../shared/settings';

export type Label = 'pass' | 'fail' | 'n/a';

export interface LabelledAction {
  file: string;
  name: string;
  line: number;
  checks: Record<ChecklistRuleId, string>;
}

export interface LabelFile {
  id: string;
  repo: string;
  commit: string;
  root: string;
  stack?: string;
  note?: string;
  actions: LabelledAction[];
}

/** `"fail: reason"` → `fail`. */
export function labelOf(value: string): Label {
  const match = /^(pass|fail|n\/a):/.exec(value);
  if (!match) throw new Error(`label "${value}" does not start with "pass:", "fail:" or "n/a:"`);
  return match[1] as Label;
}

/** Problems with a label file's shape, as sentences; empty when it is well-formed. */
export function labelFileProblems(file: LabelFile): string[] {
  const problems: string[] = [];
  for (const key of ['id', 'repo', 'commit', 'root'] as const) {
    if (typeof file[key] !== 'string' || !file[key]) problems.push(`"${key}" is missing`);
  }
  if (!/^[0-9a-f]{40}$/.test(file.commit ?? '')) problems.push(`"commit" is not a full commit hash`);
  if (!Array.isArray(file.actions)) return [...problems, '"actions" is not an array'];
  const seen = new Set<string>();
  file.actions.forEach((action, index) => {
    const where = `actions[${index}] (${action.file}#${action.name})`;
    if (typeof action.file !== 'string' || action.file.startsWith('/') || action.file.includes('\\')) {
      problems.push(`${where}: "file" must be relative to the root, with forward slashes`);
    }
    if (typeof action.name !== 'string' || !action.name) problems.push(`${where}: "name" is missing`);
    if (!Number.isInteger(action.line) || action.line < 1) problems.push(`${where}: "line" must be a 1-based line`);
    const key = `${action.file}#${action.name}#${action.line}`;
    if (seen.has(key)) problems.push(`${where}: labelled twice`);
    seen.add(key);
    for (const rule of CHECKLIST_RULE_IDS) {
      const value = action.checks?.[rule];
      if (typeof value !== 'string') problems.push(`${where}: no label for ${rule}`);
      else if (!/^(pass|fail|n\/a): \S/.test(value)) problems.push(`${where}: ${rule} label "${value}" has no verdict or reason`);
    }
    for (const key of Object.keys(action.checks ?? {})) {
      if (!(CHECKLIST_RULE_IDS as readonly string[]).includes(key)) problems.push(`${where}: unknown check "${key}"`);
    }
  });
  return problems;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Miss {
  app: string;
  file: string;
  action: string;
  check: ChecklistRuleId;
  kind: 'fp' | 'fn';
  label: string;
  /** The messages of the findings (for an FP). */
  findings: string[];
}

export interface AppScore {
  id: string;
  labelled: number;
  discovered: number;
  undiscovered: { file: string; name: string }[];
  checks: Record<ChecklistRuleId, Counts>;
  /** Noise over the whole audit: every action and every finding (of any severity) the report has. */
  noise: { actions: number; findings: number; errors: number; infos: number };
  /** Error-level findings on a labelled action whose label for that check is not `fail`. */
  errorFalsePositives: number;
  misses: Miss[];
}

const DETECTING = new Set(['warning', 'error']);

function emptyChecks(): Record<ChecklistRuleId, Counts> {
  return Object.fromEntries(CHECKLIST_RULE_IDS.map((rule) => [rule, { tp: 0, fp: 0, fn: 0, tn: 0 }])) as Record<ChecklistRuleId, Counts>;
}

function names(diagnostic: ReportDiagnostic): string[] {
  const keys = (diagnostic.actions ?? []).map((name) => `${diagnostic.file}#${name}`);
  if (diagnostic.action) keys.push(`${diagnostic.file}#${diagnostic.action}`);
  // A finding at the place to change (a module without import 'server-only') names the imports that report it.
  for (const site of diagnostic.related ?? []) for (const name of site.actions ?? []) keys.push(`${site.file}#${name}`);
  return keys;
}

/**
 * The report's name for a labelled action: the same file and name, or — for inline actions, which tools and people
 * name differently — the action of that file that starts within two lines of the labelled one.
 */
function reportNameOf(action: LabelledAction, report: AuditReport): string | undefined {
  const inFile = report.actions.filter((a) => a.file === action.file);
  if (inFile.some((a) => a.name === action.name)) return action.name;
  const near = inFile.filter((a) => Math.abs(a.line - action.line) <= 2);
  return near.length === 1 ? near[0]!.name : undefined;
}

export function scoreApp(labels: LabelFile, report: AuditReport): AppScore {
  const findings = new Map<string, ReportDiagnostic[]>();
  for (const diagnostic of report.diagnostics) {
    if (!DETECTING.has(diagnostic.severity)) continue;
    for (const key of names(diagnostic)) {
      for (const rule of [diagnostic.ruleId, ...(diagnostic.covers ?? [])]) {
        const at = `${key}#${rule}`;
        findings.set(at, [...(findings.get(at) ?? []), diagnostic]);
      }
    }
  }
  const score: AppScore = {
    id: labels.id,
    labelled: labels.actions.length,
    discovered: 0,
    undiscovered: [],
    checks: emptyChecks(),
    noise: {
      actions: report.actions.length,
      findings: report.diagnostics.length,
      errors: report.diagnostics.filter((d) => d.severity === 'error').length,
      infos: report.diagnostics.filter((d) => d.severity === 'info').length,
    },
    errorFalsePositives: 0,
    misses: [],
  };
  const labelledNames = new Set(labels.actions.map((a) => `${a.file}#${a.name}`));
  for (const action of labels.actions) {
    const name = reportNameOf(action, report);
    // A nearby action of another name that is itself labelled is that action, not this one.
    const matched = name !== undefined && (name === action.name || !labelledNames.has(`${action.file}#${name}`));
    const key = `${action.file}#${matched ? name : action.name}`;
    if (matched) score.discovered++;
    else score.undiscovered.push({ file: action.file, name: action.name });
    for (const check of CHECKLIST_RULE_IDS) {
      const label = labelOf(action.checks[check]);
      const hits = findings.get(`${key}#${check}`) ?? [];
      const counts = score.checks[check];
      if (label === 'fail') {
        if (hits.length) counts.tp++;
        else {
          counts.fn++;
          score.misses.push({ app: labels.id, file: action.file, action: action.name, check, kind: 'fn', label: action.checks[check], findings: [] });
        }
      } else if (hits.length) {
        counts.fp++;
        if (hits.some((d) => d.severity === 'error')) score.errorFalsePositives++;
        score.misses.push({ app: labels.id, file: action.file, action: action.name, check, kind: 'fp', label: action.checks[check], findings: hits.map((d) => d.message) });
      } else counts.tn++;
    }
  }
  return score;
}

export interface Totals {
  labelled: number;
  discovered: number;
  checks: Record<ChecklistRuleId, Counts & { precision: number; recall: number; labelledFail: number }>;
  errorFalsePositives: number;
}

export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

export function totals(scores: AppScore[]): Totals {
  const checks = emptyChecks();
  for (const score of scores) {
    for (const rule of CHECKLIST_RULE_IDS) {
      for (const key of ['tp', 'fp', 'fn', 'tn'] as const) checks[rule][key] += score.checks[rule][key];
    }
  }
  return {
    labelled: scores.reduce((n, s) => n + s.labelled, 0),
    discovered: scores.reduce((n, s) => n + s.discovered, 0),
    errorFalsePositives: scores.reduce((n, s) => n + s.errorFalsePositives, 0),
    checks: Object.fromEntries(
      CHECKLIST_RULE_IDS.map((rule) => {
        const c = checks[rule];
        return [rule, { ...c, labelledFail: c.tp + c.fn, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) }];
      }),
    ) as Totals['checks'],
  };
}

function fixed(value: number, digits = 2): string {
  return Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** The per-check table and the per-app noise table, in Markdown. */
export function markdown(scores: AppScore[]): string {
  const all = totals(scores);
  const lines = [
    `Discovery: ${all.discovered} of ${all.labelled} labelled actions (${fixed(ratio(all.discovered, all.labelled), 3)}). ` +
      `Error-level false positives: ${all.errorFalsePositives}.`,
    '',
    '| check | labelled fail | TP | FP | FN | precision | recall |',
    '|---|---|---|---|---|---|---|',
    ...CHECKLIST_RULE_IDS.map((rule) => {
      const c = all.checks[rule];
      return `| ${rule} | ${c.labelledFail} | ${c.tp} | ${c.fp} | ${c.fn} | ${fixed(c.precision)} | ${fixed(c.recall)} |`;
    }),
    '',
    '| app | labelled | found | actions in audit | findings / action | errors / action | error FPs |',
    '|---|---|---|---|---|---|---|',
    ...scores.map(
      (s) =>
        `| ${s.id} | ${s.labelled} | ${s.discovered} | ${s.noise.actions} | ${fixed(ratio(s.noise.findings, s.noise.actions))} | ` +
        `${fixed(ratio(s.noise.errors, s.noise.actions))} | ${s.errorFalsePositives} |`,
    ),
  ];
  return lines.join('\n');
}
