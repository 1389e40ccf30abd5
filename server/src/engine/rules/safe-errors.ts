import type { Fix } from '../types';
import { maskReturnedError } from '../fixes/actionFixes';
import type { Rule } from './rule';

export const safeErrors: Rule = {
  meta: {
    id: 'safe-errors',
    description: 'No raw error.message, stack or DB error is returned to the caller; log it privately.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: `## What it does
Reports values returned from a Server Action that carry a caught error — the error object, \`error.message\`,
\`error.stack\`, \`error.cause\`, a driver's \`error.code\` / \`meta\` — or an \`error\` destructured from a database call
(\`const { error } = await supabase.from(…)\`).

## Why is this bad?
Next.js masks *thrown* errors in production, but *returned* values reach the browser as they are. Database messages
reveal table and constraint names, whether a hidden record exists, and sometimes the data itself.

## Example
\`\`\`ts
} catch (error) {
  return { ok: false, error: (error as Error).message };
}
\`\`\`

## Use instead
\`\`\`ts
} catch (error) {
  console.error('deleteProject failed', error);
  return { ok: false, error: 'The project could not be deleted.' };
}
\`\`\``,
    messages: {
      leak: "{{what}} is returned to the client. Log it on the server (console.error) and return a generic message instead.",
      leaks: "{{items}} are returned to the client. Log errors on the server (console.error) and return generic messages instead.",
      also: '{{item}} is returned to the client here too.',
      clientLeaks:
        "This action's client returns the message of any error it throws to the caller (handleServerError). Return a generic message there, and the messages of your own error classes only.",
    },
  },
  checkAction({ action, file, report }) {
    if (action.clientLeaksErrors) {
      report({ messageId: 'clientLeaks', node: action.nameNode });
      return undefined;
    }
    if (action.errorLeaks.length === 0) return action.handlesErrors ? undefined : 'n/a';
    // One fix for the whole finding: every leak of the action masked at once (edits that coincide are made once).
    const fixes = action.errorLeaks.map((leak) => maskReturnedError(action, file, leak));
    const combined = combineFixes(fixes);
    for (const leak of action.errorLeaks) {
      const fix = combined ?? fixes[action.errorLeaks.indexOf(leak)];
      // One finding per action: the leaks of one action are one change (log, return a generic message).
      report({ messageId: 'leak', data: { what: leak.what }, node: leak.node, fixes: fix ? [fix] : [], group: { key: 'leaks', messageId: 'leaks', item: leak.what, relatedMessageId: 'also' } });
    }
    return undefined;
  },
};

/** The fixes of every leak as one, when each leak has one and no two edits overlap; undefined otherwise. */
function combineFixes(fixes: (Fix | undefined)[]): Fix | undefined {
  if (fixes.length < 2 || fixes.some((fix) => fix === undefined)) return undefined;
  const edits: Fix['edits'] = [];
  for (const edit of fixes.flatMap((fix) => fix!.edits)) {
    if (edits.some((e) => e.file === edit.file && e.start === edit.start && e.end === edit.end && e.newText === edit.newText)) continue;
    if (edits.some((e) => e.file === edit.file && e.start < edit.end && edit.start < e.end)) return undefined;
    if (edits.some((e) => e.file === edit.file && e.start === edit.start && e.end === edit.start && edit.end === edit.start)) return undefined;
    edits.push(edit);
  }
  return { ...fixes[0]!, safe: fixes.every((fix) => fix!.safe), edits };
}
