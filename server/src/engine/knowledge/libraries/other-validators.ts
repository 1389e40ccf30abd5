import type { LibraryDescriptor } from '../types';

/** superstruct, joi and io-ts. */
export const otherValidators: LibraryDescriptor = {
  id: 'other-validators',
  name: 'superstruct, joi, io-ts',
  category: 'validation',
  packages: ['superstruct', 'joi', 'io-ts'],
  exports: {
    create: { validate: 'throws' },
    assert: { validate: 'throws' },
    validate: { validate: 'safe' },
    is: { validate: 'safe' },
    mask: { validate: 'throws' },
  },
  schemaBuilders: ['Joi', 'default', 't', '*', 'object', 'string'],
  schemaMethods: { validate: 'safe', validateAsync: 'throws', attempt: 'throws', decode: 'safe', assert: 'throws', create: 'throws', mask: 'throws' },
  examples: [
    { code: `import Joi from 'joi';\nconst S = Joi.object({ id: Joi.string() });\nexport async function a(input: unknown) { const p = S.validate(input); // <-\n}`, expect: 'validate' },
  ],
};
