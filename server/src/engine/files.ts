const ANALYZABLE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/** Source files the engine reads: TypeScript and JavaScript, with or without JSX; never declaration files. */
export function isAnalyzableFile(path: string): boolean {
  return ANALYZABLE.test(path) && !/\.d\.[cm]?ts$/i.test(path);
}

/** Tests, stories and their fixtures: code that calls actions from a test runner, not from the app. */
export function isTestFile(path: string): boolean {
  return /(^|[\\/])(__tests__|__mocks__|tests?|e2e|cypress|playwright)[\\/]|\.(test|spec|stories|e2e)\.[cm]?[jt]sx?$/i.test(path);
}
