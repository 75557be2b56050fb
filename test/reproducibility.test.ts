// The reproducibility contract: the same config and seed give the same bits on
// js, wasm and wasm-simd, and the same digests as the committed golden file.
// A deliberate change of the numbers regenerates the file with
//   UPDATE_GOLDEN=1 npx vitest run test/reproducibility.test.ts
// and says why in CHANGELOG.md.
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveGaussianConfig } from '../src/families/gaussian/options.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';


const CONFIGS: Record<string, RawOptions> = {
  'replace-unbiased-1d': { samples: 100, generations: 200, replicates: 6, seed: 7 },
  'replace-mle-1d': { samples: 100, generations: 200, replicates: 6, estimator: 'mle', seed: 7 },
  'replace-bias-3d': { dim: 3, samples: 40, generations: 60, replicates: 4, bias: 0.8, cov0: '1,0.3,0;0.3,2,0.1;0,0.1,0.5', seed: 'golden' },
  'accumulate-2d': { dim: 2, samples: 30, generations: 80, replicates: 4, policy: 'accumulate', mu0: '1,-1', seed: 11 },
  'accumulate-subsample-1d-linear': { samples: 20, schedule: 'linear', generations: 30, replicates: 4, policy: 'accumulate-subsample', seed: 'ü-漢' },
  'mix-1d-mle': { samples: 100, generations: 100, replicates: 4, policy: 'mix', 'real-fraction': 0.1, estimator: 'mle', seed: -5 },
  'fresh-4d': { dim: 4, samples: 25, generations: 40, replicates: 3, policy: 'fresh', 'real-fraction': 0.3, seed: 0 },
  'fresh-real-weight-2d': { dim: 2, samples: 40, generations: 50, replicates: 3, policy: 'fresh', 'real-weight': 0.618, seed: 'phi' },
  'singular-d-ge-m': { dim: 5, samples: 4, generations: 10, replicates: 2, seed: 3 },
};

async function digestOf(opts: RawOptions, backend: string) {
  const { config } = resolveGaussianConfig({ ...opts, backend });
  return (await runAndCollect(config)).summary;
}

goldenDigestSuite('gaussian', 'digests', CONFIGS);

describe('what the digest does and does not depend on', () => {
  it('not on --every: the digest covers every generation, recorded or not', async () => {
    const a = await digestOf({ ...CONFIGS['replace-unbiased-1d'], every: 1 }, 'wasm');
    const b = await digestOf({ ...CONFIGS['replace-unbiased-1d'], every: 37 }, 'wasm');
    expect(b.digest).toBe(a.digest);
    expect(a.generations.length).toBe(201);
    expect(b.generations.map((g) => g.n)).toEqual([0, 37, 74, 111, 148, 185, 200]);
  });

  it('not on how many replicates run: replicate r is the same in a run of 2 and of 6', async () => {
    const { config: c2 } = resolveGaussianConfig({ ...CONFIGS['replace-mle-1d'], replicates: 2 });
    const { config: c6 } = resolveGaussianConfig({ ...CONFIGS['replace-mle-1d'], replicates: 6 });
    const r2 = (await runAndCollect(c2)).replicates;
    const r6 = (await runAndCollect(c6)).replicates;
    expect(r6.slice(0, 2).map((r) => r.digest)).toEqual(r2.map((r) => r.digest));
    expect(new Set(r6.map((r) => r.digest)).size).toBe(6);
  });

  it('on the seed', async () => {
    const a = await digestOf(CONFIGS['replace-unbiased-1d'], 'wasm');
    const b = await digestOf({ ...CONFIGS['replace-unbiased-1d'], seed: 8 }, 'wasm');
    expect(b.digest).not.toBe(a.digest);
  });

  it('degenerate d >= M runs to the end with warnings and no NaN', async () => {
    const s = await digestOf(CONFIGS['singular-d-ge-m'], 'wasm');
    expect(s.warnings.join(' ')).toMatch(/singular/);
    expect(nonFiniteNumbers(s)).toEqual([]);
    expect(s.generations[1].metrics.logDetRatio!.count).toBe(0); // -Infinity everywhere, reported as null
    expect(s.generations[1].metrics.w2sq!.count).toBe(2);
  });
});

/** Paths of every number in `x` that is NaN or infinite (JSON would turn them into null silently). */
function nonFiniteNumbers(x: unknown, path = '$'): string[] {
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [path];
  if (x && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}
