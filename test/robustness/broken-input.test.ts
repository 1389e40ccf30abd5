/**
 * The engine sees half-typed code on every keystroke. Every truncated prefix and seeded token-level mutants of every
 * fixture file and of a generated corpus must analyse without an exception, within a time bound, and what is
 * already complete before the cut must still be reported.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { Project, type FileAnalysis, type Finding } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { corpusSources, excerpt, fixtureSources, relativeName, timed, type SourceFile } from './helpers';
import { mutants, prefixOffsets } from './mutate';

/** Per analysis of one file, generous for a loaded CI machine; typical analyses take a few milliseconds. */
const BUDGET_MS = 1000;
const PREFIX_STEP = 64;
const MUTANTS_PER_FILE = 24;
const MUTATION_SEED = 7;

interface Outcome {
  analysis?: FileAnalysis;
  error?: unknown;
  ms: number;
}

/** One project per fixture root, so imports between the fixture's files resolve as in an editor. */
class Workspaces {
  private readonly projects = new Map<string, Project>();
  analyses = 0;
  slowest = { ms: 0, what: '' };

  analyze(source: SourceFile, text: string, what: string): Outcome {
    let project = this.projects.get(source.root);
    if (!project) this.projects.set(source.root, (project = new Project({ root: source.root })));
    project.setDocument(source.file, text);
    this.analyses++;
    try {
      const { value, ms } = timed(() => project.analyzeFile(source.file, DEFAULT_SETTINGS));
      if (ms > this.slowest.ms) this.slowest = { ms, what };
      return { analysis: value, ms };
    } catch (error) {
      return { error, ms: 0 };
    } finally {
      project.closeDocument(source.file);
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : String(error);
}

function failuresMessage(failures: string[], total: number): string {
  return `${failures.length} of ${total} analyses failed:\n${failures.slice(0, 15).join('\n')}`;
}

const sources = (): SourceFile[] => [...fixtureSources(), ...corpusSources()];

describe('broken input never escapes the engine', () => {
  test(`every ${PREFIX_STEP}-character prefix of every fixture and corpus file`, (t) => {
    const workspaces = new Workspaces();
    const failures: string[] = [];
    const all = sources();
    for (const source of all) {
      for (const offset of prefixOffsets(source.text.length, PREFIX_STEP)) {
        const what = `${relativeName(source)} cut at ${offset}`;
        const outcome = workspaces.analyze(source, source.text.slice(0, offset), what);
        if (outcome.error) failures.push(`${what}: threw ${describeError(outcome.error)}`);
        else if (outcome.ms > BUDGET_MS) failures.push(`${what}: took ${outcome.ms.toFixed(0)} ms`);
      }
    }
    t.diagnostic(`${all.length} files, ${workspaces.analyses} prefixes, slowest ${workspaces.slowest.ms.toFixed(1)} ms (${workspaces.slowest.what})`);
    assert.deepEqual(failures, [], failuresMessage(failures, workspaces.analyses));
  });

  test(`${MUTANTS_PER_FILE} seeded token deletions and duplications of every fixture and corpus file`, (t) => {
    const workspaces = new Workspaces();
    const failures: string[] = [];
    const all = sources();
    const kinds = { delete: 0, duplicate: 0 };
    for (const [index, source] of all.entries()) {
      const seed = MUTATION_SEED * 1000 + index;
      for (const mutant of mutants(source.text, source.file, seed, MUTANTS_PER_FILE)) {
        kinds[mutant.kind]++;
        const what = `${relativeName(source)} seed ${seed}: ${mutant.kind} ${mutant.count} token(s) at token ${mutant.index}`;
        const outcome = workspaces.analyze(source, mutant.text, what);
        if (outcome.error) failures.push(`${what}: threw ${describeError(outcome.error)}`);
        else if (outcome.ms > BUDGET_MS) failures.push(`${what}: took ${outcome.ms.toFixed(0)} ms`);
      }
    }
    t.diagnostic(
      `${all.length} files, ${workspaces.analyses} mutants (${kinds.delete} deletions, ${kinds.duplicate} duplications), ` +
        `slowest ${workspaces.slowest.ms.toFixed(1)} ms (${workspaces.slowest.what})`,
    );
    assert.deepEqual(failures, [], failuresMessage(failures, workspaces.analyses));
  });
});

/** End offset of the top-level statement that contains `offset` (the unit a truncation keeps whole or cuts). */
function statementEnds(text: string, file: string): number[] {
  const kind = /\.[jt]sx$/i.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind).statements.map((s) => s.end);
}

function endOfStatementAt(ends: readonly number[], offset: number): number {
  return ends.find((end) => end > offset) ?? Number.POSITIVE_INFINITY;
}

function key(finding: Pick<Finding, 'ruleId' | 'start' | 'end'>): string {
  return `${finding.ruleId}@${finding.start}-${finding.end}`;
}

describe('the well-formed part before a cut is still analysed', () => {
  test('a finding survives every truncation after its statement and its action are complete', (t) => {
    const workspaces = new Workspaces();
    const failures: string[] = [];
    let cuts = 0;
    let checked = 0;
    const all = sources().filter((source) => /\.[cm]?[jt]sx?$/.test(source.file) && !source.file.endsWith('.json.ts'));
    for (const source of all) {
      const full = workspaces.analyze(source, source.text, `${relativeName(source)} (whole)`).analysis;
      if (!full || full.findings.length === 0) continue;
      const ends = statementEnds(source.text, source.file);
      const actionEnds = new Map(full.actions.map((action) => [action.name, endOfStatementAt(ends, action.start)]));
      // A finding is complete once its own statement and the statement defining its action have been typed.
      const completeAt = (finding: Finding): number =>
        Math.max(endOfStatementAt(ends, finding.start), finding.action ? (actionEnds.get(finding.action) ?? 0) : 0);
      const offsets = [...new Set([...ends, ...prefixOffsets(source.text.length, PREFIX_STEP)])].sort((a, b) => a - b);
      for (const offset of offsets) {
        const expected = full.findings.filter((finding) => completeAt(finding) <= offset);
        if (expected.length === 0) continue;
        cuts++;
        const truncated = workspaces.analyze(source, source.text.slice(0, offset), `${relativeName(source)} cut at ${offset}`);
        const seen = new Set((truncated.analysis?.findings ?? []).map(key));
        for (const finding of expected) {
          checked++;
          if (!seen.has(key(finding))) {
            failures.push(
              `${relativeName(source)} cut at ${offset} ${excerpt(source.text, offset, 20)}: lost ${finding.ruleId} ` +
                `at ${finding.range.start.line + 1}:${finding.range.start.character + 1} (${finding.message.slice(0, 80)})`,
            );
          }
        }
      }
    }
    t.diagnostic(`${all.length} files, ${cuts} cuts after complete statements, ${checked} finding checks`);
    assert.deepEqual(failures, [], `${failures.length} findings lost:\n${failures.slice(0, 20).join('\n')}`);
  });
});
