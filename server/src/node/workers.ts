/**
 * The workspace audit on several cores: files go in batches to worker threads (each with its own `Project`), and
 * optionally to the calling thread too, and come back as plain `FileAnalysis` data in the order of the input. Shared
 * by the CLI and the language server's workspace audit. A worker that dies (out of its memory bound, a crash) hands
 * its batch back to the queue once; a batch that kills two workers is reported as failed, file by file.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GuardSettings } from '../../../shared/settings';
import type { CancellationToken, FileAnalysis, Project } from '../engine';
import { relieveMemory } from './memory';

/** What analysing one file gave: its analysis, or why the engine failed on it. */
export type FileOutcome = { file: string; analysis: FileAnalysis } | { file: string; error: string };

export interface AuditJob {
  root: string;
  settings: GuardSettings;
  /** Keep fix edits in the analyses (`--fix`); a report only names fixes, and dropping edits keeps memory flat. */
  keepEdits: boolean;
}

/** The import scan of a workspace as plain data (`Project.importScan`), scanned once and shared by the threads. */
export type ImportScan = NonNullable<ReturnType<Project['importScan']>>;

/** What a worker is started with. */
export interface WorkerSetup extends AuditJob {
  heapHeadroomBytes: number;
  importScan?: ImportScan;
  /** Open editor buffers by path: their text wins over the disk, as in the editor's own project. */
  documents?: [string, string][];
}

/** Main thread → worker: a batch to analyse. */
export interface BatchRequest {
  id: number;
  files: string[];
}

/** Worker → main thread: the batch's outcomes, in its order. */
export interface BatchResult {
  id: number;
  outcomes: FileOutcome[];
}

/**
 * Below this many files an audit runs on one thread: starting a worker (loading the engine and TypeScript again,
 * ~0.2 s of CPU) costs more than it saves on a small workspace, where most files are only scanned, not parsed.
 */
export const THREADS_MIN_FILES = 1000;
/** More threads than this gain little: each one repeats the parse of the modules the others parse too. */
const MAX_DEFAULT_THREADS = 4;
/** Old-space bound of one worker (V8 `resourceLimits`); a worker over it stops and its batch is analysed again. */
export const WORKER_HEAP_LIMIT_MB = 512;
/** Heap growth past the live data after which an audit collects garbage between files. */
export const HEAP_HEADROOM_BYTES = 48 * 1024 * 1024;

/**
 * Fewer cores than this and an audit stays on one thread unless asked: every thread parses the shared modules again,
 * and on two cores that costs more than the second core gives back (docs/BENCHMARKS.md, "Step 2").
 */
export const THREADS_MIN_CORES = 4;

/**
 * The analysing threads for an audit of `fileCount` files: `requested` when given (1 = this thread only), otherwise
 * one per core (up to 4) on a machine of at least THREADS_MIN_CORES cores, once the workspace is large enough to pay
 * for starting workers.
 */
export function auditThreads(fileCount: number, requested: number | undefined, cores = availableCores()): number {
  if (requested !== undefined && requested >= 1) return Math.floor(requested);
  if (fileCount < THREADS_MIN_FILES || cores < THREADS_MIN_CORES) return 1;
  return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS));
}

function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Analyses one file the way every audit thread does, so single- and multi-threaded audits agree. */
export function analyzeForAudit(project: Project, file: string, job: AuditJob, token?: CancellationToken): FileOutcome {
  try {
    const analysis = project.analyzeFile(file, job.settings, token);
    return { file, analysis: job.keepEdits ? analysis : withoutEdits(analysis) };
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error) };
  }
}

export function withoutEdits(analysis: FileAnalysis): FileAnalysis {
  if (analysis.findings.every((finding) => finding.fixes.length === 0)) return analysis;
  return {
    ...analysis,
    findings: analysis.findings.map((finding) => ({ ...finding, fixes: finding.fixes.map((fix) => ({ ...fix, edits: [] })) })),
  };
}

export interface ThreadedAuditOptions extends AuditJob {
  /** Analysing threads in all, the calling thread included when `local` is given. */
  threads: number;
  /** The bundle that runs a worker (`dist/audit-worker.js`). */
  workerScript: string;
  /** Analyse batches on the calling thread too, with this project (between batches it handles the workers). */
  local?: Project;
  /** The workspace's import scan, so that workers do not repeat it. */
  importScan?: ImportScan;
  documents?: [string, string][];
  token?: CancellationToken;
  /** Each outcome as it arrives (progress, publishing), in arrival order. */
  onOutcome?: (outcome: FileOutcome) => void;
}

/**
 * Analyses `files` on `threads` threads. Resolves with one outcome per file, in the order of `files`, or with
 * undefined when the token was cancelled (the workers are stopped at once).
 */
