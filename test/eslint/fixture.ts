/**
 * A small Next.js app for the ESLint tests, set up the way create-next-app leaves it (eslint-config-next's ignores,
 * `@/*` paths): a guard of its own named in the config file, a database module without `import 'server-only'`
 * imported by two action files and a client component, a suppressed finding, a rule the config file turns off,
 * and build output that neither tool may read.
 */
import { code } from '../rules/tester';

export const NEXT_APP: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'eslint-next-app',
    private: true,
    dependencies: { next: '16.0.0', react: '19.2.0', 'next-auth': '5.0.0-beta.30', '@prisma/client': '6.19.0', zod: '3.25.76' },
  }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, jsx: 'preserve', baseUrl: '.', paths: { '@/*': ['./*'] } } }),
  'server-action-guard.config.json': JSON.stringify({ authFunctions: ['requireStaff'], rules: { 'abuse-protection': 'off' } }),
  'next-env.d.ts': '/// <reference types="next" />\n',
  '.next/server/app/actions.js': "'use server';\nexport async function leaked(id) { await db.user.delete({ where: { id } }); }\n",
  'lib/db.ts': code`
    import { PrismaClient } from '@prisma/client';

    export const db = new PrismaClient();
  `,
  'lib/staff.ts': code`
    import 'server-only';
    import { redirect } from 'next/navigation';
    import { auth } from '@/auth';

    export async function requireStaff() {
      const session = await auth();
      if (!session?.user?.staff) redirect('/login');
      return session.user;
    }
  `,
  'auth.ts': code`
    import 'server-only';
    import NextAuth from 'next-auth';

    export const { auth, signIn, signOut } = NextAuth({ providers: [] });
  `,
  'app/admin/actions.ts': code`
    'use server';
    import { revalidatePath } from 'next/cache';
    import { z } from 'zod';
    import { requireStaff } from '@/lib/staff';
    import { db } from '@/lib/db';

    const banSchema = z.object({ userId: z.string() });

    export async function banUser(formData: FormData) {
      await requireStaff();
      const { userId } = banSchema.parse({ userId: formData.get('userId') });
      await db.user.update({ where: { id: userId }, data: { banned: true } });
      revalidatePath('/admin');
    }

    export async function deleteComment(id: string) {
      await db.comment.delete({ where: { id } });
    }

    export async function renameTeam(teamId: string, name: string) {
      // server-action-guard-disable-next-line require-auth -- called only from the signed webhook route
      await db.team.update({ where: { id: teamId }, data: { name } });
      revalidatePath('/teams');
    }
  `,
  'app/contact/actions.ts': code`
    'use server';
    import { db } from '@/lib/db';

    /** @public */
    export async function subscribe(formData: FormData) {
      await db.subscriber.create({ data: { email: formData.get('email') as string } });
      try {
        await db.audit.create({ data: { kind: 'subscribe' } });
      } catch (error) {
        return { error: (error as Error).message };
      }
      return { ok: true };
    }
  `,
  'app/profile/actions.js': code`
    'use server';
    import { db } from '@/lib/db';
    import { requireStaff } from '@/lib/staff';

    export async function saveProfile(formData) {
      const user = await requireStaff();
      await db.profile.update({ where: { userId: formData.get('userId') }, data: { bio: formData.get('bio') } });
    }
  `,
  'components/UserList.tsx': code`
    'use client';
    import { db } from '@/lib/db';

    export function UserList() {
      return <ul>{String(typeof db)}</ul>;
    }
  `,
  'app/page.tsx': code`
    export default function Page() {
      return <main>Hello</main>;
    }
  `,
};

/** The config eslint-config-next's `core-web-vitals` + `typescript` presets amount to, around our recommended set. */
export function nextShapedConfig(rules: Record<string, unknown> = {}): string {
  return code`
    import { globalIgnores } from 'eslint/config';
    import tseslint from 'typescript-eslint';
    import guard from 'server-action-guard/eslint';

    const basePath = process.cwd();
    const at = (config) => ({ ...config, basePath });

    export default [
      at({ name: 'next', files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } }),
      ...tseslint.configs.recommended.map((config) => at({ ...config, files: ['**/*.{ts,tsx,mts,cts}'] })),
      at(globalIgnores(['.next/**', 'out/**', 'build/**', 'next-env.d.ts'], 'next/ignores')),
      at(guard.configs.recommended),
      at({ rules: ${JSON.stringify(rules)} }),
    ];
  `;
}

/** The example app's config: its .gitignore (ESLint does not read it by itself), TypeScript parsed, our rules. */
export function exampleAppConfig(): string {
  return code`
    import * as path from 'node:path';
    import { includeIgnoreFile } from 'eslint/config';
    import tsParser from '@typescript-eslint/parser';
    import guard from 'server-action-guard/eslint';

    const basePath = process.cwd();

    export default [
      { ...includeIgnoreFile(path.join(basePath, '.gitignore')), basePath },
      { basePath, files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser } },
      { basePath, ...guard.configs.recommended },
    ];
  `;
}
