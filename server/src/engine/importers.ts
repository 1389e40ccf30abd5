/**
 * Which project files import a given file: the reverse of the import graph, for questions about an action's callers
 * (does the component that calls it refresh the page afterwards?). The project's source files are listed once and
 * their import specifiers scanned once with TypeScript's pre-processor (no parse); a question resolves only the
 * specifiers whose last segment could name the file, so it costs a pass over a list of strings.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { isAnalyzableFile, isTestFile } from './files';

export interface ImportIndexHost {
  /** The folders and files under `root`, one level at a time. */
  readDirectory(dir: string): { name: string; isDirectory: boolean; isFile?: boolean }[];
  readText(file: string): string | undefined;
  /** A specifier as the file resolves it, to a project source file; undefined for packages. */
  resolve(from: string, specifier: string): string | undefined;
}

/** Folders that hold no project source (dependencies, build output, caches). */
const SKIPPED = new Set(['node_modules', '.git', '.next', '.turbo', '.vercel', 'dist', 'build', 'out', 'coverage', '.cache']);
/** A bound on the walk: a root pointed at a home folder or a huge monorepo still answers. */
const MAX_FILES = 20_000;
const MAX_TEXT = 1024 * 1024;

export class ImportIndex {
  /** File → its import specifiers (value and type imports alike: callers are found by name later). */
  private specifiers: Map<string, string[]> | undefined;
  private readonly answers = new Map<string, string[]>();

  constructor(
    private readonly root: string,
    private readonly host: ImportIndexHost,
  ) {}

  /** A file was written, created or deleted (or an editor buffer changed): scan it again on the next question. */
  changed(file: string): void {
    this.answers.clear();
    if (!this.specifiers) return;
    const key = path.resolve(file);
    if (!isAnalyzableFile(key) || isTestFile(key) || !isInside(this.root, key)) return;
    const text = this.host.readText(key);
    if (text === undefined) this.specifiers.delete(key);
    else this.specifiers.set(key, specifiersOf(text));
  }

  /** Files whose imports resolve to `target`. */
  importersOf(target: string): string[] {
    const key = path.resolve(target);
    const cached = this.answers.get(key);
    if (cached) return cached;
    const names = namesFor(key);
    const out: string[] = [];
    for (const [file, specifiers] of this.index()) {
      if (file === key) continue;
      for (const specifier of specifiers) {
        if (!names.has(lastSegment(specifier))) continue;
        if (this.host.resolve(file, specifier) === key) {
          out.push(file);
          break;
        }
      }
    }
    out.sort();
    this.answers.set(key, out);
    return out;
  }

  private index(): Map<string, string[]> {
    if (this.specifiers) return this.specifiers;
    const out = new Map<string, string[]>();
    const stack = [this.root];
    while (stack.length > 0 && out.size < MAX_FILES) {
      const dir = stack.pop()!;
      for (const entry of this.host.readDirectory(dir)) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory) {
          if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) stack.push(full);
        } else if (entry.isFile !== false && isAnalyzableFile(full) && !isTestFile(full)) {
          const text = this.host.readText(full);
          if (text !== undefined && text.length <= MAX_TEXT) out.set(full, specifiersOf(text));
        }
      }
    }
    this.specifiers = out;
    return out;
  }
}

function specifiersOf(text: string): string[] {
  if (!/\bimport\b|\brequire\s*\(|\bexport\b[^;]*\bfrom\b/.test(text)) return [];
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** What the last segment of a specifier naming `file` can be: its stem, or its folder for an index file. */
function namesFor(file: string): Set<string> {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  const names = new Set([base]);
  if (base === 'index') names.add(path.basename(path.dirname(file)));
  return names;
}

/** `./actions`, `@/lib/actions.js`, `../posts/` → `actions`, `actions`, `posts`. */
function lastSegment(specifier: string): string {
  const clean = specifier.replace(/\/+$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '');
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
