/**
 * An audit worker thread (`dist/audit-worker.js`): one `Project` over the workspace root, analysing the batches of
 * files the main thread sends and answering with plain analyses (see workers.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Project } from '../engine';
import { relieveMemory } from './memory';
import { analyzeForAudit, type BatchRequest, type BatchResult, type WorkerSetup } from './workers';

const setup = workerData as WorkerSetup;
const project = new Project({ root: setup.root, scanImports: true, importScan: setup.importScan });
for (const [file, text] of setup.documents ?? []) project.setDocument(file, text);
let analysed = 0;

parentPort?.on('message', (request: BatchRequest) => {
  const outcomes = request.files.map((file) => {
    if (analysed++ % 50 === 0) relieveMemory(setup.heapHeadroomBytes);
    return analyzeForAudit(project, file, setup);
  });
  parentPort!.postMessage({ id: request.id, outcomes } satisfies BatchResult);
});
