import type { LibraryDescriptor } from '../types';

/** Drizzle: `drizzle(…)` from a driver entry point; `db.insert(t).values(v)`, `db.select().from(t)`, `db.query.t.findMany()`. */
export const drizzle: LibraryDescriptor = {
  id: 'drizzle',
  name: 'Drizzle ORM',
  category: 'database',
  // `drizzle-orm` itself (operators) and `drizzle-orm/*-core` (schema builders) hold no connection.
  packages: ['drizzle-orm/*'],
  clientFactories: ['drizzle'],
  members: [
    { path: /^transaction$/ },
    { path: /(^|\.)(insert|update|delete)(\.|$)/, effect: 'db-write' },
    { path: /^(select|selectDistinct|selectDistinctOn|query|\$count|\$with|with)(\.|$)/, effect: 'db-read' },
    { path: /^(execute|run|all|get|values)$/, effect: 'db-read', byText: 'sql' },
  ],
  privileged: true,
  browserSafe: (_exported, specifier) => /^drizzle-orm\/(pg-core|mysql-core|sqlite-core|singlestore-core|gel-core|zod|valibot|typebox|arktype|relations|sql)$/.test(specifier),
  examples: [
    { code: `import { drizzle } from 'drizzle-orm/node-postgres';\nconst db = drizzle('url');\nexport async function a() { await db.insert({} as never).values({}); // <-\n}`, expect: 'db-write' },
    { code: `import { drizzle } from 'drizzle-orm/node-postgres';\nconst db = drizzle('url');\nexport async function a() { return db.select().from({} as never); // <-\n}`, expect: 'db-read' },
  ],
};
