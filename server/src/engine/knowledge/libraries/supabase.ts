import type { LibraryDescriptor } from '../types';

/**
 * Supabase: one client for auth, PostgREST tables and storage. `supabase.auth.getUser()` resolves to
 * `{ data: { user } }`; `supabase.from(t).insert()` writes; `supabase.storage.from(b).upload()` stores.
 */
export const supabase: LibraryDescriptor = {
  id: 'supabase',
  name: 'Supabase',
  category: 'database',
  packages: ['@supabase/supabase-js', '@supabase/ssr', '@supabase/auth-helpers-nextjs'],
  clientFactories: ['createClient', 'createServerClient', 'createBrowserClient', 'createServerComponentClient', 'createServerActionClient', 'createRouteHandlerClient'],
  members: [
    {
      path: /^auth\.(getUser|getClaims)$/,
      auth: 'getter',
      shape: { userIdPath: ['data', 'user', 'id'], presencePath: ['data', 'user'], fixBinding: '{ data: { user } }' },
      fixCall: { text: 'supabase.auth.getUser()' },
    },
    { path: /^auth\.getSession$/, auth: 'getter', shape: { userIdPath: ['data', 'session', 'user', 'id'], presencePath: ['data', 'session'], fixBinding: '{ data: { session } }' } },
    { path: /^auth\.admin\./, effect: 'db-write' },
    { path: /^auth\.(signInWithOAuth|signInWithSSO|linkIdentity)$/, oauth: true },
    { path: /^auth\.(signInWithPassword|signInWithOtp|signUp|resetPasswordForEmail|verifyOtp|resend|signInAnonymously)$/, authFlow: true },
    { path: /^auth\./ },
    { path: /^storage\.from\.(upload|update|remove|move|copy|createSignedUploadUrl)$/, effect: 'storage-write' },
    { path: /^storage\.from\.(download|createSignedUrls?|list)$/, effect: 'storage-read' },
    { path: /^storage\./ },
    { path: /^from\.(.*\.)?(insert|update|upsert|delete)(\.|$)/, effect: 'db-write' },
    { path: /^from\./, effect: 'db-read' },
    { path: /^rpc$/, effect: 'db-write' },
    { path: /^functions\.invoke$/, effect: 'external-write' },
  ],
  // A client built from the public URL and anon key is safe anywhere (row-level security decides); a module that
  // reads the service-role key is privileged through that secret, which modules.ts sees.
  privileged: false,
  examples: [
    { code: `import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient('u', 'k');\nexport async function a() { const { data } = await supabase.auth.getUser(); // <-\n}`, expect: 'auth-getter' },
    { code: `import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient('u', 'k');\nexport async function a() { await supabase.from('notes').insert({ body: 'x' }); // <-\n}`, expect: 'db-write' },
    { code: `import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient('u', 'k');\nexport async function a() { return supabase.from('notes').select('*'); // <-\n}`, expect: 'db-read' },
    { code: `import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient('u', 'k');\nexport async function a(f: File) { await supabase.storage.from('avatars').upload('a.png', f); // <-\n}`, expect: 'storage-write' },
  ],
};
