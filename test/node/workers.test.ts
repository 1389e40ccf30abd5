/**
 * The audit's thread pool: a batch whose worker dies is run again elsewhere, the calling thread takes over when no
 * worker can run, and a cancelled audit stops its workers and resolves without results.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Project } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { analyzeForAudit, analyzeInThreads, auditThreads, THREADS_MIN_CORES, THREADS_MIN_FILES, type FileOutcome } from '../../server/src/node/workers';
import { collectFiles } from '../../server/src/node/walk';
import { ensureBuilt, REPO } from '../cli/helpers';

const EXAMPLE_APP = path.join(REPO, 'test', 'fixtures', 'example-app');
const WORKER = path.join(REPO, 'dist', 'audit-worker.js');

describe('audit thread pool', () => {
  let files: string[];
  let scratch: string;
  let dyingWorker: string;
  const job = { root: EXAMPLE_APP, settings: DEFAULT_SETTINGS, keepEdits: false };

  before(() => {
    ensureBuilt();
    files = collectFiles(EXAMPLE_APP, { maxFileSizeKb: DEFAULT_SETTINGS.maxFileSizeKb }).files;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sag-workers-'));
    dyingWorker = path.join(scratch, 'dying-worker.js');
    fs.writeFileSync(dyingWorker, 'process.exit(3);\n');
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const singleThreaded = (): FileOutcome[] => {
    const project = new Project({ root: EXAMPLE_APP, scanImports: true });
    return files.map((file) => analyzeForAudit(project, file, job));
  };
  /**
   * `dependencies` lists the files an analysis read, which depends on what its thread had cached from earlier
   * files (the editor uses it to re-check importers; the report does not carry it): everything else must agree.
   */
  const reported = (outcomes: FileOutcome[] | undefined) =>
    outcomes?.map((outcome) => ('analysis' in outcome ? { ...outcome, analysis: { ...outcome.analysis, dependencies: [] } } : outcome));

  it('returns one outcome per file, in input order, equal to the single-threaded run', async () => {
    const outcomes = await analyzeInThreads(files, { ...job, threads: 2, workerScript: WORKER });
    assert.deepEqual(reported(outcomes), reported(singleThreaded()));
  });

  it('analyses on the calling thread when every worker dies', async () => {
    const outcomes = await analyzeInThreads(files, { ...job, threads: 2, workerScript: dyingWorker, local: new Project({ root: EXAMPLE_APP, scanImports: true }) });
    assert.deepEqual(reported(outcomes), reported(singleThreaded()));
  });

  it('reports each file as failed when no thread is left to analyse it', async () => {
    const outcomes = await analyzeInThreads(files, { ...job, threads: 2, workerScript: dyingWorker });
    assert.equal(outcomes?.length, files.length);
    for (const outcome of outcomes!) assert.match('error' in outcome ? outcome.error : 'analysed', /exited with code 3/);
  });

  it('stops and resolves without results when cancelled', async () => {
    const token = { isCancellationRequested: false };
    let seen = 0;
    const outcomes = await analyzeInThreads(files, {
      ...job,
      threads: 2,
      workerScript: WORKER,
      token,
      onOutcome: () => {
        seen++;
        token.isCancellationRequested = true;
      },
    });
    assert.equal(outcomes, undefined);
    assert.ok(seen > 0 && seen < files.length, `${seen} of ${files.length} files analysed before the cancellation`);
  });

  it('runs small audits on one thread unless told otherwise', () => {
    assert.equal(auditThreads(THREADS_MIN_FILES - 1, undefined), 1);
    assert.ok(auditThreads(THREADS_MIN_FILES, undefined, THREADS_MIN_CORES) >= 2);
    assert.equal(auditThreads(THREADS_MIN_FILES, undefined, THREADS_MIN_CORES - 1), 1, 'two cores stay on one thread by default');
    assert.equal(auditThreads(10, 3), 3);
    assert.equal(auditThreads(50_000, 1), 1);
  });
});
