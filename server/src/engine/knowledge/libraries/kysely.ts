import type { LibraryDescriptor } from '../types';

/** Kysely: `new Kysely(…)`; `db.insertInto(t)`, `db.updateTable(t)`, `db.deleteFrom(t)`, `db.selectFrom(t)`. */
export const kysely: LibraryDescriptor = {
  id: 'kysely',
  name: 'Kysely',
  category: 'database',
  packages: ['kysely'],
  clientFactories: ['Kysely'],
  members: [
    { path: /^transaction(\.|$)/ },
    { path: /^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)(\.|$)/, effect: 'db-write' },
    { path: /^(selectFrom|selectNoFrom|with)(\.|$)/, effect: 'db-read' },
  ],
  privileged: true,
  browserSafe: (exported) => exported !== 'Kysely',
  examples: [
    { code: `import { Kysely } from 'kysely';\nconst db = new Kysely<any>({} as never);\nexport async function a(id: string) { await db.deleteFrom('post').where('id', '=', id).execute(); // <-\n}`, expect: 'db-write' },
  ],
};
