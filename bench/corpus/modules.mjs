// One "module" of the app: an action file (file-level actions, an action-client file, or a page with inline
// actions) and the four ordinary files around it (client form, card, format helpers, page or types).
import * as path from 'node:path';
import {
  ACTION_STATE_TYPE,
  PUBLIC_PROFILES,
  clientAction,
  drawAction,
  formAction,
  pickOps,
  recordType,
  sampleRecord,
} from './actions.mjs';
import { ENTITIES, inputType } from './entities.mjs';
import { lacksServerOnly } from './shared.mjs';
import { Imports, file, hash, indent, kebab, random } from './source.mjs';

export const KIND_WEIGHTS = { 'file-directive': 55, 'action-client': 25, 'inline-directive': 20 };
const IMPORT_PATHS = {
  auth: ['@/lib/auth', '@/lib/auth', '@/lib', '@acme/auth'],
  db: ['@/lib/db', '@/lib', 'relative:lib/db'],
  validation: ['@/lib/validation', '@/lib/validation/entity', '@/lib'],
};

/** Where one file imports its helpers from: tsconfig paths, the lib/ barrel, a workspace package or a relative path. */
function importPaths(rng) {
  return { auth: rng.pick(IMPORT_PATHS.auth), db: rng.pick(IMPORT_PATHS.db), validation: rng.pick(IMPORT_PATHS.validation) };
}

/** Replaces `relative:<path>` import sources by a path relative to the importing file. */
function resolveRelative(imports, filePath, app) {
  for (const from of [...imports.modules.keys()]) {
    if (!from.startsWith('relative:')) continue;
    const target = `apps/${app}/${from.slice('relative:'.length)}`;
    let relative = path.posix.relative(path.posix.dirname(filePath), target);
    if (!relative.startsWith('.')) relative = `./${relative}`;
    const entry = imports.modules.get(from);
    imports.modules.delete(from);
    const moved = new Imports();
    moved.modules.set(relative, entry);
    imports.merge(moved);
  }
  return imports;
}

export function moduleLayout(index) {
  const entity = ENTITIES[index % ENTITIES.length];
  const app = index % 4 === 3 ? 'admin' : 'web';
  const section = `s${String(Math.floor(index / ENTITIES.length)).padStart(3, '0')}`;
  const routeDir = `apps/${app}/app/(dashboard)/${section}/${kebab(entity.plural)}`;
  const base = kebab(entity.name);
  return {
    entity,
    app,
    section,
    routeDir,
    routeImport: `@/app/(dashboard)/${section}/${kebab(entity.plural)}`,
    formFile: `apps/${app}/components/${section}/${base}-form.tsx`,
    formImport: `@/components/${section}/${base}-form`,
    cardFile: `apps/${app}/components/${section}/${base}-card.tsx`,
    cardImport: `@/components/${section}/${base}-card`,
    formatFile: `apps/${app}/lib/format/${section}/${base}.ts`,
    formatImport: `@/lib/format/${section}/${base}`,
    typesFile: `apps/${app}/types/${section}/${base}.ts`,
  };
}

/**
 * Emits module `index`. Its content depends only on (seed, index), so the 100-file corpus is the first
 * hundred modules of the 1,000-file one: sizes differ in scale, not in shape.
 */
export function emitModule(seed, index) {
  const rng = random(hash(`${seed}:module:${index}`));
  const layout = moduleLayout(index);
  const kind = rng.weighted(KIND_WEIGHTS);
  const files = {};
  const actions = [];
  const plantedFlaws = [];
  let module;
  if (kind === 'inline-directive') module = inlinePage(rng, layout);
  else if (kind === 'action-client') module = actionClientFile(rng, layout);
  else module = fileDirectiveFile(rng, layout);
  files[module.path] = module.text;
  for (const spec of module.specs) {
    actions.push({
      file: module.path,
      name: spec.name,
      kind,
      ...(module.library ? { library: module.library } : {}),
      profile: spec.profile,
      op: spec.op,
      orm: spec.orm,
      signature: spec.signature,
      // Archiving goes through lib/server/<entity>.ts; where that helper lacks 'server-only', the action inherits it.
      ...(spec.op === 'archive' && lacksServerOnly(ENTITIES.indexOf(layout.entity)) ? { inherits: ['server-only'] } : {}),
    });
  }
  if (module.nonAsyncExport) plantedFlaws.push({ file: module.path, rule: 'non-async-export' });

  const hiddenOwner = kind !== 'inline-directive' && rng.chance(0.05);
  if (hiddenOwner) plantedFlaws.push({ file: layout.formFile, rule: 'narrow-contract', detail: 'hidden ownerId input' });
  files[layout.formFile] = clientForm(rng, layout, kind === 'inline-directive' ? undefined : module, hiddenOwner);
  files[layout.cardFile] = card(rng, layout);
  files[layout.formatFile] = formatHelpers(rng, layout);
  if (kind === 'inline-directive') files[layout.typesFile] = typesFile(rng, layout);
  else files[`${layout.routeDir}/page.tsx`] = page(rng, layout, hiddenOwner);
  return { files, actions, plantedFlaws, actionFile: module.path };
}

