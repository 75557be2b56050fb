// Our EM against scikit-learn's GaussianMixture from the same starting parameters
// (a one-off check, not part of the test suite: it needs Python and sklearn).
//   node scripts/build.mjs && node scripts/gmm-sklearn-check.mjs && python3 scripts/gmm-sklearn-check.py
// Writes the data, our initialisation (k-means++ + Lloyd + one M-step) and our
// EM fit (tol 1e-5, reg-covar 1e-6) to $TMPDIR/gmm-sklearn-check.json.
import { loadBackend } from '../dist/src/kernels/backend.js';
import { Arena } from '../dist/src/kernels/arena.js';
import { seedGenerator } from '../dist/src/rng/seed.js';
import { presetMixture } from '../dist/src/families/gmm/options.js';
import { workDoubles } from '../dist/src/families/gmm/em.js';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const arena = new Arena(await loadBackend('wasm'));
const k = arena.backend.kernels;
const cases = [];
const md = (K, d) => K * (2 + d + 3 * d * d);
for (const [data, K, cov, seed] of [['notebook', 2, 0, 'a'], ['notebook', 2, 0, 'b'], ['two-gaussians', 2, 0, 'c'], ['two-gaussians', 3, 1, 'd'], ['grid25', 25, 0, 'e'], ['notebook', 3, 2, 'f']]) {
  const spec = presetMixture(data);
  const K0 = spec.weights.length, d = 2, n = data === 'grid25' ? 2000 : 1000;
  const rng = arena.alloc(k.rngStateBytes()); const chars = arena.allocI32(10); seedGenerator(arena, rng, chars, seed);
  const truth = arena.allocF64(md(K0, d)); const t = arena.f64(truth, md(K0, d));
  spec.weights.forEach((w, i) => (t[i] = w)); spec.means.forEach((m, i) => t.set(m, K0 + i * d)); spec.covs.forEach((c, i) => t.set(c, K0 + K0 * d + i * 4));
  k.gmmPrepare(truth, K0, d, 0);
  const x = arena.allocF64(d * n);
  k.gmmSample(rng, truth, K0, d, 1, 1, arena.allocF64(K0), arena.allocF64(k.gmmSampleScratch()), x, n, n);
  const resp = arena.allocF64(K * n), lse = arena.allocF64(n), work = arena.allocF64(workDoubles(K, d)), scratch = arena.allocF64(n);
  const cur = arena.allocF64(md(K, d));
  k.gmmInitResp(rng, x, n, n, d, K, 300, arena.allocF64(K * d), arena.allocI32(K), arena.allocF64(n), arena.allocI32(n), arena.allocF64(K * (d + 1)), resp);
  k.gmmMStep(x, n, n, d, K, resp, cov, 1e-6, 1e-12, cur, scratch);
  const p = () => Array.from(arena.f64(cur, K * (1 + d + d * d)));
  const start = p();
  let lb = -Infinity, it = 0, conv = false;
  while (it < 2000) { it++; const prev = lb; lb = k.gmmEStep(x, n, n, d, K, cur, resp, lse, work); k.gmmMStep(x, n, n, d, K, resp, cov, 1e-6, 1e-12, cur, scratch); if (Math.abs(lb - prev) < 1e-5) { conv = true; break; } }
  const xs = arena.f64(x, d * n);
  cases.push({ data, K, cov: ['full', 'diag', 'spherical'][cov], n, X: Array.from({ length: n }, (_, i) => [xs[i], xs[n + i]]), start, fit: p(), iterations: it, lowerBound: lb, converged: conv });
}
writeFileSync(join(tmpdir(), 'gmm-sklearn-check.json'), JSON.stringify(cases));
