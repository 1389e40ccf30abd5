/**
 * The report builder and the formatters on engine output built by hand, so that shapes the engine may produce only
 * rarely (findings in other files, duplicates, hostile names and paths) are covered whatever the engine finds today.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { docsPath, type ActionSummary, type FileAnalysis, type Finding } from '../../server/src/engine';
import { buildReport, escapeMarkdown, formatJson, formatMarkdown, formatSarif, formatText } from '../../server/src/report';
import type { AuditReport } from '../../shared/protocol';
import { CHECKLIST_RULE_IDS, RULE_IDS, type ChecklistRuleId, type RuleId, type Severity } from '../../shared/settings';
import { validateSarif } from './helpers';

const ROOT = path.join(path.sep, 'work', 'app');

function span(file: string, line: number, character: number, endLine = line, endCharacter = character + 5) {
  return {
    file: path.join(ROOT, file),
    start: line * 100 + character,
    end: endLine * 100 + endCharacter,
    range: { start: { line, character }, end: { line: endLine, character: endCharacter } },
  };
}

function action(
  file: string,
  name: string,
  line: number,
  checks: Partial<Record<ChecklistRuleId, 'pass' | 'fail' | 'n/a'>>,
) {
  const summary: ActionSummary = {
    ...span(file, line, 16),
    name,
    kind: 'file-directive',
    checks: checks as ActionSummary['checks'],
    reasons: {},
  };
  return summary;
}

function finding(
  file: string,
  ruleId: RuleId,
  line: number,
  character: number,
  options: { severity?: Severity; message?: string; action?: string; safeFix?: boolean } = {},
): Finding {
  return {
    ...span(file, line, character),
    ruleId,
    severity: options.severity ?? 'error',
    message: options.message ?? `${ruleId} message`,
    ...(options.action !== undefined ? { action: options.action } : {}),
    fixes:
      options.safeFix === undefined
        ? []
        : [{ title: options.safeFix ? 'Add import' : 'Add an auth guard', safe: options.safeFix, edits: [] }],
  };
}

function analysis(file: string, actions: ActionSummary[], findings: Finding[]): FileAnalysis {
  return {
    file: path.join(ROOT, file),
    hasActions: actions.length > 0,
    actions,
    findings,
    problems: [],
    dependencies: [],
  };
}

const ANALYSES: FileAnalysis[] = [
  analysis(
    'app/posts/actions.ts',
    [
      action('app/posts/actions.ts', 'publishPost', 20, { 'validate-input': 'pass' }),
      action('app/posts/actions.ts', 'createPost', 4, { 'require-auth': 'fail' }),
    ],
    [
      finding('app/posts/actions.ts', 'validate-input', 6, 2, { action: 'createPost', severity: 'warning' }),
      finding('app/posts/actions.ts', 'require-auth', 4, 0, { action: 'createPost', safeFix: false }),
      finding('lib/db.ts', 'server-only', 0, 0, { safeFix: true }),
    ],
  ),
  analysis('app/(chat)/[id]/actions.ts', [action('app/(chat)/[id]/actions.ts', 'deleteChat', 11, {})], []),
  // A second action file importing the same helper reports the helper's finding again.
  analysis('app/other.ts', [], [finding('lib/db.ts', 'server-only', 0, 0, { safeFix: true })]),
];

describe('buildReport', () => {
  const report = buildReport(ROOT, ANALYSES, { files: 7, durationMs: 42, version: '1.2.3' });

  it('follows the JSON contract: relative forward-slash paths, 1-based positions, all eight checks', () => {
    assert.deepEqual(report.tool, { name: 'server-action-guard', version: '1.2.3' });
    assert.equal(report.root, ROOT);
    assert.deepEqual(report.actions[0], {
      file: 'app/(chat)/[id]/actions.ts',
      name: 'deleteChat',
      line: 12,
      column: 17,
      kind: 'file-directive',
      checks: Object.fromEntries(CHECKLIST_RULE_IDS.map((id) => [id, 'n/a'])),
    });
    for (const entry of report.actions) {
      assert.deepEqual(Object.keys(entry.checks), [...CHECKLIST_RULE_IDS]);
    }
    const requireAuth = report.diagnostics.find((d) => d.ruleId === 'require-auth');
    assert.deepEqual(requireAuth, {
      ruleId: 'require-auth',
      severity: 'error',
      message: 'require-auth message',
      file: 'app/posts/actions.ts',
      range: { start: { line: 5, column: 1 }, end: { line: 5, column: 6 } },
      action: 'createPost',
      fixes: [{ title: 'Add an auth guard', safe: false }],
    });
    const serverOnly = report.diagnostics.find((d) => d.ruleId === 'server-only');
    assert.equal('action' in serverOnly!, false, 'no action key when the finding belongs to no action');
  });

  it('sorts stably by file then position and prints a finding reported by two analyses once', () => {
    assert.deepEqual(
      report.actions.map((a) => `${a.file}:${a.line}:${a.name}`),
      [
        'app/(chat)/[id]/actions.ts:12:deleteChat',
        'app/posts/actions.ts:5:createPost',
        'app/posts/actions.ts:21:publishPost',
      ],
    );
    assert.deepEqual(
      report.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.range.start.column}:${d.ruleId}`),
      ['app/posts/actions.ts:5:1:require-auth', 'app/posts/actions.ts:7:3:validate-input', 'lib/db.ts:1:1:server-only'],
    );
    const again = buildReport(ROOT, [...ANALYSES].reverse(), { files: 7, durationMs: 42, version: '1.2.3' });
    assert.deepEqual(again, report);
  });

  it('counts files, actions and actions failing at least one check', () => {
    assert.deepEqual(report.summary, { files: 7, actions: 3, failing: 1, durationMs: 42 });
  });

  it('shows a finding reported at every import of a module once, at the module, with the imports as related places', () => {
    const target = { ...span('lib/db.ts', 1, 0, 1, 30), message: 'This module imports @prisma/client but has no import \'server-only\'.' };
    const atImport = (file: string, line: number, actionName: string, severity: Severity = 'warning'): Finding => ({
      ...finding(file, 'server-only', line, 20, { action: actionName, severity, safeFix: false }),
      target,
    });
    const grouped = buildReport(
      ROOT,
      [
        analysis('app/a.ts', [], [atImport('app/a.ts', 2, 'save'), { ...atImport('app/a.ts', 2, 'remove'), actions: ['remove', 'save'] }]),
        analysis('app/b.ts', [], [atImport('app/b.ts', 4, 'load', 'error')]),
      ],
      { files: 2, durationMs: 0, version: '0' },
    );
    assert.deepEqual(grouped.diagnostics, [
      {
        ruleId: 'server-only',
        severity: 'error',
        message: "This module imports @prisma/client but has no import 'server-only'. 2 files import it.",
        file: 'lib/db.ts',
        range: { start: { line: 2, column: 1 }, end: { line: 2, column: 31 } },
        related: [
          { file: 'app/a.ts', line: 3, column: 21, message: 'imported here', actions: ['remove', 'save'] },
          { file: 'app/b.ts', line: 5, column: 21, message: 'imported here', actions: ['load'] },
        ],
        fixes: [{ title: 'Add an auth guard', safe: false }],
      },
    ]);
    assert.match(formatText(grouped, { color: false }), /\n\s+imported by app\/a\.ts:3:21, app\/b\.ts:5:21\n/);
    const sarif = JSON.parse(formatSarif(grouped));
    assert.deepEqual(
      sarif.runs[0].results[0].relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri),
      ['app/a.ts', 'app/b.ts'],
    );
    assert.deepEqual(validateSarif(sarif), { valid: true, errors: '' });
  });

  it('keeps the absolute path of a file outside the root', () => {
    const outside = buildReport(
      ROOT,
      [analysis('../shared/lib.ts', [], [finding('../shared/lib.ts', 'server-only', 0, 0)])],
      {
        files: 1,
        durationMs: 0,
        version: '0',
      },
    );
    assert.equal(outside.diagnostics[0]!.file, path.join(path.sep, 'work', 'shared', 'lib.ts'));
  });
});

/** Names, messages and paths as hostile as the analysed code can make them. */
const HOSTILE: AuditReport = {
  tool: { name: 'server-action-guard', version: '0.0.0-test' },
  root: '/work/evil "app"/<b>',
  actions: [
    {
      file: 'app/<img src=x onerror=alert(1)>/[id]/@modal/(group)/actions.ts',
      name: '$<script>alert(1)</script>',
      line: 1,
      column: 1,
      kind: 'inline-directive',
      checks: Object.fromEntries(
        CHECKLIST_RULE_IDS.map((id, i) => [id, i % 2 ? 'fail' : 'pass']),
      ) as AuditReport['actions'][0]['checks'],
    },
  ],
  diagnostics: [
    {
      ruleId: 'server-identity',
      severity: 'error',
      message:
        'Field "user|Id" from `formData`\nis <b>bold</b> & [a link](javascript:alert(1)) ü 🚀 \u001b[31mred\r\n| --- |',
      file: 'app/<img src=x onerror=alert(1)>/[id]/@modal/(group)/actions.ts',
      range: { start: { line: 3, column: 7 }, end: { line: 4, column: 2 } },
      action: '$<script>alert(1)</script>',
      fixes: [{ title: 'Replace client `user|Id` with <the session>', safe: false }],
    },
    {
      ruleId: 'safe-errors',
      severity: 'info',
      message: "it's a 'quoted' \\ backslash",
      file: 'lib/ünïcödé ✓.ts',
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
      fixes: [],
    },
  ],
  summary: { files: 2, actions: 1, failing: 1, durationMs: 1 },
};

