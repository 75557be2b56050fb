// The reproducibility contract for the vae family: the same config and seed
// give the same bits on js, wasm and wasm-simd, and the digests (the weights
// after each generation) of the committed golden file. A deliberate change of
// the numbers regenerates it:
//   UPDATE_GOLDEN=1 npx vitest run test/vae-reproducibility.test.ts
// (and says why in CHANGELOG.md). Also: what the digest does not depend on,
// and the refusals of bad options.
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveVaeConfig } from '../src/families/vae/options.js';
import { VaeModel } from '../src/families/vae/model.js';
import { PointData } from '../src/chain/point-data.js';
import { runAndCollect } from '../src/runner/run.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';

const tiny = { samples: 40, holdout: 10, hidden: 8, latent: 2, epochs: 2, batch: 10, 'iw-samples': 3, 'classifier-epochs': 0 };

const CONFIGS: Record<string, RawOptions> = {
  'replace-two-replicates': { ...tiny, generations: 2, replicates: 2, seed: 7 },
  'mix-bernoulli-classifier': { ...tiny, generations: 3, replicates: 1, policy: 'mix', 'real-fraction': 0.25, decode: 'bernoulli', classes: '3,5,8', 'classifier-epochs': 1, 'classifier-hidden': 6, seed: 'mix' },
  'accumulate-subsample-28-classes-0-1': { ...tiny, size: '28', classes: '0,1', samples: 20, hidden: 4, generations: 2, replicates: 1, policy: 'accumulate-subsample', seed: 3 },
  'accumulate-every-2': { ...tiny, samples: 20, generations: 3, every: 2, replicates: 1, policy: 'accumulate', seed: 'ü-漢' },
  'gaussian-pixels': { ...tiny, generations: 2, replicates: 1, likelihood: 'gaussian', 'pixel-sd': 0.2, seed: 5 },
  // odd sizes for the blocked products' edges (dense.ts): odd minibatches (7, then 2), odd hidden and
  // latent widths, 3 classes; its digest was computed by the one-dot-at-a-time kernels before blocking
  'odd-sizes-classifier': { ...tiny, samples: 23, hidden: 5, latent: 3, batch: 7, generations: 2, replicates: 1, 'classifier-epochs': 1, 'classifier-hidden': 5, classes: '0,1,2', seed: 11 },
};

async function run(opts: RawOptions) {
  const { config } = resolveVaeConfig({ backend: 'wasm', ...opts });
  return runAndCollect(config);
}

goldenDigestSuite('vae', 'vae', CONFIGS);

describe('what the vae digest does and does not depend on', () => {
  it('not on --every, nor on splitting training and drawing into calls of one minibatch and one image; on the seed', async () => {
    const base = CONFIGS['replace-two-replicates'];
    const a = await run(base);
    const b = await run({ ...base, every: 2 });
    const saved = [VaeModel.callWork, PointData.sliceWork];
    VaeModel.callWork = PointData.sliceWork = 1;
    let sliced;
    try {
      sliced = await run(base);
    } finally {
      [VaeModel.callWork, PointData.sliceWork] = saved;
    }
    const c = await run({ ...base, seed: 8 });
    expect(b.summary.digest).toBe(a.summary.digest);
    expect(JSON.stringify(sliced.replicates)).toBe(JSON.stringify(a.replicates));
    expect(c.summary.digest).not.toBe(a.summary.digest);
    // the metrics of generation 2 are the same whether or not generation 1 was recorded
    expect(b.replicates[0].metrics.iwNll[1]).toBe(a.replicates[0].metrics.iwNll[2]);
    expect(b.replicates[0].metrics.tail[1]).toBe(a.replicates[0].metrics.tail[2]);
  });

  it('not on how many replicates run', async () => {
    const r1 = (await run({ ...CONFIGS['replace-two-replicates'], replicates: 1 })).replicates;
    const r2 = (await run(CONFIGS['replace-two-replicates'])).replicates;
    expect(r2[0].digest).toBe(r1[0].digest);
    expect(r2[1].digest).not.toBe(r1[0].digest);
  });
});

