import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { skipReason } from '../../server/src/engine';
import { collectFiles } from '../../server/src/node/walk';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { makeTempDir, removeTempDirs, writeTree } from './helpers';

const SOURCE = `export const x = 1;\n`;

function relativeFiles(root: string, files: string[]): string[] {
  return files.map((file) => path.relative(root, file).split(path.sep).join('/'));
}

describe('collectFiles', () => {
  after(removeTempDirs);

  it('returns sorted absolute paths of source files and skips dependencies and build output', () => {
    const root = makeTempDir('walk-skip');
    writeTree(root, {
      'app/page.tsx': SOURCE,
      'app/actions.ts': SOURCE,
      'lib/util.mjs': SOURCE,
      'lib/legacy.cjs': SOURCE,
      'lib/plain.js': SOURCE,
      'lib/view.jsx': SOURCE,
      'types/global.d.ts': SOURCE,
      'README.md': '# readme',
      'styles/site.css': 'body {}',
      ...Object.fromEntries(
        ['node_modules', '.next', 'dist', 'build', 'out', 'coverage', '.git', '.turbo', '.vercel'].map((dir) => [
          `${dir}/index.ts`,
          SOURCE,
        ]),
      ),
      'packages/ui/node_modules/dep/index.ts': SOURCE,
      'packages/ui/src/button.tsx': SOURCE,
    });
    const { files, skipped } = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.deepEqual(relativeFiles(root, files), [
      'app/actions.ts',
      'app/page.tsx',
      'lib/legacy.cjs',
      'lib/plain.js',
      'lib/util.mjs',
      'lib/view.jsx',
      'packages/ui/src/button.tsx',
    ]);
    assert.ok(files.every((file) => path.isAbsolute(file)));
    assert.deepEqual(skipped, []);
  });

  it('honours .gitignore files at every level, including negations in deeper ones', () => {
    const root = makeTempDir('walk-gitignore');
    writeTree(root, {
      '.gitignore': 'generated/\n*.gen.ts\nsecret-*.ts\n/top-only.ts\n',
      'top-only.ts': SOURCE,
      'app/top-only.ts': SOURCE,
      'app/page.gen.ts': SOURCE,
      'app/secret-keys.ts': SOURCE,
      'app/actions.ts': SOURCE,
      'generated/client.ts': SOURCE,
      'app/generated/client.ts': SOURCE,
      'lib/.gitignore': 'local.ts\n!keep.gen.ts\n',
      'lib/local.ts': SOURCE,
      'lib/keep.gen.ts': SOURCE,
      'lib/other.gen.ts': SOURCE,
      'lib/deep/local.ts': SOURCE,
      'lib/deep/db.ts': SOURCE,
    });
    const { files } = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.deepEqual(relativeFiles(root, files), [
      'app/actions.ts',
      'app/top-only.ts',
      'lib/deep/db.ts',
      'lib/keep.gen.ts',
    ]);
  });

  it('applies .gitignore files above the root up to the top of its git repository', () => {
    const repo = makeTempDir('walk-repo');
    fs.mkdirSync(path.join(repo, '.git'));
    writeTree(repo, {
      '.gitignore': 'apps/web/app/ignored-from-top.ts\n*.local.ts\n',
      'apps/.gitignore': 'scratch/\n',
      'apps/web/app/ignored-from-top.ts': SOURCE,
      'apps/web/app/config.local.ts': SOURCE,
      'apps/web/scratch/notes.ts': SOURCE,
      'apps/web/app/actions.ts': SOURCE,
    });
    const root = path.join(repo, 'apps', 'web');
    const { files } = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.deepEqual(relativeFiles(root, files), ['app/actions.ts']);
  });

  it('does not walk a folder a .gitignore above it ignores, and says which .gitignore and pattern', () => {
    const repo = makeTempDir('walk-ignored-root');
    fs.mkdirSync(path.join(repo, '.git'));
    writeTree(repo, { '.gitignore': '# scratch space\nsandbox/\n', 'sandbox/app/actions.ts': SOURCE, 'sandbox/lib/db.ts': SOURCE });
    const root = path.join(repo, 'sandbox');
    const collected = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.deepEqual(collected.files, []);
    assert.deepEqual(collected.leftOut, [
      { path: root, reason: `is ignored by ${path.join(repo, '.gitignore')} (pattern "sandbox/")` },
    ]);
    const fromTop = collectFiles(repo, { maxFileSizeKb: 1024, paths: ['sandbox/app'] });
    assert.deepEqual(fromTop.leftOut.map((folder) => folder.path), [path.join(repo, 'sandbox', 'app')]);
  });

  it('counts what the walk passes over: git-ignored, excluded and test source files and folders, not dependencies', () => {
    const repo = makeTempDir('walk-passed-over');
    fs.mkdirSync(path.join(repo, '.git'));
    writeTree(repo, {
      '.gitignore': 'generated/\n*.local.ts\n',
      'generated/a.ts': SOURCE,
      'app/config.local.ts': SOURCE,
      'legacy/old.ts': SOURCE,
      'node_modules/pkg/index.ts': SOURCE,
      'README.md': '# x\n',
      'app/actions.ts': SOURCE,
      'app/actions.test.ts': SOURCE,
      'app/tests/actions.ts': SOURCE,
    });
    const collected = collectFiles(repo, { maxFileSizeKb: 1024, exclude: ['legacy/**'], testFiles: ['**/*.test.*'] });
    // A folder named `tests` can be a route: only the testFiles globs decide.
    assert.deepEqual(relativeFiles(repo, collected.files), ['app/actions.ts', 'app/tests/actions.ts']);
    assert.deepEqual(collected.passedOver, { gitIgnored: 2, excluded: 1, tests: 1 });
    assert.deepEqual(collected.leftOut, []);
  });

  it('leaves out files and folders matching the exclude globs, relative to the root', () => {
    const root = makeTempDir('walk-exclude');
    writeTree(root, {
      'app/actions.ts': SOURCE,
      'app/actions.test.ts': SOURCE,
      'legacy/old.ts': SOURCE,
      'legacy/nested/older.ts': SOURCE,
      'scripts/seed.ts': SOURCE,
    });
    const { files } = collectFiles(root, { maxFileSizeKb: 1024, exclude: ['**/*.test.ts', 'legacy/**', 'scripts'] });
    assert.deepEqual(relativeFiles(root, files), ['app/actions.ts']);
  });

  it('reads route groups and dynamic segments in exclude globs as literal folder names', () => {
    const root = makeTempDir('walk-exclude-routes');
    writeTree(root, {
      'app/(marketing)/actions.ts': SOURCE,
      'app/marketing/actions.ts': SOURCE,
      'app/posts/[id]/actions.ts': SOURCE,
      'app/posts/i/actions.ts': SOURCE,
      'app/docs/[[...slug]]/page.tsx': SOURCE,
      'app/keep.ts': SOURCE,
    });
    const exclude = ['app/(marketing)/**', 'app/posts/[id]/**', 'app/docs/[[...slug]]/**'];
    const { files } = collectFiles(root, { maxFileSizeKb: 1024, exclude });
    assert.deepEqual(relativeFiles(root, files), ['app/keep.ts', 'app/marketing/actions.ts', 'app/posts/i/actions.ts']);
  });

  it('an exclude glob naming a folder skips its files, also below a folder named on the command line', () => {
    const root = makeTempDir('walk-exclude-named');
    writeTree(root, { 'legacy/old.ts': SOURCE, 'legacy/nested/older.ts': SOURCE, 'app/actions.ts': SOURCE });
    assert.deepEqual(collectFiles(root, { maxFileSizeKb: 1024, exclude: ['legacy'], paths: ['legacy'] }).files, []);
    const named = collectFiles(root, { maxFileSizeKb: 1024, exclude: ['legacy'], paths: ['legacy/old.ts', 'app'] });
    assert.deepEqual(relativeFiles(root, named.files), ['app/actions.ts', 'legacy/old.ts']);
  });

  it('an empty or malformed exclude glob matches nothing instead of failing the walk', () => {
    const root = makeTempDir('walk-exclude-empty');
    writeTree(root, { 'app/actions.ts': SOURCE });
    const { files } = collectFiles(root, { maxFileSizeKb: 1024, exclude: [''] });
    assert.deepEqual(relativeFiles(root, files), ['app/actions.ts']);
  });

  it('walks only the given paths; a file named explicitly is included even when git-ignored', () => {
    const root = makeTempDir('walk-paths');
    writeTree(root, {
      '.gitignore': 'app/ignored.ts\n',
      'app/actions.ts': SOURCE,
      'app/ignored.ts': SOURCE,
      'app/sub/.gitignore': 'draft.ts\n',
      'app/sub/draft.ts': SOURCE,
      'app/sub/real.ts': SOURCE,
      'lib/db.ts': SOURCE,
      'notes.txt': 'x',
    });
    const sub = collectFiles(root, { maxFileSizeKb: 1024, paths: ['app'] });
    assert.deepEqual(relativeFiles(root, sub.files), ['app/actions.ts', 'app/sub/real.ts']);

    const deep = collectFiles(root, { maxFileSizeKb: 1024, paths: [path.join(root, 'app', 'sub')] });
    assert.deepEqual(relativeFiles(root, deep.files), ['app/sub/real.ts']);

    const named = collectFiles(root, { maxFileSizeKb: 1024, paths: ['app/ignored.ts', 'lib', 'notes.txt', 'missing'] });
    assert.deepEqual(relativeFiles(root, named.files), ['app/ignored.ts', 'lib/db.ts']);
    assert.deepEqual(
      named.skipped.map((s) => [path.relative(root, s.path), s.reason]),
      [
        ['missing', 'does not exist or cannot be read'],
        ['notes.txt', 'not a TypeScript or JavaScript source file'],
      ],
    );
  });

  it('terminates on symlink loops and lists a file reachable through several links once', () => {
    const root = makeTempDir('walk-symlink');
    writeTree(root, { 'app/actions.ts': SOURCE, 'lib/db.ts': SOURCE });
    fs.symlinkSync(root, path.join(root, 'app', 'loop-to-root'));
    fs.symlinkSync(path.join(root, 'app'), path.join(root, 'lib', 'app-again'));
    fs.symlinkSync(path.join(root, 'lib'), path.join(root, 'a-link-to-lib'));
    fs.symlinkSync(path.join(root, 'lib', 'db.ts'), path.join(root, 'lib', 'db-link.ts'));
    fs.symlinkSync(path.join(root, 'lib', 'nowhere.ts'), path.join(root, 'lib', 'dangling.ts'));
    fs.symlinkSync(path.dirname(root), path.join(root, 'outside'));
    const started = Date.now();
    const { files, skipped } = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.ok(Date.now() - started < 5_000, `walk took ${Date.now() - started} ms`);
    assert.deepEqual(relativeFiles(root, files), ['app/actions.ts', 'lib/db.ts']);
    assert.deepEqual(
      skipped.map((s) => [path.relative(root, s.path), s.reason]),
      [['lib/dangling.ts', 'broken symbolic link']],
    );
  });

  it('skips files over maxFileSizeKb once with the reason, and keeps files at the limit', () => {
    const root = makeTempDir('walk-huge');
    writeTree(root, {
      'app/huge.ts': `export const big = '${'x'.repeat(3 * 1024)}';\n`,
      'app/limit.ts': 'x'.repeat(2 * 1024),
      'app/small.ts': SOURCE,
    });
    fs.symlinkSync(path.join(root, 'app', 'huge.ts'), path.join(root, 'app', 'huge-link.ts'));
    const { files, skipped } = collectFiles(root, { maxFileSizeKb: 2 });
    assert.deepEqual(relativeFiles(root, files), ['app/limit.ts', 'app/small.ts']);
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.path, path.join(root, 'app', 'huge.ts'));
    assert.match(skipped[0]!.reason, /larger than 2 KB \(maxFileSizeKb\)/);
  });

  it('skips a FIFO with a source name instead of blocking on it', () => {
    const root = makeTempDir('walk-fifo');
    writeTree(root, { 'app/actions.ts': SOURCE });
    execFileSync('mkfifo', [path.join(root, 'app', 'pipe.ts')]);
    const { files, skipped } = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.deepEqual(relativeFiles(root, files), ['app/actions.ts']);
    assert.deepEqual(
      skipped.map((s) => [path.relative(root, s.path), s.reason]),
      [['app/pipe.ts', 'not a regular file']],
    );
  });

  it('never throws for a root that does not exist', () => {
    const root = path.join(makeTempDir('walk-missing'), 'nope');
    const { files, skipped } = collectFiles(root, { maxFileSizeKb: 1024 });
    assert.deepEqual(files, []);
    assert.deepEqual(skipped, [{ path: root, reason: 'does not exist or cannot be read' }]);
  });
});

