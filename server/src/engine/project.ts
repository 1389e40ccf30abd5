import * as path from 'node:path';
import ts from 'typescript';
import { DEFAULT_SETTINGS, type GuardSettings } from '../../../shared/settings';
import { analyzeSourceFile, mayHoldFindings } from './analyze';
import { bindingsOf, type FileBindings } from './facts/bindings';
import {
  summarizeFunctionBody,
  summarizeValue,
  type ExportSummary,
  type FunctionSummary,
  type Resolver,
  type Scope,
} from './facts/calls';
import { callerUse, followedRefresh, type CallerUse } from './facts/callers';
import { moduleDirective, privilegedMaterial } from './facts/modules';
import { ImportIndex, type ImportScan, type OwnPrivilege } from './importers';
import { knowledgeFor, type Knowledge } from './knowledge';
import { nodeFileSystem, type FileSystemHost } from './host';
import { skipMessage, skipReason, type SkipReason } from './skip';
import { registerHostPath } from './span';
import { extractFileFacts, type FileFactsInput } from './facts/file';
import type { AuthImport, FileFacts, ModuleInfo } from './facts/model';
import type { Rule } from './rules/rule';
import type { EndpointExports } from './actions';
import type { AnalysisProblem, CancellationToken, FileAnalysis } from './types';


export interface ProjectOptions {
  /** Workspace root: relative paths, public-action globs and route inference are relative to it. */
  root: string;
  host?: FileSystemHost;
  /** The rules to run (default: all of RULES); tests inject a failing rule here to prove a failure stays contained. */
  rules?: readonly Rule[];
  /**
   * Scan the imports of every workspace file up front (no parse) to learn which modules cannot reach a privileged
   * one, so their import closures are not walked. A workspace audit reads every file anyway; an editor session,
   * which analyses a few files, does not set it.
   */
  scanImports?: boolean;
  /** The scan of another `Project` over the same root and settings (`importScan()`), used instead of scanning. */
  importScan?: ImportScan;
}


interface CompilerSetup {
  options: ts.CompilerOptions;
  problems: string[];
  /** The tsconfig.json / jsconfig.json the options come from, when there is one. */
  configPath?: string;
}

const MAX_DEPTH = 8;
/** Parsed modules kept between analyses (each holds a syntax tree): enough for every helper of a large app. */
const MODULE_CACHE_LIMIT = 500;

/**
 * A workspace folder under analysis. Caches parsed files, tsconfig resolution and cross-file summaries of helper
 * modules between analyses; open editor buffers override the disk through `setDocument`.
 */
export class Project {
  readonly root: string;
  private readonly host: FileSystemHost;
  private readonly rules: readonly Rule[] | undefined;
  private readonly scanImports: boolean;
  private givenScan: ImportScan | undefined;
  private readonly documents = new Map<string, string>();
  private readonly sources = new Map<string, ts.SourceFile>();
  private readonly previousTrees = new Map<string, ts.SourceFile>();
  private readonly modules = new Map<string, ModuleInfo | null>();
  /** What evicted modules reach through their imports (`ModuleInfo.exposure`), restored when they are loaded again. */
  private readonly exposures = new Map<string, Pick<ModuleInfo, 'exposure' | 'bundledExposure'>>();
  private readonly configs = new Map<string, CompilerSetup>();
  private readonly configForDir = new Map<string, string | undefined>();
  private readonly resolutions = new Map<string, string | null>();
  /** Direct import edges between project files, recorded as imports are followed. */
  private readonly edges = new Map<string, Set<string>>();
  private readonly existence = new Map<string, boolean>();
  /** Files with an import of a project path that did not resolve (a deleted or not yet written helper). */
  private readonly unresolvedFrom = new Set<string>();
  /** package.json path → whether it depends on an auth library (null: no readable manifest). */
  private readonly authManifests = new Map<string, boolean | null>();
  /** Who imports what, for an action's callers (built on the first question). */
  private importIndex: ImportIndex | undefined;
  /** File → the importing files its last analysis read to judge an action's callers. */
  private readonly callerEdges = new Map<string, Set<string>>();
  private workspaces: Map<string, { dir: string; manifest: PackageManifest }> | undefined;
  /** Modules being analysed for re-exported endpoints (a guard against re-export cycles). */
  private readonly endpointStack = new Set<string>();
  private settingsKey = '';
  private settings: GuardSettings = DEFAULT_SETTINGS;

  constructor(options: ProjectOptions) {
    this.root = path.resolve(options.root);
    this.host = options.host ?? nodeFileSystem;
    this.rules = options.rules;
    this.scanImports = options.scanImports ?? false;
    this.givenScan = options.importScan;
  }

  /**
   * The import scan of the workspace (built now if need be) as plain data, for the `importScan` option of projects
   * on other threads. Valid for the settings last used and until a file changes.
   */
  importScan(settings: GuardSettings): ImportScan | undefined {
    this.useSettings(settings);
    return this.importIndexFor()?.snapshot();
  }

