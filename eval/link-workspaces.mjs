// Links every named package of a checked-out repository into <root>/node_modules/<name>, as a workspace install
// would, so that imports of workspace packages and tsconfig `extends` of them resolve without installing anything.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const skip = new Set(['node_modules', '.git', '.next', 'dist', 'build', 'out', 'coverage']);

function* manifests(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !skip.has(entry.name)) yield* manifests(path.join(dir, entry.name));
    else if (entry.isFile() && entry.name === 'package.json' && dir !== root) yield path.join(dir, entry.name);
  }
}

let linked = 0;
for (const manifest of manifests(root)) {
  let name;
  try {
    name = JSON.parse(fs.readFileSync(manifest, 'utf8')).name;
  } catch {
    continue;
  }
  if (typeof name !== 'string' || !/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) continue;
  const link = path.join(root, 'node_modules', name);
  if (fs.existsSync(link)) continue;
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), path.dirname(manifest)), link, 'dir');
  linked++;
}
if (linked) console.log(`${path.basename(root)}: linked ${linked} workspace packages`);
