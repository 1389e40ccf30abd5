import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file path behind a `file:` URI, or undefined for other schemes and malformed URIs (never throws). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

// Characters VS Code leaves unencoded in a file URI's path; everything else is percent-encoded (so route groups
// like `app/(chat)` become `%28chat%29`, exactly as the editor spells the URI of an open document).
const UNRESERVED = /[A-Za-z0-9\-._~/]/;

/** A `file:` URI spelled the way VS Code spells it. */
export function pathToUri(filePath: string): string {
  let p = filePath.replace(/\\/g, '/');
  if (!p.startsWith('/')) p = `/${p}`;
  let out = '';
  for (const ch of p) {
    if (UNRESERVED.test(ch)) out += ch;
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  // A Windows drive letter keeps its colon readable the way VS Code prints it (`/c%3A/…`).
  return `file://${out.replace(/^\/([A-Za-z])%3A\//, (_m, d: string) => `/${d.toLowerCase()}%3A/`)}`;
}

/** True when `file` is `dir` or inside it. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
