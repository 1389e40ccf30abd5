/**
 * The engine's public surface. Adapters (LSP, CLI, tests, benchmarks) import from here only.
 */
export { Project } from './project';
export type { FileSystemHost, ProjectOptions } from './project';
export { nodeFileSystem } from './host';
export { RULES, ruleMeta, docsUrl } from './rules';
export type { RuleMeta } from './rules/rule';
export { applyEdits } from './fixes/edits';
export { isAnalyzableFile } from './files';
export { literalRouteSegments, matchesPathGlob } from './globs';
export * from './types';
