/**
 * Soak test of the real bundled language server over stdio: 10,000 random insertions and deletions in action and
 * helper files, interleaved with opens, closes and configuration changes, sent as fast as the server reads them
 * (each notification is awaited until written to its stdin), with no debounce so that every edit competes with the
 * analysis of the previous one. Then the server must still be up, publish diagnostics for the final version of every
 * open document that match a fresh in-process analysis of the same texts, have cleared closed documents, answer
 * checklist requests with the same actions, and its RSS after a full GC must be within 20% of the value after
 * warm-up. The server has no GC trigger of its own; a preload (preload/gc-trigger.cjs) collects on SIGUSR2 and prints
 * the RSS on stderr, cross-checked with VmRSS from /proc/<pid>/status.
 *
 * Superseded analyses must be dropped, not queued: the number of analyses the server completed (publishes for
 * open documents) is measured against the edits sent, and the time from the last edit until every final version is
 * published must stay short — a queue of thousands of stale analyses would take many seconds to drain.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Project } from '../../server/src/engine';
import type { FileChecklist } from '../../shared/protocol';
import { resolveSettings } from '../../shared/settings';
import { ensureBuilt } from '../cli/helpers';
import { LspSession, toPath } from '../lsp/harness';
import { random } from './mutate';

const EDITS = Number(process.env.SOAK_EDITS ?? 10_000);
/** Each block of edits is half flood, half typing; warm-up covers two blocks so both workloads have run. */
const BLOCK = 1_000;
const WARM_UP_EDITS = Math.min(2 * BLOCK, Math.floor(EDITS / 5));
const SEED = 1234;
const FILES = [
  'app/notes/actions.ts',
  'app/notes/secure-actions.ts',
  'app/notes/new-note-form.tsx',
  'app/team/actions.ts',
  'lib/auth.ts',
  'lib/db.ts',
  'lib/format.ts',
  'auth.ts',
];
const SNIPPETS = [
  "'use server';\n",
  "  await db.note.create({ data: { ownerId: formData.get('ownerId'), body: formData.get('body') } });\n",
  '  const session = await auth();\n  if (!session) return;\n',
  "  revalidatePath('/notes');\n",
  'export async function extra(formData: FormData) {\n',
  '}\n',
  '{',
  '(',
  ')',
  "'",
  '`${',
  '/* ',
  '// note\n',
  'x',
  ' ',
  '\n',
  '<form action={extra}><input type="hidden" name="userId" /></form>',
  "import 'server-only';\n",
];
const SETTINGS: Record<string, unknown>[] = [
  {},
  { rules: { 'validate-input': 'off' } },
  { authFunctions: ['requireUser', 'getUser'] },
  { identityFields: ['noteOwner'], rules: { 'revalidate-after-write': 'error' } },
];

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  vmRss: number;
}

function vmRssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