  /** An open editor buffer: its text wins over the disk until `closeDocument`. */
  setDocument(file: string, text: string): void {
    const key = path.resolve(file);
    if (this.documents.get(key) === text) return;
    this.documents.set(key, text);
    this.importIndex?.changed(key);
    // The last tree of an edited buffer seeds an incremental re-parse of the next version.
    const previous = this.sources.get(key);
    this.invalidate(key);
    if (previous) this.previousTrees.set(key, previous);
  }

  closeDocument(file: string): void {
    const key = path.resolve(file);
    this.previousTrees.delete(key);
    if (this.documents.delete(key)) {
      this.importIndex?.changed(key);
      this.invalidate(key);
    }
  }

  /** A file changed, appeared or disappeared on disk: drop everything derived from it. */
  fileChanged(file: string): void {
    const key = path.resolve(file);
    if (path.basename(key) === 'package.json') this.authManifests.delete(key);
    if (path.basename(key) === 'package.json' || path.basename(key) === 'pnpm-workspace.yaml') this.workspaces = undefined;
    if (/(?:^|[\\/])(?:tsconfig[^\\/]*|jsconfig)\.json$/.test(key)) {
      this.configs.clear();
      this.configForDir.clear();
      this.existence.clear();
      this.resolutions.clear();
      this.modules.clear();
      this.exposures.clear();
      this.importIndex = undefined;
      return;
    }
    // A new or deleted file can change how specifiers resolve.
    this.resolutions.clear();
    this.existence.clear();
    this.importIndex?.changed(key, true);
    this.invalidate(key);
  }

