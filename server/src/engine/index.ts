/**
 * The engine's public surface. Adapters (LSP, CLI, tests, benchmarks) import from here only.
 */
export { Project } from './project';
export type { ProjectOptions } from './project';
export type { FileSystemHost } from './host';
export { nodeFileSystem } from './host';
export { RULES, ruleMeta, docsPath } from './rules';
export type { RuleMeta } from './rules/rule';
export { applyEdits } from './fixes/edits';
export { isAnalyzableFile } from './files';
export { SKIPPED_DIRECTORIES, skipReason } from './skip';
export type { SkipReason, SkipSettings } from './skip';
export { DISABLE_FILE, DISABLE_NEXT_LINE } from './suppressions';
export * from './types';
