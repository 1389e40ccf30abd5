// Memory over an editing session: the server's RSS after opening and editing N action files, and after closing
// them. Collections are forced through the preloaded GC hook so "after close" measures retained memory, not
// garbage the collector has not got to yet.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer } from '../lib/lsp.mjs';

/**
 * @param {{ corpus: { dir: string; manifest: any }; serverJs: string; files: number; log: (line: string) => void }} options
 */
export async function runMemory({ corpus, serverJs, files: fileCount, log }) {
  const { dir, manifest } = corpus;
  const files = [...new Set(manifest.actions.map((a) => a.file))].slice(0, fileCount).map((f) => path.join(dir, f));
  const server = await startServer({ serverJs, root: dir, debounceMs: 0 });
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, server.rssMb())), 25);
  try {
    const baseline = await server.collectGarbage();
    const openStarted = performance.now();
    const opened = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const sentAt = performance.now();
      const { uri } = await server.open(file, text);
      await server.waitForDiagnostics(uri, { since: sentAt, version: 1, timeoutMs: 60_000 });
      opened.push({ uri, lines: text.split('\n').length });
    }
    const openMs = performance.now() - openStarted;
    // One edit per file (a blank line at the end), each waited for, as if the user touched every file once.
    for (const { uri, lines } of opened) {
      const sentAt = performance.now();
      const end = { line: lines - 1, character: 0 };
      const version = await server.change(uri, { start: end, end }, '\n');
      await server.waitForDiagnostics(uri, { since: sentAt, version });
    }
    const afterEditRaw = server.rssMb();
    const afterEdit = await server.collectGarbage();
    for (const { uri } of opened) await server.close(uri);
    await server.settle(500);
    const afterCloseRaw = server.rssMb();
    const afterClose = await server.collectGarbage();
    clearInterval(sampler);
    log(
      `  ${files.length} files: baseline ${baseline.rssMb.toFixed(0)} MB, after edits ${afterEdit.rssMb.toFixed(0)} MB, ` +
        `after close ${afterClose.rssMb.toFixed(0)} MB (peak ${peakMb.toFixed(0)} MB)`,
    );
    return {
      corpus: manifest.size,
      files: files.length,
      gcForced: afterClose.collected,
      openAllMs: openMs,
      baseline,
      afterEdit: { ...afterEdit, rssBeforeGcMb: afterEditRaw },
      afterClose: { ...afterClose, rssBeforeGcMb: afterCloseRaw },
      peakRssMb: peakMb,
      retainedAfterCloseMb: afterClose.rssMb - baseline.rssMb,
    };
  } finally {
    clearInterval(sampler);
    await server.shutdown();
  }
}
