import { APP, SAFE_ACTION } from './fixtures';
import { code, ruleTester } from './tester';

ruleTester('non-async-export', {
  valid: [
    {
      name: 'async declarations, arrows, default exports, renamed exports and types',
      files: code`
        'use server';

        export type Result = { ok: boolean };
        export interface Draft {
          title: string;
        }

        export async function save(): Promise<Result> {
          return { ok: true };
        }

        export const remove = async (): Promise<Result> => ({ ok: true });

        async function archiveImpl() {
          return { ok: true };
        }
        export { archiveImpl as archive };

        export default async function publish() {
          return { ok: true };
        }
      `,
    },
    {
      name: 'action clients and wrapped actions export async functions',
      files: {
        ...APP,
        ...SAFE_ACTION,
        'app/actions.ts': code`
          'use server';
          import { z } from 'zod';
          import { authActionClient } from '@/lib/safe-action';
          import { withLogging } from '@/lib/logging';

          export const rename = authActionClient.schema(z.object({ name: z.string() })).action(async ({ parsedInput }) => parsedInput.name);

          export const ping = withLogging(async () => 'pong');
        `,
      },
    },
    {
      name: 'non-async exports are fine outside a use server file',
      files: {
        'lib/format.ts': code`
          export const MAX_TITLE = 80;
          export function formatTitle(title: string) {
            return title.slice(0, MAX_TITLE);
          }
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'a synchronous function, a synchronous arrow and constants',
      files: code`
        'use server';

        export function slugify(title: string) {
        //              ^^^^^^^ non-async-export error: 'slugify' is exported from a 'use server' file but is not an async function
          return title.toLowerCase();
        }

        export const toTitle = (slug: string) => slug.replace(/-/g, ' ');
        //           ^^^^^^^ non-async-export

        export const MAX_TITLE = 80;
        //           ^^^^^^^^^ non-async-export: 'MAX_TITLE'

        export const limits = { title: 80, body: 5000 };
        //           ^^^^^^ non-async-export
      `,
    },
    {
      name: 'a schema exported from a use server file',
      files: code`
        'use server';
        import { z } from 'zod';

        export const postSchema = z.object({ title: z.string() });
        //           ^^^^^^^^^^ non-async-export

        export async function validate(input: unknown) {
          return postSchema.parse(input);
        }
      `,
    },
    {
      name: 'a renamed export of a synchronous local, and a synchronous default export',
      files: code`
        'use server';

        function helper() {
          return 1;
        }
        export { helper as compute };
        //                 ^^^^^^^ non-async-export: 'compute'

        const save = () => 'saved';
        export default save;
        //             ^^^^ non-async-export: 'default'
      `,
    },
  ],
  fixes: [
    {
      name: 'make a function declaration async',
      fix: 'Make slugify async',
      safe: false,
      files: code`
        'use server';

        export function slugify(title: string) {
          return title.toLowerCase();
        }
      `,
      output: code`
        'use server';

        export async function slugify(title: string) {
          return title.toLowerCase();
        }
      `,
    },
    {
      name: 'make an arrow function async',
      fix: 'Make toTitle async',
      files: code`
        'use server';

        export const toTitle = (slug: string) => slug.replace(/-/g, ' ');
      `,
      output: code`
        'use server';

        export const toTitle = async (slug: string) => slug.replace(/-/g, ' ');
      `,
    },
    {
      name: 'make a default function export async',
      fix: 'Make default async',
      files: code`
        'use server';

        export default function submit(formData: FormData) {
          return formData.get('title');
        }
      `,
      output: code`
        'use server';

        export default async function submit(formData: FormData) {
          return formData.get('title');
        }
      `,
    },
  ],
  noFixes: [
    {
      name: 'constants cannot be made async',
      noFix: /^Make /,
      files: code`
        'use server';

        export const MAX_TITLE = 80;
      `,
    },
  ],
});
