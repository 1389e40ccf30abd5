import type { TextEdit } from '../types';

/**
 * Applies edits of one file to its text. Edits are applied from the end so earlier offsets stay valid;
 * overlapping edits are a bug in the fix that produced them and are rejected rather than silently merged.
 */
export function applyEdits(text: string, edits: readonly Pick<TextEdit, 'start' | 'end' | 'newText'>[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) throw new Error('overlapping edits');
  }
  let out = text;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i]!;
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}