function fileDirectiveFile(rng, layout) {
  const filePath = `${layout.routeDir}/actions.ts`;
  const imports = new Imports();
  const paths = importPaths(rng);
  const count = Number(rng.weighted({ 1: 45, 2: 35, 3: 20 }));
  const ops = pickOps(rng, count);
  const specs = [];
  for (let i = 0; i < count; i++) {
    const spec = drawAction(rng, { entity: layout.entity, op: ops[i], kind: 'file-directive', allowPublic: i === 0, paths });
    specs.push(spec);
    if (PUBLIC_PROFILES.has(spec.profile)) break;
  }
  const emitted = specs.map((spec) => formAction(spec, imports));
  const nonAsyncExport = rng.chance(0.02);
  const declarations = emitted.flatMap((e) => e.declarations);
  if (emitted.some((e) => e.usesState)) declarations.unshift(ACTION_STATE_TYPE);
  if (nonAsyncExport) declarations.push(`export const MAX_${layout.entity.name.toUpperCase()}_PER_PAGE = 50;`);
  resolveRelative(imports, filePath, layout.app);
  const text = file("'use server';", imports.toString(), ...declarations, ...emitted.map((e) => e.text));
  return { path: filePath, text, specs, nonAsyncExport };
}

function actionClientFile(rng, layout) {
  const filePath = `${layout.routeDir}/actions.ts`;
  const imports = new Imports();
  const paths = importPaths(rng);
  const library = rng.chance(0.25) ? 'zsa' : 'next-safe-action';
  const count = rng.chance(0.6) ? 1 : 2;
  const ops = pickOps(rng, count);
  const specs = ops.map((op) =>
    drawAction(rng, { entity: layout.entity, op, kind: 'action-client', allowPublic: false, paths }),
  );
  const emitted = specs.map((spec) => clientAction(spec, imports, { library }));
  resolveRelative(imports, filePath, layout.app);
  const text = file("'use server';", imports.toString(), ...emitted.flatMap((e) => e.declarations), ...emitted.map((e) => e.text));
  return { path: filePath, text, specs, library };
}

function inlinePage(rng, layout) {
  const filePath = `${layout.routeDir}/page.tsx`;
  const { entity } = layout;
  const imports = new Imports();
  const paths = importPaths(rng);
  const count = rng.chance(0.7) ? 1 : 2;
  const ops = pickOps(rng, count);
  const specs = ops.map((op) => {
    const spec = drawAction(rng, { entity, op, kind: 'inline-directive', allowPublic: false, paths });
    if (spec.signature === 'prevState') spec.signature = 'formData';
    return spec;
  });
  const emitted = specs.map((spec) => formAction(spec, imports, { directive: true, exported: false }));
  imports.add('next/navigation', 'notFound').add(paths.db, 'db').add(layout.cardImport, `${entity.Name}Card`);
  const forms = specs.map((spec) => {
    const action = spec.signature === 'boundId' ? `${spec.name}.bind(null, record.id)` : spec.name;
    const inputs = [];
    if (spec.op !== 'create' && spec.signature !== 'boundId') inputs.push('<input type="hidden" name="id" value={record.id} />');
    if (spec.op === 'create' || spec.op === 'update') {
      for (const field of entity.fields) {
        const value = spec.op === 'update' ? ` defaultValue={String(record.${field.name})}` : '';
        inputs.push(`<input name="${field.name}" type="${inputType(field)}"${value} className="rounded border px-2 py-1" />`);
      }
    }
    inputs.push(`<button type="submit" className="rounded bg-black px-3 py-1.5 text-white">${spec.name}</button>`);
    return `<form action={${action}} className="grid gap-2">\n${indent(inputs.join('\n'))}\n</form>`;
  });
  resolveRelative(imports, filePath, layout.app);
  const body = [
    'const { id } = await searchParams;',
    `const record = id ? await db.${entity.name}.findUnique({ where: { id } }) : null;`,
    'if (!record) notFound();',
    '',
    ...emitted.map((e) => `${e.text}\n`),
    'return (',
    `  <main className="mx-auto max-w-2xl space-y-6 p-6">\n    <h1 className="text-xl font-semibold">${entity.Name} settings</h1>\n    <${entity.Name}Card ${entity.name}={record} />\n${indent(forms.join('\n'), 2)}\n  </main>`,
    ');',
  ];
  const text = file(
    imports.toString(),
    ...emitted.flatMap((e) => e.declarations),
    `export default async function ${entity.Name}SettingsPage({\n  searchParams,\n}: {\n  searchParams: Promise<{ id?: string }>;\n}) {\n${indent(body.join('\n'))}\n}`,
  );
  return { path: filePath, text, specs };
}

