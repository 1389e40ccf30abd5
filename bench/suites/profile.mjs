// CPU profile of the CLI audit (`node --cpu-prof`), summarised by self time per function and per source file.
// The bundle's source map (development build) maps frames back to server/src/** and to the bundled TypeScript.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { startServer } from '../lib/lsp.mjs';
import { editFile } from './keystroke.mjs';

function loadSourceMap(bundle) {
  try {
    return new SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Maps a frame of the bundle to its original file and line (0-based line/column in, as V8 reports them). */
function originOf(frame, bundle, map, repo) {
  if (!frame.url) return { file: `(${frame.functionName || 'native'})`, line: 0 };
  const file = frame.url.startsWith('file://') ? new URL(frame.url).pathname : frame.url;
  if (map && file === bundle && frame.lineNumber >= 0) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry?.originalSource) {
      const original = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(bundle), entry.originalSource);
      return { file: path.relative(repo, original), line: entry.originalLine + 1 };
    }
  }
  return { file: path.isAbsolute(file) ? path.relative(repo, file) : file, line: frame.lineNumber + 1 };
}

/** Self time per function and per file from a .cpuprofile. */
export function summarizeProfile(profile, { bundle, repo, top = 25 }) {
  const map = loadSourceMap(bundle);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id).callFrame;
    const origin = originOf(frame, bundle, map, repo);
    const fnKey = `${frame.functionName || '(anonymous)'} ${origin.file}:${origin.line}`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + us);
    byFile.set(origin.file, (byFile.get(origin.file) ?? 0) + us);
  }
  // Inclusive time of the project's own functions: which engine step the native and TypeScript time belongs to.
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const keyOf = new Map();
  const ownKey = (id) => {
    if (!keyOf.has(id)) {
      const frame = nodes.get(id).callFrame;
      const origin = originOf(frame, bundle, map, repo);
      keyOf.set(id, origin.file.startsWith('server/') || origin.file.startsWith('shared/') ? `${frame.functionName || '(anonymous)'} ${origin.file}:${origin.line}` : undefined);
    }
    return keyOf.get(id);
  };
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const key = ownKey(at);
      if (key && !seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      }
    }
  }
  const ranked = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, functions: ranked(byFunction), files: ranked(byFile), inclusive: ranked(inclusive) };
}

function render(title, file, summary) {
  const pct = (s) => `${(s * 100).toFixed(1).padStart(5)}%`;
  const list = (items, count) => items.slice(0, count).map((f) => `  ${pct(f.share)} ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`);
  return [
    `${title}: ${summary.totalMs.toFixed(0)} ms sampled (${path.relative(process.cwd(), file)})`,
    'Self time by source file:',
    ...list(summary.files, 12),
    'Self time by function:',
    ...list(summary.functions, 25),
    'Inclusive time of server/src functions:',
    ...list(summary.inclusive, 20),
  ].join('\n');
}

/** Profiles the language server while it answers keystrokes in one of the keystroke files (debounce 0). */
async function profileServer({ corpus, serverJs, outDir, edits, which, log }) {
  const name = `server-keystroke-${which}-${corpus.manifest.size}.cpuprofile`;
  const file = path.join(outDir, name);
  fs.rmSync(file, { force: true });
  const server = await startServer({
    serverJs,
    root: corpus.dir,
    debounceMs: 0,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', outDir, '--cpu-prof-name', name],
  });
  const target = corpus.manifest.keystroke[which];
  try {
    await editFile(server, path.join(corpus.dir, target.file), target.anchorLine, edits, log);
  } finally {
    await server.shutdown();
  }
  const summary = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')), { bundle: serverJs, repo: path.dirname(path.dirname(serverJs)) });
  return { file, ...summary, summary: render(`CPU profile of the server, ${edits} keystrokes in the ${target.lines}-line file`, file, summary) };
}

/**
 * @param {{ corpus: { dir: string; manifest: any }; cliJs: string; serverJs: string; outDir: string; edits: number;
 *   log: (line: string) => void }} options
 */
export async function runProfile({ corpus, cliJs, serverJs, outDir, edits, log }) {
  const cli = await profileCli({ corpus, cliJs, outDir, log });
  const small = await profileServer({ corpus, serverJs, outDir, edits, which: 'small', log });
  const large = await profileServer({ corpus, serverJs, outDir, edits, which: 'large', log });
  return { cli, server: { small, large }, summary: [cli.summary, small.summary, large.summary].join('\n\n') };
}

async function profileCli({ corpus, cliJs, outDir, log }) {
  const repo = path.dirname(path.dirname(cliJs));
  fs.mkdirSync(outDir, { recursive: true });
  const name = `cli-audit-${corpus.manifest.size}.cpuprofile`;
  fs.rmSync(path.join(outDir, name), { force: true });
  const run = spawnSync(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir', outDir, '--cpu-prof-name', name, cliJs, 'audit', corpus.dir, '--format', 'json', '--fail-on', 'never'],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  if (run.status !== 0) throw new Error(`profiled audit failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  const file = path.join(outDir, name);
  const summary = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')), { bundle: cliJs, repo });
  log(`  wrote ${path.relative(process.cwd(), file)}`);
  return { file, ...summary, summary: render(`CPU profile of the CLI audit, ${corpus.manifest.size} corpus`, file, summary) };
}
