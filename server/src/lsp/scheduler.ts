import type { CancellationToken } from '../engine';

/** A cancellation flag the engine polls; flipped when a newer version of the same document supersedes the work. */
export class AnalysisToken implements CancellationToken {
  private cancelled = false;
  get isCancellationRequested(): boolean {
    return this.cancelled;
  }
  cancel(): void {
    this.cancelled = true;
  }
}

export type AnalysisJob = (key: string, token: CancellationToken) => Promise<void>;

/** Open documents go first; background work (dependents, audited files) after. */
export type Priority = 'high' | 'low';

interface Slot {
  timer?: NodeJS.Timeout;
  ready?: Priority;
  running?: { token: AnalysisToken; done: Promise<void> };
  waiters: (() => void)[];
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Debounced analysis per key (a document URI). A key has at most one pending timer, one place in the ready queue
 * and one running job: a newer request resets the timer and cancels the running job, so superseded analyses are
 * dropped, never queued. Jobs run one at a time, yielding to the event loop in between, so incoming edits and
 * cancellations are seen while a large batch (a settings change over an audited workspace) is worked off.
 */
export class AnalysisScheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly ready: Record<Priority, Set<string>> = { high: new Set(), low: new Set() };
  private pumping = false;
  private disposed = false;

  constructor(
    private readonly job: AnalysisJob,
    private readonly delayMs: number,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  schedule(key: string, delayMs = this.delayMs, priority: Priority = 'high'): void {
    if (this.disposed) return;
    const slot = this.slot(key);
    slot.running?.token.cancel();
    if (slot.timer) clearTimeout(slot.timer);
    this.unready(key, slot);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      slot.ready = priority;
      this.ready[priority].add(key);
      void this.pump();
    }, delayMs);
  }

  isPending(key: string): boolean {
    return this.slots.has(key);
  }

  /** Runs a pending analysis now (or waits for the running one), so a request sees the current text. */
  async flush(key: string): Promise<void> {
    let slot = this.slots.get(key);
    if (!slot) return;
    const pending = slot.timer !== undefined || slot.ready !== undefined || !!slot.running?.token.isCancellationRequested;
    this.clearPending(key, slot);
    if (slot.running) await slot.running.done;
    if (!pending) return;
    slot = this.slot(key);
    this.clearPending(key, slot);
    if (!slot.running) this.start(key, slot);
    await slot.running?.done;
  }

  cancel(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    if (slot.timer) clearTimeout(slot.timer);
    this.unready(key, slot);
    slot.running?.token.cancel();
    this.release(key, slot);
  }

  /** Resolves when nothing is pending, queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.slots.size > 0) {
      const slot = this.slots.values().next().value as Slot;
      await new Promise<void>((resolve) => slot.waiters.push(resolve));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const key of [...this.slots.keys()]) this.cancel(key);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const priority: Priority | undefined = this.ready.high.size > 0 ? 'high' : this.ready.low.size > 0 ? 'low' : undefined;
        if (!priority || this.disposed) return;
        const key = this.ready[priority].values().next().value as string;
        this.ready[priority].delete(key);
        const slot = this.slots.get(key);
        if (!slot) continue;
        slot.ready = undefined;
        this.start(key, slot);
        await slot.running?.done;
        await yieldToEventLoop();
      }
    } finally {
      this.pumping = false;
    }
  }

  private slot(key: string): Slot {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { waiters: [] };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private clearPending(key: string, slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    this.unready(key, slot);
  }

  private unready(key: string, slot: Slot): void {
    if (slot.ready) this.ready[slot.ready].delete(key);
    slot.ready = undefined;
  }

  private start(key: string, slot: Slot): void {
    const token = new AnalysisToken();
    const done = Promise.resolve()
      .then(() => this.job(key, token))
      .catch((error: unknown) => this.onError(key, error))
      .finally(() => {
        if (slot.running?.token === token) slot.running = undefined;
        if (!slot.timer && !slot.ready && !slot.running) this.release(key, slot);
      });
    slot.running = { token, done };
  }

  private release(key: string, slot: Slot): void {
    if (this.slots.get(key) === slot) this.slots.delete(key);
    for (const resolve of slot.waiters.splice(0)) resolve();
  }
}
