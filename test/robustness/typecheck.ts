/**
 * Type-checking the fixture apps for real: their dependencies (test/fixtures/typecheck/package.json, pinned, with a
 * lockfile) are installed once into a git-ignored cache, Prisma clients are generated per schema without
 * downloading engines, and each fixture is copied to a temp folder whose node_modules links into that cache.
 *
 * `TypeChecker` is `tsc --noEmit -p <tsconfig>` in-process (same compiler, same config, same diagnostics) on top of a
 * language service, so checking one more fix re-parses only the files it changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { REPO, listFiles } from './helpers';

const DEPS_SPEC = path.join(REPO, 'test', 'fixtures', 'typecheck');
const CACHE_ROOT = path.join(REPO, '.tmp', 'robustness');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

function hashOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Runs `create` once per cache key across concurrent test processes; `ready` marks a finished entry. */
function cached(dir: string, create: (dir: string) => void): string {
  const ready = path.join(dir, '.ready');
  if (fs.existsSync(ready)) return dir;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (fs.existsSync(ready)) return dir;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > INSTALL_TIMEOUT_MS) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (fs.existsSync(ready)) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    create(dir);
    fs.writeFileSync(ready, new Date().toISOString());
    return dir;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The installed dependencies: `<cache>/node_modules`. No install scripts run (they could execute arbitrary code). */
export function dependencies(): string {
  const manifest = fs.readFileSync(path.join(DEPS_SPEC, 'package.json'), 'utf8');
  const lock = fs.readFileSync(path.join(DEPS_SPEC, 'package-lock.json'), 'utf8');
  const dir = cached(path.join(CACHE_ROOT, `deps-${hashOf(manifest, lock)}`), (target) => {
    fs.writeFileSync(path.join(target, 'package.json'), manifest);
    fs.writeFileSync(path.join(target, 'package-lock.json'), lock);
    run('npm', ['ci', '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline'], target);
  });
  return path.join(dir, 'node_modules');
}

/**
 * A Prisma client generated from `schema` (engine-less, so nothing is downloaded), to link as `@prisma/client`.
 * The schema's generator gets an explicit output folder in the cache; the fixture's own schema is not touched.
 */
