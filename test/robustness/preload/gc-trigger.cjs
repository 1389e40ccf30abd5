/**
 * Preloaded into the language server by the soak test, which cannot change the server: SIGUSR2 runs a full garbage
 * collection and then prints `gc-done <rss> <heapUsed> <heapTotal> <external> <arrayBuffers>` (bytes) on stderr (never stdout, which is the LSP
 * channel). The gc function comes from V8 at runtime, so the server needs no --expose-gc flag.
 */
'use strict';
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  gc();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`gc-done ${rss} ${heapUsed} ${heapTotal} ${external} ${arrayBuffers}\n`);
  if (process.env.SAG_GC_VERBOSE) {
    const spaces = v8.getHeapSpaceStatistics().map((s) => `${s.space_name}=${(s.space_used_size / 1048576).toFixed(1)}/${(s.space_size / 1048576).toFixed(1)}`);
    process.stderr.write(`gc-spaces ${spaces.join(' ')}\n`);
  }
});
