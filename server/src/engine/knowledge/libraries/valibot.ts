import type { LibraryDescriptor } from '../types';

/** valibot: free functions `parse(schema, x)` / `safeParse(schema, x)`. */
export const valibot: LibraryDescriptor = {
  id: 'valibot',
  name: 'valibot',
  category: 'validation',
  packages: ['valibot'],
  exports: {
    parse: { validate: 'throws' },
    parseAsync: { validate: 'throws' },
    safeParse: { validate: 'safe' },
    safeParseAsync: { validate: 'safe' },
    assert: { validate: 'throws' },
    is: { validate: 'safe' },
  },
  schemaBuilders: ['v', '*'],
  examples: [
    { code: `import * as v from 'valibot';\nconst S = v.object({ id: v.string() });\nexport async function a(input: unknown) { const p = v.parse(S, input); // <-\n}`, expect: 'validate' },
  ],
};