export function prismaClient(schema: string): string {
  const modules = dependencies();
  const text = fs.readFileSync(schema, 'utf8');
  const dir = cached(path.join(CACHE_ROOT, `prisma-${hashOf(text, modules)}`), (target) => {
    const output = path.join(target, 'client');
    const patched = text.replace(/generator\s+client\s*\{/, (m) => `${m}\n  output = ${JSON.stringify(output)}`);
    fs.writeFileSync(path.join(target, 'schema.prisma'), patched);
    // A manifest and node_modules of its own: otherwise \`prisma generate\` walks up to the nearest package.json (this
    // repository's) and, not finding @prisma/client there, installs it into the repository's manifest.
    fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify({ name: 'prisma-client-cache', private: true }));
    fs.symlinkSync(modules, path.join(target, 'node_modules'), 'dir');
    const engine = path.join(target, 'no-engine');
    fs.writeFileSync(engine, '');
    run(process.execPath, [path.join(modules, 'prisma', 'build', 'index.js'), 'generate', '--no-engine', '--schema', 'schema.prisma'], target, {
      // Engines are only needed to run queries; pointing at a placeholder keeps generate from downloading them.
      PRISMA_SCHEMA_ENGINE_BINARY: engine,
      PRISMA_QUERY_ENGINE_LIBRARY: engine,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
      PRISMA_GENERATE_NO_ENGINE: '1',
    });
  });
  return path.join(dir, 'client');
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): void {
  try {
    execFileSync(command, args, { cwd, stdio: 'pipe', encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, env: { ...process.env, ...env } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * A temp copy of `fixture` with a node_modules of links into the cache: `@prisma/client` is the client generated from
 * the fixture's schema (when it has one), and workspace packages (`workspaces` in package.json) link to their folders.
 */
export function fixtureCopy(fixture: string, withDependencies = true): string {
  const copy = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `sag-typecheck-${path.basename(fixture)}-`)));
  fs.cpSync(fixture, copy, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  if (!withDependencies) return copy;
  const modules = dependencies();
  const target = path.join(copy, 'node_modules');
  fs.mkdirSync(target);
  const schema = listFiles(copy).find((file) => file.endsWith('.prisma'));
  for (const entry of fs.readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry === '@prisma') {
      fs.mkdirSync(path.join(target, entry));
      for (const inner of fs.readdirSync(path.join(modules, entry))) {
        const source = inner === 'client' && schema ? prismaClient(schema) : path.join(modules, entry, inner);
        fs.symlinkSync(source, path.join(target, entry, inner));
      }
    } else {
      fs.symlinkSync(path.join(modules, entry), path.join(target, entry));
    }
  }
  linkWorkspaces(copy, target);
  return copy;
}

function linkWorkspaces(root: string, target: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  for (const pattern of manifest.workspaces ?? []) {
    const base = path.join(root, pattern.replace(/\/\*$/, ''));
    const folders = pattern.endsWith('/*') && fs.existsSync(base) ? fs.readdirSync(base).map((name) => path.join(base, name)) : [base];
    for (const folder of folders) {
      const packageJson = path.join(folder, 'package.json');
      if (!fs.existsSync(packageJson)) continue;
      const name = (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { name: string }).name;
      fs.mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
      fs.symlinkSync(folder, path.join(target, name));
    }
  }
}

/** The tsconfig files of a fixture copy that name a project of their own (not bases only extended by others). */
export function projectConfigs(root: string): string[] {
  return listFiles(root).filter((file) => path.basename(file) === 'tsconfig.json');
}

export interface TypeDiagnostic {
  file: string;
  code: number;
  message: string;
  line: number;
}

/** `tsc --noEmit -p config`, in-process, with some files replaced by text in memory. */
export class TypeChecker {
  private readonly overrides = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  private readonly service: ts.LanguageService;
  private readonly parsed: ts.ParsedCommandLine;

  constructor(readonly config: string) {
    const read = ts.readConfigFile(config, ts.sys.readFile);
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
    // skipLibCheck as in the example app's own tsconfig: errors inside installed .d.ts files say nothing about a fix.
    this.parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(config), { noEmit: true, skipLibCheck: true }, config);
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.parsed.options,
      getScriptFileNames: () => this.parsed.fileNames,
      getScriptVersion: (file) => String(this.versions.get(path.resolve(file)) ?? 0),
      getScriptSnapshot: (file) => {
        const text = this.overrides.get(path.resolve(file)) ?? ts.sys.readFile(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => path.dirname(config),
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (file) => this.overrides.has(path.resolve(file)) || ts.sys.fileExists(file),
      readFile: (file) => this.overrides.get(path.resolve(file)) ?? ts.sys.readFile(file),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Replaces the text of files (absolute paths); `undefined` restores the disk copy. */
  set(texts: ReadonlyMap<string, string | undefined>): void {
    for (const [file, text] of texts) {
      const key = path.resolve(file);
      if (text === undefined) this.overrides.delete(key);
      else this.overrides.set(key, text);
      this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    }
  }

  /** What `tsc --noEmit` reports: config, options, syntax, global and semantic diagnostics of the program. */
  diagnostics(): TypeDiagnostic[] {
    const program = this.service.getProgram()!;
    const all = [
      ...this.parsed.errors,
      ...program.getOptionsDiagnostics(),
      ...program.getSyntacticDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSemanticDiagnostics(),
    ];
    return all
      .filter((d) => d.code !== 18003)
      .map((d) => ({
        file: d.file ? path.resolve(d.file.fileName) : '',
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
        line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      }));
  }

  dispose(): void {
    this.service.dispose();
  }
}

/** The repository's own `tsc` binary on a config: the CLI the brief names, for a cross-check of the in-process run. */
export function runTsc(config: string): { code: number; output: string } {
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    const args = [tsc, '--noEmit', '--skipLibCheck', '--incremental', 'false', '--pretty', 'false', '-p', config];
    const output = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output };
  } catch (error) {
    const { status, stdout } = error as { status?: number; stdout?: string };
    return { code: status ?? 1, output: stdout ?? '' };
  }
}
