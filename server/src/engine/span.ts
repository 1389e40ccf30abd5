import type ts from 'typescript';
import type { Position, Span } from './types';

export function positionOf(sourceFile: ts.SourceFile, offset: number): Position {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(Math.max(0, Math.min(offset, sourceFile.text.length)));
  return { line, character };
}

export function spanOf(sourceFile: ts.SourceFile, file: string, start: number, end: number): Span {
  return { file, start, end, range: { start: positionOf(sourceFile, start), end: positionOf(sourceFile, end) } };
}

/** TypeScript normalises `\\` to `/` in a source file's name; edits must name the file as the host knows it. */
const hostPaths = new WeakMap<ts.SourceFile, string>();

export function registerHostPath(sourceFile: ts.SourceFile, file: string): void {
  hostPaths.set(sourceFile, file);
}

export function hostPathOf(sourceFile: ts.SourceFile): string {
  return hostPaths.get(sourceFile) ?? sourceFile.fileName;
}