describe('formatSarif', () => {
  it('is valid SARIF 2.1.0 with every rule described and help URIs from the docs', () => {
    const report = buildReport(ROOT, ANALYSES, { files: 7, durationMs: 42, version: '1.2.3' });
    const log = JSON.parse(formatSarif(report));
    const check = validateSarif(log);
    assert.ok(check.valid, check.errors);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'server-action-guard');
    assert.equal(run.tool.driver.version, '1.2.3');
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      [...RULE_IDS],
    );
    for (const rule of run.tool.driver.rules) {
      assert.equal(rule.helpUri, undefined, 'no help URI until the docs have a public address');
      assert.ok(rule.help.text.endsWith(`See ${docsPath(rule.id)} in the server-action-guard package.`));
      assert.ok(rule.shortDescription.text.length > 0);
      assert.ok(rule.fullDescription.text.length > 0);
      assert.match(rule.defaultConfiguration.level, /^(error|warning|note)$/);
    }
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/app/' } });
    assert.equal(run.results.length, report.diagnostics.length);
    run.results.forEach((result: any, i: number) => {
      const diagnostic = report.diagnostics[i]!;
      assert.equal(result.ruleId, diagnostic.ruleId);
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, diagnostic.ruleId);
      assert.equal(result.level, { error: 'error', warning: 'warning', info: 'note' }[diagnostic.severity]);
      assert.equal(result.message.text, diagnostic.message);
      const location = result.locations[0].physicalLocation;
      assert.deepEqual(location.artifactLocation, { uri: diagnostic.file, uriBaseId: '%SRCROOT%' });
      assert.deepEqual(location.region, {
        startLine: diagnostic.range.start.line,
        startColumn: diagnostic.range.start.column,
        endLine: diagnostic.range.end.line,
        endColumn: diagnostic.range.end.column,
      });
    });
  });

  it('stays valid with quotes, newlines, unicode and URI-unsafe characters in paths and messages', () => {
    const text = formatSarif(HOSTILE);
    const log = JSON.parse(text);
    const check = validateSarif(log);
    assert.ok(check.valid, check.errors);
    const [first, second] = log.runs[0].results;
    assert.equal(first.message.text, HOSTILE.diagnostics[0]!.message);
    assert.equal(
      first.locations[0].physicalLocation.artifactLocation.uri,
      'app/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/%5Bid%5D/@modal/(group)/actions.ts',
    );
    assert.equal(decodeURIComponent(second.locations[0].physicalLocation.artifactLocation.uri), 'lib/ünïcödé ✓.ts');
    assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, 'file:///work/evil%20%22app%22/%3Cb%3E/');
  });
});

