import type { AuditReport } from '../../../../shared/protocol';

/** The report as the public JSON contract (shared/protocol.ts), indented for diffs, one trailing newline. */
export function formatJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
