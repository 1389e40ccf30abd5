import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS, type RuleId } from '../../../shared/settings';
import { pathToUri } from './uri';

/** How far above the running code the shipped docs/ folder may be: dist/server.js → ../docs, sources → ../../../docs. */
const SEARCH_DEPTH = 4;

let docsRoot: string | null | undefined;

/**
 * The docs/ folder shipped with the server: next to dist/ in the .vsix and in a checkout. The project has no public
 * home yet, so diagnostics link here rather than to a site; without the folder (a copied bundle) they link nowhere.
 */
function shippedDocs(): string | undefined {
  if (docsRoot === undefined) {
    docsRoot = null;
    for (let dir = __dirname, depth = 0; depth <= SEARCH_DEPTH; dir = path.dirname(dir), depth++) {
      const candidate = path.join(dir, 'docs');
      if (fs.existsSync(path.join(candidate, 'rules', 'README.md'))) {
        docsRoot = candidate;
        break;
      }
    }
  }
  return docsRoot ?? undefined;
}

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

/** The `file:` URI of a rule's docs page as shipped, or undefined when the page is not there. */
export function ruleDocsUri(ruleId: RuleId): string | undefined {
  const root = shippedDocs();
  if (!root) return undefined;
  const page = path.join(root, 'rules', `${ruleId}.md`);
  return fs.existsSync(page) ? pathToUri(page) : undefined;
}
