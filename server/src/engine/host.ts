import * as fs from 'node:fs';

export interface FileSystemHost {
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  realpath?(path: string): string;
  /** Size in bytes, to skip huge files before reading them. */
  fileSize?(path: string): number | undefined;
  /** The entries of a folder (to find a monorepo's workspace packages); none when it cannot be read. */
  readDirectory?(path: string): { name: string; isDirectory: boolean; isFile?: boolean }[];
}

/** The real file system. The only place in the engine that touches `fs`; tests and the LSP pass their own hosts. */
export const nodeFileSystem: FileSystemHost = {
  readFile(path) {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  fileExists(path) {
    try {
      return fs.statSync(path).isFile();
    } catch {
      return false;
    }
  },
  directoryExists(path) {
    try {
      return fs.statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  realpath(path) {
    try {
      return fs.realpathSync(path);
    } catch {
      return path;
    }
  },
  readDirectory(path) {
    try {
      // Symbolic links are neither (no loops); pipes and sockets are not files (reading them would block).
      return fs.readdirSync(path, { withFileTypes: true }).map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() }));
    } catch {
      return [];
    }
  },
  fileSize(path) {
    try {
      return fs.statSync(path).size;
    } catch {
      return undefined;
    }
  },
};
