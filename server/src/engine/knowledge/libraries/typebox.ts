import type { LibraryDescriptor } from '../types';

/** TypeBox: `Value.Parse(T, x)`, `Value.Check(T, x)`, compiled checkers. */
export const typebox: LibraryDescriptor = {
  id: 'typebox',
  name: 'TypeBox',
  category: 'validation',
  packages: ['@sinclair/typebox', '@sinclair/typebox/*', 'typebox', 'typebox/*'],
  schemaBuilders: ['Type', 't', 'TypeCompiler'],
  schemaMethods: { Check: 'safe', Parse: 'throws', Decode: 'throws', Assert: 'throws' },
  examples: [
    { code: `import { Type } from '@sinclair/typebox';\nimport { Value } from '@sinclair/typebox/value';\nconst S = Type.Object({ id: Type.String() });\nexport async function a(input: unknown) { const p = Value.Parse(S, input); // <-\n}`, expect: 'validate' },
  ],
};
