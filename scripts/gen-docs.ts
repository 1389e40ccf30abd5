/**
 * Writes the rule docs from the rules themselves: docs/rules/<rule-id>.md (title, description, default severity,
 * fixability, the rule's What / Why / Example / Use instead block, and the settings that change it) and the index
 * docs/rules/README.md. The meta-tests fail when a page differs from what this renders, so edit the rule, not the page.
 *
 *   node --import tsx scripts/gen-docs.ts          write the pages
 *   node --import tsx scripts/gen-docs.ts --check  exit 1 when a page is out of date
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { RULES, type RuleMeta } from '../server/src/engine';
import { CHECKLIST_RULE_IDS, DEFAULT_SETTINGS, type GuardSettings, type RuleId } from '../shared/settings';

export const DOCS_DIR = path.resolve(__dirname, '..', 'docs', 'rules');
const SETTINGS_SOURCE = path.resolve(__dirname, '..', 'shared', 'settings.ts');

type SettingKey = Exclude<keyof GuardSettings, 'rules' | 'enable' | 'maxFileSizeKb'>;

/** The settings (besides the rule's own severity, `exclude` and suppressions) that change what a rule reports. */
export const RULE_SETTINGS: Record<RuleId, SettingKey[]> = {
  'validate-input': ['validationFunctions'],
  'require-auth': ['authFunctions', 'publicActions', 'databaseClients'],
  'server-identity': ['identityFields', 'databaseClients'],
  'server-only': [],
  'safe-errors': ['databaseClients'],
  'revalidate-after-write': ['databaseClients'],
  'abuse-protection': ['publicActions', 'rateLimitFunctions', 'expensiveModules'],
  'narrow-contract': ['identityFields', 'databaseClients'],
  'misplaced-directive': [],
  'non-async-export': [],
};

/** One-line descriptions of the settings, from the JSDoc of `GuardSettings` in shared/settings.ts. */
export function settingDescriptions(): Map<string, string> {
  const source = ts.createSourceFile(SETTINGS_SOURCE, fs.readFileSync(SETTINGS_SOURCE, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'GuardSettings') {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue;
        const comment = ts
          .getJSDocCommentsAndTags(member)
          .filter(ts.isJSDoc)
          .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim();
        out.set(member.name.text, comment);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function defaultValue(key: SettingKey): string {
  const value = DEFAULT_SETTINGS[key];
  if (value.length === 0) return 'none';
  return value.map((v) => `\`${v}\``).join(', ');
}

export function renderRuleDoc(meta: RuleMeta, descriptions = settingDescriptions()): string {
  const checklist = (CHECKLIST_RULE_IDS as readonly string[]).includes(meta.id);
  const lines: string[] = [
    `# ${meta.id}`,
    '',
    meta.description,
    '',
    `- Default severity: \`${meta.defaultSeverity}\``,
    `- Fixable: ${meta.fixable ? 'yes (some findings carry a quick fix)' : 'no'}`,
    `- Kind: ${checklist ? 'checklist rule (every action gets a pass / fail / n/a for it)' : 'structure rule (how a file declares server code)'}`,
    '',
    meta.docs.trim(),
    '',
    '## Settings',
    '',
    `- \`rules["${meta.id}"]\`: \`error\`, \`warning\`, \`info\` or \`off\` (default \`${meta.defaultSeverity}\`).`,
  ];
  for (const key of RULE_SETTINGS[meta.id]) {
    lines.push(`- \`${key}\`: ${descriptions.get(key) ?? ''} Default: ${defaultValue(key)}.`);
  }
  lines.push(
    '- `exclude`: globs of files that are not analysed.',
    '',
    'To silence one finding, with the reason for reviewers:',
    '',
    '```ts',
    `// server-action-guard-disable-next-line ${meta.id} -- <reason>`,
    '```',
    '',
    `or \`// server-action-guard-disable-file ${meta.id} -- <reason>\` for the whole file.`,
    '',
  );
  return lines.join('\n');
}

export function renderIndex(): string {
  const row = (meta: RuleMeta): string =>
    `| [${meta.id}](${meta.id}.md) | ${meta.description.replace(/\|/g, '\\|')} | \`${meta.defaultSeverity}\` | ${yesNo(meta.fixable)} |`;
  const checklist = RULES.filter((r) => (CHECKLIST_RULE_IDS as readonly string[]).includes(r.meta.id));
  const structure = RULES.filter((r) => !(CHECKLIST_RULE_IDS as readonly string[]).includes(r.meta.id));
  return [
    '# Rules',
    '',
    'Every Server Action gets a checklist with one entry per checklist rule: `pass`, `fail` or `n/a`.',
    'Structure rules report how a file declares server code. Severities and name lists are configured in',
    '`server-action-guard.config.json`, the `"serverActionGuard"` key of package.json, or the editor settings.',
    '',
    '## Checklist rules',
    '',
    '| Rule | What it checks | Default severity | Fixable |',
    '| --- | --- | --- | --- |',
    ...checklist.map((r) => row(r.meta)),
    '',
    '## Structure rules',
    '',
    '| Rule | What it checks | Default severity | Fixable |',
    '| --- | --- | --- | --- |',
    ...structure.map((r) => row(r.meta)),
    '',
    'These pages are generated from the rules by `node --import tsx scripts/gen-docs.ts`.',
    '',
  ].join('\n');
}

/** Every page this script owns, path → text. */
export function renderAll(): Map<string, string> {
  const descriptions = settingDescriptions();
  const pages = new Map<string, string>();
  for (const rule of RULES) pages.set(path.join(DOCS_DIR, `${rule.meta.id}.md`), renderRuleDoc(rule.meta, descriptions));
  pages.set(path.join(DOCS_DIR, 'README.md'), renderIndex());
  return pages;
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  for (const [file, text] of renderAll()) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(path.relative(process.cwd(), file));
    if (!check) fs.writeFileSync(file, text);
  }
  if (check && stale.length > 0) {
    console.error(`out of date (run node --import tsx scripts/gen-docs.ts):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log(check ? 'docs/rules is up to date' : stale.length ? `wrote ${stale.join(', ')}` : 'docs/rules is up to date');
}

if (require.main === module) main();
