/**
 * A small run of the benchmark suite (smallest corpus, a handful of edits, peers included), so the harness, the
 * corpus generator and the peers' invocations cannot rot. No target is asserted: the numbers of a shared test
 * machine say nothing about speed. What is asserted is that every figure is there and plausible.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const repo = path.resolve(__dirname, '..', '..');

interface Figures {
  wallMs: number;
  filesPerSecond: number;
  peakRssMb: number;
  files: number;
}
interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
interface BenchResults {
  machine: { cpus: number; node: string };
  keystroke: {
    coldOpenMs: number;
    small: { lines: number; edits: LatencySummary };
    large: { lines: number; edits: LatencySummary };
    defaultDebounce?: { edits: LatencySummary };
  };
  audit: {
    corpus: number;
    usOverFloor: number;
    eslintOverUs?: number;
    floor: Figures & { parseErrors: number };
    us: Figures & { actions: number; detection: { plantedActions: number; actionsFound: number } };
    eslint?: Figures & { fatal: number };
    reactDoctor?: Figures & { findings: number };
  }[];
  memory: {
    files: number;
    gcForced: boolean;
    baseline: { rssMb: number; heapUsedMb: number };
    afterEdit: { rssMb: number };
    afterClose: { rssMb: number };
  };
  targets: { label: string; value: number; pass: boolean }[];
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const plausibleMs = (value: number) => Number.isFinite(value) && value > 0 && value < 120_000;

describe('benchmark smoke run', () => {
  let scratch: string;
  let results: BenchResults;
  let output: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const out = path.join(scratch, 'results.json');
    // Rebuilding dist/ while other test files use it would race them; build only when it is missing.
    const built = fs.existsSync(path.join(repo, 'dist', 'server.js')) && fs.existsSync(path.join(repo, 'dist', 'cli.js'));
    const args = ['bench/run.mjs', '--smoke', '--corpus-root', path.join(scratch, 'corpus'), '--out', out];
    if (built) args.push('--no-build');
    const { code, stdout, stderr } = await run(args, 9 * 60_000);
    output = stdout;
    assert.equal(code, 0, `bench exited with ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
    results = JSON.parse(fs.readFileSync(out, 'utf8')) as BenchResults;
  });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('prints the tables and a verdict for every target it measured', () => {
    for (const heading of ['Keystroke → diagnostics', 'Workspace audit', 'Memory over a session', 'Targets']) {
      assert.ok(output.includes(heading), `missing "${heading}" in:\n${output}`);
    }
    assert.ok(results.targets.length >= 5, JSON.stringify(results.targets));
    for (const target of results.targets) {
      assert.equal(typeof target.pass, 'boolean', target.label);
      assert.ok(Number.isFinite(target.value), target.label);
      assert.ok(output.includes(target.label), `target "${target.label}" not printed`);
    }
  });

  it('measures keystrokes on both generated files through the real server', () => {
    const { keystroke } = results;
    assert.ok(plausibleMs(keystroke.coldOpenMs), `cold open ${keystroke.coldOpenMs}`);
    assert.ok(keystroke.small.lines >= 250 && keystroke.small.lines <= 400, `small file has ${keystroke.small.lines} lines`);
    assert.ok(keystroke.large.lines >= 2800 && keystroke.large.lines <= 3300, `large file has ${keystroke.large.lines} lines`);
    for (const edits of [keystroke.small.edits, keystroke.large.edits]) {
      assert.equal(edits.count, 12);
      assert.ok(plausibleMs(edits.p50) && edits.p50 <= edits.p95 && edits.p95 <= edits.max, JSON.stringify(edits));
    }
    assert.equal(keystroke.defaultDebounce?.edits.count, 3);
  });

  it('audits the corpus with the CLI, the floor and the peers over the same files', () => {
    const [audit] = results.audit;
    assert.equal(audit.corpus, 100);
    assert.ok(audit.floor.files > 500, `floor saw ${audit.floor.files} files`);
    assert.equal(audit.floor.parseErrors, 0, 'the generator must write files that parse');
    assert.equal(audit.us.files, audit.floor.files, 'the CLI and the floor must read the same files');
    assert.ok(audit.us.detection.actionsFound > 0, JSON.stringify(audit.us.detection));
    assert.ok(audit.us.actions > 0);
    for (const figures of [audit.floor, audit.us, audit.eslint, audit.reactDoctor]) {
      assert.ok(figures, 'a tool was not measured');
      assert.ok(plausibleMs(figures.wallMs) && figures.filesPerSecond > 0, JSON.stringify(figures));
      assert.ok(figures.peakRssMb > 20 && figures.peakRssMb < 8000, `peak RSS ${figures.peakRssMb}`);
    }
    assert.ok(audit.eslint!.files >= audit.floor.files * 0.9, `ESLint linted ${audit.eslint!.files} files`);
    assert.equal(audit.eslint!.fatal, 0, 'ESLint could not parse some files: the typed configuration is broken');
    assert.ok(audit.reactDoctor!.files > 0 && audit.reactDoctor!.findings > 0, JSON.stringify(audit.reactDoctor));
    assert.ok(audit.usOverFloor > 0 && (audit.eslintOverUs ?? 0) > 0);
  });

  it('follows the server memory over a session with forced collections', () => {
    const { memory } = results;
    assert.equal(memory.files, 10);
    assert.equal(memory.gcForced, true);
    for (const rss of [memory.baseline.rssMb, memory.afterEdit.rssMb, memory.afterClose.rssMb]) {
      assert.ok(rss > 20 && rss < 4000, `RSS ${rss} MB`);
    }
    assert.ok(memory.baseline.heapUsedMb > 0);
  });
});
