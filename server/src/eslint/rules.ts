/**
 * Every engine rule as an ESLint rule. The engine analyses a file once for all the rules ESLint runs on it: each
 * rule's `create` registers itself (and its options) for the file's lint pass, and the first `Program` listener, which
 * ESLint calls after every rule was created, analyses the file with exactly those rules on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule, SourceCode } from 'eslint';
import { AUTH_POLICIES, RULE_IDS, STRING_LIST_KEYS, resolveSettings, type GuardSettings, type RuleId } from '../../../shared/settings';
import { docsPath, isAnalyzableFile, type Fix, type RuleMeta } from '../engine';
import { matchMessage } from './messages';
import { ConfigFiles, LintProject, projectRootOf, type FileFinding } from './projects';

/** Settings a rule's options may override (the config file's other keys stay the config file's). */
const OPTION_KEYS = STRING_LIST_KEYS;

type RuleOptions = Partial<Pick<GuardSettings, (typeof OPTION_KEYS)[number] | 'maxFileSizeKb' | 'authPolicy'>>;

const OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    ...Object.fromEntries(OPTION_KEYS.map((key) => [key, { type: 'array', items: { type: 'string' } }])),
    maxFileSizeKb: { type: 'number', minimum: 1 },
    authPolicy: { type: 'string', enum: [...AUTH_POLICIES] },
  },
  additionalProperties: false,
} as const;

/** The rules of one lint of one file (one ESLint `SourceCode`), with their options, and what the engine found. */
interface LintPass {
  options: Map<RuleId, RuleOptions>;
  findings?: Map<RuleId, FileFinding[]>;
}

/** Projects live as long as ESLint keeps the plugin loaded: one CLI run, or an editor session. */
const PROJECTS_PER_ROOT = 4;
const passes = new WeakMap<SourceCode, LintPass>();
const projects = new Map<string, LintProject>();
const roots = new Map<string, string>();
const configFiles = new ConfigFiles();

export function eslintRule(meta: RuleMeta): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: meta.description, recommended: true, url: docsUrl(meta.id) },
      messages: meta.messages,
      // A finding may carry the fixes of the checks it stands for (one problem reported once), so any rule may fix.
      fixable: 'code',
      hasSuggestions: true,
      schema: [OPTIONS_SCHEMA],
    },
    create(context) {
      if (!isAnalyzableFile(context.filename) || !path.isAbsolute(context.filename)) return {};
      const pass = passOf(context.sourceCode);
      pass.options.set(meta.id, (context.options[0] as RuleOptions | undefined) ?? {});
      return {
        Program() {
          pass.findings ??= analyse(context.filename, context.cwd, context.sourceCode.text, pass.options);
          for (const finding of pass.findings.get(meta.id) ?? []) context.report(toReport(meta, finding, context.filename, context.sourceCode.text));
        },
      };
    },
  };
}

function passOf(sourceCode: SourceCode): LintPass {
  let pass = passes.get(sourceCode);
  if (!pass) passes.set(sourceCode, (pass = { options: new Map() }));
  return pass;
}

/** The findings of every rule ESLint runs on the file, at warning or error level (info has no ESLint severity). */
function analyse(file: string, cwd: string, text: string, options: Map<RuleId, RuleOptions>): Map<RuleId, FileFinding[]> {
  const root = projectRootOf(file, cwd, roots);
  const base = configFiles.settingsFor(root);
  const byRule = new Map<RuleId, FileFinding[]>();
  // Rules with the same options share one analysis; different options need a project of their own.
  const groups = new Map<string, RuleId[]>();
  for (const [id, ruleOptions] of options) {
    const key = JSON.stringify(ruleOptions);
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  for (const [key, ids] of groups) {
    const settings = settingsFor(base, JSON.parse(key) as RuleOptions, ids);
    for (const finding of projectFor(root, settings).findingsOf(file, text)) {
      const { ruleId, severity } = finding.diagnostic;
      if (severity === 'info' || !ids.includes(ruleId)) continue;
      byRule.set(ruleId, [...(byRule.get(ruleId) ?? []), finding]);
    }
  }
  return byRule;
}

/**
 * The config file's settings with the rule options on top, and off every rule ESLint does not run. A rule the config
 * file turns off (or down to info) stays so: the config file speaks for the CLI and the editor too.
 */
function settingsFor(base: GuardSettings, ruleOptions: RuleOptions, enabled: readonly RuleId[]): GuardSettings {
  const { settings } = resolveSettings(ruleOptions, base);
  for (const id of RULE_IDS) if (!enabled.includes(id)) settings.rules[id] = 'off';
  return settings;
}

function projectFor(root: string, settings: GuardSettings): LintProject {
  const key = `${root}\0${JSON.stringify(settings)}`;
  let project = projects.get(key);
  if (project) return project;
  const sameRoot = [...projects.entries()].filter(([, p]) => p.root === root);
  if (sameRoot.length >= PROJECTS_PER_ROOT) projects.delete(sameRoot[0]![0]);
  project = new LintProject(root, settings);
  projects.set(key, project);
  return project;
}

function toReport(meta: RuleMeta, finding: FileFinding, file: string, text: string): Rule.ReportDescriptor {
  const { diagnostic } = finding;
  const matched = matchMessage(meta, diagnostic.message);
  const applicable = finding.fixes.filter((fix) => fix.edits.length > 0 && fix.edits.every((edit) => path.resolve(edit.file) === path.resolve(file) && edit.end <= text.length));
  const [autofix, ...others] = [...applicable.filter((fix) => fix.safe), ...applicable.filter((fix) => !fix.safe)];
  const fix = autofix?.safe ? autofix : undefined;
  const suggestions = fix ? others : applicable;
  return {
    ...(matched ? { messageId: matched.messageId, data: matched.data } : { message: diagnostic.message }),
    loc: {
      start: { line: diagnostic.range.start.line, column: diagnostic.range.start.column - 1 },
      end: { line: diagnostic.range.end.line, column: diagnostic.range.end.column - 1 },
    },
    ...(fix ? { fix: fixer(fix) } : {}),
    ...(suggestions.length > 0 ? { suggest: suggestions.map((s) => ({ desc: s.title, fix: fixer(s) })) } : {}),
  };
}

function fixer(fix: Fix): Rule.ReportFixer {
  const edits = [...fix.edits].sort((a, b) => a.start - b.start);
  return (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.newText));
}

let docsRoot: string | null | undefined;

/**
 * The rule's docs page as shipped in the package (docs/ next to dist/, or in a checkout); the project has no public
 * home yet, so the link is a `file:` URL, as the language server's.
 */
function docsUrl(id: RuleId): string | undefined {
  if (docsRoot === undefined) {
    docsRoot = null;
    for (let dir = __dirname, depth = 0; depth <= 4; dir = path.dirname(dir), depth++) {
      if (fs.existsSync(path.join(dir, docsPath(id)))) {
        docsRoot = dir;
        break;
      }
    }
  }
  return docsRoot ? pathToFileURL(path.join(docsRoot, docsPath(id))).href : undefined;
}