describe('formatMarkdown', () => {
  const markdown = formatMarkdown(HOSTILE);

  it('escapes every name, message and path for Markdown and HTML', () => {
    assert.doesNotMatch(markdown, /<img|<script|<b>|<the session>/);
    assert.doesNotMatch(markdown, /(?<!\\)\](\(javascript:)/, 'no link can be formed from analysed text');
    assert.doesNotMatch(markdown, /\u001b/);
    assert.match(markdown, /&lt;script&gt;alert\\\(1\)|&lt;script&gt;alert\(1\)/);
    assert.match(markdown, /&amp;/);
    assert.doesNotMatch(markdown, /(^|[^\\])`/m, 'every backtick from the code is escaped');
  });

  it('keeps every table row on one line with the right number of cells', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('|'));
    assert.ok(rows.length >= CHECKLIST_RULE_IDS.length + 2 + HOSTILE.diagnostics.length + 2);
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).length - 2;
      assert.ok(cells === 3 || cells === 6, `row has ${cells} cells: ${row}`);
    }
  });

  it('shows a checklist table per action and the summary', () => {
    assert.match(markdown, /^# Server Action Guard audit report$/m);
    assert.match(markdown, /- Server Actions: 1 \(1 failing at least one check\)/);
    for (const id of CHECKLIST_RULE_IDS)
      assert.match(markdown, new RegExp(`\\| ${escapeRegExp(id)} \\| (✅ pass|❌ fail) \\|`));
  });

  it('escapes the characters the brief names', () => {
    assert.equal(escapeMarkdown('a<b>&c|d`e\nf\r\ng'), 'a&lt;b&gt;&amp;c\\|d\\`e f g');
  });
});

describe('formatText', () => {
  it('prints file:line:col, severity, rule and message, then the checklist and totals', () => {
    const report = buildReport(ROOT, ANALYSES, { files: 7, durationMs: 42, version: '1.2.3' });
    const text = formatText(report, { color: false });
    assert.doesNotMatch(text, /\u001b\[/);
    assert.match(text, /^ {2}app\/posts\/actions\.ts:5:1 +error +require-auth +require-auth message/m);
    assert.match(text, /^ {2}lib\/db\.ts:1:1 +error +server-only +server-only message \(fixable with --fix\)/m);
    assert.match(text, /✖ createPost +app\/posts\/actions\.ts:5:17 +0 pass, 1 fail, 7 n\/a +failing: require-auth/);
    assert.match(text, /✔ publishPost/);
    assert.match(text, /^2 errors, 1 warning in 7 files; 3 server actions, 1 failing \(42 ms\)$/m);
    assert.match(formatText(report, { color: true }), /\u001b\[31merror/);
    assert.equal(formatText(report, { color: false, quiet: true }).includes('server actions'), false);
  });

  it('shows control characters from the analysed code escaped', () => {
    const text = formatText(HOSTILE, { color: false });
    assert.doesNotMatch(text, /\u001b/);
    assert.match(text, /\\u001b\[31mred\\u000d\\u000a/);
  });
});

describe('formatJson', () => {
  it('round-trips the report exactly', () => {
    assert.deepEqual(JSON.parse(formatJson(HOSTILE)), HOSTILE);
    assert.ok(formatJson(HOSTILE).endsWith('}\n'));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