describe('metrics', () => {
  it('row 0 has no model; model 1 sets the tail cut (its tail share is at most 1% + one digit)', async () => {
    const r = (await run(CONFIGS['replace-two-replicates'])).replicates[0].metrics;
    expect(r.iwNll[0]).toBeNull();
    expect(r.iwNll[1]).toBeGreaterThan(0);
    expect(r.tail[1]).toBeLessThanOrEqual(0.01 + 1 / 10);
    expect(r.pixelVar[0]).toBeGreaterThan(0);
    expect(r.pairDist[0]).toBeGreaterThan(0);
  });
});

describe('the digit classifier', () => {
  // Measured: 93.7% of the 1,996 held-out digits (an MLP of 64 hidden units, 5 epochs, at 14x14; 1,870
  // of them, trained in float64 and again, the same count, in float32). The
  // classifier is deterministic, so this guards against a regression; the level is 3 binomial standard
  // errors below the measurement (se = sqrt(0.937 x 0.063 / 1996) = 0.54%), the size of change that
  // another training draw of the same classifier would give.
  it('labels the held-out digits above 92% (MLP, 5 epochs, all 1,996), the same in every replicate; the real digits\' classes nearly evenly; FD real vs real far below FD of a tiny model\'s images', async () => {
    const { config } = resolveVaeConfig({ ...tiny, samples: 1000, generations: 1, replicates: 2, 'classifier-epochs': 5 });
    const out = await runAndCollect(config);
    const [r0, r1] = out.replicates;
    const accuracy = r0.finals!.classifierAccuracy as number;
    expect(accuracy).toBeGreaterThan(0.92);
    expect(r1.finals!.classifierAccuracy).toBe(accuracy);
    // the first 1000 training digits are 100 per class: the labels are close to uniform (entropy near log 10)
    const m = r0.metrics;
    expect(m.classEntropy[0]).toBeGreaterThan(Math.log(10) - 0.05);
    expect(m.topClassShare[0]).toBeLessThan(0.16);
    expect(10 * (m.frechet[0] as number)).toBeLessThan(m.frechet[1] as number);
  });

  it('the same bits when its training and the VAE\'s run one minibatch per kernel call', async () => {
    const base = CONFIGS['mix-bernoulli-classifier'];
    const a = await run(base);
    const saved = [VaeModel.callWork, PointData.sliceWork];
    VaeModel.callWork = PointData.sliceWork = 1;
    try {
      const sliced = await run(base);
      expect(JSON.stringify(sliced.replicates)).toBe(JSON.stringify(a.replicates));
    } finally {
      [VaeModel.callWork, PointData.sliceWork] = saved;
    }
  });
});

describe('bad options', () => {
  const refuse = (opts: RawOptions, pattern: RegExp) => expect(() => resolveVaeConfig({ ...tiny, ...opts })).toThrow(pattern);
  it('names the option and what is allowed', () => {
    refuse({ policy: 'fresh' }, /--policy fresh: the digits are finite/);
    refuse({ samples: 9000 }, /--samples: 9000 is more than the 8004 training digits/);
    refuse({ classes: '1', samples: 2000 }, /--samples: 2000 is more than the 902 training digits of classes 1/);
    refuse({ holdout: 5000 }, /--holdout: 5000 is more than the 1996 held-out digits/);
    refuse({ classes: '1,1' }, /--classes: 1,1: each class once/);
    refuse({ classes: '10' }, /--classes/);
    refuse({ classes: '1.5' }, /--classes: 1.5/);
    refuse({ size: '20' }, /--size/);
    refuse({ lr: 0 }, /--lr/);
    refuse({ latent: 0 }, /--latent/);
    refuse({ policy: 'mix', 'real-fraction': 0.999 }, /--real-fraction/);
    refuse({ likelihood: 'poisson' }, /--likelihood/);
    refuse({ 'pixel-sd': 0.2 }, /--pixel-sd: only with --likelihood gaussian/);
    refuse({ likelihood: 'gaussian', 'pixel-sd': 0 }, /--pixel-sd/);
    refuse({ likelihood: 'gaussian', decode: 'bernoulli' }, /--decode bernoulli: .*--likelihood gaussian use --decode mean/);
    // the Frechet distance's eigendecompositions cost Hc^3 in one call each: Ctrl-C would wait minutes above 256
    refuse({ 'classifier-hidden': 257 }, /--classifier-hidden: 257 is not allowed; expected an integer in \[1, 256\]/);
    expect(() => resolveVaeConfig({ ...tiny, policy: 'fresh' })).toThrow(UsageError);
  });
});
