import type { RemoteConsole } from 'vscode-languageserver/node';

/**
 * Logging to the client's output channel (`window/logMessage`). The stdio transport owns stdout, so nothing in the
 * server may write there; `once` keeps per-keystroke analyses from repeating the same problem.
 */
export class Logger {
  private readonly seen = new Set<string>();

  constructor(private readonly console: RemoteConsole) {}

  info(message: string): void {
    this.console.info(message);
  }

  warn(message: string): void {
    this.console.warn(message);
  }

  error(message: string, error?: unknown): void {
    this.console.error(error === undefined ? message : `${message}: ${describeError(error)}`);
  }

  /** Logs a warning the first time `key` is seen. */
  warnOnce(key: string, message: string): void {
    if (this.seen.has(key)) return;
    // Bounded: a long session with many distinct problems must not grow without limit.
    if (this.seen.size > 5000) this.seen.clear();
    this.seen.add(key);
    this.console.warn(message);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
