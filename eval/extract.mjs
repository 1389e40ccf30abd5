// Writes the source and config files of one commit of a git directory into a folder: no work tree, no checkout
// hooks, nothing run. Blobs missing from a partial clone or snapshot are skipped and counted.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const [gitDir, commit, dest] = process.argv.slice(2);
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|json|prisma|yaml|yml)$/;
const SKIPPED_DIR = /(^|\/)(node_modules|\.next|dist|build|out|coverage)\//;
const MAX_BYTES = 1 << 20;

const tree = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit], { maxBuffer: 1 << 30 })
  .toString('utf8')
  .split('\0')
  .filter(Boolean)
  .map((line) => {
    const [meta, file] = line.split('\t');
    const [mode, type, sha] = meta.split(' ');
    return { mode, type, sha, file };
  })
  .filter((e) => e.type === 'blob' && e.mode !== '120000' && SOURCE.test(e.file) && !SKIPPED_DIR.test(e.file));

const batch = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0);
let index = 0;
let written = 0;
let missing = 0;
batch.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const newline = buffer.indexOf(10);
    if (newline < 0) return;
    const header = buffer.subarray(0, newline).toString();
    if (header.endsWith(' missing')) {
      missing++;
      buffer = buffer.subarray(newline + 1);
      index++;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (buffer.length < newline + 1 + size + 1) return;
    const body = buffer.subarray(newline + 1, newline + 1 + size);
    buffer = buffer.subarray(newline + 1 + size + 1);
    const { file } = tree[index++];
    if (size < MAX_BYTES) {
      const target = path.join(dest, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, body);
      written++;
    }
  }
});
batch.on('close', () => {
  if (missing) console.error(`${missing} blobs missing from ${gitDir}, skipped`);
  process.exitCode = index === tree.length ? 0 : 1;
});
for (const entry of tree) batch.stdin.write(`${entry.sha}\n`);
batch.stdin.end();
