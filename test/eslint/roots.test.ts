/** Where the plugin's projects start: the config file's folder, else ESLint's working folder, else the nearest tsconfig. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { projectRootOf } from '../../server/src/eslint/projects';
import { makeTempDir, removeTempDirs, writeTree } from '../cli/helpers';

describe('projectRootOf', () => {
  after(removeTempDirs);
  const tsconfig = JSON.stringify({ compilerOptions: { strict: true } });
  const monorepo = makeTempDir('eslint-roots');
  writeTree(monorepo, {
    'package.json': JSON.stringify({ name: 'acme', private: true, workspaces: ['apps/*', 'packages/*'] }),
    'apps/web/package.json': JSON.stringify({ name: 'web' }),
    'apps/web/tsconfig.json': tsconfig,
    'apps/web/app/actions.ts': "'use server';\n",
    'apps/admin/package.json': JSON.stringify({ name: 'admin', serverActionGuard: { authFunctions: ['requireAdmin'] } }),
    'apps/admin/tsconfig.json': tsconfig,
    'apps/admin/app/actions.ts': "'use server';\n",
    'packages/db/tsconfig.json': tsconfig,
    'packages/db/src/index.ts': 'export const db = {};\n',
  });
  const at = (file: string, cwd: string) => projectRootOf(path.join(monorepo, file), cwd, new Map());

  it('is the working folder for a monorepo linted from its root: one project for the apps and the packages they share', () => {
    assert.equal(at('apps/web/app/actions.ts', monorepo), monorepo);
    assert.equal(at('packages/db/src/index.ts', monorepo), monorepo);
  });

  it('is the folder of a Server Action Guard config (file or package.json key) when there is one', () => {
    assert.equal(at('apps/admin/app/actions.ts', monorepo), path.join(monorepo, 'apps/admin'));
    writeTree(monorepo, { 'apps/web/server-action-guard.config.json': '{}' });
    assert.equal(at('apps/web/app/actions.ts', monorepo), path.join(monorepo, 'apps/web'));
  });

  it("is the nearest tsconfig for a file outside the working folder", () => {
    const elsewhere = makeTempDir('eslint-roots-cwd');
    assert.equal(at('packages/db/src/index.ts', elsewhere), path.join(monorepo, 'packages/db'));
  });
});
