// Real-app shapes: the audit and keystrokes on public Next.js apps checked out outside the repository (never
// committed), named by `--apps dir,dir` or BENCH_APPS. Per app: the floor (read + parse every file, one thread),
// the audit as shipped (threads chosen by the CLI), the audit on one thread, and keystrokes in the largest file
// with a 'use server' directive.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from '../lib/lsp.mjs';
import { measure } from '../lib/measure.mjs';
import { editFile } from './keystroke.mjs';

const SKIPPED = new Set(['node_modules', '.next', 'dist', 'build', 'out', 'coverage', '.git', '.turbo', '.vercel']);
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;
/** A 'use server' directive as the first statement (comments before it allowed). */
const USE_SERVER = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use server['"]/;

function* walk(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) yield* walk(full);
    } else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
      yield full;
    }
  }
}

/**
 * The largest 'use server' file and the line to type after: a statement line (ending in `;`, indented) near the
 * middle of the file, so that the typed statement lands inside a function body.
 */
export function largestActionFile(root) {
  let best;
  for (const file of walk(root)) {
    const text = fs.readFileSync(file, 'utf8');
    if (!USE_SERVER.test(text)) continue;
    const lines = text.split('\n');
    if (!best || lines.length > best.lines.length) best = { file, lines };
  }
  if (!best) return undefined;
  const middle = Math.floor(best.lines.length / 2);
  for (let offset = 0; offset < best.lines.length; offset++) {
    for (const line of [middle + offset, middle - offset]) {
      const text = best.lines[line];
      if (text !== undefined && /^\s{2,}\S.*;\s*$/.test(text) && !/^\s*(?:\/\/|\*|import|export)/.test(text)) {
        return { file: best.file, lines: best.lines.length, anchorLine: line };
      }
    }
  }
  return undefined;
}

function cpuS(measured) {
  return (measured.userS ?? 0) + (measured.systemS ?? 0) || undefined;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * @param {{ apps: string[]; cliJs: string; floorJs: string; serverJs: string; edits: number; repeat: number;
 *   log: (line: string) => void }} options
 */
export async function runApps({ apps, cliJs, floorJs, serverJs, edits, repeat, log }) {
  const results = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-apps-'));
  try {
    for (const dir of apps) {
      const id = path.basename(dir);
      if (!fs.existsSync(dir)) {
        log(`  ${id}: skipped (${dir} does not exist)`);
        results.push({ id, dir, skipped: `${dir} does not exist` });
        continue;
      }
      log(` app ${id}`);
      const result = { id, dir };
      const fastest = async (args, out) => {
        let best;
        for (let i = 0; i < repeat; i++) {
          const run = await measure(process.execPath, args, { stdoutFile: out });
          if (run.exitCode !== 0) throw new Error(`${args.join(' ')} failed (exit ${run.exitCode}): ${run.stderr.slice(-2000)}`);
          if (!best || run.wallMs < best.wallMs) best = run;
        }
        return best;
      };
      const floorOut = path.join(scratch, `${id}-floor.json`);
      const floor = await fastest([floorJs, dir], floorOut);
      result.floor = { wallMs: floor.wallMs, cpuS: cpuS(floor), peakRssMb: floor.maxRssMb, files: readJson(floorOut)?.files };
      for (const [key, extra] of [['us', []], ['usOneThread', ['--threads', '1']]]) {
        const out = path.join(scratch, `${id}-${key}.json`);
        const run = await fastest([cliJs, 'audit', dir, '--format', 'json', '--fail-on', 'never', ...extra], out);
        const report = readJson(out);
        result[key] = {
          wallMs: run.wallMs,
          cpuS: cpuS(run),
          peakRssMb: run.maxRssMb,
          files: report?.summary.files,
          actions: report?.summary.actions,
          diagnostics: report?.diagnostics.length,
        };
        log(`  ${key}: ${report?.summary.files} files in ${run.wallMs.toFixed(0)} ms, CPU ${cpuS(run)?.toFixed(1)} s, ${run.maxRssMb.toFixed(0)} MB (floor ${floor.wallMs.toFixed(0)} ms)`);
      }
      result.wallOverFloor = result.us.wallMs / result.floor.wallMs;
      result.cpuOverFloor = result.us.cpuS && result.floor.cpuS ? result.us.cpuS / result.floor.cpuS : undefined;
      result.oneThreadWallOverFloor = result.usOneThread.wallMs / result.floor.wallMs;
      result.oneThreadCpuOverFloor = result.usOneThread.cpuS && result.floor.cpuS ? result.usOneThread.cpuS / result.floor.cpuS : undefined;

      const target = largestActionFile(dir);
      if (target && edits > 0) {
        const server = await startServer({ serverJs, root: dir, debounceMs: 0 });
        try {
          const measured = await editFile(server, target.file, target.anchorLine, edits, log, { marked: false });
          result.keystroke = { file: path.relative(dir, target.file), ...measured };
        } finally {
          await server.shutdown();
        }
      }
      results.push(result);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}
