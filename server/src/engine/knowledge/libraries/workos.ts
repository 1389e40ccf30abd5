import type { LibraryDescriptor } from '../types';

/** WorkOS AuthKit: `withAuth()` resolves to `{ user }` (null user without a session); `{ ensureSignedIn: true }` redirects. */
export const workos: LibraryDescriptor = {
  id: 'workos',
  name: 'WorkOS AuthKit',
  category: 'auth',
  packages: ['@workos-inc/authkit-nextjs', '@workos-inc/node'],
  exports: {
    withAuth: { auth: 'getter', shape: { userIdPath: ['user', 'id'], presencePath: ['user'], fixBinding: '{ user }' } },
    getUser: { auth: 'getter', shape: { userIdPath: ['user', 'id'], presencePath: ['user'], fixBinding: '{ user }' } },
    signOut: {},
  },
  clientFactories: ['WorkOS'],
  members: [
    { path: /^userManagement\.(get|list)\w*$/, effect: 'db-read' },
    { path: /^userManagement\.authenticate\w*$/ },
    { path: /^\w+\.(create|update|delete|revoke|send|remove|add)\w*$/, effect: 'external-write' },
  ],
  privileged: true,
  examples: [
    { code: `import { withAuth } from '@workos-inc/authkit-nextjs';\nexport async function a() { const { user } = await withAuth(); // <-\n}`, expect: 'auth-getter' },
  ],
};