  /** Files analysed or summarised earlier whose results depended on `file`, transitively. */
  dependentsOf(file: string): string[] {
    const target = path.resolve(file);
    const out = new Set<string>();
    // A file no import led to yet may be the one an import could not find (a helper written or restored):
    // the files with unresolved project imports depend on it.
    const known = [...this.edges.values()].some((tos) => tos.has(target));
    const unresolved = known ? [] : [...this.unresolvedFrom].filter((from) => from !== target);
    const stack = [target, ...unresolved];
    for (const from of unresolved) out.add(from);
    // A changed caller changes the verdict of the action it calls (does it refresh afterwards?).
    for (const [from, callers] of this.callerEdges) {
      if (callers.has(target) && from !== target && !out.has(from)) {
        out.add(from);
        stack.push(from);
      }
    }
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const [from, tos] of this.edges) {
        if (tos.has(current) && !out.has(from) && from !== target) {
          out.add(from);
          stack.push(from);
        }
      }
    }
    return [...out];
  }

  /**
   * What a file's analysis on another thread read (`FileAnalysis.dependencies`), so that `dependentsOf` finds the
   * file when one of those changes, as if it had been analysed here.
   */
  recordDependencies(file: string, dependencies: readonly string[]): void {
    this.edges.set(path.resolve(file), new Set(dependencies));
  }

  analyzeFile(file: string, settings: GuardSettings, token?: CancellationToken): FileAnalysis {
    const filePath = path.resolve(file);
    this.useSettings(settings);
    const problems: AnalysisProblem[] = [];
    const empty = (): FileAnalysis => ({ file: filePath, hasActions: false, actions: [], findings: [], problems, dependencies: [] });
    // Size and content are decided here, once the file is at hand; settings and paths in analyzeSourceFile.
    const skipped = (reason: SkipReason | undefined): boolean => {
      const applies = reason?.kind === 'too-large' || reason?.kind === 'binary';
      if (applies) problems.push({ file: filePath, message: skipMessage(reason) });
      return applies;
    };
    if (!this.documents.has(filePath) && skipped(skipReason({ sizeBytes: this.host.fileSize?.(filePath) }, settings))) return empty();
    // Files that cannot hold a finding are not parsed at all (most of a workspace).
    const text = this.sources.get(filePath)?.text ?? this.readText(filePath);
    if (text !== undefined && skipped(skipReason({ text }, settings))) return empty();
    if (text !== undefined && !mayHoldFindings(text)) return empty();
    const sourceFile = this.sourceFile(filePath);
    if (!sourceFile) {
      const unreadable = this.readText(filePath) === undefined;
      problems.push({ file: filePath, message: unreadable ? 'skipped: the file could not be read' : TOO_DEEP_TO_PARSE });
      return empty();
    }
    if (skipped(skipReason({ sizeBytes: sourceFile.text.length, text: sourceFile.text }, settings))) return empty();
    const setup = this.compilerSetup(filePath);
    for (const message of setup.problems) problems.push({ file: filePath, message, ...(setup.configPath ? { source: setup.configPath } : {}) });
    this.edges.set(filePath, new Set());
    this.callerEdges.delete(filePath);
    this.unresolvedFrom.delete(filePath);
    let result: FileAnalysis;
    try {
      result = analyzeSourceFile({ ...this.factsInput(filePath, sourceFile, settings, token), rules: this.rules });
    } catch (error) {
      // The engine walks syntax trees recursively; code nested thousands of levels deep exhausts the stack.
      if (!isStackOverflow(error)) throw error;
      problems.push({ file: filePath, message: TOO_DEEP_TO_ANALYSE });
      return empty();
    }
    result.problems.unshift(...problems);
    result.dependencies = [...new Set([...this.reachableFrom(filePath), ...(this.callerEdges.get(filePath) ?? [])])];
    // Keep the syntax tree only where it will be asked for again: open documents and modules others import.
    if (!this.documents.has(filePath) && !this.modules.has(filePath)) this.sources.delete(filePath);
    if (this.modules.size > MODULE_CACHE_LIMIT) this.evictModules();
    return result;
  }

  /**
   * The facts the rules would read for a file (its actions and what they do), for fact tests and debugging. The
   * file is read and parsed whatever its text; settings apply as in `analyzeFile`.
   */
  factsOf(file: string, settings: GuardSettings): FileFacts | undefined {
    const filePath = path.resolve(file);
    this.useSettings(settings);
    const sourceFile = this.sourceFile(filePath);
    if (!sourceFile) return undefined;
    const relativePath = path.relative(this.root, filePath).split(path.sep).join('/');
    return extractFileFacts(this.factsInput(filePath, sourceFile, settings), relativePath, []);
  }

  private factsInput(file: string, sourceFile: ts.SourceFile, settings: GuardSettings, token?: CancellationToken): FileFactsInput {
    return {
      file,
      root: this.root,
      sourceFile,
      settings,
      resolver: this.resolverFor(),
      localSummaries: new Map(),
      moduleInfo: (from, specifier) => {
        const resolved = this.resolve(from, specifier);
        return resolved ? this.moduleInfo(resolved, from) : undefined;
      },
      discoverAuthHelper: (from) => this.discoverAuthHelper(from),
      hasAuthentication: (from) => this.hasAuthentication(from),
      callersOf: (target, exportName) => this.callersOf(target, exportName),
      analyzeEndpoints: (from, specifier, names) => this.analyzeEndpoints(from, specifier, names, settings, token),
      token,
    };
  }

  /**
   * The exports of another module that a `'use server'` file re-exports, analysed there as endpoints. A module with
   * its own `'use server'` is analysed on its own (its actions are reported where they are); a cycle of re-exports
   * stops where it closes.
   */
  private analyzeEndpoints(from: string, specifier: string, names: EndpointExports, settings: GuardSettings, token: CancellationToken | undefined): FileAnalysis | undefined {
    const target = this.resolve(from, specifier);
    if (!target || this.endpointStack.has(target) || this.endpointStack.size > 4) return undefined;
    const info = this.moduleInfo(target, from);
    if (!info || info.directive === 'use server') return undefined;
    this.endpointStack.add(target);
    try {
      return analyzeSourceFile({ ...this.factsInput(target, info.sourceFile, settings, token), rules: this.rules, endpoints: names });
    } finally {
      this.endpointStack.delete(target);
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  private useSettings(settings: GuardSettings): void {
    // The same settings object comes back on every keystroke; only a different one needs comparing by value.
    if (settings === this.settings) return;
    const key = JSON.stringify(settings);
    if (key !== this.settingsKey) {
      this.settingsKey = key;
      this.settings = settings;
      this.modules.clear();
      this.exposures.clear();
      // What counts as privileged depends on the settings.
      this.importIndex = undefined;
    }
  }

  /**
   * A workspace audit touches thousands of modules once each; the ones shared by many files (auth, db, barrels) are
   * cheap to parse again. Dropping the whole generation bounds memory by the limit, not by the workspace. What a
   * module reaches through its imports (a walk over its whole import closure) is kept: it is small, and every later
   * importer would otherwise walk that closure again.
   */
  private evictModules(): void {
    for (const [file, info] of this.modules) {
      if (!this.documents.has(file)) this.sources.delete(file);
      if (info && (info.exposure !== undefined || info.bundledExposure !== undefined)) {
        this.exposures.set(file, { exposure: info.exposure, bundledExposure: info.bundledExposure });
      }
    }
    this.modules.clear();
  }

  private invalidate(file: string): void {
    this.sources.delete(file);
    const stale = [file, ...this.dependentsOf(file)];
    for (const entry of stale) {
      this.modules.delete(entry);
      this.exposures.delete(entry);
    }
  }

  private reachableFrom(file: string): Set<string> {
    const out = new Set<string>();
    const stack = [file];
    while (stack.length > 0) {
      for (const to of this.edges.get(stack.pop()!) ?? []) {
        if (!out.has(to) && to !== file) {
          out.add(to);
          stack.push(to);
        }
      }
    }
    return out;
  }

  private readText(file: string): string | undefined {
    const open = this.documents.get(file);
    if (open !== undefined) return open;
    try {
      return this.host.readFile(file);
    } catch {
      // A host that throws (an I/O error on a helper) makes that file unreadable, not the analysis of its importers.
      return undefined;
    }
  }

  private sourceFile(file: string): ts.SourceFile | undefined {
    const cached = this.sources.get(file);
    if (cached) return cached;
    const raw = this.readText(file);
    if (raw === undefined) return undefined;
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    let sourceFile: ts.SourceFile;
    const previous = this.previousTrees.get(file);
    this.previousTrees.delete(file);
    try {
      sourceFile = (previous && reparse(previous, text)) ?? ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
    } catch (error) {
      // TypeScript's parser recurses per nesting level: a few hundred nested parentheses exhaust the stack.
      if (isStackOverflow(error)) return undefined;
      throw error;
    }
    registerHostPath(sourceFile, file);
    this.sources.set(file, sourceFile);
    return sourceFile;
  }

  private resolverFor(): Resolver {
    return {
      knowledge: knowledgeFor(this.settings),
      importedSummary: (from, specifier, name) => this.importedSummary(from, specifier, name, 0, new Set()),
      isProjectModule: (from, specifier) => this.resolve(from, specifier) !== undefined,
    };
  }

  private importedSummary(from: string, specifier: string, name: string, depth: number, seen: Set<string>): ExportSummary | undefined {
    const resolved = this.resolve(from, specifier);
    if (!resolved) return undefined;
    const module = this.moduleInfo(resolved, from);
    if (!module) return undefined;
    return this.exportSummary(module, name, depth, seen) ?? undefined;
  }

  private exportSummary(module: ModuleInfo, name: string, depth: number, seen: Set<string>): ExportSummary | null {
    const key = `${module.path}#${name}`;
    if (module.exports.has(name)) return module.exports.get(name)!;
    if (depth > MAX_DEPTH || seen.has(key)) return null;
    seen.add(key);
    let result: ExportSummary | null = null;
    const entry = module.bindings.exports.get(name);
    const scope = this.scopeOf(module, depth);
    if (name === '*') {
      result = { file: module.path, fn: undefined, value: undefined };
    } else if (entry?.from) {
      result = this.importedSummary(module.path, entry.from, entry.imported ?? name, depth + 1, seen) ?? null;
    } else if (entry?.local) {
      result = this.localSummary(module, entry.local, scope, depth, seen);
    } else if (!entry && name === 'default') {
      const assignment = module.sourceFile.statements.find(ts.isExportAssignment);
      if (assignment && !assignment.isExportEquals) {
        const expression = assignment.expression;
        if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) {
          result = { file: module.path, fn: summarizeFunctionBody(expression, scope), value: undefined };
        }
      }
    }
    if (!result && !entry) {
      for (const star of module.bindings.starExports) {
        const found = this.importedSummary(module.path, star, name, depth + 1, seen);
        if (found) {
          result = found;
          break;
        }
      }
    }
    module.exports.set(name, result);
    return result;
  }

  private localSummary(module: ModuleInfo, local: string, scope: Scope, depth: number, seen: Set<string>): ExportSummary | null {
    const fn = module.bindings.functions.get(local);
    if (fn) {
      const cached = module.localSummaries.get(fn);
      if (cached && cached !== 'pending') return { file: module.path, fn: cached, value: undefined };
      if (cached === 'pending') return null;
      module.localSummaries.set(fn, 'pending');
      const summary = summarizeFunctionBody(fn, scope);
      module.localSummaries.set(fn, summary);
      return { file: module.path, fn: summary, value: undefined };
    }
    const imported = module.bindings.imports.get(local);
    if (imported) return this.importedSummary(module.path, imported.specifier, imported.imported, depth + 1, seen) ?? null;
    const variable = module.bindings.variables.get(local);
    if (variable?.initializer) {
      const value = summarizeValue(variable.initializer, scope);
      return { file: module.path, fn: undefined, value };
    }
    return { file: module.path, fn: undefined, value: undefined };
  }

  private scopeOf(module: ModuleInfo, depth: number): Scope {
    return {
      file: module.path,
      sourceFile: module.sourceFile,
      bindings: module.bindings,
      resolver: this.resolverFor(),
      localSummaries: module.localSummaries,
      depth,
    };
  }

  /**
   * The project's own auth helper, looked up at the conventional places (`auth.ts`, `lib/auth.ts`…), so a fix can
   * import it into a file that has none. Guards (`requireUser`) are preferred to getters (`auth`).
   */
  private discoverAuthHelper(from: string): AuthImport | undefined {
    const configDir = path.dirname(this.findConfig(path.dirname(from)) ?? path.join(this.root, 'tsconfig.json'));
    let best: AuthImport | undefined;
    for (const base of knowledgeFor(this.settings).conventions.authHelperLocations) {
      for (const extension of ['.ts', '.tsx', '.js', '/index.ts']) {
        const candidate = path.join(configDir, base + extension);
        if (!this.host.fileExists(candidate) && !this.documents.has(candidate)) continue;
        const module = this.moduleInfo(candidate, from);
        if (!module) continue;
        for (const name of module.bindings.exports.keys()) {
          if (name === 'default') continue;
          const summary = this.exportSummary(module, name, 0, new Set());
          const auth = summary?.fn?.auth;
          // `export const { auth } = NextAuth(…)`: the library's getter, destructured from its client.
          const library = summary?.value?.library;
          const member = library ? knowledgeFor(this.settings).memberCall(library, name) : undefined;
          const kind = auth?.kind ?? member?.auth;
          if (!kind || (auth && auth.certainty !== 'certain')) continue;
          const entry: AuthImport = { name, kind, from: this.specifierFor(from, candidate, configDir), shape: auth?.shape ?? member?.shape, fixCall: auth?.fixCall ?? member?.fixCall };
          if (kind === 'guard') return entry;
          best ??= entry;
        }
      }
    }
    return best;
  }

  /**
   * Whether the project of a file has a sign-in at all: an auth library (or a package named like one) among the
   * dependencies of the package.json files above it, or an auth helper where projects keep one. Unknown → yes.
   */
  private hasAuthentication(from: string): boolean {
    // Auth helpers named in the settings say the project signs people in.
    if (this.settings.authFunctions.length > 0) return true;
    const knowledge = knowledgeFor(this.settings);
    let dir = path.dirname(from);
    let sawManifest = false;
    for (;;) {
      const manifest = path.join(dir, 'package.json');
      let cached = this.authManifests.get(manifest);
      if (cached === undefined) {
        const text = this.host.fileExists(manifest) ? this.readText(manifest) : undefined;
        cached = text === undefined ? null : manifestHasAuth(text, knowledge);
        this.authManifests.set(manifest, cached);
      }
      if (cached === true) return true;
      if (cached === false) sawManifest = true;
      const parent = path.dirname(dir);
      if (parent === dir || !isWithin(parent, path.dirname(this.root))) break;
      dir = parent;
    }
    return !sawManifest || this.discoverAuthHelper(from) !== undefined;
  }

  /** `@/lib/auth` when tsconfig maps `@/*` to the config folder, otherwise a relative specifier. */
  private specifierFor(from: string, target: string, configDir: string): string {
    const withoutExtension = target.replace(/(\/index)?\.[cm]?[jt]sx?$/, '');
    const paths = this.compilerSetup(from).options.paths ?? {};
    for (const [alias, targets] of Object.entries(paths)) {
      if (!alias.endsWith('/*') || !targets[0]?.endsWith('/*')) continue;
      const mapped = path.resolve(this.compilerSetup(from).options.pathsBasePath?.toString() ?? configDir, targets[0].slice(0, -2));
      const relative = path.relative(mapped, withoutExtension);
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) return `${alias.slice(0, -2)}/${relative.split(path.sep).join('/')}`;
    }
    const relative = path.relative(path.dirname(from), withoutExtension).split(path.sep).join('/');
    return relative.startsWith('.') ? relative : `./${relative}`;
  }

  /** Loads (and caches) a project module, recording the import edge `from → file`. */
  /** The files that import `exportName` from `target` and use it, judged by whether they refresh after calling it. */
  private callersOf(target: string, exportName: string): CallerUse[] {
    const index = this.importIndexFor();
    if (!index) return [];
    const out: CallerUse[] = [];
    let edges = this.callerEdges.get(target);
    if (!edges) this.callerEdges.set(target, (edges = new Set()));
    for (const importer of index.importersOf(target)) {
      edges.add(importer);
      const sourceFile = this.sourceFile(importer);
      if (!sourceFile) continue;
      const use = callerUse(sourceFile, importer, (specifier) => this.resolve(importer, specifier, false) === target, exportName, (handOff) => {
        // One hop: the component or hook the action is handed to, read like a caller.
        const component = this.resolve(importer, handOff.specifier, false);
        if (!component || component === importer) return undefined;
        edges.add(component);
        const componentSource = this.sourceFile(component);
        const via = componentSource ? followedRefresh(componentSource, component, handOff) : undefined;
        if (!this.documents.has(component) && !this.modules.has(component)) this.sources.delete(component);
        return via;
      });
      if (use) out.push(use);
      // Importers are read once here; only open documents and shared modules keep their trees.
      if (!this.documents.has(importer) && !this.modules.has(importer)) this.sources.delete(importer);
    }
    return out;
  }

  private importIndexFor(): ImportIndex | undefined {
    if (!this.host.readDirectory) return undefined;
    this.importIndex ??= new ImportIndex(
      this.root,
      {
        readDirectory: (dir) => this.host.readDirectory!(dir),
        readText: (file) => this.readText(file),
        resolve: (from, specifier) => this.resolve(from, specifier, false),
      },
      this.givenScan,
    );
    this.givenScan = undefined;
    return this.importIndex;
  }

  /**
   * No privileged module is reachable from `file` through any import: what it exposes is known to be nothing
   * without walking its import closure (which would parse every module in it).
   */
  private reachesNoPrivilege(file: string): boolean {
    if (!this.scanImports) return false;
    const index = this.importIndexFor();
    if (!index) return false;
    return !index.mayReach(file, this.ownPrivilege());
  }

  /** Whether a scanned file may be privileged itself: it imports a privileged package or may read a secret. */
  private ownPrivilege(): OwnPrivilege {
    const knowledge = knowledgeFor(this.settings);
    return (_, scanned) =>
      scanned.envNames === undefined ||
      scanned.envNames.some((name) => knowledge.isSecretEnvName(name)) ||
      scanned.valueSpecifiers.some((specifier) => knowledge.library(specifier)?.privileged === true);
  }

  moduleInfo(file: string, from: string): ModuleInfo | undefined {
    let edges = this.edges.get(from);
    if (!edges) this.edges.set(from, (edges = new Set()));
    edges.add(file);
    const cached = this.modules.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const sourceFile = this.sourceFile(file);
    if (!sourceFile || sourceFile.text.length > 2 * 1024 * 1024) {
      this.modules.set(file, null);
      return undefined;
    }
    const bindings = bindingsOf(sourceFile);
    const material = privilegedMaterial(sourceFile, knowledgeFor(this.settings));
    const bundled = material.find((m) => !m.reason.startsWith('reads process.env'));
    const info: ModuleInfo = {
      path: file,
      sourceFile,
      bindings,
      hasServerOnly: bindings.sideEffectImports.includes('server-only'),
      directive: moduleDirective(sourceFile),
      privileged: material[0]?.reason,
      privilegedNode: material[0]?.node,
      bundledPrivilege: bundled,
      exports: new Map(),
      localSummaries: new Map(),
      ...this.exposures.get(file),
      ...(this.reachesNoPrivilege(file) ? { exposure: null, bundledExposure: null } : {}),
    };
    this.modules.set(file, info);
    return info;
  }

  /** Resolves a specifier to a project source file (never into node_modules, never a declaration file). */
  resolve(from: string, specifier: string, track = true): string | undefined {
    if (!specifier || specifier.startsWith('node:')) return undefined;
    // A non-relative specifier (`@/lib/auth`, a package) resolves alike from every folder under one tsconfig, once
    // results inside node_modules are discarded: one entry per tsconfig instead of one per folder.
    const relative = specifier.startsWith('.') || path.isAbsolute(specifier);
    const key = relative ? `${path.dirname(from)}\0${specifier}` : `${this.findConfig(path.dirname(from)) ?? ''}\0${specifier}`;
    const cached = this.resolutions.get(key);
    if (cached !== undefined) {
      if (cached === null && track && this.isLocalSpecifier(from, specifier)) this.unresolvedFrom.add(from);
      return cached ?? undefined;
    }
    let resolved: string | undefined;
    try {
      const setup = this.compilerSetup(from);
      const result = ts.resolveModuleName(specifier, from, setup.options, this.moduleHost());
      // A workspace package linked into node_modules resolves to its real folder: project code, not a dependency.
      const file = result.resolvedModule?.resolvedFileName ?? (relative ? undefined : this.resolveWorkspacePackage(specifier));
      if (file && !/[\\/]node_modules[\\/]/.test(file) && !/\.d\.[cm]?ts$/.test(file)) {
        resolved = path.resolve(file);
      }
    } catch {
      resolved = undefined;
    }
    this.resolutions.set(key, resolved ?? null);
    if (!resolved && track && this.isLocalSpecifier(from, specifier)) this.unresolvedFrom.add(from);
    return resolved;
  }

  /**
   * `@acme/db` or `@acme/db/edge` of a monorepo without node_modules: the package of that name among the workspaces
   * the root's package.json (`workspaces`) or pnpm-workspace.yaml declare, resolved through its package.json
   * (`exports`, `module`, `main`, `types`) or its src/index.
   */
  private resolveWorkspacePackage(specifier: string): string | undefined {
    const packages = this.workspacePackages();
    const name = [...packages.keys()].filter((n) => specifier === n || specifier.startsWith(`${n}/`)).sort((a, b) => b.length - a.length)[0];
    if (!name) return undefined;
    const dir = packages.get(name)!.dir;
    const subpath = specifier === name ? '.' : `./${specifier.slice(name.length + 1)}`;
    const manifest = packages.get(name)!.manifest;
    const candidates: string[] = [];
    const target = exportTarget(manifest.exports, subpath);
    if (target) candidates.push(target);
    if (subpath === '.') candidates.push(...[manifest.module, manifest.main, manifest.types, manifest.typings].filter((v): v is string => typeof v === 'string'));
    const base = subpath === '.' ? '' : subpath.slice(2);
    candidates.push(...['src/index', 'index'].map((index) => (base ? path.join(base, index) : index)), base && path.join('src', base), base);
    for (const candidate of candidates) {
      if (!candidate) continue;
      const absolute = path.resolve(dir, candidate);
      for (const file of [absolute, ...['.ts', '.tsx', '.js', '.mjs', '/index.ts', '/index.tsx', '/index.js'].map((ext) => absolute + ext)]) {
        if (!/\.d\.[cm]?ts$/.test(file) && /\.[cm]?[jt]sx?$/.test(file) && this.exists(file, false)) return file;
      }
    }
    return undefined;
  }

  /**
   * `"extends": "@acme/tsconfig/nextjs.json"` in a monorepo without node_modules: the workspace package's file. A
   * package TypeScript can find itself (through node_modules) is left alone.
   */
  private withWorkspaceExtends(config: { extends?: unknown }, configPath: string): { extends?: unknown } {
    const rewrite = (entry: unknown): unknown => {
      if (typeof entry !== 'string' || entry.startsWith('.') || path.isAbsolute(entry)) return entry;
      const found = ts.resolveModuleName(entry, configPath, { moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true }, this.moduleHost());
      if (found.resolvedModule || this.exists(path.join(path.dirname(configPath), 'node_modules', entry), false)) return entry;
      const packages = this.workspacePackages();
      const name = [...packages.keys()].filter((n) => entry === n || entry.startsWith(`${n}/`)).sort((a, b) => b.length - a.length)[0];
      if (!name) return entry;
      const rest = entry === name ? 'tsconfig.json' : entry.slice(name.length + 1);
      const file = path.join(packages.get(name)!.dir, rest.endsWith('.json') ? rest : `${rest}.json`);
      return this.exists(file, false) ? file : entry;
    };
    if (config.extends === undefined) return config;
    return { ...config, extends: Array.isArray(config.extends) ? config.extends.map(rewrite) : rewrite(config.extends) };
  }

  /** The workspace packages of the monorepo around the root, by name (read once). */
  private workspacePackages(): Map<string, { dir: string; manifest: PackageManifest }> {
    if (this.workspaces) return this.workspaces;
    const out = new Map<string, { dir: string; manifest: PackageManifest }>();
    this.workspaces = out;
    if (!this.host.readDirectory) return out;
    let dir = this.root;
    for (let depth = 0; depth < 6; depth++) {
      const patterns = workspacePatterns(this.readText(path.join(dir, 'package.json')), this.readText(path.join(dir, 'pnpm-workspace.yaml')));
      if (patterns.length > 0) {
        for (const pattern of patterns) {
          for (const folder of this.expandWorkspacePattern(dir, pattern)) {
            const manifest = parseManifest(this.readText(path.join(folder, 'package.json')));
            if (manifest?.name && !out.has(manifest.name)) out.set(manifest.name, { dir: folder, manifest });
          }
        }
        return out;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return out;
  }

  /** `apps/*`, `packages/**`, `tools/eslint`: the folders a workspace pattern names (one or two levels of `*`). */
  private expandWorkspacePattern(root: string, pattern: string): string[] {
    const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
    if (clean.startsWith('!')) return [];
    const parts = clean.split('/');
    let folders = [root];
    for (const part of parts) {
      const next: string[] = [];
      for (const folder of folders) {
        if (part === '*' || part === '**') {
          for (const entry of this.host.readDirectory!(folder)) if (entry.isDirectory && !SKIPPED_FOLDERS.has(entry.name)) next.push(path.join(folder, entry.name));
        } else {
          next.push(path.join(folder, part));
        }
      }
      folders = next;
    }
    return folders.filter((folder) => this.host.fileExists(path.join(folder, 'package.json')));
  }

  /** Relative imports and tsconfig `paths` aliases point into the project; anything else is a package. */
  private isLocalSpecifier(from: string, specifier: string): boolean {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return true;
    const aliases = Object.keys(this.compilerSetup(from).options.paths ?? {});
    return aliases.some((alias) => (alias.endsWith('*') ? specifier.startsWith(alias.slice(0, -1)) : specifier === alias));
  }

  private moduleHost(): ts.ModuleResolutionHost {
    return {
      fileExists: (f) => this.documents.has(path.resolve(f)) || this.exists(f, false),
      readFile: (f) => this.readText(path.resolve(f)),
      directoryExists: (d) => this.exists(d, true),
      realpath: this.host.realpath ? (p) => this.host.realpath!(p) : undefined,
      getCurrentDirectory: () => this.root,
    };
  }

  /** Resolution probes many candidate paths per import; the answers hold until the disk changes. */
  private exists(target: string, directory: boolean): boolean {
    const key = (directory ? 'd:' : 'f:') + target;
    let answer = this.existence.get(key);
    if (answer === undefined) {
      answer = directory ? this.host.directoryExists(target) : this.host.fileExists(target);
      this.existence.set(key, answer);
    }
    return answer;
  }

  private compilerSetup(file: string): CompilerSetup {
    const configPath = this.findConfig(path.dirname(file));
    const key = configPath ?? '';
    const cached = this.configs.get(key);
    if (cached) return cached;
    const problems: string[] = [];
    let options: ts.CompilerOptions = {};
    if (configPath) {
      try {
        const read = ts.readConfigFile(configPath, (p) => this.host.readFile(p));
        if (!read.error) read.config = this.withWorkspaceExtends(read.config, configPath);
        if (read.error) {
          problems.push(`${path.relative(this.root, configPath) || configPath}: ${flatten(read.error)} (using default module resolution)`);
        } else {
          const parsed = ts.parseJsonConfigFileContent(
            read.config,
            {
              useCaseSensitiveFileNames: true,
              readDirectory: () => [],
              fileExists: (p) => this.host.fileExists(p),
              readFile: (p) => this.host.readFile(p),
            },
            path.dirname(configPath),
            undefined,
            configPath,
          );
          options = parsed.options;
          for (const error of parsed.errors) {
            // "No inputs were found" is an artefact of not listing files here.
            if (error.code !== 18003) problems.push(`${path.relative(this.root, configPath) || configPath}: ${flatten(error)}`);
          }
        }
      } catch (error) {
        problems.push(`${configPath}: could not be read (${(error as Error).message})`);
      }
    }
    options = {
      ...options,
      allowJs: true,
      moduleResolution: pickResolution(options.moduleResolution),
      module: options.module ?? ts.ModuleKind.ESNext,
      resolveJsonModule: false,
    };
    const setup: CompilerSetup = {
      options,
      problems,
      ...(configPath ? { configPath } : {}),
    };
    this.configs.set(key, setup);
    return setup;
  }

  private findConfig(dir: string): string | undefined {
    if (this.configForDir.has(dir)) return this.configForDir.get(dir);
    let found: string | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const candidate = path.join(dir, name);
      if (this.host.fileExists(candidate)) {
        found = candidate;
        break;
      }
    }
    if (!found) {
      const parent = path.dirname(dir);
      const stop = parent === dir || !isWithin(parent, path.dirname(this.root));
      found = stop ? undefined : this.findConfig(parent);
    }
    this.configForDir.set(dir, found);
    return found;
  }
}

