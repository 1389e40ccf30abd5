#!/usr/bin/env node
// The floor of a workspace audit: walk the same files the CLI audits, read each and parse it with
// `ts.createSourceFile` (parent pointers on, as the engine parses), in one process, and do nothing else.
// No tool that looks at every file's syntax can be faster than this, so the CLI's time is reported against it.
//
//   node bench/floor.mjs <root>   → prints {"files","bytes","lines","parseErrors","durationMs"} on stdout
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

// The CLI's walk skips these folders (server/src/node/walk.ts) and analyses the same extensions.
const SKIPPED = new Set(['node_modules', '.next', 'dist', 'build', 'out', 'coverage', '.git', '.turbo', '.vercel']);
const ANALYZABLE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;

function scriptKind(file) {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) yield* walk(full);
    } else if (entry.isFile() && ANALYZABLE.test(entry.name) && !DECLARATION.test(entry.name)) {
      yield full;
    }
  }
}

const root = path.resolve(process.argv[2] ?? '.');
const started = performance.now();
let files = 0;
let bytes = 0;
let lines = 0;
let parseErrors = 0;
for (const file of walk(root)) {
  const text = fs.readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  files++;
  bytes += text.length;
  lines += sourceFile.getLineStarts().length;
  // parseDiagnostics is internal but stable; the count proves the corpus is well-formed (it should be 0).
  parseErrors += sourceFile.parseDiagnostics.length;
}
process.stdout.write(`${JSON.stringify({ files, bytes, lines, parseErrors, durationMs: performance.now() - started })}\n`);
