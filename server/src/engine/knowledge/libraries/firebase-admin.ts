import type { LibraryDescriptor } from '../types';

/** Firebase Admin: verifying an ID token or session cookie yields `{ uid }`; Firestore writes; admin credentials. */
export const firebaseAdmin: LibraryDescriptor = {
  id: 'firebase-admin',
  name: 'Firebase Admin',
  category: 'auth',
  packages: ['firebase-admin', 'firebase-admin/*'],
  exports: {
    getAuth: {},
    getFirestore: {},
  },
  clientFactories: ['getAuth', 'getFirestore', 'initializeApp', 'auth', 'firestore', 'default'],
  members: [
    { path: /^(auth\.)?(verifyIdToken|verifySessionCookie)$/, auth: 'getter', shape: { userIdPath: ['uid'], presencePath: ['uid'], fixBinding: 'decoded' } },
    { path: /^(auth\.)?(createUser|updateUser|deleteUser|deleteUsers|setCustomUserClaims|revokeRefreshTokens)$/, effect: 'db-write' },
    { path: /(^|\.)(set|update|delete|add|create)$/, effect: 'db-write' },
    { path: /(^|\.)get$/, effect: 'db-read' },
  ],
  privileged: true,
  examples: [
    {
      code: `import { getAuth } from 'firebase-admin/auth';\nexport async function a(token: string) { const d = await getAuth().verifyIdToken(token); // <-\n}`,
      expect: 'auth-getter',
    },
  ],
};
