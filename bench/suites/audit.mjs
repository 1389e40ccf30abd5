// Workspace audit: the CLI on a corpus against the floor (read + parse only) and the peers a user would run
// instead, one after another in the same run so the ratios compare like with like on a shared machine.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure } from '../lib/measure.mjs';

const REACT_DOCTOR_RULE = 'server-auth-actions';

/**
 * react-doctor reads its configuration from the project root. This one runs its server-action rule alone:
 * ported (external) rules off, every category off, the one rule back on; no dead-code pass.
 */
const REACT_DOCTOR_CONFIG = {
  customRulesOnly: true,
  deadCode: false,
  categories: { Security: 'off', Bugs: 'off', Performance: 'off', Accessibility: 'off', Maintainability: 'off' },
  rules: { [`react-doctor/${REACT_DOCTOR_RULE}`]: 'error' },
};

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function failure(tool, measured) {
  const tail = measured.stderr.trim().split('\n').slice(-6).join('\n');
  return new Error(`${tool} failed (exit ${measured.exitCode}${measured.signal ? `, ${measured.signal}` : ''}):\n${tail}`);
}

/** Runs `fn` `times` times and keeps the fastest run: on a shared machine the minimum is the least disturbed. */
async function fastest(times, fn) {
  let best;
  for (let i = 0; i < times; i++) {
    const run = await fn();
    if (!best || run.wallMs < best.wallMs) best = run;
  }
  return best;
}

function figures(measured, files) {
  return {
    wallMs: measured.wallMs,
    filesPerSecond: files / (measured.wallMs / 1000),
    peakRssMb: measured.maxRssMb,
    cpuS: (measured.userS ?? 0) + (measured.systemS ?? 0) || undefined,
    rssMethod: measured.rssMethod,
  };
}

function cpuRatio(a, b) {
  return a.cpuS && b.cpuS ? a.cpuS / b.cpuS : undefined;
}

/** How the CLI's report compares with what the generator planted. */
export function detection(report, manifest) {
  const checksOf = new Map(report.actions.map((a) => [`${a.file}#${a.name}`, a.checks]));
  const planted = manifest.actions.filter((a) => !manifest.keystroke || !Object.values(manifest.keystroke).some((k) => k.file === a.file));
  let found = 0;
  let secure = 0;
  let secureClean = 0;
  const byRule = {};
  const falsePositives = {};
  for (const action of planted) {
    const checks = checksOf.get(`${action.file}#${action.name}`);
    if (checks) found++;
    if (action.profile === 'secure' || action.profile === 'secure-public') {
      secure++;
      const failed = Object.entries(checks ?? {}).filter(([rule, status]) => status === 'fail' && !action.inherits?.includes(rule));
      if (checks && failed.length === 0) secureClean++;
      for (const [rule] of failed) falsePositives[rule] = (falsePositives[rule] ?? 0) + 1;
      continue;
    }
    const entry = (byRule[action.profile] ??= { planted: 0, reported: 0 });
    entry.planted++;
    if (checks?.[action.profile] === 'fail') entry.reported++;
  }
  const reportedFlaws = new Set(report.diagnostics.map((d) => `${d.file}#${d.ruleId}`));
  for (const flaw of manifest.plantedFlaws) {
    const entry = (byRule[`${flaw.rule} (${flaw.detail ?? 'file'})`] ??= { planted: 0, reported: 0 });
    entry.planted++;
    // A helper module's flaw may be reported in the module or at the actions importing it.
    const reported =
      reportedFlaws.has(`${flaw.file}#${flaw.rule}`) ||
      (flaw.importedAs && report.diagnostics.some((d) => d.ruleId === flaw.rule && d.message.includes(`'${flaw.importedAs}'`)));
    if (reported) entry.reported++;
  }
  return {
    plantedActions: planted.length,
    actionsFound: found,
    reportedActions: report.actions.length,
    secureActions: secure,
    secureWithoutFailures: secureClean,
    falsePositivesOnSecure: falsePositives,
    byRule,
  };
}

/**
 * @param {{ corpus: { dir: string; manifest: any }; cliJs: string; floorJs: string; eslintConfig: string;
 *   repo: string; repeat: number; peers: boolean; log: (line: string) => void }} options
 */
