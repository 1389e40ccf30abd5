/**
 * `npm run lint`, part two: no import cycles between the modules of client/src, server/src and shared, type-only
 * imports included (a type cycle is still two modules that cannot be understood, or moved, one without the other).
 * Part one, the layering boundaries, is eslint.config.mjs.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Move what both modules need to the module that owns it (types included), so imports go one way.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
