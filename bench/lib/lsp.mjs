// A minimal LSP client for the benchmarks: spawns the real bundled server over stdio and talks JSON-RPC to it with
// vscode-languageserver-protocol, the way an editor does (initialize, didOpen/didChange/didClose, diagnostics).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { rssKb } from './measure.mjs';

const gcHook = fileURLToPath(new URL('./gc-hook.cjs', import.meta.url));

export const uriOf = (file) => pathToFileURL(file).href;

/**
 * @param {{ serverJs: string; root: string; debounceMs?: number; nodeArgs?: string[] }} options
 */
export async function startServer({ serverJs, root, debounceMs, nodeArgs = [] }) {
  const gcReport = path.join(os.tmpdir(), `bench-gc-${process.pid}-${Date.now()}.json`);
  const spawnedAt = performance.now();
  // --expose-gc and the preloaded hook let the memory benchmark force a collection (SIGUSR2) and read the heap;
  // the server itself is the unmodified bundle.
  const child = spawn(process.execPath, [...nodeArgs, '--expose-gc', '--require', gcHook, serverJs, '--stdio'], {
    cwd: root,
    env: { ...process.env, BENCH_GC_REPORT: gcReport },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  /** @type {Map<string, { version?: number; diagnostics: unknown[]; at: number }[]>} */
  const published = new Map();
  /** @type {Set<() => void>} */
  const listeners = new Set();
  let lastPublishAt = performance.now();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const now = performance.now();
    lastPublishAt = now;
    const list = published.get(params.uri) ?? [];
    list.push({ version: params.version, diagnostics: params.diagnostics, at: now });
    if (list.length > 8) list.splice(0, list.length - 8);
    published.set(params.uri, list);
    for (const listener of [...listeners]) listener();
  });
  const logs = [];
  connection.onNotification('window/logMessage', (params) => {
    logs.push(params.message);
  });
  // Server → client requests an editor answers: settings (defaults), progress tokens, registrations.
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => null));
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('client/unregisterCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();

  const rootUri = uriOf(root);
  const initialized = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true },
      textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
      window: { workDoneProgress: false },
    },
    initializationOptions: debounceMs === undefined ? {} : { debounceMs },
  });
  await connection.sendNotification('initialized', {});
  const initializedAt = performance.now();

  /**
   * Resolves with the first publish for `uri` that satisfies `accept`, published at or after `since`.
   * Rejects after `timeoutMs` with what was seen, so a hang is a readable failure.
   */
  function waitForDiagnostics(uri, { since, version, timeoutMs = 30_000 }) {
    const match = () =>
      (published.get(uri) ?? []).find((p) => p.at >= since && (version === undefined || p.version === undefined || p.version >= version));
    return new Promise((resolve, reject) => {
      const found = match();
      if (found) return resolve(found);
      const listener = () => {
        const hit = match();
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = (published.get(uri) ?? []).map((p) => `v${p.version}@${Math.round(p.at - since)}ms`).join(', ');
        reject(new Error(`no diagnostics for ${uri} (version ${version}) within ${timeoutMs} ms; seen: ${seen || 'none'}; server log: ${logs.slice(-5).join(' | ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      listeners.add(listener);
    });
  }

  const versions = new Map();
  return {
    pid: child.pid,
    spawnedAt,
    initializedAt,
    capabilities: initialized.capabilities,
    logs,
    stderr,
    waitForDiagnostics,
    lastPublishAt: () => lastPublishAt,
    async open(file, text = fs.readFileSync(file, 'utf8')) {
      const uri = uriOf(file);
      versions.set(uri, 1);
      const languageId = file.endsWith('x') ? 'typescriptreact' : 'typescript';
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return { uri, version: 1 };
    },
    /** One incremental change: replace `range` by `text`. */
    async change(uri, range, text) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range, text }],
      });
      return version;
    },
    async close(uri) {
      versions.delete(uri);
      await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    rssMb: () => rssKb(child.pid) / 1024,
    /** Forces two full collections in the server (through the preloaded hook) and returns its memory usage. */
    async collectGarbage(timeoutMs = 10_000) {
      fs.rmSync(gcReport, { force: true });
      child.kill('SIGUSR2');
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        try {
          const usage = JSON.parse(fs.readFileSync(gcReport, 'utf8'));
          fs.rmSync(gcReport, { force: true });
          return { rssMb: usage.rss / 2 ** 20, heapUsedMb: usage.heapUsed / 2 ** 20, collected: usage.collected };
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      throw new Error('the server did not answer the GC signal');
    },
    /** Waits until no diagnostics were published for `quietMs` (bounded by `timeoutMs`). */
    async settle(quietMs = 500, timeoutMs = 15_000) {
      const started = performance.now();
      while (performance.now() - lastPublishAt < quietMs && performance.now() - started < timeoutMs) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async shutdown() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
        await connection.sendNotification('exit');
      } catch {
        // The server may already be gone; the kill below makes sure.
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const result = await exited;
      clearTimeout(timer);
      connection.dispose();
      fs.rmSync(gcReport, { force: true });
      return result;
    },
  };
}
