import type { LibraryDescriptor } from '../types';

export const yup: LibraryDescriptor = {
  id: 'yup',
  name: 'yup',
  category: 'validation',
  packages: ['yup'],
  schemaBuilders: ['yup', 'object', 'string', 'number', '*', 'default'],
  schemaMethods: { validate: 'throws', validateSync: 'throws', cast: 'throws' },
  examples: [
    { code: `import * as yup from 'yup';\nconst S = yup.object({ id: yup.string().required() });\nexport async function a(input: unknown) { const p = await S.validate(input); // <-\n}`, expect: 'validate' },
  ],
};