interface PackageManifest {
  name?: string;
  exports?: unknown;
  module?: unknown;
  main?: unknown;
  types?: unknown;
  typings?: unknown;
  workspaces?: unknown;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'build', '.next', '.turbo']);

function parseManifest(text: string | undefined): PackageManifest | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? (value as PackageManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** npm/Yarn `workspaces` (an array, or `{ packages }`) and pnpm-workspace.yaml's `packages:` list. */
export function workspacePatterns(manifestText: string | undefined, pnpmText: string | undefined): string[] {
  const workspaces = parseManifest(manifestText)?.workspaces;
  const fromManifest = Array.isArray(workspaces) ? workspaces : Array.isArray((workspaces as { packages?: unknown })?.packages) ? (workspaces as { packages: unknown[] }).packages : [];
  const patterns = fromManifest.filter((p): p is string => typeof p === 'string');
  if (pnpmText) {
    let inPackages = false;
    for (const line of pnpmText.split(/\r?\n/)) {
      if (/^packages\s*:/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const match = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
        if (match) patterns.push(match[1]!);
      }
    }
  }
  return patterns;
}

/** The file an `exports` map gives a subpath: a string, or the first of `types`/`import`/`default`/`require` conditions. */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const entry = subpath in map ? map[subpath] : subpath === '.' && !Object.keys(map).some((k) => k.startsWith('.')) ? map : undefined;
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (!value || typeof value !== 'object') return undefined;
    const conditions = value as Record<string, unknown>;
    for (const key of ['source', 'development', 'import', 'default', 'require', 'node', 'types']) {
      const found = pick(conditions[key]);
      if (found && !/\.d\.[cm]?ts$/.test(found)) return found;
    }
    return undefined;
  };
  return pick(entry);
}

