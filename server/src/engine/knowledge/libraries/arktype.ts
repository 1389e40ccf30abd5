import type { LibraryDescriptor } from '../types';

/** arktype: `type({…})` builds a schema; `schema.assert(x)` throws. */
export const arktype: LibraryDescriptor = {
  id: 'arktype',
  name: 'arktype',
  category: 'validation',
  packages: ['arktype'],
  schemaBuilders: ['type', 'scope'],
  schemaMethods: { assert: 'throws', from: 'throws' },
  examples: [
    { code: `import { type } from 'arktype';\nconst S = type({ id: 'string' });\nexport async function a(input: unknown) { const p = S.assert(input); // <-\n}`, expect: 'validate' },
  ],
};
