/**
 * Snapshot of how the injection grammar scopes the directives inside the real TypeScript/JavaScript grammars
 * (the same ones VS Code ships, from tm-grammars). Set UPDATE_SNAPSHOTS=1 to rewrite the snapshot after an intended
 * change, and review the diff.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, type IGrammar, type StateStack } from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '..', '..');
const SNAPSHOT = path.join(__dirname, 'directives.snapshot.txt');
const INJECTION = path.join(ROOT, 'syntaxes', 'directives.tmLanguage.json');
const INJECTION_SCOPE = 'source.directive.server-action-guard';
const HOSTS: Record<string, string> = {
  'source.ts': 'typescript.json',
  'source.tsx': 'tsx.json',
  'source.js': 'javascript.json',
  'source.js.jsx': 'jsx.json',
};

const SAMPLES: { scope: string; title: string; code: string }[] = [
  { scope: 'source.ts', title: 'file directive, single quotes', code: "'use server';\n\nexport async function save() {}" },
  { scope: 'source.ts', title: 'file directive, double quotes, no semicolon', code: '"use server"\nimport { db } from "./db";' },
  {
    scope: 'source.tsx',
    title: 'inline directive in a component',
    code: "export default function Page() {\n  async function create(formData: FormData) {\n    'use server';\n    await save(formData);\n  }\n  return <form action={create} />;\n}",
  },
  { scope: 'source.tsx', title: 'inline directive on the same line as the brace', code: "const act = async () => { 'use server'; return 1 };" },
  { scope: 'source.tsx', title: 'client directive', code: "'use client';\n\nexport function Button() { return <button />; }" },
  { scope: 'source.js', title: 'JavaScript', code: "'use server'\nexport async function go() {}" },
  { scope: 'source.js.jsx', title: 'JSX', code: '"use client";\nexport const A = () => <a />;' },
  {
    scope: 'source.ts',
    title: 'not directives: plain strings, comments, object keys, template text',
    code: "const label = 'use server';\n// 'use server'\nconst map = { 'use server': 1 };\nconst t = `\n'use server'\n`;\n/*\n'use client'\n*/",
  },
];

let registry: Registry | undefined;

async function grammarFor(scope: string): Promise<IGrammar> {
  if (!registry) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (name) => {
        if (name === INJECTION_SCOPE) return JSON.parse(fs.readFileSync(INJECTION, 'utf8'));
        const host = HOSTS[name];
        return host ? JSON.parse(fs.readFileSync(require.resolve(`tm-grammars/grammars/${host}`), 'utf8')) : null;
      },
      // What `injectTo` in package.json does in VS Code.
      getInjections: (scopeName) => (scopeName in HOSTS ? [INJECTION_SCOPE] : undefined),
    });
  }
  const grammar = await registry.loadGrammar(scope);
  if (!grammar) throw new Error(`no grammar for ${scope}`);
  return grammar;
}

/** One line per token that carries a directive scope, and every line's directive-free tokens summarised. */
async function render(): Promise<string> {
  const out: string[] = [];
  for (const sample of SAMPLES) {
    const grammar = await grammarFor(sample.scope);
    out.push(`## ${sample.scope}: ${sample.title}`);
    let state: StateStack = INITIAL;
    sample.code.split('\n').forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      for (const token of result.tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        if (!/use (server|client)|^['"]$/.test(text)) continue;
        const scopes = token.scopes.filter((s) => !HOSTS[s]);
        const ours = scopes.filter((s) => s.endsWith('.server-action-guard'));
        const label = ours.length > 0 ? ours.join(' ') : `(host) ${scopes.at(-1) ?? ''}`;
        out.push(`${index + 1}:${token.startIndex}-${token.endIndex} ${JSON.stringify(text)} ${label}`);
      }
    });
    out.push('');
  }
  return out.join('\n');
}

test('the injection grammar scopes use server / use client directives and nothing else', async () => {
  const actual = await render();
  if (process.env.UPDATE_SNAPSHOTS === '1' || !fs.existsSync(SNAPSHOT)) {
    fs.writeFileSync(SNAPSHOT, actual);
  }
  assert.equal(actual, fs.readFileSync(SNAPSHOT, 'utf8'));
});

test('package.json contributes the grammar injected into TS, TSX, JS and JSX', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
  };
  const grammar = manifest.contributes.grammars.find((g) => g.scopeName === INJECTION_SCOPE);
  assert.ok(grammar);
  assert.equal(path.resolve(ROOT, grammar.path), INJECTION);
  assert.deepEqual([...grammar.injectTo].sort(), Object.keys(HOSTS).sort());
});
