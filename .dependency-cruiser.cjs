/**
 * The packages import one another in one direction only:
 *   protocol <- engine ; protocol <- assistant <- cli, web ; engine <- cli, web (embedded engine only)
 * and no module graph has a cycle.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const layers = {
  protocol: [],
  engine: ['protocol'],
  assistant: ['protocol'],
  cli: ['protocol', 'engine', 'assistant'],
  web: ['protocol', 'engine', 'assistant'],
};

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'Modules must not import one another in a cycle.',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-dev-deps-in-src',
    severity: 'error',
    comment: 'Package sources must not import devDependencies.',
    from: { path: '^packages/[^/]+/src' },
    to: { dependencyTypes: ['npm-dev'] },
  },
];

/** Tests may also use the engine's test kit as their fixture (except the protocol package's, which stays alone). */
const testExtras = { protocol: [], engine: [], assistant: ['engine'], cli: [], web: [] };

for (const [pkg, allowed] of Object.entries(layers)) {
  for (const [scope, allow] of [
    ['src', allowed],
    ['(test|bench)', [...allowed, ...testExtras[pkg]]],
  ]) {
    const others = Object.keys(layers).filter((p) => p !== pkg && !allow.includes(p));
    if (others.length === 0) continue;
    forbidden.push({
      name: `layer-${pkg}-${scope === 'src' ? 'src' : 'test'}`,
      severity: 'error',
      comment: `${pkg} (${scope}) may import only: ${allow.join(', ') || 'no other package'}.`,
      from: { path: `^packages/${pkg}/${scope}/` },
      to: {
        path: [
          `^packages/(${others.join('|')})/`,
          `@realtime-assistant/(${others.join('|')})(/|$)`,
        ],
      },
    });
  }
}

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
