import type { LibraryDescriptor } from '../types';

/** Clerk: `auth()` resolves to `{ userId }`, `currentUser()` to the user or null, `auth.protect()` throws. */
export const clerk: LibraryDescriptor = {
  id: 'clerk',
  name: 'Clerk',
  category: 'auth',
  packages: ['@clerk/nextjs', '@clerk/nextjs/*', '@clerk/backend'],
  exports: {
    auth: { auth: 'getter', shape: { userIdPath: ['userId'], presencePath: ['userId'], fixBinding: '{ userId }' } },
    currentUser: { auth: 'getter', shape: { userIdPath: ['id'], presencePath: [], fixBinding: 'user' } },
    redirectToSignIn: { auth: 'guard', exit: true },
  },
  members: [],
  examples: [
    { code: `import { auth } from '@clerk/nextjs/server';\nexport async function a() { const { userId } = await auth(); // <-\n}`, expect: 'auth-getter' },
    { code: `import { currentUser } from '@clerk/nextjs/server';\nexport async function a() { const user = await currentUser(); // <-\n}`, expect: 'auth-getter' },
    { code: `import { auth } from '@clerk/nextjs/server';\nexport async function a() { await auth.protect(); // <-\n}`, expect: 'auth-guard' },
  ],
};
