/**
 * Scores the CLI against the labels: audits every labelled app checked out under <apps-dir> (eval/checkout.sh) and
 * prints precision and recall per check, discovery, and findings and errors per action.
 *
 * usage: node --import tsx eval/score.ts <apps-dir> [--cli dist/cli.js] [--reports <dir>] [--only id,id] [--misses] [--json <file>]
 *   --reports <dir>  keep each app's JSON report there (and reuse it with --reuse)
 *   --misses         list every false positive and false negative with its label and the findings' messages
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditReport } from '../shared/protocol';
import { labelFileProblems, markdown, scoreApp, totals, type AppScore, type LabelFile } from './scoring';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cli: { type: 'string', default: path.join(here, '..', 'dist', 'cli.js') },
    reports: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    only: { type: 'string' },
    misses: { type: 'boolean', default: false },
    json: { type: 'string' },
    labels: { type: 'string', default: path.join(here, 'labels') },
  },
});
const appsDir = positionals[0];
if (!appsDir) {
  console.error('usage: node --import tsx eval/score.ts <apps-dir> [--cli dist/cli.js] [--reports <dir>] [--reuse] [--only id,id] [--misses] [--json <file>]');
  process.exit(2);
}
const only = values.only ? new Set(values.only.split(',')) : undefined;
const labelFiles = fs
  .readdirSync(values.labels!)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(fs.readFileSync(path.join(values.labels!, name), 'utf8')) as LabelFile)
  .filter((file) => (!only || only.has(file.id)) && file.actions.length > 0);

const scores: AppScore[] = [];
for (const labels of labelFiles) {
  const problems = labelFileProblems(labels);
  if (problems.length) {
    console.error(`${labels.id}: ${problems.join('; ')}`);
    process.exit(2);
  }
  const checkout = path.join(appsDir, labels.id);
  const stamp = fs.readFileSync(path.join(checkout, '.checkout'), 'utf8').trim();
  if (stamp !== `${labels.repo}@${labels.commit}`) throw new Error(`${checkout} holds ${stamp}, not ${labels.repo}@${labels.commit}`);
  const saved = values.reports ? path.join(values.reports, `${labels.id}.json`) : undefined;
  let text: string;
  if (saved && values.reuse && fs.existsSync(saved)) text = fs.readFileSync(saved, 'utf8');
  else {
    const started = Date.now();
    text = execFileSync(process.execPath, [values.cli!, 'audit', path.join(checkout, labels.root), '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    console.error(`${labels.id}: audited in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (saved) {
      fs.mkdirSync(path.dirname(saved), { recursive: true });
      fs.writeFileSync(saved, text);
    }
  }
  scores.push(scoreApp(labels, JSON.parse(text) as AuditReport));
}

console.log(markdown(scores));
if (values.misses) {
  for (const score of scores) {
    for (const miss of score.misses) {
      console.log(`${miss.kind.toUpperCase()} ${miss.check} ${miss.app} ${miss.file}#${miss.action} — label "${miss.label}"`);
      for (const message of miss.findings) console.log(`    finding: ${message}`);
    }
    for (const missing of score.undiscovered) console.log(`UNDISCOVERED ${score.id} ${missing.file}#${missing.name}`);
  }
}
if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ totals: totals(scores), apps: scores }, null, 2)}\n`);
