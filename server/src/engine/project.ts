import type { GuardSettings } from '../../../shared/settings';
import type { CancellationToken, FileAnalysis } from './types';

export interface FileSystemHost {
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  realpath?(path: string): string;
  /** Size in bytes, to skip huge files before reading them. */
  fileSize?(path: string): number | undefined;
}

export interface ProjectOptions {
  /** Workspace root: relative paths, public-action globs and route inference are relative to it. */
  root: string;
  host?: FileSystemHost;
}

/**
 * A workspace folder under analysis. Caches parsed files, tsconfig resolution and cross-file summaries of helper
 * modules between analyses; open editor buffers override the disk through `setDocument`.
 */
export class Project {
  readonly root: string;
  constructor(options: ProjectOptions) {
    this.root = options.root;
  }
  /** An open editor buffer: its text wins over the disk until `closeDocument`. */
  setDocument(_file: string, _text: string): void {}
  closeDocument(_file: string): void {}
  /** A file changed, appeared or disappeared on disk: drop everything derived from it. */
  fileChanged(_file: string): void {}
  /** Files analysed earlier whose results depended on `file` (they need re-analysis when it changes). */
  dependentsOf(_file: string): string[] {
    return [];
  }
  analyzeFile(file: string, _settings: GuardSettings, _token?: CancellationToken): FileAnalysis {
    return { file, hasActions: false, actions: [], findings: [], problems: [], dependencies: [] };
  }
}