export async function analyzeInThreads(files: readonly string[], options: ThreadedAuditOptions): Promise<FileOutcome[] | undefined> {
  const workerCount = Math.max(0, options.threads - (options.local ? 1 : 0));
  const batches: string[][] = [];
  /** Batches handed back by a worker that died, run again before new ones. */
  const retries: number[] = [];
  const attempts: number[] = [];
  let cursor = 0;
  const nextBatch = (): number | undefined => {
    const retry = retries.shift();
    if (retry !== undefined) return retry;
    if (cursor >= files.length) return undefined;
    const size = batchSize(files.length - cursor, options.threads);
    batches.push(files.slice(cursor, cursor + size));
    attempts.push(0);
    cursor += size;
    return batches.length - 1;
  };
  const pending = () => retries.length > 0 || cursor < files.length;
  const outcomes = new Map<number, FileOutcome[]>();
  const workers = new Set<Worker>();
  const setup: WorkerSetup = {
    root: options.root,
    settings: options.settings,
    keepEdits: options.keepEdits,
    heapHeadroomBytes: HEAP_HEADROOM_BYTES,
    importScan: options.importScan,
    documents: options.documents,
  };
  const cancelled = () => options.token?.isCancellationRequested === true;

  return new Promise<FileOutcome[] | undefined>((resolve) => {
    let settled = false;
    let localBusy = false;
    const finish = (result: FileOutcome[] | undefined) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      for (const worker of workers) void worker.terminate();
      workers.clear();
      resolve(result);
    };
    const check = () => {
      if (settled) return;
      if (cancelled()) return finish(undefined);
      if (!pending() && outcomes.size === batches.length) return finish(batches.flatMap((_, id) => outcomes.get(id)!));
      // Every worker gone and no thread left to run the rest.
      if (workers.size === 0 && !options.local && pending()) {
        for (let id = nextBatch(); id !== undefined; id = nextBatch()) store(id, batches[id]!.map((file) => ({ file, error: 'no audit worker is running' })));
        check();
      }
    };
    const store = (id: number, result: FileOutcome[]) => {
      outcomes.set(id, result);
      for (const outcome of result) options.onOutcome?.(outcome);
    };
    // Cancellation comes from outside (an editor request): look at the token while the workers run.
    const watch = setInterval(check, 50);

    const startWorker = () => {
      const worker = new Worker(options.workerScript, {
        workerData: setup,
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_LIMIT_MB },
      });
      workers.add(worker);
      let current: number | undefined;
      const feed = () => {
        if (settled || cancelled()) return check();
        current = nextBatch();
        if (current === undefined) {
          workers.delete(worker);
          void worker.terminate();
          return check();
        }
        attempts[current]!++;
        worker.postMessage({ id: current, files: batches[current]! } satisfies BatchRequest);
      };
      worker.on('message', (message: BatchResult) => {
        store(message.id, message.outcomes);
        current = undefined;
        feed();
      });
      const lost = (why: string) => {
        if (!workers.delete(worker)) return;
        if (current !== undefined && !outcomes.has(current)) {
          if (attempts[current]! < 2) retries.push(current);
          else store(current, batches[current]!.map((file) => ({ file, error: why })));
        }
        current = undefined;
        if (pending() && !settled && !cancelled() && !options.local) startWorker();
        else check();
        if (options.local) runLocal();
      };
      worker.on('error', (error) => lost(`the audit worker stopped (${error.message})`));
      worker.on('exit', (code) => lost(`the audit worker exited with code ${code}`));
      feed();
    };

    // The calling thread analyses a batch, then lets the event loop deliver the workers' messages.
    const runLocal = () => {
      if (!options.local || localBusy || settled) return;
      localBusy = true;
      const step = () => {
        if (settled || cancelled()) {
          localBusy = false;
          return check();
        }
        const id = nextBatch();
        if (id === undefined) {
          localBusy = false;
          return check();
        }
        attempts[id]!++;
        const result: FileOutcome[] = [];
        for (const [index, file] of batches[id]!.entries()) {
          if (index % 50 === 0) relieveMemory(HEAP_HEADROOM_BYTES);
          result.push(analyzeForAudit(options.local!, file, options, options.token));
        }
        store(id, result);
        setImmediate(step);
      };
      setImmediate(step);
    };

    for (let i = 0; i < workerCount && pending(); i++) startWorker();
    runLocal();
    check();
  });
}

/**
 * Guided self-scheduling: each batch is a share of what is left (half of it split among the threads), so the first
 * batches are long runs of consecutive files — files of one folder or package share helpers, whose modules are then
 * parsed and summarised once per thread — and the last ones are short, so the threads finish together.
 */
function batchSize(remaining: number, threads: number): number {
  return Math.min(remaining, Math.max(8, Math.ceil(remaining / (2 * threads))));
}

/** The worker bundle next to the running bundle (`dist/cli.js`, `dist/server.js` → `dist/audit-worker.js`). */
export function workerScriptBeside(bundleDir: string): string {
  return path.join(bundleDir, 'audit-worker.js');
}
