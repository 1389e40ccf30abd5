import * as path from 'node:path';
import type { PrivilegedImport } from '../facts/model';
import { addServerOnlyImport } from '../fixes/moduleFixes';
import type { Rule } from './rule';

export const serverOnly: Rule = {
  meta: {
    id: 'server-only',
    description: "Privileged helpers (DB, secrets) live in modules with import 'server-only'; client files never import them.",
    defaultSeverity: 'warning',
    fixable: true,
    docs: `## What it does
Reports imports, from action files and \`'use client'\` files, of project modules that hold privileged material — a
database client or driver, an admin SDK, a secret read from \`process.env\` (anything but \`NEXT_PUBLIC_*\`) — when the
module does not start with \`import 'server-only'\` (directly, or through a module it imports). The finding sits at the
import, and once per module in a workspace audit: at the module that needs the marker, with the files that import it.

A \`'use client'\` file that imports a module which carries a database driver or an SDK (at any depth) is a warning:
that code is bundled for the browser, where it cannot work and should not be. Importing a module that only reads a
secret from \`process.env\` is not reported there, because Next.js inlines only \`NEXT_PUBLIC_*\` variables into the
browser bundle. Importing a module marked \`import 'server-only'\` from a client file is an error: the build fails.
Imports whose names the file uses only as types are erased by the compiler and never count.

## Why is this bad?
Without the marker, one careless import from a Client Component bundles the DB client or the secret into the
browser build. \`import 'server-only'\` turns that mistake into a build error.

## Example
\`\`\`ts
// lib/db.ts
export const db = new PrismaClient();
\`\`\`

## Use instead
\`\`\`ts
// lib/db.ts
import 'server-only';
export const db = new PrismaClient();
\`\`\`
The quick fix adds the import to the module (a change in another file; offered as a suggestion because a client
file that still imports the module will then fail to build, which is the point).`,
    messages: {
      unmarked:
        "'{{module}}' {{reason}} but has no import 'server-only'. Add import 'server-only' at its top so it can never be bundled for the browser.",
      unmarkedVia:
        "'{{module}}' {{reason}} but {{holder}} has no import 'server-only'. Add import 'server-only' at the top of {{holder}} so it can never be bundled for the browser.",
      clientImport:
        "This 'use client' file imports '{{module}}', which {{reason}}: that code is bundled for the browser. Move the privileged work into a Server Action or a server-only module.",
      clientImportMarked:
        "This 'use client' file imports '{{module}}', which is marked import 'server-only': the build fails. Move the privileged work into a Server Action.",
      module:
        "This module {{reason}} but has no import 'server-only'. Add import 'server-only' at its top so it can never be bundled for the browser.",
    },
  },
  checkFile({ file, report }) {
    if (file.directive !== 'use client') return;
    for (const entry of file.privilegedImports) {
      // Shown once at the module in a workspace report, with every file that imports it (actions and client files).
      const target = entry.holderNode ? { sourceFile: entry.module, node: entry.holderNode, messageId: 'module', data: { reason: entry.reason } } : undefined;
      if (entry.holderNode) report({ messageId: 'clientImport', data: { module: entry.specifier, reason: reasonOf(entry) }, node: entry.node.moduleSpecifier, target });
      else report({ messageId: 'clientImportMarked', data: { module: entry.specifier }, node: entry.node.moduleSpecifier, severity: 'error' });
    }
  },
  checkAction({ action, file, report }) {
    if (file.directive === 'use client') return 'n/a';
    const relevant = file.privilegedImports.filter((entry) => entry.names.some((n) => action.usedImports.has(n)));
    if (relevant.length === 0) return 'n/a';
    // One finding per unmarked module: two imports that both lead to the database client are one change.
    const seen = new Set<string>();
    for (const entry of relevant) {
      if (seen.has(entry.resolvedPath)) continue;
      seen.add(entry.resolvedPath);
      // A marked module protects itself, not an unmarked privileged module it imports (which anything else can import).
      if (!entry.holderNode) continue;
      const holder = entry.holder ? path.basename(entry.holder) : undefined;
      report({
        messageId: holder ? 'unmarkedVia' : 'unmarked',
        data: { module: entry.specifier, reason: reasonOf(entry), holder: holder ?? path.basename(entry.resolvedPath) },
        node: entry.node.moduleSpecifier,
        fixes: [addServerOnlyImport(entry.module, holder ?? entry.specifier)],
        target: entry.holderNode ? { sourceFile: entry.module, node: entry.holderNode, messageId: 'module', data: { reason: entry.reason } } : undefined,
      });
    }
    return undefined;
  },
};

function reasonOf(entry: PrivilegedImport): string {
  return entry.holder ? `imports ${path.basename(entry.holder)}, which ${entry.reason}` : entry.reason;
}
