/**
 * ESLint reports by message id and data. The engine's findings carry their finished message; the rule's templates
 * (ESLint's `{{name}}` placeholders, the same syntax) tell which one it is and with which data.
 */
import type { RuleMeta } from '../engine';

export interface MessageMatch {
  messageId: string;
  data: Record<string, string>;
}

interface Template {
  id: string;
  template: string;
  pattern: RegExp;
  names: string[];
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const templatesOf = new WeakMap<RuleMeta, Template[]>();

/** The message id and data that render `message` exactly, or undefined when no template of the rule does. */
export function matchMessage(meta: RuleMeta, message: string): MessageMatch | undefined {
  for (const { id, template, pattern, names } of templates(meta)) {
    const match = pattern.exec(message);
    if (!match) continue;
    const data: Record<string, string> = {};
    names.forEach((name, i) => (data[name] ??= match[i + 1]!));
    if (render(template, data) === message) return { messageId: id, data };
  }
  return undefined;
}

export function render(template: string, data: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => data[name] ?? '');
}

function templates(meta: RuleMeta): Template[] {
  let list = templatesOf.get(meta);
  if (!list) {
    list = Object.entries(meta.messages).map(([id, template]) => {
      const names: string[] = [];
      const parts = template.split(PLACEHOLDER);
      const source = parts
        .map((part, i) => {
          if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(part);
          return '([\\s\\S]*?)';
        })
        .join('');
      return { id, template, pattern: new RegExp(`^${source}$`), names };
    });
    templatesOf.set(meta, list);
  }
  return list;
}
