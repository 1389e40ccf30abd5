import type { LibraryDescriptor, SessionShape } from '../types';

const session: SessionShape = { userIdPath: ['user', 'id'], presencePath: ['user', 'id'], fixBinding: 'session' };

/** Auth.js / NextAuth v5 (`auth()` from the project's `NextAuth(…)` export) and NextAuth v4 (`getServerSession`). */
export const nextAuth: LibraryDescriptor = {
  id: 'next-auth',
  name: 'Auth.js / NextAuth',
  category: 'auth',
  packages: ['next-auth', 'next-auth/*', '@auth/nextjs', '@auth/core'],
  exports: {
    auth: { auth: 'getter', shape: session },
    getServerSession: { auth: 'getter', shape: session },
    // `signIn('credentials', { email, password })`, `signIn('resend', { email })`: a credential check or a sign-in link
    // sent; `signIn('github')` only redirects (the engine tells them apart by the second argument).
    signIn: { exit: true, authFlow: true },
  },
  // `export const { auth, handlers } = NextAuth(config)`: the destructured `auth` is the session getter.
  clientFactories: ['default', 'NextAuth'],
  members: [
    { path: /^auth$/, auth: 'getter', shape: session },
    { path: /^signIn$/, exit: true, authFlow: true },
    { path: /^signOut$/, exit: true },
  ],
  // Not privileged by itself: a config module that only lists providers leaves their secrets to the package (read
  // from AUTH_* variables inside it). One that reads a secret or passes a database adapter is privileged through that.
  browserSafe: (_exported, specifier) => specifier === 'next-auth/react',
  examples: [
    { code: `import { getServerSession } from 'next-auth';\nexport async function a() { const s = await getServerSession(); // <-\n}`, expect: 'auth-getter' },
  ],
};
