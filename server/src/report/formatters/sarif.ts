/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Locations are relative to `%SRCROOT%` (the audited
 * root) so the log can be uploaded from any checkout; the root itself is recorded in `originalUriBaseIds`.
 *
 * What code scanning reads: each rule's `shortDescription`, `help` (the rule's docs page as Markdown) and, on the
 * security rules, `security-severity` (its ranking: critical ≥ 9, high ≥ 7, medium ≥ 4) with CWE tags; each result's
 * `partialFingerprints`, which name the finding without its line, so an alert survives the code above it moving.
 * The log stays within code scanning's documented limits: results beyond the 5,000 it keeps per run are left out
 * (the least severe first, and said so in the run's invocation), and related locations beyond the 100 it shows.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { AuditReport } from '../../../../shared/protocol';
import { RULE_IDS, type RuleId, type Severity } from '../../../../shared/settings';
import { docsPath, ruleMeta } from '../../engine';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/server-action-guard/server-action-guard';
const SOURCE_ROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** Code scanning keeps this many results of a run (of at most 25,000 accepted), the most severe first. */
export const MAX_RESULTS = 5_000;
/** Code scanning shows this many locations of a result (of at most 1,000 accepted). */
export const MAX_RELATED_LOCATIONS = 100;
/** The `partialFingerprints` key of a finding's identity; a new version when what it hashes changes. */
export const FINGERPRINT_KEY = 'serverActionGuard/v1';

/**
 * The rules that are about security, with the `security-severity` code scanning ranks their alerts by (CVSS-like:
 * a missing auth check or a client-chosen owner is high, a missing schema or rate limit medium) and their CWE.
 * The others (revalidation, directive placement) are correctness checks: no security severity.
 */
const SECURITY: Partial<Record<RuleId, { severity: string; cwe: number[] }>> = {
  'require-auth': { severity: '8.8', cwe: [306, 862] },
  'server-identity': { severity: '8.1', cwe: [639] },
  'narrow-contract': { severity: '6.5', cwe: [915] },
  'server-only': { severity: '5.9', cwe: [200] },
  'validate-input': { severity: '5.3', cwe: [20] },
  'abuse-protection': { severity: '5.3', cwe: [770, 799] },
  'safe-errors': { severity: '4.3', cwe: [209] },
};

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function formatSarif(report: AuditReport): string {
  const rules = RULE_IDS.map(describeRule);
  const ruleIndex = new Map<string, number>(RULE_IDS.map((id, index) => [id, index]));
  const kept = keptDiagnostics(report.diagnostics);
  const fingerprints = fingerprintsOf(kept);
  const results: Sarif.Result[] = kept.map((diagnostic, i) => {
    const result: Sarif.Result = {
      ruleId: diagnostic.ruleId,
      level: LEVEL[diagnostic.severity],
      message: { text: diagnostic.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(diagnostic.file),
            region: {
              startLine: diagnostic.range.start.line,
              startColumn: diagnostic.range.start.column,
              endLine: diagnostic.range.end.line,
              endColumn: diagnostic.range.end.column,
            },
          },
          ...(diagnostic.action !== undefined
            ? { logicalLocations: [{ name: diagnostic.action, kind: 'function' }] }
            : {}),
        },
      ],
    };
    result.partialFingerprints = { [FINGERPRINT_KEY]: fingerprints[i]! };
    if (diagnostic.related && diagnostic.related.length > 0) {
      result.relatedLocations = diagnostic.related.slice(0, MAX_RELATED_LOCATIONS).map((r, id) => ({
        id,
        physicalLocation: { artifactLocation: artifactLocation(r.file), region: { startLine: r.line, startColumn: r.column } },
        message: { text: r.actions && r.actions.length > 0 ? `${r.message ?? 'related'} (${r.actions.join(', ')})` : (r.message ?? 'related') },
      }));
    }
    const index = ruleIndex.get(diagnostic.ruleId);
    if (index !== undefined) result.ruleIndex = index;
    return result;
  });
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(report.root) } },
        // The engine counts columns as TypeScript and LSP do.
        columnKind: 'utf16CodeUnits',
        results,
        ...(kept.length < report.diagnostics.length ? { invocations: [leftOutNotice(report.diagnostics.length - kept.length)] } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function describeRule(id: RuleId): Sarif.ReportingDescriptor {
  const meta = ruleMeta(id);
  const description = meta?.description ?? id;
  const security = SECURITY[id];
  const descriptor: Sarif.ReportingDescriptor = {
    id,
    name: toPascalCase(id),
    shortDescription: { text: description },
    fullDescription: { text: (meta && firstParagraph(meta.docs)) || description },
    defaultConfiguration: { level: LEVEL[meta?.defaultSeverity ?? 'warning'] },
    properties: security
      ? { tags: ['security', 'nextjs', ...security.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)], 'security-severity': security.severity }
      : { tags: ['correctness', 'nextjs'] },
  };
  if (meta?.docs) descriptor.help = { text: `${description} See ${docsPath(id)} in the server-action-guard package.`, markdown: meta.docs };
  return descriptor;
}

/** The diagnostics code scanning keeps: all of them, or the most severe first up to its limit, in report order. */
function keptDiagnostics(diagnostics: AuditReport['diagnostics']): AuditReport['diagnostics'] {
  if (diagnostics.length <= MAX_RESULTS) return diagnostics;
  const kept = new Set(
    diagnostics
      .map((diagnostic, index) => ({ diagnostic, index }))
      .sort((a, b) => SEVERITY_ORDER[a.diagnostic.severity] - SEVERITY_ORDER[b.diagnostic.severity] || a.index - b.index)
      .slice(0, MAX_RESULTS)
      .map(({ diagnostic }) => diagnostic),
  );
  return diagnostics.filter((diagnostic) => kept.has(diagnostic));
}

/**
 * A finding's identity without its position: rule, file, action and message (numbers in it masked: a count of
 * importers is not the finding), and which of its kind in the file it is, counted in report order.
 */
function fingerprintsOf(diagnostics: AuditReport['diagnostics']): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((diagnostic) => {
    const identity = JSON.stringify([
      diagnostic.ruleId,
      diagnostic.file,
      diagnostic.actions ?? diagnostic.action ?? null,
      diagnostic.message.replace(/\d+/g, '#'),
    ]);
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    return `${createHash('sha256').update(identity).digest('hex').slice(0, 32)}:${occurrence}`;
  });
}

function leftOutNotice(count: number): Sarif.Invocation {
  return {
    executionSuccessful: true,
    toolExecutionNotifications: [
      {
        level: 'warning',
        message: { text: `${count} less severe results left out: code scanning keeps ${MAX_RESULTS} results per run.` },
      },
    ],
  };
}

/** The first prose paragraph of a rule's docs (the text under "What it does"), on one line. */
function firstParagraph(markdown: string): string | undefined {
  const paragraph: string[] = [];
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('```')) inFence = !inFence;
    const isProse = !inFence && !trimmed.startsWith('```') && !trimmed.startsWith('#') && trimmed !== '';
    if (isProse) paragraph.push(trimmed);
    else if (paragraph.length > 0) break;
  }
  return paragraph.length > 0 ? paragraph.join(' ') : undefined;
}

/**
 * SARIF wants URI references: `app/[id]/actions.ts` becomes `app/%5Bid%5D/actions.ts`. A file outside the root
 * (reached through an import) keeps an absolute `file:` URI.
 */
function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const uri = file
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@'))
    .join('/');
  return { uri, uriBaseId: SOURCE_ROOT };
}

function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function toPascalCase(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}
