// Server actions of realistic shape: file-level 'use server' functions, inline actions in server components and
// action-client chains (next-safe-action, zsa). Every action is built from a profile: secure, or with exactly one
// planted mistake named by the rule that should report it, so the corpus has known proportions.
import { rawRead, sampleValue, tsTypeFor, zodFor } from './entities.mjs';
import { indent } from './source.mjs';

/** Profiles and their weights (per 100 actions). Public actions exist only where a public form makes sense. */
export const PROFILE_WEIGHTS = {
  secure: 36,
  'secure-public': 4,
  'validate-input': 10,
  'require-auth': 10,
  'server-identity': 10,
  'safe-errors': 8,
  'revalidate-after-write': 8,
  'narrow-contract': 8,
  'abuse-protection': 6,
};
export const PUBLIC_PROFILES = new Set(['secure-public', 'abuse-protection']);

const OPS = ['create', 'update', 'delete', 'archive'];
const PUBLIC_ACTIONS = [
  { name: 'sendContactMessage', subject: 'Contact', fields: ['email', 'message'] },
  { name: 'joinWaitlist', subject: 'Waitlist', fields: ['email', 'company'] },
  { name: 'subscribeToNewsletter', subject: 'Newsletter', fields: ['email'] },
  { name: 'requestDemo', subject: 'Demo request', fields: ['email', 'company', 'message'] },
  { name: 'reportAbuse', subject: 'Abuse report', fields: ['email', 'message'] },
];

/**
 * @typedef {import('./entities.mjs').Entity} Entity
 * @typedef {'create' | 'update' | 'delete' | 'archive'} Op
 * @typedef {{
 *   name: string; entity: Entity; op: Op; profile: string; orm: 'prisma' | 'drizzle';
 *   signature: 'formData' | 'prevState' | 'boundId'; tryCatch: boolean; localSchema: boolean;
 *   revalidate: 'path' | 'tag' | 'redirect'; authMistake: 'missing' | 'unchecked';
 *   authFrom: string; dbFrom: string; validationFrom: string;
 *   anchor?: boolean;
 * }} ActionSpec
 */

/**
 * Draws the spec of one action; `kind` limits which profiles make sense. `paths` are the import sources the file
 * uses (one choice per file, as a real file imports each helper once).
 */
export function drawAction(rng, { entity, op, kind, allowPublic, paths }) {
  let profile = rng.weighted(PROFILE_WEIGHTS);
  while ((!allowPublic && PUBLIC_PROFILES.has(profile)) || (kind === 'action-client' && profile === 'validate-input')) {
    profile = rng.weighted(PROFILE_WEIGHTS);
  }
  return {
    name: PUBLIC_PROFILES.has(profile) ? rng.pick(PUBLIC_ACTIONS).name : `${op}${entity.Name}`,
    entity,
    op,
    profile,
    orm: rng.chance(0.6) ? 'prisma' : 'drizzle',
    signature: PUBLIC_PROFILES.has(profile)
      ? 'formData'
      : op === 'delete' && rng.chance(0.5)
        ? 'boundId'
        : rng.chance(0.3)
          ? 'prevState'
          : 'formData',
    tryCatch: profile === 'safe-errors' || rng.chance(0.45),
    localSchema: profile === 'server-identity' || rng.chance(0.4),
    revalidate: rng.weighted({ path: 6, tag: 2, redirect: 2 }),
    // A forgotten guard: either no session call at all, or a session read whose absence is never handled.
    authMistake: rng.chance(0.5) ? 'missing' : 'unchecked',
    authFrom: paths.auth,
    dbFrom: paths.db,
    validationFrom: paths.validation,
  };
}

export function pickOps(rng, count) {
  const start = rng.int(0, OPS.length - 1);
  return Array.from({ length: count }, (_, i) => OPS[(start + i) % OPS.length]);
}

/** Fields an operation reads from the client (besides the record id). */
function fieldsOf(spec) {
  return spec.op === 'create' || spec.op === 'update' ? spec.entity.fields : [];
}
function needsId(spec) {
  return spec.op !== 'create';
}

function schemaDeclaration(spec, schemaName) {
  const entries = [];
  if (needsId(spec)) entries.push('id: z.string().uuid()');
  for (const field of fieldsOf(spec)) entries.push(`${field.name}: ${zodFor(field)}`);
  if (spec.profile === 'server-identity') entries.push('ownerId: z.string()');
  return `const ${schemaName} = z.object({\n${indent(entries.map((e) => `${e},`).join('\n'))}\n});`;
}

function sharedSchemaName(spec) {
  const { entity, op } = spec;
  if (op === 'create') return `${entity.name}Input`;
  if (op === 'update') return `${entity.name}UpdateInput`;
  return `${entity.name}IdInput`;
}

