// The ESLint plugin against the ESLint run it joins: `eslint` with server-action-guard/eslint's recommended config
// against plain `eslint` with typescript-eslint's parser and no rules, on the same files, one after the other in the
// same run (the target: at most 1.5× the plain run). Both parse every file with typescript-eslint; the
// difference is the plugin's own analysis. No --cache: each run lints every file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { measure } from '../lib/measure.mjs';

const IGNORES = ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/*.d.ts'];

/** A flat config for the corpus at `dir`, with or without the plugin; imports by absolute URL (it lives in a temp dir). */
function configText({ dir, repo, plugin }) {
  const resolve = createRequire(path.join(repo, 'package.json')).resolve;
  const lines = [
    `import parser from ${JSON.stringify(pathToFileURL(resolve('@typescript-eslint/parser')).href)};`,
    plugin ? `import guard from ${JSON.stringify(pathToFileURL(path.join(repo, 'dist', 'eslint.js')).href)};` : '',
    `const basePath = ${JSON.stringify(dir)};`,
    'export default [',
    `  { basePath, ignores: ${JSON.stringify(IGNORES)} },`,
    "  { basePath, files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser } },",
    plugin ? '  { basePath, ...guard.configs.recommended },' : '',
    '];',
  ];
  return `${lines.filter(Boolean).join('\n')}\n`;
}

function figures(measured, files) {
  const cpuS = (measured.userS ?? 0) + (measured.systemS ?? 0) || undefined;
  return { wallMs: measured.wallMs, filesPerSecond: files / (measured.wallMs / 1000), peakRssMb: measured.maxRssMb, cpuS };
}

/**
 * @param {{ corpus: { dir: string; manifest: any }; repo: string; repeat: number; log: (line: string) => void }} options
 */
export async function runEslintPlugin({ corpus, repo, repeat, log }) {
  const { dir, manifest } = corpus;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-eslint-'));
  const eslintBin = path.join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const run = async (name, plugin) => {
    const config = path.join(scratch, `${name}.config.mjs`);
    fs.writeFileSync(config, configText({ dir, repo, plugin }));
    const out = path.join(scratch, `${name}.json`);
    const measured = await measure(process.execPath, [eslintBin, '--config', config, '--format', 'json', '.'], { cwd: dir, stdoutFile: out });
    let report;
    try {
      report = JSON.parse(fs.readFileSync(out, 'utf8'));
    } catch {
      report = undefined;
    }
    // ESLint exits 1 when a rule reports something; 2 is a crash or a configuration error.
    if (measured.exitCode === 2 || !Array.isArray(report)) {
      throw new Error(`eslint (${name}) failed (exit ${measured.exitCode}):\n${measured.stderr.trim().split('\n').slice(-6).join('\n')}`);
    }
    const messages = report.flatMap((file) => file.messages);
    return {
      measured,
      files: report.length,
      findings: messages.filter((m) => m.ruleId?.startsWith('server-action-guard/')).length,
      fatal: messages.filter((m) => m.fatal).length,
    };
  };
  try {
    // Alternating runs, the fastest of each kept: on a shared machine the minimum is the least disturbed.
    let plain;
    let plugin;
    for (let i = 0; i < repeat; i++) {
      const p = await run('plain', false);
      if (!plain || p.measured.wallMs < plain.measured.wallMs) plain = p;
      const g = await run('plugin', true);
      if (!plugin || g.measured.wallMs < plugin.measured.wallMs) plugin = g;
    }
    const result = {
      corpus: manifest.size,
      plain: { ...figures(plain.measured, plain.files), files: plain.files, fatal: plain.fatal },
      plugin: { ...figures(plugin.measured, plugin.files), files: plugin.files, fatal: plugin.fatal, findings: plugin.findings },
    };
    result.pluginOverPlain = plugin.measured.wallMs / plain.measured.wallMs;
    result.pluginOverPlainCpu = result.plain.cpuS && result.plugin.cpuS ? result.plugin.cpuS / result.plain.cpuS : undefined;
    log(`  eslint, no rules: ${plain.files} files in ${plain.measured.wallMs.toFixed(0)} ms, ${plain.measured.maxRssMb.toFixed(0)} MB`);
    log(
      `  eslint + server-action-guard: ${plugin.files} files, ${plugin.findings} findings in ${plugin.measured.wallMs.toFixed(0)} ms, ` +
        `${plugin.measured.maxRssMb.toFixed(0)} MB (${result.pluginOverPlain.toFixed(2)}× plain)`,
    );
    return result;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
