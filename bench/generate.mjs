#!/usr/bin/env node
// Writes a synthetic Next.js monorepo with N action files into bench/.corpus/<N>/, deterministic from a seed.
//
//   node bench/generate.mjs [--size 100|1000|5000 ...] [--seed 42] [--force]
//
// A corpus is reused when its manifest says it was written by this generator (same source hash) with the same seed
// and size. The manifest (bench-manifest.json at the corpus root) records every planted action with its profile
// (secure or the one rule it should fail), so the proportions are known and detection can be compared.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILE_WEIGHTS } from './corpus/actions.mjs';
import { emitKeystrokeFile, emitModule, KIND_WEIGHTS } from './corpus/modules.mjs';
import { ENTITIES } from './corpus/entities.mjs';
import { APPS, lacksServerOnly, workspaceFiles } from './corpus/shared.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_ROOT = path.join(benchDir, '.corpus');
export const DEFAULT_SEED = 42;
export const MANIFEST = 'bench-manifest.json';
export const KEYSTROKE_LINES = { small: 300, large: 3000 };

/** Hash of the generator's own sources: a changed generator never reuses a stale corpus. */
function generatorVersion() {
  const digest = createHash('sha256');
  for (const file of ['generate.mjs', 'corpus/actions.mjs', 'corpus/entities.mjs', 'corpus/modules.mjs', 'corpus/shared.mjs', 'corpus/source.mjs']) {
    digest.update(fs.readFileSync(path.join(benchDir, file)));
  }
  return digest.digest('hex').slice(0, 16);
}

export function corpusDir(size, root = CORPUS_ROOT) {
  return path.join(root, String(size));
}

export function readManifest(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Ensures the corpus of `size` action files exists for `seed` and returns its manifest.
 * @param {{ size: number; seed?: number; root?: string; force?: boolean; log?: (line: string) => void }} options
 */
export function ensureCorpus({ size, seed = DEFAULT_SEED, root = CORPUS_ROOT, force = false, log = () => {} }) {
  const dir = corpusDir(size, root);
  const version = generatorVersion();
  const existing = readManifest(dir);
  if (!force && existing && existing.version === version && existing.seed === seed && existing.size === size) {
    return { dir, manifest: existing, reused: true };
  }
  const started = performance.now();
  fs.rmSync(dir, { recursive: true, force: true });
  const manifest = writeCorpus(dir, { size, seed, version });
  log(`generated corpus ${size} (${manifest.files.total} files, ${manifest.lines.total} lines) in ${Math.round(performance.now() - started)} ms`);
  return { dir, manifest, reused: false };
}

function writeCorpus(dir, { size, seed, version }) {
  const madeDirs = new Set();
  const counts = { action: 0, ordinary: 0, shared: 0, keystroke: 0 };
  const lines = { action: 0, ordinary: 0, shared: 0, keystroke: 0, total: 0 };
  const write = (relative, text, role) => {
    const absolute = path.join(dir, relative);
    const parent = path.dirname(absolute);
    if (!madeDirs.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      madeDirs.add(parent);
    }
    fs.writeFileSync(absolute, text);
    if (!/\.(?:[cm]?[jt]sx?)$/.test(relative) || relative.endsWith('.d.ts')) return;
    const count = text.split('\n').length - 1;
    counts[role]++;
    lines[role] += count;
    lines.total += count;
  };

  for (const [relative, text] of Object.entries(workspaceFiles())) write(relative, text, 'shared');

  const actions = [];
  const plantedFlaws = [];
  for (const app of APPS) {
    ENTITIES.forEach((entity, index) => {
      if (lacksServerOnly(index)) {
        plantedFlaws.push({
          file: `apps/${app}/lib/server/${entity.name}.ts`,
          rule: 'server-only',
          detail: 'helper module',
          importedAs: `@/lib/server/${entity.name}`,
        });
      }
    });
  }
  for (let index = 0; index < size; index++) {
    const module = emitModule(seed, index);
    for (const [relative, text] of Object.entries(module.files)) {
      write(relative, text, relative === module.actionFile ? 'action' : 'ordinary');
    }
    actions.push(...module.actions);
    plantedFlaws.push(...module.plantedFlaws);
  }

  const keystroke = {};
  for (const [name, target] of Object.entries(KEYSTROKE_LINES)) {
    const emitted = emitKeystrokeFile(seed, target);
    write(emitted.path, emitted.text, 'keystroke');
    const anchorLine = emitted.text.split('\n').findIndex((line) => line.includes('// bench:keystroke'));
    keystroke[name] = { file: emitted.path, lines: emitted.lines, actions: emitted.specs.length, anchorLine };
  }

  // A repository of its own: tools that honour .gitignore or list files through git (react-doctor) must see the
  // corpus as a project, not as the ignored folder of the repository it sits in.
  try {
    execFileSync('git', ['init', '--quiet', dir], { stdio: 'ignore' });
  } catch {
    // Without git the peers that need it report it themselves; our own tools do not need it.
  }

  const byProfile = {};
  const byKind = {};
  for (const action of actions) {
    byProfile[action.profile] = (byProfile[action.profile] ?? 0) + 1;
    byKind[action.kind] = (byKind[action.kind] ?? 0) + 1;
  }
  const manifest = {
    version,
    seed,
    size,
    generatedAt: new Date().toISOString(),
    files: { ...counts, total: counts.action + counts.ordinary + counts.shared + counts.keystroke },
    lines,
    weights: { kinds: KIND_WEIGHTS, profiles: PROFILE_WEIGHTS },
    counts: {
      actions: actions.length,
      secureActions: (byProfile.secure ?? 0) + (byProfile['secure-public'] ?? 0),
      byProfile,
      byKind,
      plantedFlawsOutsideActions: plantedFlaws.length,
    },
    keystroke,
    actions,
    plantedFlaws,
  };
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

function parseArgs(argv) {
  const options = { sizes: [], seed: DEFAULT_SEED, force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--size') options.sizes.push(Number(argv[++i]));
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--force') options.force = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.sizes.length === 0) options.sizes = [100, 1000, 5000];
  if (options.sizes.some((s) => !Number.isInteger(s) || s <= 0) || !Number.isInteger(options.seed)) {
    throw new Error('--size and --seed take positive integers');
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  for (const size of options.sizes) {
    const { dir, manifest, reused } = ensureCorpus({ size, seed: options.seed, force: options.force, log: console.log });
    const { files, counts } = manifest;
    console.log(
      `${reused ? 'reused' : 'wrote'} ${path.relative(process.cwd(), dir)}: ${files.action} action files, ${files.ordinary} ordinary, ` +
        `${files.shared} shared, ${counts.actions} actions (${counts.secureActions} secure)`,
    );
  }
}
