// The domain the synthetic monorepo is about: entities with the fields their forms submit.
// Field kinds drive the zod schema, the FormData coercion and the JSX input of each generated file.

/**
 * @typedef {'string' | 'text' | 'email' | 'url' | 'number' | 'date' | 'enum'} FieldKind
 * @typedef {{ name: string; kind: FieldKind; values?: string[] }} Field
 * @typedef {{ name: string; Name: string; plural: string; table: string; fields: Field[]; route: string }} Entity
 */

/** @param {string} name @param {Field[]} fields @returns {Entity} */
function entity(name, fields) {
  const plural = /(?:s|x)$/.test(name) ? `${name}es` : /[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`;
  const kebab = plural.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { name, Name: name[0].toUpperCase() + name.slice(1), plural, table: plural, fields, route: `/${kebab}` };
}

/** @type {Entity[]} */
export const ENTITIES = [
  entity('project', [
    { name: 'name', kind: 'string' },
    { name: 'description', kind: 'text' },
    { name: 'visibility', kind: 'enum', values: ['private', 'internal', 'public'] },
  ]),
  entity('post', [
    { name: 'title', kind: 'string' },
    { name: 'body', kind: 'text' },
    { name: 'slug', kind: 'string' },
  ]),
  entity('comment', [
    { name: 'body', kind: 'text' },
    { name: 'postId', kind: 'string' },
  ]),
  entity('invoice', [
    { name: 'amount', kind: 'number' },
    { name: 'dueDate', kind: 'date' },
    { name: 'customerEmail', kind: 'email' },
  ]),
  entity('task', [
    { name: 'title', kind: 'string' },
    { name: 'dueDate', kind: 'date' },
    { name: 'priority', kind: 'enum', values: ['low', 'medium', 'high'] },
  ]),
  entity('ticket', [
    { name: 'subject', kind: 'string' },
    { name: 'message', kind: 'text' },
    { name: 'severity', kind: 'enum', values: ['minor', 'major', 'critical'] },
  ]),
  entity('document', [
    { name: 'title', kind: 'string' },
    { name: 'content', kind: 'text' },
  ]),
  entity('label', [
    { name: 'name', kind: 'string' },
    { name: 'color', kind: 'string' },
  ]),
  entity('profile', [
    { name: 'displayName', kind: 'string' },
    { name: 'bio', kind: 'text' },
    { name: 'website', kind: 'url' },
  ]),
  entity('product', [
    { name: 'name', kind: 'string' },
    { name: 'price', kind: 'number' },
    { name: 'sku', kind: 'string' },
  ]),
  entity('order', [
    { name: 'quantity', kind: 'number' },
    { name: 'note', kind: 'text' },
    { name: 'productId', kind: 'string' },
  ]),
  entity('review', [
    { name: 'rating', kind: 'number' },
    { name: 'body', kind: 'text' },
    { name: 'productId', kind: 'string' },
  ]),
  entity('webhook', [
    { name: 'url', kind: 'url' },
    { name: 'event', kind: 'enum', values: ['order.created', 'order.paid', 'invoice.sent'] },
  ]),
  entity('note', [
    { name: 'title', kind: 'string' },
    { name: 'body', kind: 'text' },
  ]),
  entity('meeting', [
    { name: 'title', kind: 'string' },
    { name: 'startsAt', kind: 'date' },
    { name: 'location', kind: 'string' },
  ]),
  entity('address', [
    { name: 'line1', kind: 'string' },
    { name: 'city', kind: 'string' },
    { name: 'postalCode', kind: 'string' },
  ]),
  entity('snippet', [
    { name: 'language', kind: 'enum', values: ['ts', 'sql', 'shell'] },
    { name: 'code', kind: 'text' },
  ]),
  entity('bookmark', [
    { name: 'url', kind: 'url' },
    { name: 'title', kind: 'string' },
  ]),
  entity('expense', [
    { name: 'amount', kind: 'number' },
    { name: 'category', kind: 'enum', values: ['travel', 'meals', 'software'] },
    { name: 'spentAt', kind: 'date' },
  ]),
  entity('survey', [
    { name: 'question', kind: 'string' },
    { name: 'closesAt', kind: 'date' },
  ]),
];

/** The zod expression for one field. */
export function zodFor(/** @type {Field} */ field) {
  switch (field.kind) {
    case 'string':
      return 'z.string().trim().min(1).max(120)';
    case 'text':
      return 'z.string().trim().max(5000)';
    case 'email':
      return 'z.string().trim().email()';
    case 'url':
      return 'z.string().trim().url()';
    case 'number':
      return 'z.coerce.number().int().min(0)';
    case 'date':
      return 'z.coerce.date()';
    case 'enum':
      return `z.enum([${(field.values ?? []).map((v) => `'${v}'`).join(', ')}])`;
  }
}

/** The TypeScript type of one field after parsing. */
export function tsTypeFor(/** @type {Field} */ field) {
  switch (field.kind) {
    case 'number':
      return 'number';
    case 'date':
      return 'Date';
    case 'enum':
      return (field.values ?? []).map((v) => `'${v}'`).join(' | ');
    default:
      return 'string';
  }
}

/** How unvalidated code typically coerces a FormData entry of this kind. */
export function rawRead(/** @type {Field} */ field, formData = 'formData') {
  const get = `${formData}.get('${field.name}')`;
  switch (field.kind) {
    case 'number':
      return `Number(${get})`;
    case 'date':
      return `new Date(String(${get}))`;
    case 'enum':
      return `String(${get}) as ${tsTypeFor(field)}`;
    default:
      return `String(${get} ?? '')`;
  }
}

/** A plausible sample value for fixtures, placeholders and default values. */
export function sampleValue(/** @type {Field} */ field) {
  switch (field.kind) {
    case 'number':
      return '1';
    case 'date':
      return "'2026-01-01'";
    case 'enum':
      return `'${(field.values ?? [''])[0]}'`;
    case 'email':
      return "'someone@example.com'";
    case 'url':
      return "'https://example.com'";
    default:
      return `'${field.name}'`;
  }
}

/** The HTML input type for a field. */
export function inputType(/** @type {Field} */ field) {
  switch (field.kind) {
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'email':
      return 'email';
    case 'url':
      return 'url';
    default:
      return 'text';
  }
}
