import type { LibraryDescriptor } from '../types';

/** Better Auth: `auth.api.getSession({ headers })` on the project's `betterAuth(…)` instance, `{ user, session } | null`. */
export const betterAuth: LibraryDescriptor = {
  id: 'better-auth',
  name: 'Better Auth',
  category: 'auth',
  packages: ['better-auth', 'better-auth/*'],
  clientFactories: ['betterAuth'],
  members: [
    {
      path: /^api\.getSession$/,
      auth: 'getter',
      shape: { userIdPath: ['user', 'id'], presencePath: [], fixBinding: 'session' },
      fixCall: { text: 'auth.api.getSession({ headers: await headers() })', imports: [{ name: 'headers', from: 'next/headers' }] },
    },
    { path: /^api\.signOut$/ },
    { path: /^api\.(signInSocial|signInOAuth2|linkSocialAccount|signInSSO)$/, oauth: true },
    { path: /^api\.(signIn|signUp|resetPassword|forgetPassword|requestPasswordReset|sendVerificationEmail|verifyEmail|sendVerificationOTP|verifyTOTP|verifyOTP|verifyBackupCode|signInMagicLink|changePassword)\w*$/, authFlow: true },
    // Endpoints behind Better Auth's session middleware act on the signed-in caller and throw without a session.
    {
      path: /^api\.(setPassword|updateUser|deleteUser|changeEmail|revokeSessions?|revokeOtherSessions|linkSocial|unlinkAccount|createOrganization|updateOrganization|deleteOrganization|setActiveOrganization|leaveOrganization|inviteMember|removeMember|updateMemberRole|acceptInvitation|rejectInvitation|cancelInvitation)$/,
      effect: 'db-write',
      actsAsCaller: true,
    },
    { path: /^api\.(listSessions|listUserAccounts|getFullOrganization|listOrganizations|getActiveMember)$/, effect: 'db-read', actsAsCaller: true },
    { path: /^api\.(update|delete|change|set|ban|unban|create|remove|revoke|link|unlink)\w*$/, effect: 'db-write' },
    { path: /^api\./, effect: 'db-read' },
  ],
  privileged: true,
  browserSafe: (_exported, specifier) => /^better-auth\/(react|client|vue|svelte|solid)(\/|$)/.test(specifier) || /^(better-auth|@better-auth\/[\w-]+)\/.*\bclient$/.test(specifier),
  examples: [
    {
      code: `import { betterAuth } from 'better-auth';\nimport { headers } from 'next/headers';\nconst auth = betterAuth({});\nexport async function a() { const s = await auth.api.getSession({ headers: await headers() }); // <-\n}`,
      expect: 'auth-getter',
    },
  ],
};
