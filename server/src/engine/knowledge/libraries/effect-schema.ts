import type { LibraryDescriptor } from '../types';

/** Effect Schema: `Schema.decodeUnknownSync(S)(x)` and friends. */
export const effectSchema: LibraryDescriptor = {
  id: 'effect-schema',
  name: 'Effect Schema',
  category: 'validation',
  packages: ['effect', '@effect/schema', '@effect/schema/*'],
  schemaBuilders: ['Schema', 'S'],
  schemaMethods: {
    decodeUnknownSync: 'throws',
    decodeUnknown: 'throws',
    decodeUnknownEither: 'safe',
    decodeUnknownPromise: 'throws',
    decodeSync: 'throws',
    validateSync: 'throws',
    is: 'safe',
    asserts: 'throws',
  },
  examples: [
    { code: `import { Schema } from 'effect';\nconst S = Schema.Struct({ id: Schema.String });\nexport async function a(input: unknown) { const p = Schema.decodeUnknownSync(S)(input); // <-\n}`, expect: 'validate' },
  ],
};
