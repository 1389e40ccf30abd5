// Runs one command and measures it: wall time, CPU time and peak RSS. GNU time (`/usr/bin/time -v`) gives the
// peak RSS the kernel recorded; without it, /proc of the child and its descendants is sampled every 20 ms.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function hasGnuTime() {
  try {
    fs.accessSync(GNU_TIME, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * @typedef {{ wallMs: number; maxRssMb: number; userS?: number; systemS?: number; exitCode: number | null;
 *   signal: string | null; stdoutFile?: string; stderr: string; rssMethod: 'gnu-time' | 'proc-sampling' }} Measured
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string; env?: NodeJS.ProcessEnv; stdoutFile?: string; timeoutMs?: number }} options
 * @returns {Promise<Measured>}
 */
export async function measure(command, args, { cwd, env, stdoutFile, timeoutMs = 15 * 60_000 } = {}) {
  const useTime = hasGnuTime();
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const argv = useTime ? [GNU_TIME, '-v', '-o', timeFile, command, ...args] : [command, ...args];
  const stdout = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), { cwd, env: env ?? process.env, stdio: ['ignore', stdout, 'pipe'] });
  if (typeof stdout === 'number') fs.closeSync(stdout);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    // Keep the tail only: peers can be chatty, and the tail holds the error when something fails.
    stderr = (stderr + chunk).slice(-20_000);
  });
  let sampledPeakKb = 0;
  const sampler = useTime ? undefined : setInterval(() => (sampledPeakKb = Math.max(sampledPeakKb, treeRssKb(child.pid))), 20);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await new Promise((resolve) => child.on('close', (c, s) => resolve({ code: c, signal: s })));
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  if (sampler) clearInterval(sampler);
  /** @type {Measured} */
  const result = { wallMs, maxRssMb: sampledPeakKb / 1024, exitCode: code, signal, stdoutFile, stderr, rssMethod: 'proc-sampling' };
  if (useTime) {
    const report = readTimeReport(timeFile);
    fs.rmSync(timeFile, { force: true });
    Object.assign(result, report, { rssMethod: 'gnu-time' });
    // GNU time reports the command's own status on its first line when it failed; keep the child's exit code.
    if (report.exitCode !== undefined) result.exitCode = report.exitCode;
  }
  return result;
}

function readTimeReport(file) {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const field = (label) => {
    const match = text.match(new RegExp(`${label}:\\s*([^\\n]+)`));
    return match ? match[1].trim() : undefined;
  };
  const rssKb = Number(field('Maximum resident set size \\(kbytes\\)'));
  const exit = field('Exit status');
  return {
    maxRssMb: Number.isFinite(rssKb) ? rssKb / 1024 : 0,
    userS: Number(field('User time \\(seconds\\)')),
    systemS: Number(field('System time \\(seconds\\)')),
    ...(exit !== undefined ? { exitCode: Number(exit) } : {}),
  };
}

/** RSS of a process and all its descendants, in kB (0 when it is gone). */
export function treeRssKb(pid) {
  if (!pid) return 0;
  let total = rssKb(pid);
  for (const child of childrenOf(pid)) total += treeRssKb(child);
  return total;
}

/** VmRSS of one process, in kB. */
export function rssKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = status.match(/VmRSS:\s+(\d+) kB/);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid) {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(values) {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
  };
}
