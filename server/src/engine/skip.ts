/**
 * Whether a file is left out of the analysis, and why: the one decision behind the CLI's walk, the language server
 * and the engine. Pure: callers pass what they already know of the file, and each check runs on what is given.
 */
import * as path from 'node:path';
import type { GuardSettings } from '../../../shared/settings';
import { matchesPathGlob } from './globs';

/** Folders that hold dependencies, build output or tool state, never the project's own source. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.next',
  'dist',
  'build',
  'out',
  'coverage',
  '.git',
  '.turbo',
  '.vercel',
]);

export type SkipReason =
  | { kind: 'disabled' }
  | { kind: 'skipped-directory'; directory: string }
  | { kind: 'excluded'; glob: string }
  | { kind: 'test-file'; glob: string }
  | { kind: 'too-large'; sizeBytes: number; maxFileSizeKb: number }
  | { kind: 'binary' };

export interface SkipCandidate {
  /**
   * The file's or folder's path relative to the project root or workspace folder, with forward slashes. Left out for
   * a file the user named explicitly, which no folder rule or exclude glob keeps out.
   */
  relativePath?: string;
  /** Bytes on disk, or the length of an open buffer. */
  sizeBytes?: number;
  /** The text, when it has been read already (only its start is looked at). */
  text?: string;
}

export type SkipSettings = Pick<GuardSettings, 'enable' | 'exclude' | 'testFiles' | 'maxFileSizeKb'>;

/**
 * Why a file or folder is skipped, or undefined when it is analysed. An exclude glob that matches a folder skips
 * everything in it (`legacy` as well as `legacy/**`), whichever of its files is asked about.
 */
export function skipReason(candidate: SkipCandidate, settings: SkipSettings): SkipReason | undefined {
  if (!settings.enable) return { kind: 'disabled' };
  const { relativePath, sizeBytes, text } = candidate;
  if (relativePath !== undefined && isBelowRoot(relativePath)) {
    const segments = relativePath.split('/');
    const directory = segments.find((segment) => SKIPPED_DIRECTORIES.has(segment));
    if (directory !== undefined) return { kind: 'skipped-directory', directory };
    for (let depth = 1; depth <= segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/');
      const glob = settings.exclude.find((candidateGlob) => matchesPathGlob(prefix, candidateGlob));
      if (glob !== undefined) return { kind: 'excluded', glob };
    }
    // Tests call actions from a test runner; they are not endpoints. Matched on the file, not on folders: a folder
    // named `tests` may be a route.
    const testGlob = settings.testFiles.find((candidateGlob) => matchesPathGlob(relativePath, candidateGlob));
    if (testGlob !== undefined) return { kind: 'test-file', glob: testGlob };
  }
  if (sizeBytes !== undefined && sizeBytes > settings.maxFileSizeKb * 1024) {
    return { kind: 'too-large', sizeBytes, maxFileSizeKb: settings.maxFileSizeKb };
  }
  if (text !== undefined && looksBinary(text)) return { kind: 'binary' };
  return undefined;
}

/** The reason as the problem a report shows for the file ("skipped: 2048 KB is over maxFileSizeKb (1024)"). */
export function skipMessage(reason: SkipReason): string {
  switch (reason.kind) {
    case 'disabled':
      return 'skipped: analysis is turned off (enable: false)';
    case 'skipped-directory':
      return `skipped: inside ${reason.directory}/`;
    case 'excluded':
      return `skipped: matches the exclude glob "${reason.glob}"`;
    case 'test-file':
      return `skipped: a test file (testFiles glob "${reason.glob}")`;
    case 'too-large':
      return `skipped: ${Math.round(reason.sizeBytes / 1024)} KB is over maxFileSizeKb (${reason.maxFileSizeKb})`;
    case 'binary':
      return 'skipped: the file does not look like text';
  }
}

/** Root-relative globs say nothing about the root itself or about paths outside it. */
function isBelowRoot(relativePath: string): boolean {
  return (
    relativePath !== '' &&
    relativePath !== '..' &&
    !relativePath.startsWith('../') &&
    // `/x`, and `C:/x` for a file on another Windows drive.
    !path.win32.isAbsolute(relativePath)
  );
}

/** A NUL, or more than 10% control characters, in the first 4 KB: generated or binary content, not source. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code === 0) return true;
    if (code < 9 || (code > 13 && code < 32)) control++;
  }
  return control > sample.length * 0.1;
}