/** A 'use client' form posting to the module's first action, in the style the action's shape calls for. */
function clientForm(rng, layout, module, hiddenOwner) {
  const { entity } = layout;
  const imports = new Imports().add('react-dom', 'useFormStatus').addType(layout.formatImport, `${entity.Name}Record`);
  const spec = module?.specs[0];
  const fields = spec && (spec.op === 'delete' || spec.op === 'archive') ? [] : entity.fields;
  const inputs = [];
  if (!spec || spec.op !== 'create') inputs.push(`<input type="hidden" name="id" value={${entity.name}.id} />`);
  if (hiddenOwner) inputs.push(`<input type="hidden" name="ownerId" value={ownerId} />`);
  for (const field of fields) {
    inputs.push(
      `<label className="grid gap-1 text-sm">\n  <span>${field.name}</span>\n  <input name="${field.name}" type="${inputType(field)}" defaultValue={String(${entity.name}.${field.name})} required />\n</label>`,
    );
  }
  inputs.push(`<SubmitButton label="Save ${entity.name}" />`);
  const props = `{ ${entity.name}${hiddenOwner ? ', ownerId' : ''} }: { ${entity.name}: ${entity.Name}Record${hiddenOwner ? '; ownerId: string' : ''} }`;
  let body;
  if (!spec) {
    body = `return (\n  <fieldset className="grid gap-3">\n${indent(inputs.join('\n'), 2)}\n  </fieldset>\n);`;
  } else if (module.library) {
    const hook = module.library === 'zsa' ? 'useServerAction' : 'useAction';
    imports.add(module.library === 'zsa' ? 'zsa-react' : 'next-safe-action/hooks', hook).add(`${layout.routeImport}/actions`, spec.name);
    const values = [`id: ${entity.name}.id`, ...fields.map((f) => `${f.name}: String(formData.get('${f.name}') ?? '')`)];
    body = [
      `const { execute, isPending } = ${hook}(${spec.name});`,
      'return (',
      `  <form\n    action={(formData) => {\n      void execute({\n${indent(values.map((v) => `${v},`).join('\n'), 4)}\n      });\n    }}\n    aria-busy={isPending}\n    className="grid gap-3"\n  >`,
      indent(inputs.join('\n'), 2),
      '  </form>',
      ');',
    ].join('\n');
  } else {
    imports.add(`${layout.routeImport}/actions`, spec.name);
    let action = spec.name;
    const pre = [];
    if (spec.signature === 'prevState') {
      imports.add('react', 'useActionState');
      pre.push(`const [state, formAction] = useActionState(${spec.name}, null);`);
      action = 'formAction';
      inputs.push(`{state?.error ? <p role="alert">{state.error}</p> : null}`);
    } else if (spec.signature === 'boundId') {
      action = `${spec.name}.bind(null, ${entity.name}.id)`;
    }
    body = [...pre, 'return (', `  <form action={${action}} className="grid gap-3">`, indent(inputs.join('\n'), 2), '  </form>', ');'].join(
      '\n',
    );
  }
  const extras = Array.from({ length: rng.int(0, 2) }, (_, i) => hintComponent(entity, i));
  return file(
    "'use client';",
    imports.toString(),
    "function SubmitButton({ label }: { label: string }) {\n  const { pending } = useFormStatus();\n  return (\n    <button type=\"submit\" disabled={pending} className=\"rounded bg-black px-3 py-1.5 text-white\">\n      {pending ? 'Saving…' : label}\n    </button>\n  );\n}",
    ...extras,
    `export function ${entity.Name}Form(${props}) {\n${indent(body)}\n}`,
  );
}

