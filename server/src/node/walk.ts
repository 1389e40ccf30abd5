/**
 * Finds the files of a workspace to audit, the way git and Next.js see the project: build output, dependencies and
 * git-ignored files are not source. Shared by the CLI and the language server's workspace audit. Never throws for a
 * single bad entry: what cannot be read is returned in `skipped` with the reason, so the caller can show it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isAnalyzableFile, skipReason, type SkipSettings } from '../engine';

export interface CollectOptions {
  /** Globs relative to `root` of files and folders to leave out (the `exclude` setting). */
  exclude?: string[];
  /** Globs relative to `root` of test files, which are not endpoints (the `testFiles` setting). */
  testFiles?: string[];
  /** Files larger than this are skipped. */
  maxFileSizeKb: number;
  /** Files or folders to walk, absolute or relative to `root`; defaults to `root`. */
  paths?: string[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

/** A folder given to walk that is not walked at all, and why (a .gitignore above it, an exclude glob…). */
export interface LeftOutFolder {
  path: string;
  /** What the folder is, as a predicate: "is ignored by /repo/.gitignore (pattern "sandbox/")". */
  reason: string;
}

export interface CollectedFiles {
  /** Absolute paths of the files to analyse, sorted, each file once even when reachable through several links. */
  files: string[];
  skipped: SkippedFile[];
  /** Given folders left out whole: git-ignored (git does not look inside an ignored folder) or excluded. */
  leftOut: LeftOutFolder[];
  /**
   * Source files and folders passed over on the walk because a .gitignore ignores them, an exclude glob matches or
   * they are tests.
   */
  passedOver: { gitIgnored: number; excluded: number; tests: number };
}

/** The rules of one .gitignore file, with the folder its patterns are relative to. */
interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

/** The .gitignore file and pattern that ignore a path. */
interface IgnoredBy {
  gitignore: string;
  pattern: string;
}

interface PendingDirectory {
  dir: string;
  layers: IgnoreLayer[];
  /** Reached through a symbolic link to a folder. */
  viaLink: boolean;
}

export function collectFiles(root: string, options: CollectOptions): CollectedFiles {
  const absoluteRoot = path.resolve(root);
  const settings: SkipSettings = { enable: true, exclude: options.exclude ?? [], testFiles: options.testFiles ?? [], maxFileSizeKb: options.maxFileSizeKb };
  const skipped: SkippedFile[] = [];
  const leftOut: LeftOutFolder[] = [];
  const passedOver = { gitIgnored: 0, excluded: 0, tests: 0 };
  // Real paths of folders already walked: a symlink back to an ancestor (or two links to one folder) ends here.
  const walkedDirectories = new Set<string>();
  const rootRealPath = safeRealPath(absoluteRoot) ?? absoluteRoot;
  const ancestorLayers = readAncestorIgnoreLayers(absoluteRoot);

  // Folders like node_modules and the exclude globs; size is checked once per real file, in addFile.
  const skipOf = (absolute: string) => skipReason({ relativePath: toPosix(path.relative(absoluteRoot, absolute)) }, settings);
  /** Whether the walk passes over a file or folder, counting what the project's own rules leave out. */
  const isLeftOut = (layers: readonly IgnoreLayer[], absolute: string, isDirectory: boolean): boolean => {
    const skip = skipOf(absolute);
    if (skip?.kind === 'excluded') passedOver.excluded++;
    if (skip?.kind === 'test-file') passedOver.tests++;
    if (skip) return true;
    if (!gitIgnoredBy(layers, absolute, isDirectory)) return false;
    passedOver.gitIgnored++;
    return true;
  };

  // Keyed by real path, so a file reachable through several links is analysed (or skipped) once, under its own
  // path rather than a link's.
  const outcomes = new Map<string, { path: string; direct: boolean; reason?: string }>();
  const addFile = (file: string, size: number, realPath: string, direct: boolean): void => {
    const earlier = outcomes.get(realPath);
    if (earlier) {
      if (!earlier.direct && direct) Object.assign(earlier, { path: file, direct });
      return;
    }
    let reason: string | undefined;
    if (skipReason({ sizeBytes: size }, settings)?.kind === 'too-large') {
      reason = `larger than ${options.maxFileSizeKb} KB (maxFileSizeKb)`;
    } else {
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch (error) {
        reason = `cannot be read (${errorCode(error)})`;
      }
    }
    outcomes.set(realPath, { path: file, direct, reason });
  };

  const pending: PendingDirectory[] = [];
  const start = options.paths?.length ? options.paths : [absoluteRoot];
  for (const given of start) {
    const target = path.resolve(absoluteRoot, given);
    const stat = safeStat(target);
    if (!stat) {
      skipped.push({ path: target, reason: 'does not exist or cannot be read' });
    } else if (stat.isDirectory()) {
      const layers = [...ancestorLayers, ...layersBetween(absoluteRoot, target)];
      const skip = target === absoluteRoot ? undefined : skipOf(target);
      const ignored = gitIgnoredBy(layers, target, true);
      if (skip?.kind === 'skipped-directory') {
        leftOut.push({ path: target, reason: `is inside ${skip.directory}/, which is never audited` });
      } else if (skip?.kind === 'excluded') {
        leftOut.push({ path: target, reason: `matches the exclude glob "${skip.glob}"` });
      } else if (ignored) {
        leftOut.push({ path: target, reason: `is ignored by ${ignored.gitignore} (pattern "${ignored.pattern}")` });
      } else {
        pending.push({ dir: target, layers, viaLink: false });
      }
    } else if (!stat.isFile()) {
      skipped.push({ path: target, reason: 'not a regular file' });
    } else if (!isAnalyzableFile(target)) {
      skipped.push({ path: target, reason: 'not a TypeScript or JavaScript source file' });
    } else {
      // A file named on the command line is audited even when ignored: the user asked for it by name.
      addFile(target, stat.size, safeRealPath(target) ?? target, true);
    }
  }

  // Folders behind symbolic links wait until every real folder is walked, so files keep their own paths.
  const linked: PendingDirectory[] = [];
  while (pending.length > 0 || linked.length > 0) {
    const { dir, layers: parentLayers, viaLink } = pending.pop() ?? linked.shift()!;
    const realDir = safeRealPath(dir);
    if (realDir === undefined || walkedDirectories.has(realDir)) continue;
    walkedDirectories.add(realDir);

    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: dir, reason: `folder cannot be read (${errorCode(error)})` });
      continue;
    }
    const layers = [...parentLayers];
    const own = readIgnoreLayer(dir);
    if (own) layers.push(own);

    const subdirectories: { dir: string; viaLink: boolean }[] = [];
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const full = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let size: number | undefined;
      if (entry.isSymbolicLink()) {
        const target = safeStat(full);
        if (!target) {
          if (isAnalyzableFile(full)) skipped.push({ path: full, reason: 'broken symbolic link' });
          continue;
        }
        isDirectory = target.isDirectory();
        isFile = target.isFile();
        size = target.size;
        if (isDirectory) {
          const real = safeRealPath(full);
          if (real === undefined || !isInside(rootRealPath, real)) continue;
        }
      }
      if (isDirectory) {
        if (isLeftOut(layers, full, true)) continue;
        subdirectories.push({ dir: full, viaLink: viaLink || entry.isSymbolicLink() });
        continue;
      }
      if (!isAnalyzableFile(entry.name)) continue;
      if (isLeftOut(layers, full, false)) continue;
      if (!isFile) {
        // FIFOs, sockets and devices with a source-file name: reading one could block forever.
        skipped.push({ path: full, reason: 'not a regular file' });
        continue;
      }
      const stat = size === undefined ? safeStat(full) : undefined;
      const realPath = entry.isSymbolicLink() ? safeRealPath(full) : path.join(realDir, entry.name);
      if (size === undefined && !stat) {
        skipped.push({ path: full, reason: 'cannot be read (stat failed)' });
        continue;
      }
      addFile(full, size ?? stat!.size, realPath ?? full, !viaLink && !entry.isSymbolicLink());
    }
    // Reverse so that popping from the stack walks folders in name order.
    for (let i = subdirectories.length - 1; i >= 0; i--) {
      const next = { ...subdirectories[i]!, layers };
      (next.viaLink ? linked : pending).push(next);
    }
  }

  const files: string[] = [];
  for (const outcome of outcomes.values()) {
    if (outcome.reason === undefined) files.push(outcome.path);
    else skipped.push({ path: outcome.path, reason: outcome.reason });
  }
  files.sort(compareStrings);
  skipped.sort((a, b) => compareStrings(a.path, b.path));
  return { files, skipped, leftOut, passedOver };
}

