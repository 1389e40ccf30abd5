#!/usr/bin/env node
// The benchmark suite. `npm run bench` runs keystroke, audit and memory; `npm run bench -- <name>` runs one.
//
//   npm run bench [-- <keystroke|audit|apps|memory|profile>...] [--sizes 100,1000,5000] [--edits 240]
//       [--memory-files 200] [--repeat N] [--full] [--no-peers] [--no-build] [--smoke] [--seed 42]
//       [--corpus-root dir] [--apps dir,dir (or BENCH_APPS)] [--out file.json]
//
// Prints a table with every figure next to its target (✓/✗) and writes the JSON to bench/results/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_ROOT, DEFAULT_SEED, ensureCorpus } from './generate.mjs';
import { runApps } from './suites/apps.mjs';
import { runAudit } from './suites/audit.mjs';
import { runEslintPlugin } from './suites/eslint.mjs';
import { runKeystroke } from './suites/keystroke.mjs';
import { runMemory } from './suites/memory.mjs';
import { runProfile } from './suites/profile.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(benchDir);
const SUITES = ['keystroke', 'audit', 'apps', 'memory', 'eslint'];
const EXTRA = ['profile'];
/** The corpus the keystroke, memory and profile runs use (the "inside the 1,000-file corpus"). */
const EDITOR_CORPUS = 1000;
/** ESLint in typed mode needs minutes and gigabytes at 5,000 action files (25,000 files): only with --full. */
const PEER_MAX_SIZE = 1000;

function parseOptions(argv) {
  const options = {
    names: [],
    sizes: [100, 1000, 5000],
    edits: 240,
    debouncedEdits: 20,
    memoryFiles: 200,
    repeat: undefined,
    full: false,
    peers: true,
    build: true,
    smoke: false,
    seed: DEFAULT_SEED,
    corpusRoot: CORPUS_ROOT,
    apps: (process.env.BENCH_APPS ?? '').split(',').filter(Boolean).map((dir) => path.resolve(dir)),
    out: undefined,
  };
  const value = (i) => {
    if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--sizes') options.sizes = value(i++).split(',').map(Number);
    else if (arg === '--edits') options.edits = Number(value(i++));
    else if (arg === '--memory-files') options.memoryFiles = Number(value(i++));
    else if (arg === '--repeat') options.repeat = Number(value(i++));
    else if (arg === '--seed') options.seed = Number(value(i++));
    else if (arg === '--corpus-root') options.corpusRoot = path.resolve(value(i++));
    else if (arg === '--out') options.out = path.resolve(value(i++));
    else if (arg === '--apps') options.apps = value(i++).split(',').filter(Boolean).map((dir) => path.resolve(dir));
    else if (arg === '--full') options.full = true;
    else if (arg === '--no-peers') options.peers = false;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--smoke') options.smoke = true;
    else if (arg === '--help' || arg === '-h') {
      const source = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8');
      process.stdout.write(`${source.split('\n').slice(1, 8).map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`);
      process.exit(0);
    }
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if ([...SUITES, ...EXTRA].includes(arg)) options.names.push(arg);
    else throw new Error(`unknown benchmark "${arg}" (expected one of ${[...SUITES, ...EXTRA].join(', ')})`);
  }
  if (options.smoke) {
    // The test suite's run: smallest corpus, a handful of edits, everything else as in the real run.
    Object.assign(options, { sizes: [100], edits: 12, debouncedEdits: 3, memoryFiles: 10, repeat: 1 });
  }
  if (options.names.length === 0) options.names = [...SUITES];
  const bad = [...options.sizes, options.edits, options.memoryFiles].some((n) => !Number.isInteger(n) || n <= 0);
  if (bad) throw new Error('--sizes, --edits and --memory-files take positive integers');
  return options;
}

function machine() {
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    commit = undefined;
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    commit,
  };
}