function hintComponent(entity, i) {
  return `export function ${entity.Name}Hint${i}({ text }: { text: string }) {\n  if (text.length === 0) return null;\n  return <p className="text-xs text-neutral-500">{text.slice(0, ${60 + i * 20})}</p>;\n}`;
}

function card(rng, layout) {
  const { entity } = layout;
  const rows = entity.fields
    .map((f) => `<dt className="text-neutral-500">${f.name}</dt>\n<dd>{String(${entity.name}.${f.name})}</dd>`)
    .join('\n');
  const extraRows = Array.from({ length: rng.int(0, 3) }, (_, i) => `export function ${entity.Name}Row${i}({ label, value }: { label: string; value: string }) {\n  return (\n    <div className="flex justify-between text-sm">\n      <span>{label}</span>\n      <span className="font-mono">{value}</span>\n    </div>\n  );\n}`);
  return file(
    "import { Badge, Card } from '@acme/ui';",
    `import { format${entity.Name}Title, type ${entity.Name}Record } from '${layout.formatImport}';`,
    ...extraRows,
    `export function ${entity.Name}Card({ ${entity.name} }: { ${entity.name}: ${entity.Name}Record }) {\n  return (\n    <Card title={format${entity.Name}Title(${entity.name})}>\n      <dl className="grid grid-cols-2 gap-2 text-sm">\n${indent(rows, 4)}\n      </dl>\n      <Badge tone="success">Active</Badge>\n    </Card>\n  );\n}`,
  );
}

/** Pure helpers: the bulk of an app's ordinary TypeScript. */
function formatHelpers(rng, layout) {
  const { entity } = layout;
  const { Name } = entity;
  const first = entity.fields[0].name;
  const candidates = [
    `export function summarize${Name}(record: ${Name}Record, max = 80): string {\n  const text = Object.values(record).map(String).join(' · ');\n  return text.length > max ? \`\${text.slice(0, max - 1)}…\` : text;\n}`,
    `export function sort${Name}s(records: ${Name}Record[], direction: 'asc' | 'desc' = 'asc'): ${Name}Record[] {\n  const sign = direction === 'asc' ? 1 : -1;\n  return [...records].sort((a, b) => sign * String(a.${first}).localeCompare(String(b.${first})));\n}`,
    `export function group${Name}sBy<K extends keyof ${Name}Record>(records: ${Name}Record[], key: K): Map<${Name}Record[K], ${Name}Record[]> {\n  const groups = new Map<${Name}Record[K], ${Name}Record[]>();\n  for (const record of records) {\n    const bucket = groups.get(record[key]) ?? [];\n    bucket.push(record);\n    groups.set(record[key], bucket);\n  }\n  return groups;\n}`,
    `export function ${entity.name}Matches(record: ${Name}Record, query: string): boolean {\n  const needle = query.trim().toLowerCase();\n  if (needle.length === 0) return true;\n  return Object.values(record).some((value) => String(value).toLowerCase().includes(needle));\n}`,
    `export function to${Name}CsvRow(record: ${Name}Record): string {\n  return Object.values(record)\n    .map((value) => \`"\${String(value).replaceAll('"', '""')}"\`)\n    .join(',');\n}`,
    `export function paginate${Name}s(records: ${Name}Record[], page: number, perPage = 20) {\n  const pages = Math.max(1, Math.ceil(records.length / perPage));\n  const current = Math.min(Math.max(1, page), pages);\n  return { pages, current, items: records.slice((current - 1) * perPage, current * perPage) };\n}`,
    `export function diff${Name}(before: ${Name}Record, after: ${Name}Record): Array<keyof ${Name}Record> {\n  return (Object.keys(after) as Array<keyof ${Name}Record>).filter((key) => before[key] !== after[key]);\n}`,
  ];
  const chosen = candidates.filter(() => rng.chance(0.6));
  return file(
    `export type ${Name}Record = ${recordType(entity)};`,
    `export function format${Name}Title(record: ${Name}Record): string {\n  return String(record.${first}).trim() || 'Untitled ${entity.name}';\n}`,
    ...chosen,
  );
}

