// The reproducibility contract for the KDE family: the same config and seed
// give the same bits (digests and every metric) on js, wasm and wasm-simd,
// and the digests committed in test/golden/kde.json. A deliberate change of
// the numbers regenerates the file with
//   UPDATE_GOLDEN=1 npx vitest run test/kde-reproducibility.test.ts
// and says why in CHANGELOG.md.
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveKdeConfig } from '../src/families/kde/options.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';
import { describe as describeValues } from '../src/util/stats.js';


// every policy, every data set, the three bandwidth modes, d = 1, 2, 3, odd
// sizes (SIMD tails), string, negative and zero seeds
const CONFIGS: Record<string, RawOptions> = {
  'replace-gmm1d-scott-frozen': { data: 'gmm1d', samples: 61, generations: 40, replicates: 3, holdout: 51, seed: 7 },
  'replace-gmm2d-silverman-recompute': { data: 'gmm2d', samples: 40, generations: 30, replicates: 3, bandwidth: 'silverman', 'bandwidth-mode': 'recompute', holdout: 33, seed: 'golden' },
  'accumulate-rings-scott-recompute': { data: 'rings', samples: 31, generations: 20, replicates: 2, policy: 'accumulate', 'bandwidth-mode': 'recompute', holdout: 20, seed: 11 },
  'accumulate-subsample-moons-fixed': { data: 'moons', samples: 30, generations: 25, replicates: 2, policy: 'accumulate-subsample', bandwidth: 0.2, holdout: 21, seed: 'ü-漢' },
  'mix-gaussian-3d-fixed': { data: 'gaussian', dim: 3, samples: 25, generations: 30, replicates: 2, policy: 'mix', 'real-fraction': 0.2, bandwidth: 0.5, holdout: 17, seed: -5 },
  'fresh-gmm1d-recompute': { data: 'gmm1d', samples: 45, generations: 30, replicates: 2, policy: 'fresh', 'bandwidth-mode': 'recompute', holdout: 40, seed: 0 },
};

async function run(opts: RawOptions, backend: string) {
  const { config } = resolveKdeConfig({ ...opts, backend });
  return runAndCollect(config);
}

goldenDigestSuite('kde', 'kde', CONFIGS);

describe('what the digest does and does not depend on', () => {
  const base = CONFIGS['replace-gmm1d-scott-frozen'];

  it('not on --every, and the recorded metrics are the same values', async () => {
    const a = await run({ ...base, every: 1 }, 'wasm');
    const b = await run({ ...base, every: 13 }, 'wasm');
    expect(b.summary.digest).toBe(a.summary.digest);
    expect(b.header.recorded).toEqual([0, 13, 26, 39, 40]);
    for (const r of [0, 1, 2]) {
      for (const [slot, n] of b.header.recorded.entries()) expect(b.replicates[r].metrics.nll[slot]).toBe(a.replicates[r].metrics.nll[n]);
    }
  });

  it("on --holdout: the held-out points come from the replicate's one stream, right after the real data", async () => {
    // so a different m shifts every later draw (documented in docs/kde.md)
    const a = await run(base, 'wasm');
    const b = await run({ ...base, holdout: 52 }, 'wasm');
    expect(b.summary.digest).not.toBe(a.summary.digest);
  });

  it('not on how many replicates run: replicate r is the same in a run of 1 and of 3', async () => {
    const one = await run({ ...base, replicates: 1 }, 'wasm');
    const three = await run(base, 'wasm');
    expect(three.replicates[0].digest).toBe(one.replicates[0].digest);
    expect(new Set(three.replicates.map((r) => r.digest)).size).toBe(3);
  });

  it('on the seed', async () => {
    const a = await run(base, 'wasm');
    const b = await run({ ...base, seed: 8 }, 'wasm');
    expect(b.summary.digest).not.toBe(a.summary.digest);
  });
});

describe('degenerate chains end cleanly: an event, nulls, never a NaN', () => {
  it('a recomputed bandwidth that overflows the variance', async () => {
    // n = 20, Scott: E Var grows by 1.25 per generation, and the typical chain overflows after about 4000
    const { config, warnings } = resolveKdeConfig({ samples: 20, generations: 6000, every: 1000, holdout: 5, replicates: 2, 'bandwidth-mode': 'recompute', seed: 3 });
    expect(warnings.join(' ')).toMatch(/passes the largest double near generation \d+/);
    const { summary, replicates } = await runAndCollect(config);
    expect(replicates.every((r) => r.events.some((e) => e.kind === 'overflow'))).toBe(true);
    expect(summary.warnings.join(' ')).toMatch(/2 of 2 replicates: the variance overflowed/);
    expect(summary.generations.at(-1)!.metrics.variance.count).toBe(0);
    expect(nonFiniteNumbers(summary)).toEqual([]);
  });

  it('a recomputed bandwidth that reaches 0 (n = 2: the typical chain shrinks)', async () => {
    const { config } = resolveKdeConfig({ samples: 2, generations: 500, every: 100, holdout: 5, replicates: 3, 'bandwidth-mode': 'recompute', seed: 3 });
    const { summary, replicates } = await runAndCollect(config);
    expect(replicates.every((r) => r.events.some((e) => e.kind === 'collapsed'))).toBe(true);
    expect(summary.generations.at(-1)!.metrics.variance.mean).toBe(0);
    expect(summary.generations.at(-1)!.metrics.nll.count).toBe(0); // +Infinity, reported as null
    expect(nonFiniteNumbers(summary)).toEqual([]);
  });
});

describe('the shared summary statistics stay finite for finite values near the largest double', () => {
  it('mean, median and sd of [1e300, 1.5e308, 1.7e308] (the plain sum and squares overflow)', () => {
    const s = describeValues([1e300, 1.5e308, 1.7e308]);
    const mean = 1e300 / 3 + 1.5e308 / 3 + 1.7e308 / 3;
    expect(Math.abs(s.mean! / mean - 1)).toBeLessThan(1e-12);
    expect(s.median).toBe(1.5e308);
    // the sd in units of 1e308, where nothing overflows
    const mu = mean / 1e308;
    const want = 1e308 * Math.sqrt([1e-8, 1.5, 1.7].reduce((a, x) => a + (x - mu) ** 2, 0) / 2);
    expect(Math.abs(s.sd! / want - 1)).toBeLessThan(1e-12);
    expect(describeValues([1.7e308, 1.6e308]).median! / 1.65e308).toBeCloseTo(1, 14);
  });
});

/** Paths of every number in `x` that is NaN or infinite (JSON would turn them into null silently). */
function nonFiniteNumbers(x: unknown, path = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path];
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}