/** Every figure that has a target in the issue, with its verdict. */
function targets(results) {
  const rows = [];
  const add = (label, value, unit, target) => {
    if (value === undefined || Number.isNaN(value)) return;
    const pass = target.max !== undefined ? value <= target.max : value >= target.min;
    rows.push({ label, value, unit, target: target.max !== undefined ? `≤ ${target.max}` : `≥ ${target.min}`, pass });
  };
  const k = results.keystroke;
  if (k) {
    add(`keystroke p95, ${k.small.lines}-line file (${k.corpus} corpus)`, k.small.edits.p95, 'ms', { max: 30 });
    add(`keystroke p95, ${k.large.lines}-line file (${k.corpus} corpus)`, k.large.edits.p95, 'ms', { max: 120 });
    add('first diagnostics after open, cold', k.coldOpenMs, 'ms', { max: 1500 });
  }
  const audits = results.audit ?? [];
  for (const a of audits) {
    add(`audit ${a.corpus}: us / floor`, a.usOverFloor, '×', { max: 3 });
    if (a.eslintOverUs !== undefined) add(`audit ${a.corpus}: ESLint typed / us`, a.eslintOverUs, '×', { min: 5 });
  }
  // Both cores: wall time under the one-thread parse floor, CPU time close to it.
  for (const a of audits) {
    add(`audit ${a.corpus}: wall / floor`, a.usOverFloor, '×', { max: 0.8 });
    add(`audit ${a.corpus}: CPU / floor`, a.usOverFloorCpu, '×', { max: 1.2 });
  }
  for (const app of results.apps?.measured ?? []) {
    if (app.skipped) continue;
    add(`app ${app.id}: wall / floor`, app.wallOverFloor, '×', { max: 0.8 });
    add(`app ${app.id}: CPU / floor`, app.cpuOverFloor, '×', { max: 1.2 });
    add(`app ${app.id}: peak RSS`, app.us.peakRssMb, 'MB', { max: 300 });
    if (app.keystroke) add(`app ${app.id}: keystroke p95, ${app.keystroke.lines}-line action file`, app.keystroke.edits.p95, 'ms', { max: app.keystroke.lines <= 300 ? 30 : 120 });
  }
  const at = (size) => audits.find((a) => a.corpus === size);
  if (at(5000)) add('audit 5000: peak RSS, workers included', at(5000).us.peakRssMb, 'MB', { max: 400 });
  if (at(5000)) add('audit 5000: peak RSS', at(5000).us.peakRssMb, 'MB', { max: 300 });
  if (at(1000) && at(5000)) add('audit time 5000 / 1000 (linear ≈ 5)', at(5000).us.wallMs / at(1000).us.wallMs, '×', { max: 6 });
  if (results.eslint) add(`eslint ${results.eslint.corpus}: with server-action-guard / plain`, results.eslint.pluginOverPlain, '×', { max: 1.5 });
  return rows;
}

