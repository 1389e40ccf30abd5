// Small building blocks for emitting TypeScript source: a seeded random source and an import collector.

/** mulberry32: tiny, fast and good enough to vary a synthetic corpus; identical output for an identical seed. */
export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    /** Picks a key of `weights` with probability proportional to its weight. */
    weighted(weights) {
      const entries = Object.entries(weights);
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return entries[entries.length - 1][0];
    },
  };
}

/** FNV-1a over a string: derives per-module seeds so that module `m` is the same in every corpus size. */
export function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Collects named, default and side-effect imports and prints them in a stable order. */
export class Imports {
  constructor() {
    /** @type {Map<string, { names: Set<string>; types: Set<string>; default?: string; sideEffect?: boolean }>} */
    this.modules = new Map();
  }
  #entry(from) {
    let entry = this.modules.get(from);
    if (!entry) {
      entry = { names: new Set(), types: new Set() };
      this.modules.set(from, entry);
    }
    return entry;
  }
  add(from, ...names) {
    const entry = this.#entry(from);
    for (const name of names) entry.names.add(name);
    return this;
  }
  addType(from, ...names) {
    const entry = this.#entry(from);
    for (const name of names) entry.types.add(name);
    return this;
  }
  addDefault(from, name) {
    this.#entry(from).default = name;
    return this;
  }
  sideEffect(from) {
    this.#entry(from).sideEffect = true;
    return this;
  }
  merge(other) {
    for (const [from, entry] of other.modules) {
      const mine = this.#entry(from);
      for (const name of entry.names) mine.names.add(name);
      for (const name of entry.types) mine.types.add(name);
      if (entry.default) mine.default = entry.default;
      if (entry.sideEffect) mine.sideEffect = true;
    }
    return this;
  }
  toString() {
    const rank = (from) => (from === 'server-only' ? 0 : from.startsWith('.') ? 3 : from.startsWith('@/') ? 2 : 1);
    const order = [...this.modules.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const lines = [];
    for (const from of order) {
      const entry = this.modules.get(from);
      if (entry.sideEffect) lines.push(`import '${from}';`);
      const names = [...entry.names].sort();
      const types = [...entry.types].filter((t) => !entry.names.has(t)).sort();
      if (!entry.default && names.length === 0 && types.length > 0) {
        lines.push(`import type { ${types.join(', ')} } from '${from}';`);
        continue;
      }
      const bindings = [...names, ...types.map((t) => `type ${t}`)];
      const parts = [entry.default, bindings.length > 0 ? `{ ${bindings.join(', ')} }` : undefined].filter(Boolean);
      if (parts.length > 0) lines.push(`import ${parts.join(', ')} from '${from}';`);
    }
    return lines.join('\n');
  }
}

/** Joins non-empty blocks with one blank line between them and a final newline. */
export function file(...blocks) {
  return `${blocks.filter((b) => b !== undefined && b !== '').join('\n\n')}\n`;
}

/** Indents every non-empty line of `text` by `levels` × 2 spaces. */
export function indent(text, levels = 1) {
  const pad = '  '.repeat(levels);
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}

export function kebab(text) {
  return text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
