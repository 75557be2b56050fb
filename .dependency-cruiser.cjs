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
    // figure specs are pure data builders that the browser page reuses: no node: modules, no vega
    { name: 'figures-are-pure', comment: 'src/report/figures builds Vega-Lite specs only: no node: builtins, no vega, nothing that renders', severity: 'error', from: { path: '^src/report/figures/' }, to: { dependencyTypes: ['core'] } },
    { name: 'figures-without-vega', severity: 'error', from: { path: '^src/report/figures/' }, to: { path: '(^|/)node_modules/vega(-lite)?/|^src/report/render' } },
    // vega is large: only the render module imports it (lazily), and only the CLI imports that
    { name: 'vega-only-in-render', severity: 'error', from: { path: '^src/', pathNot: '^src/report/render\\.ts$' }, to: { path: '(^|/)node_modules/vega(-lite)?/' } },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(build|dist)/' },
  },
};
