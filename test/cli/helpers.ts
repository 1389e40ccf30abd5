/**
 * Shared by the CLI tests: a fresh bundle of the CLI (built once, by whichever test file gets there first), a real
 * child process per run, throw-away project folders and the SARIF 2.1.0 schema from the package that ships it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

export const REPO = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO, 'dist', 'cli.js');
export const GOLDEN_DIR = path.join(__dirname, 'golden');
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Everything that ends up in dist/cli.js. */
const BUNDLE_INPUTS = ['server/src', 'shared', 'package.json', 'esbuild.mjs'];

/** Builds dist/ with `npm run build` unless dist/cli.js is newer than every source it bundles. */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = path.join(os.tmpdir(), `server-action-guard-build-${hash(REPO)}.lock`);
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build to release ${lock}`);
      // A lock left behind by a killed run is stale after two minutes.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (isFresh()) return;
    try {
      execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run build failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function isFresh(): boolean {
  const built = fs.statSync(CLI, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  return BUNDLE_INPUTS.every((input) => newestMtime(path.join(REPO, input)) <= built);
}

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Run as another user (root can make files unreadable only for someone else). */
  uid?: number;
  gid?: number;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Another copy of the bundle to run (the checkout may not be readable by the user in `uid`). */
  cli?: string;
}

/** Runs `node dist/cli.js …` as a real process; rejects (with what it printed) if it does not exit in time. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR;
  for (const [key, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[key];
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`cli ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Describes a run for assertion messages. */
export function describeRun(result: CliResult): string {
  return `exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

/**
 * Options to run the CLI as `nobody` when the tests run as root (root reads files whatever their mode), with a
 * copy of the bundle in a folder `nobody` can read; as any other user, the options to run it as is.
 */
export function asUnprivilegedUser(): Pick<RunOptions, 'uid' | 'gid' | 'cli'> {
  if (process.getuid?.() !== 0) return {};
  const dir = makeTempDir('cli-bundle');
  const cli = path.join(dir, 'cli.js');
  fs.copyFileSync(CLI, cli);
  fs.chmodSync(cli, 0o644);
  return { uid: 65534, gid: 65534, cli };
}

const tempDirs: string[] = [];

/** A fresh folder others may read (the unreadable-file test runs the CLI as another user). */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sag-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Content hash and mtime of every file under `dir`, to prove a run wrote nothing. */
export function snapshotTree(dir: string): Map<string, string> {
  const snapshot = new Map<string, string>();
  const visit = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) {
        const stat = fs.statSync(full);
        const digest = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
        snapshot.set(path.relative(dir, full), `${digest} ${stat.mtimeMs}`);
      }
    }
  };
  visit(dir);
  return snapshot;
}

export interface SchemaCheck {
  valid: boolean;
  errors: string;
}

let sarifValidate: ((data: unknown) => boolean) & { errors?: unknown } = undefined as never;

/** Validates against the official SARIF 2.1.0 JSON schema as shipped by @microsoft/jest-sarif. */
export function validateSarif(log: unknown): SchemaCheck {
  if (!sarifValidate) {
    const schema = JSON.parse(
      fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    ) as object;
    // The schema's `language` pattern is not valid with the `u` flag; it is valid as a plain RegExp.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidate = ajv.compile(schema);
  }
  const valid = sarifValidate(log);
  return { valid, errors: valid ? '' : JSON.stringify(sarifValidate.errors, null, 2) };
}
