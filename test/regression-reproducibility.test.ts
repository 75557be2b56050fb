// The reproducibility contract for the regression family: the same config and
// seed give the same bits on js, wasm and wasm-simd, and the digests committed
// in test/golden/regression.json. A deliberate change of the numbers
// regenerates the file with
//   UPDATE_GOLDEN=1 npx vitest run test/regression-reproducibility.test.ts
// and says why in CHANGELOG.md.
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveRegressionConfig } from '../src/families/regression/options.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';


// every policy, both w*, d = 1 and d > 1, the smallest design T = d + 2
// (rank-deficient subsamples), numeric and string seeds, seed 0
const CONFIGS: Record<string, RawOptions> = {
  'replace-d10': { generations: 30, replicates: 4, 'test-points': 50, seed: 7 },
  'accumulate-d3-ones': { dim: 3, points: 12, policy: 'accumulate', 'w-star': 'ones', generations: 50, replicates: 3, 'test-points': 40, seed: 'golden' },
  'accumulate-subsample-d5-t7': { dim: 5, points: 7, policy: 'accumulate-subsample', generations: 25, replicates: 4, 'test-points': 30, seed: 'ü-漢' },
  'mix-d2': { dim: 2, points: 30, policy: 'mix', 'real-fraction': 0.2, noise: 4, generations: 40, replicates: 3, 'test-points': 25, seed: -5 },
  'fresh-d1-t3': { dim: 1, points: 3, policy: 'fresh', 'real-fraction': 0.4, noise: 0.25, generations: 60, replicates: 3, 'test-points': 10, seed: 0 },
  'replace-d20-t500': { dim: 20, points: 500, generations: 5, replicates: 2, 'test-points': 10, seed: 3 },
};

async function run(opts: RawOptions, backend: string) {
  const { config } = resolveRegressionConfig({ ...opts, backend });
  return runAndCollect(config);
}

goldenDigestSuite('regression', 'regression', CONFIGS);

describe('regression: what the digest does and does not depend on', () => {
  it('not on --every, and the metrics at shared generations are identical', async () => {
    const a = (await run({ ...CONFIGS['replace-d10'], every: 1 }, 'wasm')).summary;
    const b = (await run({ ...CONFIGS['replace-d10'], every: 7 }, 'wasm')).summary;
    expect(b.digest).toBe(a.digest);
    expect(b.generations.map((g) => g.n)).toEqual([0, 7, 14, 21, 28, 30]);
    for (const g of b.generations) expect(g.metrics).toEqual(a.generations[g.n].metrics);
  });

  it('not on how many replicates run: replicate r is the same in a run of 2 and of 4', async () => {
    const r2 = (await run({ ...CONFIGS['mix-d2'], replicates: 2 }, 'wasm')).replicates;
    const r4 = (await run({ ...CONFIGS['mix-d2'], replicates: 4 }, 'wasm')).replicates;
    expect(r4.slice(0, 2).map((r) => r.digest)).toEqual(r2.map((r) => r.digest));
    expect(new Set(r4.map((r) => r.digest)).size).toBe(4);
  });

  it('on the number of test points, which come from the stream before w* and the labels', async () => {
    // changing their number moves every later draw, so the digest must change
    // (a run that ignored --test-points would keep it)
    const a = (await run(CONFIGS['replace-d10'], 'wasm')).summary;
    const b = (await run({ ...CONFIGS['replace-d10'], 'test-points': 51 }, 'wasm')).summary;
    expect(b.digest).not.toBe(a.digest);
  });

  it('on the seed, the noise and the policy', async () => {
    const base = (await run(CONFIGS['replace-d10'], 'wasm')).summary.digest;
    for (const change of [{ seed: 8 }, { noise: 2 }, { policy: 'accumulate' }]) {
      expect((await run({ ...CONFIGS['replace-d10'], ...change }, 'wasm')).summary.digest).not.toBe(base);
    }
  });

  it('mix and fresh with --real-fraction 0 are replace, bit for bit (no real rows, the same draws)', async () => {
    const opts = { dim: 3, points: 15, generations: 12, replicates: 3, 'test-points': 20, seed: 'g0' };
    const replace = (await run(opts, 'wasm')).summary.digest;
    expect((await run({ ...opts, policy: 'mix', 'real-fraction': 0 }, 'wasm')).summary.digest).toBe(replace);
    expect((await run({ ...opts, policy: 'fresh', 'real-fraction': 0 }, 'wasm')).summary.digest).toBe(replace);
    expect((await run({ ...opts, policy: 'fresh', 'real-fraction': 0.2 }, 'wasm')).summary.digest).not.toBe(replace);
  });

  it('the smallest design with subsampling meets rank-deficient fits, reports them, and gives no NaN', async () => {
    const s = (await run({ ...CONFIGS['accumulate-subsample-d5-t7'], replicates: 20 }, 'wasm')).summary;
    expect(s.warnings.join(' ')).toMatch(/replicates: a training design was rank-deficient/);
    expect(nonFiniteNumbers(s)).toEqual([]);
    for (const g of s.generations) expect(g.metrics.weightErrorSq.count).toBe(20);
  });
});

/** Paths of every number in `x` that is NaN or infinite. */
function nonFiniteNumbers(x: unknown, path = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path];
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}