export async function runAudit({ corpus, cliJs, floorJs, eslintConfig, repo, repeat, peers, log }) {
  const { dir, manifest } = corpus;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-'));
  const result = { corpus: manifest.size, files: manifest.files.total, lines: manifest.lines.total };
  try {
    const floorOut = path.join(scratch, 'floor.json');
    const floor = await fastest(repeat, () => measure(process.execPath, [floorJs, dir], { stdoutFile: floorOut }));
    if (floor.exitCode !== 0) throw failure('floor', floor);
    const floorReport = readJson(floorOut);
    result.floor = { ...figures(floor, floorReport.files), files: floorReport.files, parseErrors: floorReport.parseErrors };
    log(`  floor: ${floorReport.files} files in ${floor.wallMs.toFixed(0)} ms, ${floor.maxRssMb.toFixed(0)} MB`);

    const usOut = path.join(scratch, 'us.json');
    const us = await fastest(repeat, () =>
      measure(process.execPath, [cliJs, 'audit', dir, '--format', 'json', '--fail-on', 'never'], { stdoutFile: usOut }),
    );
    const report = readJson(usOut);
    if (us.exitCode !== 0 || !report) throw failure('server-action-guard audit', us);
    result.us = {
      ...figures(us, report.summary.files),
      files: report.summary.files,
      actions: report.summary.actions,
      failing: report.summary.failing,
      diagnostics: report.diagnostics.length,
      reportedDurationMs: report.summary.durationMs,
      detection: detection(report, manifest),
    };
    // The same audit on one thread: what the worker threads bring, side by side.
    const oneOut = path.join(scratch, 'us-one-thread.json');
    const one = await fastest(repeat, () =>
      measure(process.execPath, [cliJs, 'audit', dir, '--format', 'json', '--fail-on', 'never', '--threads', '1'], { stdoutFile: oneOut }),
    );
    if (one.exitCode !== 0) throw failure('server-action-guard audit --threads 1', one);
    result.usOneThread = { ...figures(one, report.summary.files), files: report.summary.files };
    result.oneThreadOverFloor = one.wallMs / floor.wallMs;
    result.oneThreadOverFloorCpu = cpuRatio(result.usOneThread, result.floor);
    log(`  server-action-guard, 1 thread: ${one.wallMs.toFixed(0)} ms, ${one.maxRssMb.toFixed(0)} MB (${result.oneThreadOverFloor.toFixed(2)}× floor)`);
    result.usOverFloor = us.wallMs / floor.wallMs;
    // CPU time ratios too: on a busy machine they are steadier than wall time for single-threaded tools.
    result.usOverFloorCpu = cpuRatio(result.us, result.floor);
    log(`  server-action-guard: ${report.summary.files} files in ${us.wallMs.toFixed(0)} ms, ${us.maxRssMb.toFixed(0)} MB (${result.usOverFloor.toFixed(2)}× floor)`);

    if (!peers) return result;

    const eslintOut = path.join(scratch, 'eslint.json');
    const eslintBin = path.join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const eslint = await measure(process.execPath, [eslintBin, '--config', eslintConfig, '--format', 'json', '.'], {
      cwd: dir,
      stdoutFile: eslintOut,
    });
    const eslintReport = readJson(eslintOut);
    // ESLint exits 1 when the rule reports something; 2 is a crash or a configuration error.
    if (eslint.exitCode === 2 || !Array.isArray(eslintReport)) throw failure('eslint', eslint);
    result.eslint = {
      ...figures(eslint, eslintReport.length),
      files: eslintReport.length,
      findings: eslintReport.reduce((n, f) => n + f.errorCount + f.warningCount, 0),
      fatal: eslintReport.reduce((n, f) => n + (f.fatalErrorCount ?? 0), 0),
    };
    result.eslintOverUs = eslint.wallMs / us.wallMs;
    result.eslintOverUsCpu = cpuRatio(result.eslint, result.us);
    log(`  eslint (typed): ${eslintReport.length} files in ${eslint.wallMs.toFixed(0)} ms, ${eslint.maxRssMb.toFixed(0)} MB (${result.eslintOverUs.toFixed(1)}× us)`);

    fs.writeFileSync(path.join(dir, 'doctor.config.json'), `${JSON.stringify(REACT_DOCTOR_CONFIG, null, 2)}\n`);
    const doctorOut = path.join(scratch, 'doctor.json');
    const doctorBin = path.join(repo, 'node_modules', 'react-doctor', 'bin', 'react-doctor.js');
    const doctor = await measure(
      process.execPath,
      [doctorBin, '.', '--json', '--json-compact', '--json-out', doctorOut, '--no-telemetry', '--no-supply-chain', '--no-cache', '-y'],
      { cwd: dir },
    );
    const doctorReport = readJson(doctorOut);
    if (!doctorReport?.projects) throw failure('react-doctor', doctor);
    const analyzed = doctorReport.projects.reduce((n, p) => n + (p.analyzedFileCount ?? p.analyzedFiles?.length ?? 0), 0);
    const findings = doctorReport.projects.flatMap((p) => p.diagnostics).filter((d) => d.rule === REACT_DOCTOR_RULE);
    result.reactDoctor = {
      ...figures(doctor, analyzed),
      files: analyzed,
      rule: REACT_DOCTOR_RULE,
      findings: findings.length,
      plantedMissingAuth: manifest.actions.filter((a) => a.profile === 'require-auth').length,
    };
    result.reactDoctorOverUs = doctor.wallMs / us.wallMs;
    result.reactDoctorOverUsCpu = cpuRatio(result.reactDoctor, result.us);
    log(`  react-doctor (${REACT_DOCTOR_RULE}): ${analyzed} files in ${doctor.wallMs.toFixed(0)} ms, ${doctor.maxRssMb.toFixed(0)} MB (${result.reactDoctorOverUs.toFixed(1)}× us)`);
    return result;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
