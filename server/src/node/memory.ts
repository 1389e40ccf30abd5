import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | undefined;
/** Heap in use right after the last collection: what is alive, which another collection would not return. */
let liveBytes = 0;

/**
 * A batch run over thousands of files makes garbage faster than V8 chooses to collect it, so its resident memory
 * grows with the workspace although little stays alive. Once the heap has grown `headroomBytes` past what the last
 * collection kept, this runs a full collection. (Resident memory is no guide: V8 keeps pages after collecting.)
 */
export function relieveMemory(headroomBytes: number): void {
  if (v8.getHeapStatistics().used_heap_size < liveBytes + headroomBytes) return;
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  liveBytes = v8.getHeapStatistics().used_heap_size;
}