/**
 * Git applies every .gitignore from the repository's top down; the deepest file that has an opinion about a path
 * wins, and a negated pattern (`!keep.ts`) there re-includes it.
 */
function gitIgnoredBy(layers: readonly IgnoreLayer[], absolute: string, isDirectory: boolean): IgnoredBy | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const relative = toPosix(path.relative(layer.base, absolute));
    if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative)) continue;
    const result = layer.rules.test(isDirectory ? `${relative}/` : relative);
    if (result.ignored) return { gitignore: path.join(layer.base, '.gitignore'), pattern: result.rule?.pattern ?? relative };
    if (result.unignored) return undefined;
  }
  return undefined;
}

function readIgnoreLayer(dir: string): IgnoreLayer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { base: dir, rules: ignore().add(text) };
}

/** .gitignore files above the audited root, up to the top of its git repository, still apply to it. */
function readAncestorIgnoreLayers(root: string): IgnoreLayer[] {
  const chain: string[] = [];
  let dir = path.dirname(root);
  let foundRepositoryTop = fs.existsSync(path.join(root, '.git'));
  while (!foundRepositoryTop && dir !== path.dirname(dir)) {
    chain.push(dir);
    if (fs.existsSync(path.join(dir, '.git'))) foundRepositoryTop = true;
    else dir = path.dirname(dir);
  }
  if (!foundRepositoryTop) return [];
  return chain
    .reverse()
    .map(readIgnoreLayer)
    .filter((layer): layer is IgnoreLayer => layer !== undefined);
}

/** The .gitignore layers of the folders from `root` down to (excluding) `target`, for a sub-folder given directly. */
function layersBetween(root: string, target: string): IgnoreLayer[] {
  const relative = path.relative(root, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return [];
  const layers: IgnoreLayer[] = [];
  let dir = root;
  for (const segment of relative === '' ? [] : relative.split(path.sep)) {
    const layer = readIgnoreLayer(dir);
    if (layer) layers.push(layer);
    dir = path.join(dir, segment);
  }
  return layers;
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function safeStat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function safeRealPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** Code-unit order, so output does not depend on the machine's locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
