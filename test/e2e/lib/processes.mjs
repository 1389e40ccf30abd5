// Child processes of the real-editor tests: each server runs in its own process group so that stopping it also stops
// the extension hosts, pty hosts and file watchers it forked. Every group still alive when the driver exits (normally,
// on an error or on Ctrl+C) is killed, so a failed run leaves nothing listening.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const liveGroups = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n[e2e] ${signal}: stopping ${liveGroups.size} server(s)`);
    process.exit(130);
  });
}

/** Starts `command` in a new process group with stdout and stderr appended to `logFile`. */
export function startServer(command, args, { env, logFile, cwd }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  liveGroups.add(child.pid);
  let exit;
  child.on('exit', (code, signal) => (exit = { code, signal }));
  return {
    pid: child.pid,
    logFile,
    /** How the group leader ended, or undefined while it runs. */
    exitStatus: () => exit,
    stop: () => stopGroup(child.pid),
  };
}

/** SIGTERM, then SIGKILL if the group is still there after a grace period. */
export async function stopGroup(pid, graceMs = 5000) {
  if (!liveGroups.has(pid)) return;
  killGroup(pid, 'SIGTERM');
  const gone = await poll(`process group ${pid} to exit`, () => !killGroup(pid, 0), {
    timeoutMs: graceMs,
    quiet: true,
  }).catch(() => false);
  if (!gone) killGroup(pid, 'SIGKILL');
  liveGroups.delete(pid);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Calls `check` until it returns a truthy value and returns that value. `check` may return `{ done, seen }` to report
 * what it observed; on timeout the error names what was awaited and the last thing seen (or the last exception).
 * Exceptions are retried (the thing may not exist yet) unless made with `fatal()`.
 */
export async function poll(what, check, { timeoutMs = 30000, intervalMs = 100, quiet = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    try {
      const result = await check();
      if (result && typeof result === 'object' && 'done' in result) {
        if (result.done) return result.value ?? result.seen ?? true;
        seen = result.seen;
      } else if (result) {
        return result;
      } else {
        seen = result;
      }
    } catch (error) {
      if (error?.fatal) throw error;
      seen = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) {
      const message = `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${describe(seen)}`;
      if (!quiet) console.log(`[e2e] ${message}`);
      throw new Error(message);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** An error that stops `poll` at once instead of being retried. */
export function fatal(message) {
  return Object.assign(new Error(message), { fatal: true });
}

function describe(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}

/** Waits until `url` answers with a non-error status, failing early if the server process died. */
export function waitForHttp(url, server, timeoutMs = 60000) {
  return poll(
    `${url} to answer`,
    async () => {
      const exit = server?.exitStatus();
      if (exit) throw fatal(`server exited (${JSON.stringify(exit)}) before answering; see ${server.logFile}`);
      const response = await fetch(url, { redirect: 'manual' });
      return { done: response.status < 500, seen: `HTTP ${response.status}` };
    },
    { timeoutMs, intervalMs: 200 },
  );
}