/** The schema an action validates with: local declarations are returned so the file can print them. */
function schemaFor(spec, imports) {
  if (spec.localSchema) {
    const schemaName = `${spec.name}Schema`;
    imports.add('zod', 'z');
    return { schemaName, declaration: schemaDeclaration(spec, schemaName) };
  }
  const schemaName = sharedSchemaName(spec);
  imports.add(spec.validationFrom === '@/lib/validation/entity' ? `@/lib/validation/${spec.entity.name}` : spec.validationFrom, schemaName);
  return { schemaName, declaration: undefined };
}

/** The write an operation performs, scoped to the owner expression (unscoped when there is no owner). */
function writeStatement(spec, owner, imports) {
  const { entity, op, orm } = spec;
  if (owner === undefined) return unscopedWrite(spec, imports);
  const spread = spec.profile === 'narrow-contract';
  const assignments = fieldsOf(spec).map((f) => `${f.name}: input.${f.name}`);
  if (op === 'archive') {
    const helper = `archive${entity.Name}ForOwner`;
    imports.add(`@/lib/server/${entity.name}`, helper);
    return `await ${helper}(input.id, ${owner});`;
  }
  if (orm === 'prisma') {
    imports.add(spec.dbFrom, 'db');
    const model = entity.name;
    if (op === 'create') {
      const data = spread ? `{ ...input, ownerId: ${owner} }` : `{\n${indent([...assignments, `ownerId: ${owner}`].map((a) => `${a},`).join('\n'), 2)}\n  }`;
      return `await db.${model}.create({\n  data: ${data},\n});`;
    }
    if (op === 'update') {
      const data = spread ? '{ ...input }' : `{ ${assignments.join(', ')} }`;
      return `await db.${model}.updateMany({\n  where: { id: input.id, ownerId: ${owner} },\n  data: ${data},\n});`;
    }
    return `await db.${model}.deleteMany({ where: { id: input.id, ownerId: ${owner} } });`;
  }
  imports.add('@acme/db', 'drizzle').add('@acme/db/schema', entity.table);
  const table = entity.table;
  const owned = `and(eq(${table}.id, input.id), eq(${table}.ownerId, ${owner}))`;
  if (op !== 'create') imports.add('drizzle-orm', 'and', 'eq');
  if (op === 'create') {
    const values = spread ? `{ ...input, ownerId: ${owner} }` : `{ ${[...assignments, `ownerId: ${owner}`].join(', ')} }`;
    return `await drizzle.insert(${table}).values(${values});`;
  }
  if (op === 'update') {
    const values = spread ? '{ ...input }' : `{ ${assignments.join(', ')} }`;
    return `await drizzle\n  .update(${table})\n  .set(${values})\n  .where(${owned});`;
  }
  return `await drizzle.delete(${table}).where(${owned});`;
}

/** What code without a session looks like: writes keyed by the record id alone. */
function unscopedWrite(spec, imports) {
  const { entity, op, orm } = spec;
  const assignments = fieldsOf(spec).map((f) => `${f.name}: input.${f.name}`);
  const table = entity.table;
  if (orm === 'prisma' || op === 'archive') {
    imports.add(spec.dbFrom, 'db');
    if (op === 'create') return `await db.${entity.name}.create({ data: { ${assignments.join(', ')} } });`;
    if (op === 'update') return `await db.${entity.name}.update({ where: { id: input.id }, data: { ${assignments.join(', ')} } });`;
    if (op === 'archive') return `await db.${entity.name}.update({ where: { id: input.id }, data: { archivedAt: new Date() } });`;
    return `await db.${entity.name}.delete({ where: { id: input.id } });`;
  }
  imports.add('@acme/db', 'drizzle').add('@acme/db/schema', table);
  if (op === 'create') return `await drizzle.insert(${table}).values({ ${assignments.join(', ')} });`;
  imports.add('drizzle-orm', 'eq');
  if (op === 'update') return `await drizzle.update(${table}).set({ ${assignments.join(', ')} }).where(eq(${table}.id, input.id));`;
  return `await drizzle.delete(${table}).where(eq(${table}.id, input.id));`;
}

function revalidation(spec, imports) {
  if (spec.profile === 'revalidate-after-write') return [];
  if (spec.revalidate === 'tag') {
    imports.add('next/cache', 'revalidateTag');
    return [`revalidateTag('${spec.entity.plural}');`];
  }
  if (spec.revalidate === 'redirect' && spec.op !== 'update') {
    imports.add('next/cache', 'revalidatePath').add('next/navigation', 'redirect');
    return [`revalidatePath('${spec.entity.route}');`, `redirect('${spec.entity.route}');`];
  }
  imports.add('next/cache', 'revalidatePath');
  return [`revalidatePath('${spec.entity.route}');`];
}

