import picomatch from 'picomatch';

/**
 * Next.js folder names like `(marketing)`, `[id]` and `[[...slug]]` are literal in globs over project paths, not glob
 * groups or character classes: `app/(marketing)/**` matches `app/(marketing)/actions.ts`.
 */
export function literalRouteSegments(glob: string): string {
  return glob
    .split('/')
    .map((segment) => (/^\([^()]*\)$|^\[{1,2}[^[\]]*\]{1,2}$/.test(segment) ? segment.replace(/[()[\]]/g, '\\$&') : segment))
    .join('/');
}

/** Compiled globs: settings are few and stable, files are many. */
const PATH_MATCHERS = new Map<string, (path: string) => boolean>();

/**
 * Whether a root-relative path (forward slashes) matches a setting's glob (`exclude`, `publicActions`): picomatch
 * syntax, dot files included, route folders literal. A glob picomatch rejects (an empty one) matches nothing.
 */
export function matchesPathGlob(relativePath: string, glob: string): boolean {
  let matcher = PATH_MATCHERS.get(glob);
  if (!matcher) {
    try {
      matcher = picomatch(literalRouteSegments(glob), { dot: true });
    } catch {
      matcher = () => false;
    }
    PATH_MATCHERS.set(glob, matcher);
  }
  return matcher(relativePath);
}
