import type { LibraryDescriptor } from '../types';

/**
 * Lucia and the session code it taught (pilcrow's examples, `validateRequest()` / `getCurrentSession()` in the
 * project): the project's helper resolves to `{ user, session }`, both null without a session.
 */
export const lucia: LibraryDescriptor = {
  id: 'lucia',
  name: 'Lucia',
  category: 'auth',
  packages: ['lucia', '@lucia-auth/*', 'oslo', 'oslo/*', '@oslojs/*'],
  clientFactories: ['Lucia'],
  members: [
    { path: /^validateSession$/, auth: 'getter', shape: { userIdPath: ['user', 'id'], presencePath: ['user'], fixBinding: '{ user }' } },
    { path: /^(invalidateSession|invalidateUserSessions|createSession)$/, effect: 'db-write' },
  ],
  privileged: true,
  // oslo and @oslojs are hashing and encoding primitives (random ids, base32, SHA-256): fine in the browser.
  browserSafe: (_exported, specifier) => /^(oslo|@oslojs\/)/.test(specifier),
  examples: [
    {
      code: `import { Lucia } from 'lucia';\nconst lucia = new Lucia({} as never);\nexport async function a(id: string) { const r = await lucia.validateSession(id); // <-\n}`,
      expect: 'auth-getter',
    },
  ],
};
