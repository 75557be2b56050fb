// The reproducibility contract for the lm family: the same config and seed
// give the same bits on js, wasm and wasm-simd, and the digests of the
// committed golden file. A deliberate change of the numbers regenerates it:
//   UPDATE_GOLDEN=1 npx vitest run test/lm-reproducibility.test.ts
// (and says why in CHANGELOG.md).
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveLmConfig } from '../src/families/lm/options.js';
import { BlockData } from '../src/families/lm/model.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';
import { fileURLToPath } from 'node:url';

/** A plain-text corpus of 90 paragraphs (4,500 words) from three Brown files, tags stripped: small enough for the js backend. */
const FICTION = fileURLToPath(new URL('./fixtures/brown-fiction.txt', import.meta.url));
const small = { corpus: FICTION, documents: 90, 'min-count': 1, block: 32 };

const CONFIGS: Record<string, RawOptions> = {
  replace: { documents: 10, generations: 2, replicates: 1, seed: 7 },
  'plain-replace-two-replicates': { ...small, generations: 3, replicates: 2, seed: 7 },
  'plain-mix-mkn-order4': { ...small, generations: 3, replicates: 1, policy: 'mix', 'real-fraction': 0.1, order: 4, smoothing: 'mkn', seed: 'mix' },
  'plain-accumulate': { ...small, generations: 3, replicates: 1, policy: 'accumulate', prompt: 4, seed: 3 },
  'plain-accumulate-subsample-keep-case': { ...small, generations: 3, replicates: 1, policy: 'accumulate-subsample', order: 2, case: 'keep', seed: 'ü-漢' },
  'plain-decoded-temperature-top-k': { ...small, generations: 2, replicates: 1, temperature: 0.7, 'top-k': 40, seed: 'decode' },
  'plain-beams-5-penalty-3': { ...small, documents: 45, generations: 2, replicates: 1, beams: 5, 'repetition-penalty': 3, seed: 'beam' },
  'plain-temperature-penalty': { ...small, generations: 2, replicates: 1, temperature: 0.7, 'repetition-penalty': 2, seed: 'fast' },
  'plain-unigram-free-running': { ...small, generations: 4, replicates: 1, order: 1, prompt: 0, every: 2, seed: 0 },
};

async function run(opts: RawOptions) {
  const { config } = resolveLmConfig({ backend: 'wasm', ...opts });
  return runAndCollect(config);
}

goldenDigestSuite('lm', 'lm', CONFIGS);

describe('what the lm digest does and does not depend on', () => {
  it('not on --every or on slicing the long passes (one block per kernel call); on the seed', async () => {
    const a = await run(CONFIGS['plain-replace-two-replicates']);
    const b = await run({ ...CONFIGS['plain-replace-two-replicates'], every: 2 });
    const saved = BlockData.sliceTokens;
    BlockData.sliceTokens = 1;
    let sliced;
    try {
      sliced = await run(CONFIGS['plain-replace-two-replicates']);
      const acc = await run(CONFIGS['plain-accumulate']);
      BlockData.sliceTokens = saved;
      expect(JSON.stringify((await run(CONFIGS['plain-accumulate'])).replicates)).toBe(JSON.stringify(acc.replicates));
    } finally {
      BlockData.sliceTokens = saved;
    }
    const c = await run({ ...CONFIGS['plain-replace-two-replicates'], seed: 8 });
    expect(b.summary.digest).toBe(a.summary.digest);
    expect(JSON.stringify(sliced.replicates)).toBe(JSON.stringify(a.replicates));
    expect(c.summary.digest).not.toBe(a.summary.digest);
  });

  it('decoding: not on slicing the writing (one block per kernel call)', async () => {
    const saved = BlockData.sliceTokens;
    for (const name of ['plain-beams-5-penalty-3', 'plain-temperature-penalty']) {
      const whole = await run(CONFIGS[name]);
      BlockData.sliceTokens = 1;
      try {
        expect(JSON.stringify((await run(CONFIGS[name])).replicates), name).toBe(JSON.stringify(whole.replicates));
      } finally {
        BlockData.sliceTokens = saved;
      }
    }
  });

  it('not on how many replicates run', async () => {
    const r1 = (await run({ ...CONFIGS['plain-replace-two-replicates'], replicates: 1 })).replicates;
    const r2 = (await run(CONFIGS['plain-replace-two-replicates'])).replicates;
    expect(r2[0].digest).toBe(r1[0].digest);
    expect(r2[1].digest).not.toBe(r1[0].digest);
  });
});
