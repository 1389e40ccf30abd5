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

/** What the scan keeps of a file: its import specifiers and the environment variables it reads. */
export interface ScannedFile {
  /** Value and type imports, re-exports, `require` and `import()` alike: callers are found by name later. */
  specifiers: string[];
  /** The same without `import type` declarations: what the file may load at run time. */
  valueSpecifiers: string[];
  /** The names it reads as `process.env.NAME` or `process.env['NAME']`; undefined when a read is written otherwise. */
  envNames: string[] | undefined;
}

/** Which files of the index a file is privileged by itself, from what the scan kept of it. */
export type OwnPrivilege = (file: string, scanned: Readonly<ScannedFile>) => boolean;

/** A finished scan, as plain data: handed to another thread's index so that it does not scan again. */
export interface ImportScan {
  files: [string, ScannedFile][];
  /** What `mayReach` has answered so far. */
  reaching?: [string, boolean][];
}

export class ImportIndex {
  private specifiers: Map<string, ScannedFile> | undefined;
  private readonly answers = new Map<string, string[]>();
  /** File → whether a privileged file may be reachable from it (see `mayReach`), until the graph changes. */
  private reaching: Map<string, boolean> | undefined;
  /** Last segment of a specifier (`actions` of `@/app/actions`) → the files importing through such a specifier. */
  private bySegment: Map<string, Set<string>> | undefined;

  constructor(
    private readonly root: string,
    private readonly host: ImportIndexHost,
    scan?: ImportScan,
  ) {
    if (scan) {
      this.specifiers = new Map(scan.files);
      if (scan.reaching) this.reaching = new Map(scan.reaching);
    }
  }

  /** The scan as plain data, with what `mayReach` has answered so far. */
  snapshot(): ImportScan {
    return { files: [...this.index()], reaching: this.reaching ? [...this.reaching] : undefined };
  }

  /** A file was written, created or deleted (or an editor buffer changed): scan it again on the next question. */
  changed(file: string, resolutionsChanged = false): void {
    this.answers.clear();
    if (resolutionsChanged) this.reaching = undefined;
    if (!this.specifiers) return;
    const key = path.resolve(file);
    if (!isAnalyzableFile(key) || isTestFile(key) || !isInside(this.root, key)) return;
    const text = this.host.readText(key);
    const before = this.specifiers.get(key);
    if (text === undefined) this.specifiers.delete(key);
    else this.specifiers.set(key, scan(text));
    if (this.bySegment) {
      for (const specifier of before?.specifiers ?? []) this.bySegment.get(lastSegment(specifier))?.delete(key);
      for (const specifier of this.specifiers.get(key)?.specifiers ?? []) addTo(this.bySegment, lastSegment(specifier), key);
    }
    // An edit that keeps a file's imports (most keystrokes) keeps the graph.
    const after = this.specifiers.get(key);
    if (!before || !after || before.envNames?.join('\0') !== after.envNames?.join('\0') || before.valueSpecifiers.join('\0') !== after.valueSpecifiers.join('\0')) {
      this.reaching = undefined;
    }
  }

  /**
   * Whether a privileged file may be reachable from `file` through imports: false only when none is, over every
   * value import the scan saw (re-exports, `require` and `import()` included) — a sound over-approximation, decided
   * without parsing. A file the index does not hold (outside the root, a test, too large) may reach anything. Only
   * the import closure of the files asked about is resolved.
   */
  mayReach(file: string, own: OwnPrivilege): boolean {
    const key = path.resolve(file);
    const index = this.index();
    if (!index.has(key)) return true;
    const memo = (this.reaching ??= new Map());
    const visited: string[] = [];
    const onPath = new Set<string>();
    // `complete` is false when the answer leaned on a file still being decided further up (a cycle).
    const visit = (current: string): { reach: boolean; complete: boolean } => {
      const known = memo.get(current);
      if (known !== undefined) return { reach: known, complete: true };
      if (onPath.has(current)) return { reach: false, complete: false };
      const scanned = index.get(current);
      if (!scanned) return { reach: true, complete: true };
      if (own(current, scanned)) {
        memo.set(current, true);
        return { reach: true, complete: true };
      }
      onPath.add(current);
      visited.push(current);
      let complete = true;
      for (const specifier of scanned.valueSpecifiers) {
        const target = this.host.resolve(current, specifier);
        if (target === undefined || target === current) continue;
        const answer = visit(target);
        if (answer.reach) {
          onPath.delete(current);
          memo.set(current, true);
          return answer;
        }
        complete &&= answer.complete;
      }
      onPath.delete(current);
      if (complete) memo.set(current, false);
      return { reach: false, complete };
    };
    const answer = visit(key);
    // Nothing reached from the start: nothing is reached from any file on the way either.
    if (!answer.reach) for (const each of visited) memo.set(each, false);
    return answer.reach;
  }

