import type { RemoteConsole } from 'vscode-languageserver/node';

/**
 * Logging to the client's output channel (`window/logMessage`). The stdio transport owns stdout, so nothing in the
 * server may write there; the `…Once` methods log each distinct cause once, however many files or keystrokes hit it.
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
    if (this.firstTime(key)) this.console.warn(message);
  }

  /** Logs an error the first time `key` is seen: an analysis that fails on every keystroke fails for one cause. */
  errorOnce(key: string, message: string, error?: unknown): void {
    if (this.firstTime(key)) this.error(message, error);
  }

  private firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    // Bounded: a long session with many distinct problems must not grow without limit.
    if (this.seen.size > 5000) this.seen.clear();
    this.seen.add(key);
    return true;
  }
}

/** What identifies an error's cause in a `…Once` key: its class and message, not where the stack passed through. */
export function errorKey(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'unprintable error';
  }
}
