/**
 * The audit report and its renderings, shared by the two adapters: the CLI prints them, the language server exports
 * them ("Export Audit Report"). The adapters are siblings over this module and never import each other.
 */
export { buildReport, countBySeverity, isAtLeast, isFailing, relativePath } from './model';
export { formatJson } from './formatters/json';
export { escapeMarkdown, formatMarkdown } from './formatters/markdown';
export { formatSarif } from './formatters/sarif';
export { formatText } from './formatters/text';
