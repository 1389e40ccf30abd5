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
    for (const leak of action.errorLeaks) {
      const fix = maskReturnedError(action, file, leak);
      report({ messageId: 'leak', data: { what: leak.what }, node: leak.node, fixes: fix ? [fix] : [] });
    }
    return undefined;
  },
};
