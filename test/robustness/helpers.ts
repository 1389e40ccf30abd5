/**
 * Shared by the robustness tests: where the fixture projects are, the generated corpus, and small measuring helpers.
 * The CLI runner, temp folders and the SARIF validator come from the CLI tests' helpers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAnalyzableFile } from '../../server/src/engine';
import { generateCorpus, writeCorpus } from './corpus';

export const REPO = path.resolve(__dirname, '../..');
export const DIST = path.join(REPO, 'dist');

/**
 * Small apps under test/fixtures/library-apps/, each written in the idiom of one auth library (and its database
 * client): Auth.js + Prisma, Clerk + Prisma, Supabase, Better Auth + Drizzle, Lucia + Drizzle, and a project's own
 * `getCurrentUser()` / `requireUser()` over Prisma. Each has secure actions and, marked `// planted: <rule>`, actions
 * the engine has a fix for.
 */
export const LIBRARY_APPS = ['authjs', 'clerk', 'supabase', 'better-auth', 'lucia', 'helper-user'].map((name) => ({
  name,
  root: path.join(REPO, 'test', 'fixtures', 'library-apps', name),
}));

/** Every fixture project in the repository: the folder an editor or the CLI would open as the workspace root. */
export const FIXTURE_ROOTS = [
  ...['test/fixtures/example-app', 'test/fixtures/monorepo', 'test/e2e/fixture', 'test/lsp/fixtures/app'].map((relative) => path.join(REPO, relative)),
  ...LIBRARY_APPS.map((app) => app.root),
];

/** The seed of the generated corpus; change it to explore, keep it fixed so failures reproduce. */
export const CORPUS_SEED = 20240611;

export interface SourceFile {
  root: string;
  /** Absolute path the engine sees. Files that are not source (JSON, Prisma schemas) are fed under a `.ts` name. */
  file: string;
  text: string;
}

/** Files below `dir`, skipping installed dependencies. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Folders holding fixture files: every file below them is fed to the engine. */
const FIXTURE_FOLDERS = ['test/fixtures', 'test/e2e/fixture', 'test/lsp/fixtures', 'test/cli/fixtures'].map((relative) => path.join(REPO, relative));

/**
 * Every fixture file, as text under a name the engine analyses, analysed in the project it belongs to (so imports
 * between its files resolve); files outside the fixture projects (dependency pins, single-file fixtures) stand alone.
 */
export function fixtureSources(): SourceFile[] {
  return FIXTURE_FOLDERS.filter((folder) => fs.existsSync(folder)).flatMap((folder) =>
    listFiles(folder).map((file) => ({
      root: FIXTURE_ROOTS.find((root) => file.startsWith(root + path.sep)) ?? path.dirname(file),
      file: isAnalyzableFile(file) ? file : `${file}.ts`,
      text: fs.readFileSync(file, 'utf8'),
    })),
  );
}

let corpusRoot: string | undefined;

/** The generated corpus, written once per process to a folder outside the repository (which git-ignores .tmp/). */
export function corpusSources(): SourceFile[] {
  const files = generateCorpus(CORPUS_SEED);
  if (!corpusRoot) {
    corpusRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-corpus-'));
    writeCorpus(corpusRoot, files);
    process.once('exit', () => fs.rmSync(corpusRoot!, { recursive: true, force: true }));
  }
  const root = corpusRoot;
  return Object.entries(files).map(([relative, text]) => {
    const file = path.join(root, relative);
    return { root, file: isAnalyzableFile(file) ? file : `${file}.ts`, text };
  });
}

export function relativeName(source: Pick<SourceFile, 'root' | 'file'>): string {
  return `${path.basename(source.root)}/${path.relative(source.root, source.file).split(path.sep).join('/')}`;
}

/** Runs `run` and returns its result with the wall time in milliseconds. */
export function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

/** A short, single-line excerpt of text for failure messages. */
export function excerpt(text: string, at: number, radius = 40): string {
  return JSON.stringify(text.slice(Math.max(0, at - radius), at + radius));
}
