/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Locations are relative to `%SRCROOT%` (the audited
 * root) so the log can be uploaded from any checkout; the root itself is recorded in `originalUriBaseIds`.
 */
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

export function formatSarif(report: AuditReport): string {
  const rules = RULE_IDS.map(describeRule);
  const ruleIndex = new Map<string, number>(RULE_IDS.map((id, index) => [id, index]));
  const results: Sarif.Result[] = report.diagnostics.map((diagnostic) => {
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
    if (diagnostic.related && diagnostic.related.length > 0) {
      result.relatedLocations = diagnostic.related.map((r, id) => ({
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
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function describeRule(id: RuleId): Sarif.ReportingDescriptor {
  const meta = ruleMeta(id);
  const description = meta?.description ?? id;
  const descriptor: Sarif.ReportingDescriptor = {
    id,
    name: toPascalCase(id),
    shortDescription: { text: description },
    fullDescription: { text: (meta && firstParagraph(meta.docs)) || description },
    defaultConfiguration: { level: LEVEL[meta?.defaultSeverity ?? 'warning'] },
  };
  if (meta?.docs) descriptor.help = { text: `${description} See ${docsPath(id)} in the server-action-guard package.`, markdown: meta.docs };
  return descriptor;
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
