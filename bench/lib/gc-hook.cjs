// Preloaded into the language server by the memory benchmark only (`node --expose-gc --require gc-hook.cjs`):
// on SIGUSR2 it runs full collections and writes process.memoryUsage() to $BENCH_GC_REPORT. Signal handlers run
// on the event loop, so the report reflects the server between two messages, never in the middle of one.
'use strict';
const fs = require('node:fs');

const target = process.env.BENCH_GC_REPORT;
if (target) {
  process.on('SIGUSR2', () => {
    const collected = typeof global.gc === 'function';
    if (collected) {
      global.gc();
      global.gc();
    }
    const usage = { ...process.memoryUsage(), collected };
    fs.writeFileSync(`${target}.tmp`, JSON.stringify(usage));
    fs.renameSync(`${target}.tmp`, target);
  });
}
