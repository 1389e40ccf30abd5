/**
 * Milestones of the server's start (ms since the process started), from loading the bundle to the first published
 * diagnostics, summarised in one line of the output channel: where a cold start spends its time.
 */
export class StartupProfile {
  private readonly marks: { name: string; at: number }[] = [];
  private finished = false;

  /** Records the first occurrence of `name`. */
  mark(name: string): void {
    if (this.finished || this.marks.some((mark) => mark.name === name)) return;
    this.marks.push({ name, at: Math.round(performance.now()) });
  }

  /** Records the last milestone and returns the summary, once; undefined after. */
  finish(name: string): string | undefined {
    if (this.finished) return undefined;
    this.mark(name);
    this.finished = true;
    const started = new Date(performance.timeOrigin).toISOString();
    return `Startup (ms since the server process started at ${started}): ${this.marks.map((mark) => `${mark.name} ${mark.at}`).join(', ')}`;
  }
}