  /** Files whose imports resolve to `target`. */
  importersOf(target: string): string[] {
    const key = path.resolve(target);
    const cached = this.answers.get(key);
    if (cached) return cached;
    const names = namesFor(key);
    const index = this.index();
    const candidates = new Set<string>();
    for (const name of names) for (const file of this.segments().get(name) ?? []) candidates.add(file);
    const out: string[] = [];
    for (const file of candidates) {
      if (file === key) continue;
      for (const specifier of index.get(file)?.specifiers ?? []) {
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

  /** Who imports through a specifier ending in a name: a question looks at those files only, not at every file. */
  private segments(): Map<string, Set<string>> {
    if (this.bySegment) return this.bySegment;
    const out = new Map<string, Set<string>>();
    for (const [file, { specifiers }] of this.index()) for (const specifier of specifiers) addTo(out, lastSegment(specifier), file);
    this.bySegment = out;
    return out;
  }

  private index(): Map<string, ScannedFile> {
    if (this.specifiers) return this.specifiers;
    const out = new Map<string, ScannedFile>();
    const stack = [this.root];
    while (stack.length > 0 && out.size < MAX_FILES) {
      const dir = stack.pop()!;
      for (const entry of this.host.readDirectory(dir)) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory) {
          if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) stack.push(full);
        } else if (entry.isFile !== false && isAnalyzableFile(full) && !isTestFile(full)) {
          const text = this.host.readText(full);
          if (text !== undefined && text.length <= MAX_TEXT) out.set(full, scan(text));
        }
      }
    }
    this.specifiers = out;
    return out;
  }
}

/** `process.env`, `process?.env`, with white space or comments around the dot. */
const PROCESS_ENV = /\bprocess(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*\??\.(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*env\b/g;
/** What follows `process.env`: a named read, a read by a literal key, or a read by a computed key. */
const ENV_NAME = /^\s*\??\.\s*([A-Za-z_$][\w$]*)/;
const ENV_KEY = /^\s*(?:\?\.)?\s*\[\s*(['"`])([^'"`\\\n]*)\1\s*\]/;
const ENV_COMPUTED = /^\s*(?:\?\.)?\s*\[/;
/** Not a read of one variable: `process.env` passed on, spread, compared, or at the end of the text. */
const ENV_WHOLE = /^\s*(?:[),;:}\]=!?|&+\-*<>]|$)/;

/** The variables a text reads from `process.env` by name; undefined when it reads one in a way the scan cannot follow. */
function envNamesOf(text: string): string[] | undefined {
  if (!text.includes('process')) return [];
  const names: string[] = [];
  for (const match of text.matchAll(PROCESS_ENV)) {
    const rest = text.slice(match.index + match[0].length, match.index + match[0].length + 200);
    const named = ENV_NAME.exec(rest) ?? ENV_KEY.exec(rest);
    if (named) names.push(named[2] ?? named[1]!);
    else if (!ENV_COMPUTED.test(rest) && !ENV_WHOLE.test(rest)) return undefined;
  }
  return names;
}
/** `import type { A } from 'x'`, `import type * as A from 'x'`, `import type A from 'x'` (not `import type from 'x'`). */
const TYPE_IMPORT = /\bimport\s+type\s+(?:\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+(?=\s+from\b))\s*from\s*(['"])[^'"\n]*\1/g;

function scan(text: string): ScannedFile {
  const envNames = envNamesOf(text);
  if (!/\bimport\b|\brequire\s*\(|\bexport\b[^;]*\bfrom\b/.test(text)) return { specifiers: [], valueSpecifiers: [], envNames };
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  // Type-only imports load nothing at run time; callers are still found through them (`typeof save` in props).
  const typeOnly = text.includes('import type') ? [...text.matchAll(TYPE_IMPORT)].length : 0;
  return { specifiers, valueSpecifiers: typeOnly === 0 ? specifiers : ts.preProcessFile(text.replace(TYPE_IMPORT, ''), true, true).importedFiles.map((f) => f.fileName), envNames };
}

function addTo(map: Map<string, Set<string>>, key: string, file: string): void {
  const files = map.get(key);
  if (files) files.add(file);
  else map.set(key, new Set([file]));
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