function page(rng, layout, passesOwner) {
  const { entity } = layout;
  const imports = new Imports()
    .add('next/navigation', 'notFound')
    .add(rng.chance(0.5) ? '@/lib/auth' : '@/lib', 'requireUser')
    .add(`@/lib/server/${entity.name}`, `find${entity.Name}ForOwner`, `list${entity.Name}s`)
    .add(layout.cardImport, `${entity.Name}Card`)
    .add(layout.formImport, `${entity.Name}Form`);
  return file(
    imports.toString(),
    `export const metadata = { title: '${entity.Name}s' };`,
    `const EMPTY_${entity.name.toUpperCase()} = ${sampleRecord(entity)};`,
    `export default async function ${entity.Name}sPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {\n  const session = await requireUser();\n  const { id } = await searchParams;\n  const record = id ? await find${entity.Name}ForOwner(id, session.userId) : null;\n  if (id && !record) notFound();\n  const recent = await list${entity.Name}s(session.userId, 5);\n  return (\n    <main className="mx-auto max-w-2xl space-y-6 p-6">\n      <h1 className="text-xl font-semibold">${entity.Name}s</h1>\n      {record ? <${entity.Name}Card ${entity.name}={record} /> : null}\n      <${entity.Name}Form ${entity.name}={record ?? EMPTY_${entity.name.toUpperCase()}}${passesOwner ? ' ownerId={session.userId}' : ''} />\n      <ul className="divide-y">\n        {recent.map((item) => (\n          <li key={item.id} className="py-2">\n            {item.id}\n          </li>\n        ))}\n      </ul>\n    </main>\n  );\n}`,
  );
}

function typesFile(rng, layout) {
  const { entity } = layout;
  const extra = Array.from(
    { length: rng.int(1, 4) },
    (_, i) => `export interface ${entity.Name}Event${i} {\n  type: '${entity.name}.event${i}';\n  ${entity.name}Id: string;\n  at: string;\n  payload: Record<string, unknown>;\n}`,
  );
  return file(
    `export type ${entity.Name}Id = string & { readonly __brand: '${entity.Name}Id' };`,
    `export interface ${entity.Name}Filter {\n  query?: string;\n  ownerOnly?: boolean;\n  page?: number;\n  perPage?: number;\n}`,
    ...extra,
    `export type ${entity.Name}Event = ${extra.map((_, i) => `${entity.Name}Event${i}`).join(' | ')};`,
  );
}

/**
 * A long file-level action file for the keystroke benchmark: secure and insecure actions over every entity,
 * importing helpers through paths and barrels, with one `// bench:keystroke` marker near the middle, in an
 * action whose body reads `formData`.
 */
export function emitKeystrokeFile(seed, targetLines) {
  const rng = random(hash(`${seed}:keystroke:${targetLines}`));
  const imports = new Imports();
  const paths = importPaths(rng);
  const emitted = [];
  const specs = [];
  let lines = 0;
  let anchored = false;
  for (let i = 0; lines < targetLines - 20; i++) {
    const entity = ENTITIES[i % ENTITIES.length];
    const op = pickOps(rng, 1)[0];
    const spec = drawAction(rng, { entity, op, kind: 'file-directive', allowPublic: false, paths });
    spec.name = `${spec.op}${entity.Name}${Math.floor(i / ENTITIES.length) || ''}`;
    if (!anchored && lines >= targetLines * 0.45) {
      Object.assign(spec, { op: 'update', profile: 'secure', signature: 'formData', anchor: true });
      spec.name = `update${entity.Name}Details`;
      anchored = true;
    }
    if (spec.signature === 'boundId') spec.signature = 'formData';
    const action = formAction(spec, imports);
    emitted.push(action);
    specs.push(spec);
    lines += action.text.split('\n').length + 1 + action.declarations.join('\n').split('\n').length;
  }
  const declarations = emitted.flatMap((e) => e.declarations);
  if (emitted.some((e) => e.usesState)) declarations.unshift(ACTION_STATE_TYPE);
  const filePath = `apps/web/app/(dashboard)/workbench/${targetLines >= 1000 ? 'large' : 'small'}/actions.ts`;
  resolveRelative(imports, filePath, 'web');
  const text = file("'use server';", imports.toString(), ...declarations, ...emitted.map((e) => e.text));
  return { path: filePath, text, specs, lines: text.split('\n').length - 1 };
}
