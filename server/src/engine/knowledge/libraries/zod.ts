import type { LibraryDescriptor } from '../types';

/** zod (v3, v4, mini) and zod-form-data: `schema.parse(x)` throws, `schema.safeParse(x)` returns a result. */
export const zod: LibraryDescriptor = {
  id: 'zod',
  name: 'zod',
  category: 'validation',
  packages: ['zod', 'zod/*', 'zod-form-data'],
  schemaBuilders: ['z', 'zfd', 'default', '*'],
  schemaMethods: { parse: 'throws', parseAsync: 'throws', safeParse: 'safe', safeParseAsync: 'safe', spa: 'safe', decode: 'throws', safeDecode: 'safe' },
  examples: [
    { code: `import { z } from 'zod';\nconst S = z.object({ id: z.string() });\nexport async function a(input: unknown) { const p = S.safeParse(input); // <-\n}`, expect: 'validate' },
  ],
};
