// @ts-check
/**
 * `npm run lint`, part one: the architecture's import boundaries, checked on every import of client/src, server/src and
 * shared (type-only imports, re-exports, `import()` and `import('…').Type` included). Each boundary below is one
 * invariant of the layering; an import that crosses one is an error naming it. Part two, import cycles, is
 * dependency-cruiser's (.dependency-cruiser.cjs): ESLint's cycle rules skip type-only imports.
 */
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import picomatch from 'picomatch';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/**
 * What an import points at: a file or folder of this repository (its path from the root, forward slashes, no
 * extension) or a package (its name, `node:` built-ins included).
 * @typedef {{ path: string } | { package: string }} ImportTarget
 * @typedef {(target: ImportTarget) => boolean} TargetMatcher
 */

/** @type {(...globs: string[]) => TargetMatcher} */
const files = (...globs) => {
  const matches = picomatch(globs, { dot: true });
  return (target) => 'path' in target && matches(target.path);
};
/** @type {(...globs: string[]) => TargetMatcher} */
const packages = (...globs) => {
  const matches = picomatch(globs);
  return (target) => 'package' in target && matches(target.package);
};
/** @type {(...matchers: TargetMatcher[]) => TargetMatcher} */
const anyOf =
  (...matchers) =>
  (target) =>
    matchers.some((matches) => matches(target));
/** @type {(matcher: TargetMatcher, allowed: TargetMatcher) => TargetMatcher} */
const except = (matcher, allowed) => (target) => matcher(target) && !allowed(target);

const BUILTINS = new Set(builtinModules);
/** @type {TargetMatcher} */
const nodeBuiltins = (target) =>
  'package' in target && (target.package.startsWith('node:') || BUILTINS.has(target.package));
const VSCODE = packages('vscode', 'vscode-*', '@vscode/*');

/**
 * @typedef {{ files: string[], ignores?: string[], forbidden: TargetMatcher, invariant: string }} Boundary
 * @type {Boundary[]}
 */
const BOUNDARIES = [
  {
    files: ['server/src/engine/**'],
    forbidden: anyOf(files('server/src/{lsp,cli,eslint,report,node}/**', 'client/**'), VSCODE),
    invariant: 'the engine imports no adapter (lsp/, cli/, eslint/, report/, node/), no client code and no vscode* package',
  },
  {
    files: ['server/src/engine/**'],
    ignores: ['server/src/engine/host.ts'],
    forbidden: except(nodeBuiltins, packages('node:path')),
    invariant: 'the engine is pure apart from its file-system host (engine/host.ts): of Node it imports node:path only',
  },
  {
    files: ['server/src/engine/facts/**'],
    forbidden: files('server/src/engine/{rules,fixes}/**'),
    invariant: 'facts know no rule: engine/facts/ imports nothing from engine/rules/ or engine/fixes/',
  },
  {
    files: ['server/src/engine/rules/**'],
    forbidden: anyOf(packages('typescript'), files('server/src/engine/ast{,/**}')),
    invariant: 'rules read only facts: engine/rules/ imports neither typescript nor engine/ast',
  },
  {
    files: ['server/src/lsp/**'],
    forbidden: files('server/src/{cli,eslint}/**', 'client/**'),
    invariant: 'the language server and the CLI are siblings over report/: lsp/ imports nothing from cli/, eslint/ or client/',
  },
  {
    files: ['server/src/cli/**'],
    forbidden: files('server/src/{lsp,eslint}/**', 'client/**'),
    invariant: 'the CLI and the language server are siblings over report/: cli/ imports nothing from lsp/, eslint/ or client/',
  },
  {
    files: ['server/src/eslint/**'],
    forbidden: anyOf(files('server/src/{lsp,cli}/**', 'client/**'), VSCODE),
    invariant:
      'the ESLint plugin is a sibling of the CLI and the language server over report/: eslint/ imports nothing from lsp/, cli/, client/ or a vscode* package',
  },
  {
    files: ['server/src/report/**'],
    forbidden: anyOf(files('server/src/{lsp,cli,eslint}/**', 'client/**'), VSCODE),
    invariant: 'report/ serves both adapters: it imports no lsp/, cli/, eslint/, client code or vscode* package',
  },
  {
    files: ['server/src/{lsp,cli,eslint,report,node}/**'],
    forbidden: except(files('server/src/engine/**'), files('server/src/engine', 'server/src/engine/index')),
    invariant: 'outside the engine, its one entry is server/src/engine/index.ts',
  },
  {
    files: ['shared/**'],
    forbidden: files('client/**', 'server/**'),
    invariant: 'shared/ is the contract both sides import: it imports nothing from client/ or server/',
  },
  {
    files: ['client/**'],
    forbidden: files('server/**'),
    invariant: 'the client reaches the server over LSP only (shared/protocol.ts): client/ imports nothing from server/',
  },
].map((boundary) => ({
  ...boundary,
  appliesTo: picomatch(boundary.files, { dot: true, ignore: boundary.ignores }),
}));

/** @param {string} file @param {string} specifier @returns {ImportTarget} */
function importTarget(file, specifier) {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    const resolved = path.relative(ROOT, path.resolve(path.dirname(file), specifier));
    return { path: resolved.split(path.sep).join('/').replace(/\.(?:[cm]?[jt]sx?)$/, '') };
  }
  const segments = specifier.split('/');
  return { package: specifier.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0] };
}

/** @type {import('eslint').Rule.RuleModule} */
const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports stay inside the layering boundaries of the architecture.' },
    messages: { crossesBoundary: "'{{specifier}}' crosses a boundary: {{invariant}}." },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const boundaries = BOUNDARIES.filter((boundary) => boundary.appliesTo(file));
    if (boundaries.length === 0) return {};
    /** @param {any} source */
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = importTarget(context.filename, source.value);
      for (const boundary of boundaries) {
        if (boundary.forbidden(target)) {
          context.report({
            node: source,
            messageId: 'crossesBoundary',
            data: { specifier: source.value, invariant: boundary.invariant },
          });
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      /** @param {any} node */
      TSImportType: (node) => check(node.source),
      /** @param {any} node */
      TSExternalModuleReference: (node) => check(node.expression),
    };
  },
};

export default defineConfig({
  files: ['client/src/**/*.ts', 'server/src/**/*.ts', 'shared/**/*.ts'],
  languageOptions: { parser: tseslint.parser, sourceType: 'module' },
  // Exceptions to a boundary live in this file, where they show; an eslint-disable comment cannot lift one.
  linterOptions: { noInlineConfig: true },
  plugins: { architecture: { rules: { 'import-boundaries': importBoundaries } } },
  rules: { 'architecture/import-boundaries': 'error' },
});
