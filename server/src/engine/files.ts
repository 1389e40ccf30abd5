const ANALYZABLE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/** Source files the engine reads: TypeScript and JavaScript, with or without JSX; never declaration files. */
export function isAnalyzableFile(path: string): boolean {
  return ANALYZABLE.test(path) && !/\.d\.[cm]?ts$/i.test(path);
}
