// Keystroke → diagnostics through the real bundled server over stdio. One edit at a time: send a didChange,
// wait for the diagnostics published for that version, record the round trip. The typed text is a statement
// typed character by character and then deleted with backspace, so most states in between are broken code,
// as they are while someone types.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer } from '../lib/lsp.mjs';
import { summarize } from '../lib/measure.mjs';

const TYPED = "\n  const note = String(formData.get('note') ?? '');";

/** Where the end of `prefix` lands when it is inserted at `start`. */
function endOf(start, prefix) {
  const lines = prefix.split('\n');
  if (lines.length === 1) return { line: start.line, character: start.character + prefix.length };
  return { line: start.line + lines.length - 1, character: lines[lines.length - 1].length };
}

/** `count` single-character edits at `start`: type TYPED, erase it, repeat. */
export function keystrokeEdits(start, count) {
  const edits = [];
  let typed = 0;
  let typing = true;
  while (edits.length < count) {
    if (typing) {
      const at = endOf(start, TYPED.slice(0, typed));
      edits.push({ range: { start: at, end: at }, text: TYPED[typed] });
      typed++;
      if (typed === TYPED.length) typing = false;
    } else {
      const from = endOf(start, TYPED.slice(0, typed - 1));
      const to = endOf(start, TYPED.slice(0, typed));
      edits.push({ range: { start: from, end: to }, text: '' });
      typed--;
      if (typed === 0) typing = true;
    }
  }
  return edits;
}

/** `anchorLine` holds the corpus's `bench:keystroke` marker, unless `marked` is false (a real app's file). */
export async function editFile(server, file, anchorLine, edits, log, { marked = true } = {}) {
  const text = fs.readFileSync(file, 'utf8');
  const anchorText = text.split('\n')[anchorLine];
  if (anchorText === undefined || (marked && !anchorText.includes('bench:keystroke'))) throw new Error(`no keystroke anchor on line ${anchorLine + 1} of ${file}`);
  const openedAt = performance.now();
  const { uri } = await server.open(file, text);
  const first = await server.waitForDiagnostics(uri, { since: openedAt, version: 1, timeoutMs: 120_000 });
  const openMs = first.at - openedAt;
  const samples = [];
  let last = first;
  for (const edit of keystrokeEdits({ line: anchorLine, character: anchorText.length }, edits)) {
    const sentAt = performance.now();
    const version = await server.change(uri, edit.range, edit.text);
    last = await server.waitForDiagnostics(uri, { since: sentAt, version });
    samples.push(last.at - sentAt);
  }
  await server.close(uri);
  log(`  ${path.basename(path.dirname(file))}: open ${openMs.toFixed(0)} ms, ${edits} edits p50 ${summarize(samples).p50.toFixed(1)} ms`);
  return {
    lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
    openMs,
    diagnostics: last.diagnostics.length,
    // Every publish carries the fix edits in diagnostic.data: its size is part of each keystroke's cost.
    publishKb: JSON.stringify(last.diagnostics).length / 1024,
    edits: summarize(samples),
  };
}

/**
 * @param {{ corpus: { dir: string; manifest: any }; serverJs: string; edits: number; debouncedEdits: number;
 *   log: (line: string) => void }} options
 */
export async function runKeystroke({ corpus, serverJs, edits, debouncedEdits, log }) {
  const { dir, manifest } = corpus;
  const small = manifest.keystroke.small;
  const large = manifest.keystroke.large;
  const result = { corpus: manifest.size, debounceMs: 0 };

  // A fresh server per measurement pass: the first open is cold (no project, tsconfig or helpers cached yet).
  const server = await startServer({ serverJs, root: dir, debounceMs: 0 });
  try {
    result.startupMs = server.initializedAt - server.spawnedAt;
    result.small = await editFile(server, path.join(dir, small.file), small.anchorLine, edits, log);
    result.large = await editFile(server, path.join(dir, large.file), large.anchorLine, edits, log);
    result.coldOpenMs = result.small.openMs;
    result.coldFromSpawnMs = result.startupMs + result.small.openMs;
    result.rssMb = server.rssMb();
  } finally {
    await server.shutdown();
  }

  // What a user of the default settings sees: the server waits for a pause in typing (its debounce) first.
  if (debouncedEdits > 0) {
    const debounced = await startServer({ serverJs, root: dir });
    try {
      const measured = await editFile(debounced, path.join(dir, small.file), small.anchorLine, debouncedEdits, log);
      result.defaultDebounce = { edits: measured.edits };
    } finally {
      await debounced.shutdown();
    }
  }
  return result;
}
