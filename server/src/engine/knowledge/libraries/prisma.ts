import type { LibraryDescriptor } from '../types';

/**
 * Prisma: `new PrismaClient()` (possibly `$extends`-ed, behind a `globalThis` singleton); `<client>.<model>.<method>`.
 * Enums and the `Prisma` namespace are safe in the browser; only the client holds the connection.
 */
export const prisma: LibraryDescriptor = {
  id: 'prisma',
  name: 'Prisma',
  category: 'database',
  packages: ['@prisma/client', '@prisma/client/*', '@prisma/adapter-*', '@prisma/extension-accelerate'],
  specifierPatterns: [/(^|\/)generated\/prisma(\/(client|index|edge))?$/, /(^|\/)\.prisma\/client$/],
  clientFactories: ['PrismaClient'],
  members: [
    { path: /^\$transaction$/ },
    { path: /^\$(executeRaw|executeRawUnsafe)$/, effect: 'db-write' },
    { path: /^\$(queryRaw|queryRawUnsafe)$/, effect: 'db-read' },
    { path: /^\$/ },
    { path: /^\w+\.(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)$/, effect: 'db-write' },
    { path: /^\w+\.(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|count|aggregate|groupBy)$/, effect: 'db-read' },
  ],
  privileged: true,
  browserSafe: (exported, specifier) => !/^@prisma\/(adapter-|extension-)/.test(specifier) && exported !== 'PrismaClient' && exported !== 'default' && exported !== '*',
  examples: [
    { code: `import { PrismaClient } from '@prisma/client';\nconst db = new PrismaClient();\nexport async function a(id: string) { await db.post.delete({ where: { id } }); // <-\n}`, expect: 'db-write' },
    { code: `import { PrismaClient } from '@prisma/client';\nconst db = new PrismaClient();\nexport async function a() { return db.post.findMany(); // <-\n}`, expect: 'db-read' },
    {
      code: `import { PrismaClient } from '@prisma/client';\nconst make = () => new PrismaClient().$extends({});\nconst g = globalThis as unknown as { p?: ReturnType<typeof make> };\nconst db = g.p ?? make();\nexport async function a() { await db.company.create({ data: { name: 'x' } }); // <-\n}`,
      expect: 'db-write',
    },
  ],
};
