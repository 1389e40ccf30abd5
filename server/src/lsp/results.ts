import type { Diagnostic } from 'vscode-languageserver/node';
import type { FileChecklist } from '../../../shared/protocol';
import type { FileAnalysis } from '../engine';
import { diagnosticKey } from './diagnostics';

/** Where a result came from: a live editor buffer, or the disk during/after a workspace audit. */
export type ResultOrigin = 'open' | 'audit';

export interface FileResult {
  file: string;
  origin: ResultOrigin;
  /** The analysed document's version, for open documents. */
  version?: number;
  analysis: FileAnalysis;
  /** Diagnostics by the file they point into (usually `file` itself). */
  diagnostics: Map<string, Diagnostic[]>;
  checklist: FileChecklist;
}

export interface ResultSink {
  publishDiagnostics(file: string, diagnostics: Diagnostic[], version: number | undefined): void;
  publishChecklist(checklist: FileChecklist): void;
  /** Whether the file is open in the editor (its diagnostics are published after every analysis). */
  isOpen(file: string): boolean;
}

/**
 * The latest analysis of every tracked file (open documents and audited files) and the diagnostics derived from them.
 * A file's published diagnostics are the union of what every tracked analysis says about it, so a finding that one
 * analysis places in another file (a helper) is neither lost nor duplicated, and clears when its owner goes away.
 */
export class ResultStore {
  private readonly results = new Map<string, FileResult>();
  /** target file → files whose analyses put diagnostics there */
  private readonly owners = new Map<string, Set<string>>();
  /** Files whose last published diagnostics were not empty, so an empty list is sent exactly when needed. */
  private readonly nonEmpty = new Set<string>();
  private readonly checklistShown = new Set<string>();

  constructor(private readonly sink: ResultSink) {}

  get(file: string): FileResult | undefined {
    return this.results.get(file);
  }

  values(): IterableIterator<FileResult> {
    return this.results.values();
  }

  set(result: FileResult): void {
    const previous = this.results.get(result.file);
    this.results.set(result.file, result);
    const targets = new Set<string>([result.file, ...result.diagnostics.keys()]);
    for (const target of previous?.diagnostics.keys() ?? []) targets.add(target);
    for (const target of targets) {
      const owners = this.owners.get(target) ?? new Set<string>();
      if (result.diagnostics.has(target)) owners.add(result.file);
      else owners.delete(result.file);
      this.updateOwners(target, owners);
      this.publish(target);
    }
    const hasActions = result.checklist.actions.length > 0;
    if (hasActions || this.checklistShown.has(result.file) || this.sink.isOpen(result.file)) {
      this.sink.publishChecklist(result.checklist);
    }
    if (hasActions) this.checklistShown.add(result.file);
    else this.checklistShown.delete(result.file);
  }

  /** Forgets a file's analysis: its diagnostics (wherever they point) and its checklist disappear. */
  delete(file: string, uri: string): void {
    const previous = this.results.get(file);
    if (!previous) {
      if (this.nonEmpty.has(file)) this.publish(file);
      return;
    }
    this.results.delete(file);
    for (const target of new Set([file, ...previous.diagnostics.keys()])) {
      const owners = this.owners.get(target);
      owners?.delete(file);
      if (owners) this.updateOwners(target, owners);
      this.publish(target);
    }
    if (this.checklistShown.delete(file)) this.sink.publishChecklist({ uri, actions: [] });
  }

  /** The merged diagnostics currently published for a file. */
  diagnosticsOf(target: string): Diagnostic[] {
    const merged = new Map<string, Diagnostic>();
    for (const owner of this.owners.get(target) ?? []) {
      for (const diagnostic of this.results.get(owner)?.diagnostics.get(target) ?? []) {
        const key = diagnosticKey(diagnostic);
        if (!merged.has(key)) merged.set(key, diagnostic);
      }
    }
    return [...merged.values()];
  }

  private updateOwners(target: string, owners: Set<string>): void {
    if (owners.size > 0) this.owners.set(target, owners);
    else this.owners.delete(target);
  }

  private publish(target: string): void {
    const diagnostics = this.diagnosticsOf(target);
    const own = this.results.get(target);
    const open = this.sink.isOpen(target);
    // Open documents get a publish after every analysis (stamped with the analysed version); other files only
    // when something changed from or to empty, so an audit of a large workspace does not flood the client.
    if (diagnostics.length === 0 && !this.nonEmpty.has(target) && !(open && own)) return;
    if (diagnostics.length > 0) this.nonEmpty.add(target);
    else this.nonEmpty.delete(target);
    this.sink.publishDiagnostics(target, diagnostics, own?.origin === 'open' ? own.version : undefined);
  }
}