/** Revalidation then the result; a redirect ends the action by itself. */
function finish(spec, imports) {
  const lines = revalidation(spec, imports);
  return lines.at(-1)?.startsWith('redirect(') ? lines : [...lines, 'return { ok: true };'];
}

/** Wraps the write in try/catch: a safe one logs and returns a generic message, the planted one leaks the error. */
function guardedWrite(spec, write) {
  if (!spec.tryCatch) return [write];
  const failure =
    spec.profile === 'safe-errors'
      ? `return { ok: false, error: error instanceof Error ? error.message : String(error) };`
      : `console.error('${spec.name} failed', error);\nreturn { ok: false, error: 'The ${spec.entity.name} could not be saved.' };`;
  return [`try {\n${indent(write)}\n} catch (error) {\n${indent(failure)}\n}`];
}

/** The session lines of a form action and the owner expression they leave behind. */
function sessionLines(spec, imports) {
  const from = spec.authFrom;
  if (spec.profile === 'require-auth' && spec.authMistake === 'missing') return { lines: [], owner: undefined };
  if (spec.profile === 'require-auth') {
    imports.add(from, 'getSession');
    return { lines: ['const session = await getSession();'], owner: "session?.userId ?? ''" };
  }
  imports.add(from, 'requireUser');
  if (spec.profile === 'server-identity') return { lines: ['await requireUser();'], owner: 'input.ownerId' };
  return { lines: ['const session = await requireUser();'], owner: 'session.userId' };
}

/** The parse of client input into `input`, or the planted raw reads. */
function inputLines(spec, schemaName) {
  const fields = fieldsOf(spec);
  const identity = spec.profile === 'server-identity';
  if (spec.signature === 'boundId') {
    if (spec.profile === 'validate-input') return ['const input = { id };'];
    const args = identity ? '{ id, ownerId }' : '{ id }';
    return [`const input = ${schemaName}.parse(${args});`];
  }
  if (spec.profile === 'validate-input') {
    const reads = [];
    if (needsId(spec)) reads.push(`id: String(formData.get('id'))`);
    for (const field of fields) reads.push(`${field.name}: ${rawRead(field)}`);
    return [`const input = {\n${indent(reads.map((r) => `${r},`).join('\n'))}\n};`];
  }
  const reads = [];
  if (needsId(spec)) reads.push(`id: formData.get('id')`);
  for (const field of fields) reads.push(`${field.name}: formData.get('${field.name}')`);
  if (identity) reads.push(`ownerId: formData.get('ownerId')`);
  return [
    `const parsed = ${schemaName}.safeParse({\n${indent(reads.map((r) => `${r},`).join('\n'))}\n});`,
    `if (!parsed.success) {\n  return { ok: false, fieldErrors: parsed.error.flatten().fieldErrors };\n}`,
    'const input = parsed.data;',
  ];
}

function parameters(spec) {
  if (spec.signature === 'boundId') return spec.profile === 'server-identity' ? 'id: string, ownerId: string' : 'id: string';
  if (spec.signature === 'prevState') return `_prevState: ActionState, formData: FormData`;
  return 'formData: FormData';
}

/**
 * One action as a function whose body is `'use server'`-free; `directive` adds the inline directive.
 * Returns the function text, the declarations it needs before it and whether it uses the ActionState type.
 */
export function formAction(spec, imports, { directive = false, exported = true } = {}) {
  if (PUBLIC_PROFILES.has(spec.profile)) return publicAction(spec, imports, { directive, exported });
  const { schemaName, declaration } = schemaFor(spec, imports);
  const session = sessionLines(spec, imports);
  const body = [
    ...(directive ? ["'use server';", ''] : []),
    ...session.lines,
    ...(spec.anchor ? ['// bench:keystroke'] : []),
    ...inputLines(spec, schemaName),
    '',
    ...guardedWrite(spec, writeStatement(spec, session.owner, imports)),
    ...finish(spec, imports),
  ];
  const head = `${exported ? 'export ' : ''}async function ${spec.name}(${parameters(spec)})`;
  return {
    declarations: declaration ? [declaration] : [],
    text: `${head} {\n${indent(body.join('\n'))}\n}`,
    usesState: spec.signature === 'prevState',
  };
}

