import type { LibraryDescriptor } from '../types';

/** Next.js's own server APIs: cache revalidation, navigation exits and cookies. */
export const next: LibraryDescriptor = {
  id: 'next',
  name: 'Next.js',
  category: 'framework',
  packages: ['next/cache', 'next/navigation', 'next/headers', 'next/server'],
  exports: {
    revalidatePath: { revalidate: true },
    revalidateTag: { revalidate: true },
    updateTag: { revalidate: true },
    refresh: { revalidate: true },
    expirePath: { revalidate: true },
    expireTag: { revalidate: true },
    redirect: { exit: true },
    permanentRedirect: { exit: true },
    notFound: { exit: true },
    forbidden: { exit: true },
    unauthorized: { exit: true },
  },
  examples: [
    { code: `import { revalidatePath } from 'next/cache';\nexport async function a() { revalidatePath('/'); // <-\n}`, expect: 'revalidate' },
    { code: `import { redirect } from 'next/navigation';\nexport async function a() { redirect('/login'); // <-\n}`, expect: 'exit' },
    { code: `import { cookies } from 'next/headers';\nexport async function a() { (await cookies()).set('theme', 'dark'); // <-\n}`, expect: 'cookie-write' },
  ],
};