describe('skipReason: the one decision of the CLI walk, the language server and the engine', () => {
  const exclude = ['app/(marketing)/**', 'scripts', '**/*.test.ts'];
  const settings = { ...DEFAULT_SETTINGS, exclude, maxFileSizeKb: 1 };

  it('reads route groups and dynamic segments literally', () => {
    assert.deepEqual(skipReason({ relativePath: 'app/(marketing)/actions.ts' }, settings), {
      kind: 'excluded',
      glob: 'app/(marketing)/**',
    });
    assert.equal(skipReason({ relativePath: 'app/marketing/actions.ts' }, settings), undefined);
    const dynamic = { ...settings, exclude: ['app/posts/[id]/*.ts'] };
    assert.equal(skipReason({ relativePath: 'app/posts/[id]/actions.ts' }, dynamic)?.kind, 'excluded');
    assert.equal(skipReason({ relativePath: 'app/posts/i/actions.ts' }, dynamic), undefined);
  });

  it('skips everything in a folder that a glob or the folder list names', () => {
    assert.deepEqual(skipReason({ relativePath: 'scripts/seed/data.ts' }, settings), {
      kind: 'excluded',
      glob: 'scripts',
    });
    assert.deepEqual(skipReason({ relativePath: 'packages/ui/node_modules/dep/index.ts' }, settings), {
      kind: 'skipped-directory',
      directory: 'node_modules',
    });
    assert.equal(skipReason({ relativePath: 'app/lib.test.ts' }, settings)?.kind, 'excluded');
    assert.equal(skipReason({ relativePath: 'app/build-info.ts' }, settings), undefined);
  });

  it('applies no path rule to the root itself, to paths outside it or to a file named explicitly', () => {
    for (const relativePath of ['', '..', '../scripts/x.ts', '/abs/scripts/x.ts', 'C:/scripts/x.ts', undefined]) {
      assert.equal(skipReason({ relativePath }, settings), undefined, String(relativePath));
    }
  });

  it('skips files over maxFileSizeKb, keeps those at the limit, and skips text that is not source', () => {
    assert.deepEqual(skipReason({ relativePath: 'app/a.ts', sizeBytes: 1025 }, settings), {
      kind: 'too-large',
      sizeBytes: 1025,
      maxFileSizeKb: 1,
    });
    assert.equal(skipReason({ relativePath: 'app/a.ts', sizeBytes: 1024, text: SOURCE }, settings), undefined);
    assert.deepEqual(skipReason({ text: `export const a = 1;\u0000` }, settings), { kind: 'binary' });
    assert.deepEqual(skipReason({ text: '\u0001\u0002'.repeat(100) }, settings), { kind: 'binary' });
  });

  it('skips every file when analysis is disabled', () => {
    const disabled = { ...settings, enable: false };
    assert.deepEqual(skipReason({ relativePath: 'app/actions.ts' }, disabled), { kind: 'disabled' });
  });
});
