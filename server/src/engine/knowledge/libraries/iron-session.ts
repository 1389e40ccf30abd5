import type { LibraryDescriptor } from '../types';

/** iron-session: `getIronSession(cookies(), options)` resolves to the session object the project defines. */
export const ironSession: LibraryDescriptor = {
  id: 'iron-session',
  name: 'iron-session',
  category: 'auth',
  packages: ['iron-session', 'iron-session/*'],
  exports: {
    getIronSession: { auth: 'getter', shape: { userIdPath: ['userId'], presencePath: ['userId'], fixBinding: 'session' } },
  },
  privileged: true,
  examples: [
    {
      code: `import { getIronSession } from 'iron-session';\nimport { cookies } from 'next/headers';\nexport async function a() { const s = await getIronSession<{ userId?: string }>(await cookies(), { password: 'x', cookieName: 'c' }); // <-\n}`,
      expect: 'auth-getter',
    },
  ],
};
