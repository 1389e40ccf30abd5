import { code, ruleTester } from './tester';

ruleTester('misplaced-directive', {
  valid: [
    {
      name: 'the directive first, after comments',
      files: code`
        // Actions for the posts dashboard.
        /* eslint-disable no-console */
        'use server';

        import { z } from 'zod';

        export async function slugify(title: unknown) {
          return z.string().parse(title).toLowerCase();
        }
      `,
    },
    {
      name: 'several directives in the prologue',
      files: code`
        'use strict';
        'use server';

        export async function ping() {
          return 'pong';
        }
      `,
    },
    {
      name: 'inline directives at the top of function bodies, and client files',
      files: {
        'app/page.tsx': code`
          export default function Page() {
            async function save() {
              'use server';
              return 'saved';
            }
            return <form action={save} />;
          }
        `,
        'components/Counter.tsx': code`
          'use client';
          import { useState } from 'react';

          export function Counter() {
            const [count, setCount] = useState(0);
            return <button onClick={() => setCount(count + 1)}>{count}</button>;
          }
        `,
      },
    },
    {
      name: 'the directive text used as a value is not a directive',
      files: {
        'lib/directives.ts': code`
          export const SERVER_DIRECTIVE = 'use server';
          export function isServerFile(text: string) {
            return text.startsWith("'use server'");
          }
        `,
      },
    },
  ],
  invalid: [
    {
      name: "'use server' after an import is ignored by Next.js",
      files: code`
        import { db } from '@/lib/db';
        'use server';
        ^^^^^^^^^^^^ misplaced-directive error: 'use server' is not the first statement, so Next.js ignores it

        export async function countPosts() {
          return db.post.count();
        }
      `,
    },
    {
      name: "'use client' after an import",
      files: {
        'components/Menu.tsx': code`
          import { useState } from 'react';
          'use client';
          ^^^^^^^^^^^^ misplaced-directive: 'use client' is not the first statement

          export function Menu() {
            const [open, setOpen] = useState(false);
            return <button onClick={() => setOpen(!open)}>{open ? 'Close' : 'Open'}</button>;
          }
        `,
      },
    },
    {
      name: "'use server' after other statements in a function body",
      files: {
        'app/page.tsx': code`
          export default function Page() {
            async function save(formData: FormData) {
              const title = formData.get('title');
              'use server';
            //^^^^^^^^^^^^ misplaced-directive
              return title;
            }
            return <form action={save} />;
          }
        `,
      },
    },
    {
      name: "'use server' after a route segment config export",
      files: code`
        export const runtime = 'nodejs';
        'use server';
        ^^^^^^^^^^^^ misplaced-directive

        export async function ping() {
          return 'pong';
        }
      `,
    },
  ],
});