function publicAction(spec, imports, { directive, exported }) {
  const template = PUBLIC_ACTIONS.find((a) => a.name === spec.name) ?? PUBLIC_ACTIONS[0];
  const schemaName = `${spec.name}Schema`;
  imports.add('zod', 'z').add('@/lib/mail', 'resend');
  const schemaFields = template.fields.map((f) =>
    f === 'email' ? 'email: z.string().trim().email(),' : `${f}: z.string().trim().min(1).max(2000),`,
  );
  const declaration = `const ${schemaName} = z.object({\n${indent(schemaFields.join('\n'))}\n});`;
  const limited = spec.profile === 'secure-public';
  if (limited) imports.add('next/headers', 'headers').add('@/lib/ratelimit', 'ratelimit');
  const body = [
    ...(directive ? ["'use server';", ''] : []),
    ...(limited
      ? [
          "const ip = (await headers()).get('x-forwarded-for') ?? 'anonymous';",
          `const { success } = await ratelimit.limit(\`${spec.name}:\${ip}\`);`,
          "if (!success) {\n  return { ok: false, error: 'Too many requests. Try again in a minute.' };\n}",
        ]
      : []),
    `const parsed = ${schemaName}.safeParse({\n${indent(template.fields.map((f) => `${f}: formData.get('${f}'),`).join('\n'))}\n});`,
    `if (!parsed.success) {\n  return { ok: false, fieldErrors: parsed.error.flatten().fieldErrors };\n}`,
    '',
    'await resend.emails.send({',
    "  from: 'noreply@example.com',",
    "  to: 'team@example.com',",
    `  subject: \`${template.subject} from \${parsed.data.email}\`,`,
    '  text: JSON.stringify(parsed.data, null, 2),',
    '});',
    'return { ok: true };',
  ];
  const doc = `/**\n * ${template.subject} form on the marketing site; anyone may submit it.\n * @public\n */`;
  return {
    declarations: [declaration],
    text: `${doc}\n${exported ? 'export ' : ''}async function ${spec.name}(formData: FormData) {\n${indent(body.join('\n'))}\n}`,
    usesState: false,
  };
}

/** An action built with an action client: next-safe-action (`.schema` or `.inputSchema`) or zsa procedures. */
export function clientAction(spec, imports, { library }) {
  const { schemaName, declaration } = schemaFor(spec, imports);
  const unauthenticated = spec.profile === 'require-auth';
  const lines = [];
  let owner;
  if (unauthenticated && spec.authMistake === 'missing') {
    owner = undefined;
  } else if (unauthenticated) {
    imports.add(spec.authFrom, 'getSession');
    lines.push('const session = await getSession();');
    owner = "session?.userId ?? ''";
  } else if (spec.profile === 'server-identity') {
    owner = 'input.ownerId';
  } else {
    owner = library === 'zsa' ? 'ctx.user.id' : 'ctx.userId';
  }
  if (spec.anchor) lines.push('// bench:keystroke');
  lines.push(...guardedWrite(spec, writeStatement(spec, owner, imports)), ...finish(spec, imports));
  const usesCtx = owner?.startsWith('ctx') ?? false;
  let chain;
  if (library === 'zsa') {
    const base = unauthenticated ? 'createServerAction()' : 'authedProcedure\n  .createServerAction()';
    if (unauthenticated) imports.add('zsa', 'createServerAction');
    else imports.add('@/lib/zsa', 'authedProcedure');
    chain = `${base}\n  .input(${schemaName})\n  .handler(async ({ input${usesCtx ? ', ctx' : ''} }) => {`;
  } else {
    const client = unauthenticated ? 'actionClient' : 'authActionClient';
    imports.add('@/lib/safe-action', client);
    const method = spec.name.length % 2 === 0 ? 'schema' : 'inputSchema';
    chain = `${client}\n  .metadata({ actionName: '${spec.name}' })\n  .${method}(${schemaName})\n  .action(async ({ parsedInput: input${usesCtx ? ', ctx' : ''} }) => {`;
  }
  return {
    declarations: declaration ? [declaration] : [],
    text: `export const ${spec.name} = ${chain}\n${indent(lines.join('\n'), 2)}\n  });`,
    usesState: false,
  };
}

export const ACTION_STATE_TYPE =
  'type ActionState = { ok: boolean; error?: string; fieldErrors?: Record<string, string[] | undefined> } | null;';

/** Default values for a form that edits `entity`, used by pages and client forms. */
export function sampleRecord(entity) {
  const fields = entity.fields.map((f) => `${f.name}: ${f.kind === 'date' ? `new Date(${sampleValue(f)})` : sampleValue(f)}`);
  return `{ id: '00000000-0000-4000-8000-000000000000', ${fields.join(', ')} }`;
}

export function recordType(entity) {
  return `{ id: string; ${entity.fields.map((f) => `${f.name}: ${tsTypeFor(f)}`).join('; ')} }`;
}