function manifestHasAuth(text: string, knowledge: Knowledge): boolean | null {
  let manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(text);
  } catch {
    return null;
  }
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  // `@acme/auth`, `next-auth`, `@clerk/nextjs` — not `class-variance-authority`.
  return names.some((name) => knowledge.library(name)?.category === 'auth' || /(^|[/@-])(auth|sessions?|clerk|lucia|kinde|workos|supabase|firebase|passport)([/-]|$)/i.test(name));
}

function reparse(previous: ts.SourceFile, text: string): ts.SourceFile | undefined {
  try {
    return ts.updateSourceFile(previous, text, changeRange(previous.text, text));
  } catch (error) {
    if (isStackOverflow(error)) throw error;
    return undefined;
  }
}

/** The one edited span between two versions of a text (common prefix and suffix), for incremental parsing. */
function changeRange(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return ts.createTextChangeRange(ts.createTextSpan(prefix, before.length - prefix - suffix), after.length - prefix - suffix);
}

function pickResolution(kind: ts.ModuleResolutionKind | undefined): ts.ModuleResolutionKind {
  // Classic resolution never finds `@/lib/x`; Next.js projects resolve like a bundler.
  if (kind === undefined || kind === ts.ModuleResolutionKind.Classic) return ts.ModuleResolutionKind.Bundler;
  return kind;
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

export function scriptKindOf(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(file)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.TS;
}

const TOO_DEEP_TO_PARSE = 'skipped: the code is nested too deeply to parse (stack overflow)';
const TOO_DEEP_TO_ANALYSE = 'skipped: the code is nested too deeply to analyse (stack overflow)';

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
