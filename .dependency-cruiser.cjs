// The layering of src/ (ARCHITECTURE.md): a layer imports only the layers
// listed before it, and nothing imports in a circle. test/architecture.test.ts
// runs this; `npx depcruise src` prints the same verdict.
const LAYERS = ['util', 'kernels', 'rng', 'config', 'theory', 'results', 'chain', 'report', 'families', 'runner', 'sweep', 'reproduce', 'cli'];

const upward = LAYERS.map((layer, i) => ({
  name: `no-upward-from-${layer}`,
  comment: `src/${layer} may import only ${LAYERS.slice(0, i).join(', ') || 'nothing of src'}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles in src/, type-only imports included', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    // a family folder imports the shared layers, never another family
    { name: 'no-family-to-family', severity: 'error', from: { path: '^src/families/([^/]+)/' }, to: { path: '^src/families/([^/]+)/', pathNot: '^src/families/$1/' } },
    ...upward,
    // the web page (web/) builds on src/; nothing in src/ knows the page
    { name: 'no-src-to-web', severity: 'error', from: { path: '^src/' }, to: { path: '^web/' } },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|dist)/' },
  },
};
