import type { LibraryDescriptor } from '../types';

/** Kinde: `getKindeServerSession()` returns helpers; `getUser()` resolves to the user or null. */
export const kinde: LibraryDescriptor = {
  id: 'kinde',
  name: 'Kinde',
  category: 'auth',
  packages: ['@kinde-oss/kinde-auth-nextjs', '@kinde-oss/kinde-auth-nextjs/*'],
  exports: {
    getKindeServerSession: {},
  },
  clientFactories: ['getKindeServerSession'],
  members: [
    { path: /^getUser$/, auth: 'getter', shape: { userIdPath: ['id'], presencePath: [], fixBinding: 'user' } },
    { path: /^isAuthenticated$/, auth: 'getter', shape: { userIdPath: [], presencePath: [], fixBinding: 'authenticated' } },
  ],
  examples: [
    {
      code: `import { getKindeServerSession } from '@kinde-oss/kinde-auth-nextjs/server';\nexport async function a() { const { getUser } = getKindeServerSession(); const user = await getUser(); // <-\n}`,
      expect: 'auth-getter',
    },
  ],
};
