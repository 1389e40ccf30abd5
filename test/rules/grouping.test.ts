/**
 * One problem, one finding: the unvalidated fields of an action are one finding with the others as related places;
 * a suppression takes its read out of the group; a module without import 'server-only' names itself as the target.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP } from './fixtures';
import { code, createProject } from './tester';

const FORM = (comment = ''): string => code`
  'use server';
  import { revalidatePath } from 'next/cache';
  import { requireUser } from '@/lib/auth';
  import { db } from '@/lib/db';

  export async function savePost(formData: FormData) {
    const user = await requireUser();
    ${comment}
    const title = String(formData.get('title'));
    const body = String(formData.get('body'));
    const slug = String(formData.get('slug'));
    await db.post.create({ data: { title, body, slug, authorId: user.id } });
    revalidatePath('/posts');
  }
`;

function validateFindings(text: string) {
  const project = createProject({ ...APP, 'app/actions.ts': text });
  return project.analyze('app/actions.ts').findings.filter((f) => f.ruleId === 'validate-input');
}

describe('grouped findings', () => {
  it('the unvalidated fields of an action are one finding at the first, naming all, the others related', () => {
    const findings = validateFindings(FORM());
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.match(finding!.message, /^FormData fields 'title', 'body' and 'slug' are used without validation/);
    assert.equal(finding!.range.start.line, 8);
    assert.deepEqual(
      finding!.related?.map((r) => [r.range.start.line, r.message]),
      [
        [9, "'body' is used without validation here too. Parse it in the same schema."],
        [10, "'slug' is used without validation here too. Parse it in the same schema."],
      ],
    );
    assert.deepEqual(finding!.fixes.map((f) => f.title), ['Wrap FormData reads in a zod schema']);
  });

  it('a suppressed read leaves the group; the finding moves to the next read and keeps its fix', () => {
    const findings = validateFindings(FORM('// server-action-guard-disable-next-line validate-input -- a free-text title'));
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^FormData fields 'body' and 'slug' are used/);
    assert.equal(findings[0]!.range.start.line, 9);
    assert.equal(findings[0]!.related?.length, 1);
    assert.equal(findings[0]!.fixes.length, 1);
  });

  it('a group of one is the single-field message', () => {
    const one = code`
      'use server';
      import { requireUser } from '@/lib/auth';

      export async function rename(formData: FormData) {
        await requireUser();
        return String(formData.get('name'));
      }
    `;
    const findings = validateFindings(one);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^FormData field 'name' is used without validation/);
    assert.equal(findings[0]!.related, undefined);
  });

  it('an unmarked module reached by an import is the target of the server-only finding at that import', () => {
    const project = createProject({
      'lib/db.ts': code`
        import { PrismaClient } from '@prisma/client';

        export const db = new PrismaClient();
      `,
      'app/actions.ts': code`
        'use server';
        import { db } from '@/lib/db';

        export async function count() {
          return db.post.count();
        }
      `,
    });
    const finding = project.analyze('app/actions.ts').findings.find((f) => f.ruleId === 'server-only');
    assert.ok(finding?.target, 'the finding names the module to change');
    assert.match(finding.target.file, /lib\/db\.ts$/);
    assert.equal(finding.target.range.start.line, 0);
    assert.match(finding.target.message, /^This module imports @prisma\/client but has no import 'server-only'/);
  });

  it('client files that import a module bundling an SDK name that module as the target, at its SDK import', () => {
    const files = {
      'lib/cache.ts': code`
        import { Redis } from '@upstash/redis';

        export const redis = Redis.fromEnv();
        export const key = (id: string) => \`check:\${id}\`;
      `,
      'components/a.tsx': code`
        'use client';
        import { key } from '@/lib/cache';
        export const A = () => <span>{key('a')}</span>;
      `,
      'components/b.tsx': code`
        'use client';
        import { key } from '@/lib/cache';
        export const B = () => <span>{key('b')}</span>;
      `,
    };
    const project = createProject(files);
    const targets = ['components/a.tsx', 'components/b.tsx'].map((file) => project.analyze(file).findings.find((f) => f.ruleId === 'server-only')?.target);
    for (const target of targets) {
      assert.ok(target, 'each client import names the module');
      assert.match(target.file, /lib\/cache\.ts$/);
      assert.match(target.message, /^This module imports @upstash\/redis but has no import 'server-only'/);
    }
    assert.deepEqual(targets[0]!.range, targets[1]!.range, 'one place, so a workspace report shows it once');
  });
});