const fmt = (n, digits = 0) => (n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function printTable(results, rows) {
  const m = results.machine;
  const lines = [
    `Machine: ${m.cpus} × ${m.cpuModel ?? 'cpu'}, ${m.memoryGb} GB, node ${m.node}, commit ${m.commit ?? '?'}; ` +
      `load average ${m.loadAverage[0]} at start, ${m.loadAverageAtEnd?.[0] ?? '?'} at end`,
    '',
  ];
  const table = (header, body) => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
    lines.push(line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line), '');
  };
  if (results.keystroke) {
    const k = results.keystroke;
    const row = (name, s, file) => [
      name,
      s.count,
      fmt(s.p50, 1),
      fmt(s.p95, 1),
      fmt(s.p99, 1),
      fmt(s.max, 1),
      file ? `${file.diagnostics} / ${fmt(file.publishKb)} KB` : '',
    ];
    const body = [row(`${k.small.lines}-line file`, k.small.edits, k.small), row(`${k.large.lines}-line file`, k.large.edits, k.large)];
    if (k.defaultDebounce) body.push(row(`${k.small.lines}-line, default debounce`, k.defaultDebounce.edits));
    lines.push(`Keystroke → diagnostics (ms), ${k.corpus}-action-file corpus, server debounce 0 ms; cold open ${fmt(k.coldOpenMs)} ms (${fmt(k.coldFromSpawnMs)} ms from spawn)`);
    table(['file', 'edits', 'p50', 'p95', 'p99', 'max', 'diagnostics / publish size'], body);
  }
  if (results.audit?.length) {
    const body = [];
    for (const a of results.audit) {
      const tool = (name, t, ratio) =>
        t && body.push([`${a.corpus}: ${name}`, fmt(t.files), fmt(t.wallMs), fmt(t.filesPerSecond), fmt(t.peakRssMb), fmt(t.cpuS, 1), ratio]);
      const ratio = (wall, cpu, of) => (wall ? `${fmt(wall, 2)}× ${of} (CPU ${fmt(cpu, 2)}×)` : '');
      tool('floor (read+parse)', a.floor, '');
      tool('server-action-guard', a.us, ratio(a.usOverFloor, a.usOverFloorCpu, 'floor'));
      tool('server-action-guard, 1 thread', a.usOneThread, ratio(a.oneThreadOverFloor, a.oneThreadOverFloorCpu, 'floor'));
      tool('ESLint typed', a.eslint, ratio(a.eslintOverUs, a.eslintOverUsCpu, 'us'));
      tool('react-doctor', a.reactDoctor, ratio(a.reactDoctorOverUs, a.reactDoctorOverUsCpu, 'us'));
    }
    lines.push('Workspace audit (wall ms, files/s, peak RSS MB, CPU s = user + system); ratios of wall time, then of CPU time');
    table(['corpus: tool', 'files', 'wall', 'files/s', 'RSS', 'CPU', 'ratio'], body);
    lines.push('Detection by the CLI against the planted manifest (reported / planted)');
    for (const a of results.audit) {
      const d = a.us.detection;
      const rules = Object.entries(d.byRule).map(([rule, n]) => `${rule} ${n.reported}/${n.planted}`);
      const peers = a.reactDoctor ? `; react-doctor ${a.reactDoctor.rule}: ${a.reactDoctor.findings} findings for ${a.reactDoctor.plantedMissingAuth} planted require-auth` : '';
      lines.push(
        `  ${a.corpus}: actions found ${d.actionsFound}/${d.plantedActions}, secure actions without a failed check ${d.secureWithoutFailures}/${d.secureActions}${peers}`,
        `       ${rules.join(' · ')}`,
      );
    }
    lines.push('');
  }
  if (results.apps) {
    if (results.apps.skipped) lines.push(`Real apps: skipped (${results.apps.skipped})`, '');
    const body = [];
    for (const app of results.apps.measured ?? []) {
      if (app.skipped) {
        body.push([`${app.id}: skipped (${app.skipped})`, '', '', '', '', '']);
        continue;
      }
      const row = (name, t, wall, cpu) => body.push([`${app.id}: ${name}`, fmt(t.files), fmt(t.wallMs), fmt(t.peakRssMb), fmt(t.cpuS, 1), wall ? `${fmt(wall, 2)}× floor (CPU ${fmt(cpu, 2)}×)` : '']);
      row('floor (read+parse)', app.floor);
      row('server-action-guard', app.us, app.wallOverFloor, app.cpuOverFloor);
      row('server-action-guard, 1 thread', app.usOneThread, app.oneThreadWallOverFloor, app.oneThreadCpuOverFloor);
    }
    if (body.length) {
      lines.push('Real apps: workspace audit (wall ms, peak RSS MB of the whole process, CPU s); ratios of wall time, then of CPU time');
      table(['app: tool', 'files', 'wall', 'RSS', 'CPU', 'ratio'], body);
      const keys = (results.apps.measured ?? []).filter((app) => app.keystroke);
      if (keys.length) {
        lines.push('Real apps: keystroke → diagnostics (ms) in the largest \'use server\' file, server debounce 0 ms');
        table(
          ['app: file', 'lines', 'edits', 'p50', 'p95', 'max'],
          keys.map((app) => [`${app.id}: ${app.keystroke.file}`, fmt(app.keystroke.lines), app.keystroke.edits.count, fmt(app.keystroke.edits.p50, 1), fmt(app.keystroke.edits.p95, 1), fmt(app.keystroke.edits.max, 1)]),
        );
      }
    }
  }
  if (results.eslint) {
    const e = results.eslint;
    lines.push(
      `ESLint on the ${e.corpus} corpus (${fmt(e.plain.files)} files, typescript-eslint's parser): no rules ${fmt(e.plain.wallMs)} ms, ` +
        `with server-action-guard ${fmt(e.plugin.wallMs)} ms, ${fmt(e.pluginOverPlain, 2)}× (CPU ${fmt(e.pluginOverPlainCpu, 2)}×), ${fmt(e.plugin.findings)} findings`,
      '',
    );
  }
  if (results.memory) {
    const m = results.memory;
    lines.push(`Memory over a session (${m.files} action files of the ${m.corpus} corpus; RSS after forced GC)`);
    table(
      ['point', 'RSS MB', 'heap MB'],
      [
        ['after initialize', fmt(m.baseline.rssMb), fmt(m.baseline.heapUsedMb)],
        [`after opening + editing ${m.files}`, fmt(m.afterEdit.rssMb), fmt(m.afterEdit.heapUsedMb)],
        ['after closing them', fmt(m.afterClose.rssMb), fmt(m.afterClose.heapUsedMb)],
        ['peak during the session (sampled)', fmt(m.peakRssMb), ''],
      ],
    );
  }
  if (rows.length) {
    lines.push('Targets');
    table(
      ['figure', 'value', 'target', ''],
      rows.map((r) => [r.label, `${fmt(r.value, r.unit === '×' ? 2 : 1)} ${r.unit}`, `${r.target} ${r.unit}`, r.pass ? '✓' : '✗']),
    );
  }
  process.stdout.write(`\n${lines.join('\n')}`);
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  const log = (line) => process.stderr.write(`${line}\n`);
  const serverJs = path.join(repo, 'dist', 'server.js');
  const cliJs = path.join(repo, 'dist', 'cli.js');
  if (options.build || !fs.existsSync(serverJs) || !fs.existsSync(cliJs)) {
    log('building dist/ (npm run build)');
    execFileSync(process.execPath, [path.join(repo, 'esbuild.mjs')], { cwd: repo, stdio: 'inherit' });
  }
  const corpus = (size) => ensureCorpus({ size, seed: options.seed, root: options.corpusRoot, log });
  const editorCorpusSize = options.smoke ? options.sizes[0] : EDITOR_CORPUS;
  const startedAt = new Date();
  const results = { startedAt: startedAt.toISOString(), machine: machine(), options: { ...options, corpusRoot: undefined } };

  for (const name of options.names) {
    log(`\n▶ ${name}`);
    if (name === 'keystroke') {
      results.keystroke = await runKeystroke({
        corpus: corpus(editorCorpusSize),
        serverJs,
        edits: options.edits,
        debouncedEdits: options.debouncedEdits,
        log,
      });
    } else if (name === 'audit') {
      results.audit = [];
      for (const size of [...options.sizes].sort((a, b) => a - b)) {
        log(` corpus ${size}`);
        results.audit.push(
          await runAudit({
            corpus: corpus(size),
            cliJs,
            floorJs: path.join(benchDir, 'floor.mjs'),
            eslintConfig: path.join(benchDir, 'peers', 'eslint.config.mjs'),
            repo,
            repeat: options.repeat ?? (size <= 1000 ? 2 : 1),
            peers: options.peers && (options.full || size <= PEER_MAX_SIZE),
            log,
          }),
        );
      }
    } else if (name === 'apps') {
      if (options.apps.length === 0) {
        log('  skipped: no apps named (--apps dir,dir or BENCH_APPS)');
        results.apps = { skipped: 'no apps named: --apps dir,dir or BENCH_APPS' };
      } else {
        results.apps = {
          measured: await runApps({
            apps: options.apps,
            cliJs,
            floorJs: path.join(benchDir, 'floor.mjs'),
            serverJs,
            edits: options.edits,
            repeat: options.repeat ?? 1,
            log,
          }),
        };
      }
    } else if (name === 'eslint') {
      results.eslint = await runEslintPlugin({ corpus: corpus(editorCorpusSize), repo, repeat: options.repeat ?? 2, log });
    } else if (name === 'memory') {
      results.memory = await runMemory({ corpus: corpus(editorCorpusSize), serverJs, files: options.memoryFiles, log });
    } else if (name === 'profile') {
      results.profile = await runProfile({
        corpus: corpus(editorCorpusSize),
        cliJs,
        serverJs,
        edits: Math.min(options.edits, 100),
        outDir: path.join(benchDir, 'results'),
        log,
      });
    }
  }
  results.durationS = (Date.now() - startedAt.getTime()) / 1000;
  results.machine.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
  results.targets = targets(results);
  printTable(results, results.targets);
  if (results.profile) process.stdout.write(`${results.profile.summary}\n`);

  const out = options.out ?? path.join(benchDir, 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  if (!options.out) fs.copyFileSync(out, path.join(path.dirname(out), 'latest.json'));
  log(`results: ${path.relative(process.cwd(), out)} (${results.durationS.toFixed(0)} s)`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
