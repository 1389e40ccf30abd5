/** Settings that change what the rules report: severities, `off`, and the name lists users extend. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP, DB, MAIL } from './fixtures';
import { resolveSettings } from '../../shared/settings';
import { code, createProject, runValid } from './tester';

const UNGUARDED = {
  ...DB,
  'app/actions.ts': code`
    'use server';
    import { revalidatePath } from 'next/cache';
    import { db } from '@/lib/db';

    export async function purgeDrafts() {
      await db.post.deleteMany({ where: { published: false } });
      revalidatePath('/');
    }
  `,
};

describe('settings', () => {
  it('a severity override changes the reported severity', () => {
    runValid('require-auth', {
      name: '',
      settings: { rules: { 'require-auth': 'warning' } },
      files: {
        ...UNGUARDED,
        'app/actions.ts': UNGUARDED['app/actions.ts'].replace(
          "  await db.post.deleteMany({ where: { published: false } });\n",
          "  await db.post.deleteMany({ where: { published: false } });\n  //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth warning\n",
        ),
      },
    });
  });

  it("'off' removes the findings and marks the check n/a", () => {
    runValid('require-auth', {
      name: '',
      settings: { rules: { 'require-auth': 'off' } },
      files: UNGUARDED,
      checks: { purgeDrafts: { 'require-auth': 'n/a' } },
    });
    const [action] = createProject(UNGUARDED, { rules: { 'require-auth': 'off' } }).analyze('app/actions.ts').actions;
    assert.equal(action?.reasons['require-auth'], 'rule turned off');
  });

  it("a user's severity caps a message's own higher default; an info message stays info", () => {
    const files = {
      'components/Export.tsx': code`
        'use client';
        import { db } from '@/lib/db';
        export function Export() {
          return <button onClick={() => void db.post.count()}>Export</button>;
        }
      `,
      ...DB,
      'app/actions.ts': code`
        'use server';
        import { revalidatePath } from 'next/cache';
        import { requireTeamMember } from '@acme/teams';
        import { db } from '@/lib/db';

        export async function purgeDrafts() {
          await requireTeamMember();
          await db.post.deleteMany({ where: { published: false } });
          revalidatePath('/');
        }
      `,
    };
    const severities = (settings?: Record<string, unknown>): string[] =>
      createProject(files, settings)
        .analyzeAll()
        .flatMap((a) => a.findings)
        .filter((f) => f.ruleId === 'server-only' || f.ruleId === 'require-auth')
        .map((f) => `${f.ruleId} ${f.severity}`);
    assert.deepEqual(severities(), ['require-auth info', 'server-only error']);
    assert.deepEqual(severities({ rules: { 'server-only': 'warning', 'require-auth': 'error' } }), ['require-auth info', 'server-only warning']);
  });

  it('authFunctions: a guard from a package the analyzer cannot read', () => {
    const files = {
      ...DB,
      'app/actions.ts': code`
        'use server';
        import { revalidatePath } from 'next/cache';
        import { assertLoggedIn } from '@acme/session';
        import { db } from '@/lib/db';

        export async function purgeDrafts() {
          await assertLoggedIn();
          await db.post.deleteMany({ where: { published: false } });
          revalidatePath('/');
        }
      `,
    };
    runValid('require-auth', { name: '', settings: { authFunctions: ['assertLoggedIn'] }, files, checks: { purgeDrafts: { 'require-auth': 'pass' } } });
    const info = createProject(files).analyze('app/actions.ts').findings.filter((f) => f.ruleId === 'require-auth');
    assert.deepEqual(
      info.map((f) => f.severity),
      ['info'],
      'without the setting the guard-like name is unverified',
    );
  });

  it('authFunctions: a project helper whose body shows no session call', () => {
    runValid('require-auth', {
      name: '',
      settings: { authFunctions: ['mustBeStaff'] },
      files: {
        ...DB,
        'lib/staff.ts': code`
          import { headers } from 'next/headers';
          export async function mustBeStaff() {
            const role = (await headers()).get('x-staff-role');
            if (role !== 'staff') throw new Error('Forbidden');
          }
        `,
        'app/actions.ts': code`
          'use server';
          import { revalidatePath } from 'next/cache';
          import { mustBeStaff } from '@/lib/staff';
          import { db } from '@/lib/db';

          export async function purgeDrafts() {
            await mustBeStaff();
            await db.post.deleteMany({ where: { published: false } });
            revalidatePath('/');
          }
        `,
      },
    });
  });

  it('rateLimitFunctions', () => {
    const files = {
      ...APP,
      ...MAIL,
      'lib/quota.ts': code`
        import { db } from './db';
        export async function consumeQuota(userId: string) {
          const used = await db.usage.count({ where: { userId } });
          if (used > 100) throw new Error('Quota exceeded');
        }
      `,
      'app/actions.ts': code`
        'use server';
        import { requireUser } from '@/lib/auth';
        import { consumeQuota } from '@/lib/quota';
        import { sendWelcomeEmail } from '@/lib/mail';

        export async function inviteFriend(email: string) {
          const user = await requireUser();
          await consumeQuota(user.id);
          await sendWelcomeEmail(email);
        }
      `,
    };
    runValid('abuse-protection', { name: '', settings: { rateLimitFunctions: ['consumeQuota'] }, files });
    assert.equal(createProject(files).analyze('app/actions.ts').actions[0]?.checks['abuse-protection'], 'fail');
  });

  it('identityFields adds field names; the defaults stay', () => {
    runValid('server-identity', {
      name: '',
      settings: { identityFields: ['customerId'] },
      files: {
        ...APP,
        'app/actions.ts': code`
          'use server';
          import { requireUser } from '@/lib/auth';
          import { db } from '@/lib/db';

          export async function attach(formData: FormData) {
            await requireUser();
            await db.card.create({ data: { customerId: String(formData.get('customerId')), userId: String(formData.get('userId')) } });
            //                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^ server-identity: 'customerId'
            //                                                                                            ^^^^^^^^^^^^^^^^^^^^^^ server-identity: 'userId'
          }
        `,
      },
    });
  });

  it('publicActions glob: the actions are public (no auth required) and checked for abuse', () => {
    const files = {
      ...DB,
      'app/(marketing)/actions.ts': code`
        'use server';
        import { z } from 'zod';
        import { db } from '@/lib/db';

        export async function subscribe(formData: FormData) {
          const email = z.string().email().parse(formData.get('email'));
          await db.subscriber.create({ data: { email } });
          //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection: public (publicActions "app/(marketing)/**")
        }
      `,
    };
    runValid('require-auth', {
      name: '',
      settings: { publicActions: ['app/(marketing)/**'] },
      files,
      checks: { subscribe: { 'require-auth': 'n/a', 'abuse-protection': 'fail' } },
    });
  });

  it('publicActions file#action makes only the named action public', () => {
    const files = {
      ...DB,
      'app/actions.ts': code`
        'use server';
        import { z } from 'zod';
        import { db } from '@/lib/db';

        export async function subscribe(formData: FormData) {
          const email = z.string().email().parse(formData.get('email'));
          await db.subscriber.create({ data: { email } });
        }

        export async function unsubscribeAll() {
          await db.subscriber.deleteMany({});
          //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth
        }
      `,
    };
    runValid('require-auth', {
      name: '',
      settings: { publicActions: ['app/actions.ts#subscribe'] },
      files,
      checks: { subscribe: { 'require-auth': 'n/a' }, unsubscribeAll: { 'require-auth': 'fail' } },
    });
  });

  it('databaseClients and expensiveModules', () => {
    runValid('require-auth', {
      name: '',
      settings: { databaseClients: ['store'], expensiveModules: ['@acme/sms'] },
      files: {
        'app/actions.ts': code`
          'use server';
          import { store } from '@acme/store';
          import { sendSms } from '@acme/sms';

          export async function notify() {
            await sendSms('+10000000000', 'Hi');
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ require-auth: sendSms()
            //    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ abuse-protection: sendSms() (@acme/sms)
            await store.messages.insert({ text: 'Hi' });
          }
        `,
      },
      checks: { notify: { 'revalidate-after-write': 'fail' } },
    });
  });

  it('exclude globs and enable: false', () => {
    assert.deepEqual(createProject(UNGUARDED, { exclude: ['app/**'] }).analyze('app/actions.ts').findings, []);
    // Route folders in globs are literal: `[id]` is not a character class, `(admin)` is not a group.
    const routed = { ...DB, 'app/(admin)/posts/[id]/actions.ts': UNGUARDED['app/actions.ts'] };
    assert.deepEqual(createProject(routed, { exclude: ['app/(admin)/posts/[id]/*.ts'] }).analyze('app/(admin)/posts/[id]/actions.ts').findings, []);
    assert.ok(createProject(routed, { exclude: ['app/admin/posts/i/*.ts'] }).analyze('app/(admin)/posts/[id]/actions.ts').findings.length > 0);
    assert.deepEqual(createProject(UNGUARDED, { enable: false }).analyze('app/actions.ts').findings, []);
    assert.ok(createProject(UNGUARDED).analyze('app/actions.ts').findings.length > 0);
  });

  it('authPolicy, protectedActions and testFiles are validated like the other settings', () => {
    const ok = resolveSettings({ authPolicy: 'every-action', protectedActions: ['app/admin/**'], testFiles: [] });
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.settings.authPolicy, 'every-action');
    assert.deepEqual(ok.settings.protectedActions, ['app/admin/**']);
    assert.deepEqual(ok.settings.testFiles, [], 'testFiles replaces the defaults: [] analyses tests');
    const bad = resolveSettings({ authPolicy: 'strict', testFiles: '**/*.test.ts' });
    assert.equal(bad.settings.authPolicy, 'effects');
    assert.deepEqual(bad.errors, ['"authPolicy" must be one of effects, every-action, got the string "strict"', '"testFiles" must be an array of strings, got the string "**/*.test.ts"']);
  });
});
