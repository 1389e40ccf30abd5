import type { CallKnowledge, LibraryDescriptor } from '../types';

const write: CallKnowledge = { effect: 'fs-write' };
const spawn: CallKnowledge = { effect: 'process' };

/** Node's file system and child processes, and MCP clients that start a server process. */
export const nodeSystem: LibraryDescriptor = {
  id: 'node-system',
  name: 'Node.js fs and child_process, MCP stdio servers',
  category: 'sdk',
  packages: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', '@modelcontextprotocol/sdk/*', 'fs-extra'],
  exports: {
    writeFile: write,
    writeFileSync: write,
    appendFile: write,
    appendFileSync: write,
    unlink: write,
    unlinkSync: write,
    rm: write,
    rmSync: write,
    rmdir: write,
    rmdirSync: write,
    mkdir: write,
    mkdirSync: write,
    rename: write,
    renameSync: write,
    copyFile: write,
    copyFileSync: write,
    cp: write,
    cpSync: write,
    createWriteStream: write,
    outputFile: write,
    outputJson: write,
    writeJson: write,
    remove: write,
    exec: spawn,
    execSync: spawn,
    execFile: spawn,
    execFileSync: spawn,
    spawn,
    spawnSync: spawn,
    fork: spawn,
    StdioClientTransport: spawn,
  },
  examples: [
    { code: `import { writeFile } from 'node:fs/promises';\nexport async function a(p: string, t: string) { await writeFile(p, t); // <-\n}`, expect: 'fs-write' },
    { code: `import * as fs from 'fs';\nexport async function a(p: string) { fs.rmSync(p); // <-\n}`, expect: 'fs-write' },
    { code: `import { exec } from 'child_process';\nexport async function a(c: string) { exec(c); // <-\n}`, expect: 'process' },
  ],
};
