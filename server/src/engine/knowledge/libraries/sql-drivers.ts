import type { LibraryDescriptor } from '../types';

/**
 * SQL drivers: node-postgres, postgres.js, Vercel Postgres, Neon, PlanetScale, libSQL, better-sqlite3, mysql2. A
 * query writes when its SQL does (`INSERT`, `UPDATE`, `DELETE`…), whether sent as text or as a `sql` tagged template.
 */
export const sqlDrivers: LibraryDescriptor = {
  id: 'sql-drivers',
  name: 'SQL drivers (pg, postgres.js, Vercel Postgres, Neon, PlanetScale, libSQL, SQLite, MySQL)',
  category: 'database',
  packages: [
    'pg',
    'postgres',
    '@vercel/postgres',
    '@neondatabase/serverless',
    '@planetscale/database',
    '@libsql/client',
    '@libsql/client/*',
    'better-sqlite3',
    'mysql2',
    'mysql2/promise',
    '@tursodatabase/serverless',
  ],
  clientFactories: ['Pool', 'Client', 'default', 'neon', 'connect', 'createClient', 'createPool', 'createConnection'],
  clientExports: ['sql', 'db'],
  members: [
    { path: /^(query|execute|exec|run|all|get|batch|unsafe)$/, effect: 'db-read', byText: 'sql' },
    { path: /^prepare(\.|$)/, effect: 'db-read', byText: 'sql' },
  ],
  privileged: true,
  examples: [
    { code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function a(id: string) { await pool.query('DELETE FROM post WHERE id = $1', [id]); // <-\n}`, expect: 'db-write' },
    { code: `import { sql } from '@vercel/postgres';\nexport async function a(id: string) { await sql\`DELETE FROM post WHERE id = \${id}\`; // <-\n}`, expect: 'db-write' },
  ],
};
