/**
 * Seeded, reproducible ways to break source text the way an editor sees it while the user types: truncated prefixes
 * and token-level deletions and duplications. Tokens come from the TypeScript scanner, so a mutation removes or
 * repeats whole words, punctuators, strings and template pieces rather than random bytes.
 */
import ts from 'typescript';

/** mulberry32: tiny, fast and good enough to pick mutation sites; the same seed always gives the same sequence. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Token {
  start: number;
  end: number;
}

/** The non-trivia tokens of `text`, as the TypeScript scanner splits them (JSX-aware for .tsx/.jsx). */
export function tokenize(text: string, fileName = 'file.ts'): Token[] {
  const variant = /\.[jt]sx$/i.test(fileName) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    // A scanner that stops advancing on odd input would loop forever; the rest of the text becomes one token.
    if (end <= start) {
      tokens.push({ start, end: text.length });
      break;
    }
    tokens.push({ start, end });
  }
  return tokens;
}

/** Cut points every `step` UTF-16 code units, plus the full length (the untouched file). */
export function prefixOffsets(length: number, step = 64): number[] {
  const offsets: number[] = [];
  for (let offset = 0; offset < length; offset += step) offsets.push(offset);
  offsets.push(length);
  return offsets;
}

export type MutationKind = 'delete' | 'duplicate';

export interface Mutation {
  kind: MutationKind;
  /** First token index and number of tokens touched. */
  index: number;
  count: number;
  text: string;
}

/**
 * `count` mutants of `text`: each deletes or duplicates a run of one to three tokens at a random place. With the
 * same seed the same mutants come out, so a failure names a reproducible case (seed, kind, index).
 */
export function mutants(text: string, fileName: string, seed: number, count: number): Mutation[] {
  const tokens = tokenize(text, fileName);
  if (tokens.length === 0) return [];
  const next = random(seed);
  const out: Mutation[] = [];
  for (let i = 0; i < count; i++) {
    const kind: MutationKind = next() < 0.5 ? 'delete' : 'duplicate';
    const index = Math.floor(next() * tokens.length);
    const run = Math.min(1 + Math.floor(next() * 3), tokens.length - index);
    const start = tokens[index]!.start;
    const end = tokens[index + run - 1]!.end;
    const mutated =
      kind === 'delete'
        ? text.slice(0, start) + text.slice(end)
        : text.slice(0, end) + ' ' + text.slice(start, end) + text.slice(end);
    out.push({ kind, index, count: run, text: mutated });
  }
  return out;
}