describe('language server soak over stdio', () => {
  let lsp: LspSession;
  let guardLog: string;
  const gcOutputs = (): string[] => lsp.stderrText().split('\n').filter((line) => line.startsWith('gc-done '));

  before(async () => {
    ensureBuilt();
    guardLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sag-soak-')), 'violations.log');
    fs.writeFileSync(guardLog, '');
    const env = {
      NODE_OPTIONS: `--require ${path.join(__dirname, 'preload', 'gc-trigger.cjs')} --require ${path.join(__dirname, 'preload', 'guard.cjs')}`,
      SAG_GUARD_LOG: guardLog,
      SAG_GUARD_READONLY: '1',
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      lsp = await LspSession.start({ debounceMs: 0 });
    } finally {
      for (const key of Object.keys(env)) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
  after(async () => {
    if (lsp) await lsp.stop();
    fs.rmSync(path.dirname(guardLog), { recursive: true, force: true });
  });

  /** Full GC in the server, then its RSS as it reports it and as the kernel does. */
  async function measureMemory(): Promise<Memory> {
    const before = gcOutputs().length;
    process.kill(lsp.process.pid!, 'SIGUSR2');
    const line = await lsp.waitFor('gc-done on the server stderr', () => gcOutputs()[before], 20_000);
    const [, rss, heapUsed, heapTotal, external] = line.split(' ').map(Number);
    // V8 hands pages back to the kernel shortly after a collection: read VmRSS until two reads agree within 1%.
    let previous = vmRssOf(lsp.process.pid!);
    const vmRss = await lsp.waitFor(
      'VmRSS to settle after the collection',
      () => {
        const current = vmRssOf(lsp.process.pid!);
        const stable = Math.abs(current - previous) <= previous * 0.01;
        previous = current;
        return stable ? current : undefined;
      },
      20_000,
    );
    return { rss: rss!, heapUsed: heapUsed!, heapTotal: heapTotal!, external: external!, vmRss };
  }

  /** Every open document's diagnostics are published for its current version. */
  function settled(open: ReadonlySet<string>): boolean {
    for (const file of open) {
      const published = lsp.diagnostics.get(lsp.path(file));
      if (!published || published.version !== lsp.version(file)) return false;
    }
    return true;
  }

  test(`${EDITS} edits with opens, closes and config changes`, { timeout: 240_000 }, async (t) => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const original = new Map(FILES.map((file) => [file, lsp.readDisk(file)]));
    const open = new Set<string>();
    const everOpened = new Set<string>();
    let settingsIndex = 0;
    const counts = { edits: 0, inserts: 0, deletes: 0, opens: 0, closes: 0, configChanges: 0 };
    for (const file of FILES) {
      await lsp.open(file);
      open.add(file);
      everOpened.add(file);
      counts.opens++;
    }

    let warmUp: Memory | undefined;
    let publishesAtWarmUp = 0;
    let burstLeft = 0;
    const analysesSoFar = () => lsp.publishes.filter((p) => p.version !== undefined).length;
    const byPhase = { flood: 0, typing: 0 };
    let phase: keyof typeof byPhase = 'flood';
    let phaseStart = analysesSoFar();
    const started = performance.now();
    for (let edit = 1; edit <= EDITS; edit++) {
      // The first half of each block is a flood, every edit sent as soon as the server reads it. The second half is
      // typing in bursts, each followed by waiting for the server to publish something, so analyses run between
      // bursts and the next burst supersedes the ones still pending.
      const typing = edit % BLOCK >= BLOCK / 2;
      if ((typing ? 'typing' : 'flood') !== phase) {
        byPhase[phase] += analysesSoFar() - phaseStart;
        phaseStart = analysesSoFar();
        phase = typing ? 'typing' : 'flood';
      }
      if (typing && burstLeft-- <= 0) {
        burstLeft = Math.floor(next() * 40);
        const seen = lsp.publishes.length;
        await lsp.waitFor('a publish after a burst of edits', () => lsp.publishes.length > seen || settled(open), 10_000);
      }
      if (edit % 150 === 0) {
        const closing = pick([...open]);
        await lsp.close(closing);
        open.delete(closing);
        counts.closes++;
        const closed = FILES.filter((file) => !open.has(file));
        const opening = pick(closed);
        await lsp.open(opening);
        open.add(opening);
        everOpened.add(opening);
        counts.opens++;
      }
      if (edit % 700 === 0) {
        settingsIndex = (settingsIndex + 1) % SETTINGS.length;
        await lsp.setSettings(SETTINGS[settingsIndex]!);
        counts.configChanges++;
      }
      const file = pick([...open]);
      const text = lsp.text(file);
      const base = original.get(file)!.length;
      // Keep each file between half and three times its size, so edits keep hitting real code.
      const insert = text.length < base / 2 || (text.length < base * 3 && next() < 0.55);
      const at = TextDocument.create('', 'typescript', 0, text);
      const document = (offset: number) => at.positionAt(offset);
      if (insert) {
        const offset = Math.floor(next() * (text.length + 1));
        await lsp.type(file, [{ range: { start: document(offset), end: document(offset) }, text: pick(SNIPPETS) }]);
        counts.inserts++;
      } else {
        const start = Math.floor(next() * text.length);
        const end = Math.min(text.length, start + 1 + Math.floor(next() * 20));
        await lsp.type(file, [{ range: { start: document(start), end: document(end) }, text: '' }]);
        counts.deletes++;
      }
      counts.edits++;
      if (edit === WARM_UP_EDITS) {
        await lsp.waitFor('diagnostics of every open document after warm-up', () => settled(open), 60_000);
        warmUp = await measureMemory();
        publishesAtWarmUp = lsp.publishes.length;
      }
    }
    const sent = performance.now();
    await lsp.waitFor('final diagnostics of every open document', () => settled(open), 60_000);
    const drainMs = performance.now() - sent;
    const final = await measureMemory();

    byPhase[phase] += analysesSoFar() - phaseStart;
    const analysesRun = analysesSoFar();
    const measured = {
      ...counts,
      sendMs: Math.round(sent - started),
      drainMs: Math.round(drainMs),
      analysesRun,
      analysesInFlood: byPhase.flood,
      analysesInTyping: byPhase.typing,
      analysesPerEdit: Number((analysesRun / counts.edits).toFixed(3)),
      warmUpRssMb: Number((warmUp!.rss / 2 ** 20).toFixed(1)),
      finalRssMb: Number((final.rss / 2 ** 20).toFixed(1)),
      warmUpVmRssMb: Number((warmUp!.vmRss / 2 ** 20).toFixed(1)),
      finalVmRssMb: Number((final.vmRss / 2 ** 20).toFixed(1)),
      warmUpHeapMb: Number((warmUp!.heapUsed / 2 ** 20).toFixed(1)),
      finalHeapMb: Number((final.heapUsed / 2 ** 20).toFixed(1)),
      warmUpHeapTotalMb: Number((warmUp!.heapTotal / 2 ** 20).toFixed(1)),
      finalHeapTotalMb: Number((final.heapTotal / 2 ** 20).toFixed(1)),
      warmUpExternalMb: Number((warmUp!.external / 2 ** 20).toFixed(1)),
      finalExternalMb: Number((final.external / 2 ** 20).toFixed(1)),
      publishesAfterWarmUp: lsp.publishes.length - publishesAtWarmUp,
    };
    t.diagnostic(JSON.stringify(measured));
    if (process.env.SAG_GC_VERBOSE) t.diagnostic(lsp.stderrText().split('\n').filter((l) => l.startsWith('gc-spaces')).join('\n'));

    assert.equal(lsp.process.exitCode, null, `the server exited:\n${lsp.stderrText().slice(-2000)}`);
    assert.ok(final.vmRss <= warmUp!.vmRss * 1.2, `RSS after GC grew from ${measured.warmUpVmRssMb} MB to ${measured.finalVmRssMb} MB`);
    // Dropped, not queued: far fewer analyses than edits, and no backlog to work off once the edits stop.
    assert.ok(analysesRun < counts.edits, `${analysesRun} analyses for ${counts.edits} edits`);
    assert.ok(drainMs < 5_000, `final diagnostics took ${Math.round(drainMs)} ms after the last edit`);

    // No stale diagnostics: what the server shows is what a fresh analysis of the final texts finds.
    const settings = resolveSettings(SETTINGS[settingsIndex]).settings;
    const project = new Project({ root: lsp.workspace });
    for (const file of open) project.setDocument(lsp.path(file), lsp.text(file));
    const expected = new Map<string, Set<string>>();
    const checklists = new Map<string, string>();
    for (const file of open) {
      const analysis = project.analyzeFile(lsp.path(file), settings);
      checklists.set(file, JSON.stringify(analysis.actions.map((a) => [a.name, a.checks])));
      for (const finding of analysis.findings) {
        if (settings.rules[finding.ruleId] === 'off') continue;
        const key = `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}-${finding.range.end.line}:${finding.range.end.character}`;
        expected.set(path.normalize(finding.file), (expected.get(path.normalize(finding.file)) ?? new Set()).add(key));
      }
    }
    const keys = (diagnostics: readonly Diagnostic[]) =>
      new Set(diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`));
    for (const file of open) {
      const published = lsp.diagnostics.get(lsp.path(file))!;
      assert.deepEqual([...keys(published.diagnostics)].sort(), [...(expected.get(lsp.path(file)) ?? [])].sort(), `stale diagnostics for ${file}`);
    }
    for (const file of [...everOpened].filter((f) => !open.has(f))) {
      const published = lsp.diagnostics.get(lsp.path(file));
      const fromOpen = expected.get(lsp.path(file));
      if (!fromOpen) assert.deepEqual(published?.diagnostics ?? [], [], `diagnostics left on closed ${file}`);
    }

    // The final requests are answered from the final text.
    for (const file of open) {
      const checklist = (await lsp.connection.sendRequest('serverActionGuard/checklist', { uri: lsp.uri(file) })) as FileChecklist;
      assert.equal(toPath(checklist.uri), lsp.path(file));
      const got = JSON.stringify(checklist.actions.map((a) => [a.name, a.checks]));
      assert.equal(got, checklists.get(file), `checklist of ${file}`);
    }

    const frames = lsp.stdoutFrames();
    assert.equal(frames.problem, undefined, `stdout must hold only JSON-RPC frames: ${frames.problem}`);
    const errors = lsp.logs.filter((log) => log.type === 1).map((log) => log.message.split('\n')[0]);
    assert.deepEqual(errors, [], 'the server logged errors');
    assert.equal(fs.readFileSync(guardLog, 'utf8'), '', 'the server did something forbidden');
  });
});
