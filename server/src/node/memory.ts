import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | undefined;
/** Resident memory right after the last collection: what V8 kept, which another collection would not return. */
let floorBytes = 0;

/**
 * A batch run over thousands of files makes garbage faster than V8 chooses to collect it, so its resident memory
 * grows with the workspace although little stays alive. Above `limitBytes`, this runs a full collection.
 */
export function relieveMemory(limitBytes: number): void {
  const rss = process.memoryUsage.rss();
  // Collect only when there is new garbage to reclaim: above the limit and well above what the last collection kept.
  if (rss < limitBytes || rss < floorBytes + limitBytes / 8) return;
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  floorBytes = process.memoryUsage.rss();
}
