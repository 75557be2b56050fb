// The reproducibility contract for the categorical family: the same config
// and seed give the same bits on js, wasm and wasm-simd, and the digests of
// the committed golden file. A deliberate change of the numbers regenerates it:
//   UPDATE_GOLDEN=1 npx vitest run test/categorical-reproducibility.test.ts
// (and says why in CHANGELOG.md).
import { describe, expect, it } from 'vitest';
import { goldenDigestSuite } from './golden.js';
import { resolveCategoricalConfig } from '../src/families/categorical/options.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';
import { CategoricalModel } from '../src/families/categorical/model.js';
import { spanHashDoubles } from '../src/families/categorical/layout.js';


const CONFIGS: Record<string, RawOptions> = {
  'replace-uniform': { states: 6, samples: 100, generations: 200, replicates: 6, seed: 7 },
  'replace-zipf-until-absorbed': { init: 'zipf', states: 12, samples: 30, generations: 2000, replicates: 5, 'until-absorbed': true, every: 7, seed: 'zipf' },
  'replace-given-odd-k': { probs: '0.5,0.25,0.125,0.0625,0.0625', samples: 40, generations: 80, replicates: 4, seed: -3 },
  accumulate: { states: 9, samples: 25, generations: 60, replicates: 4, policy: 'accumulate', seed: 11 },
  'accumulate-subsample': { init: 'zipf', 'zipf-a': 2, 'zipf-b': 5, states: 20, samples: 20, generations: 40, replicates: 4, policy: 'accumulate-subsample', seed: 'ü-漢' },
  mix: { states: 5, samples: 50, generations: 100, replicates: 4, policy: 'mix', 'real-fraction': 0.2, seed: 0 },
  fresh: { states: 1000, samples: 300, generations: 30, replicates: 3, policy: 'fresh', 'real-fraction': 0.3, seed: 'fresh' },
};

async function run(opts: RawOptions, backend: string) {
  const { config } = resolveCategoricalConfig({ ...opts, backend });
  return runAndCollect(config);
}

goldenDigestSuite('categorical', 'categorical', CONFIGS);

describe('what the categorical digest does and does not depend on', () => {
  it('not on --every; on the seed', async () => {
    const a = (await run({ ...CONFIGS['replace-uniform'], every: 1 }, 'wasm')).summary;
    const b = (await run({ ...CONFIGS['replace-uniform'], every: 37 }, 'wasm')).summary;
    const c = (await run({ ...CONFIGS['replace-uniform'], seed: 8 }, 'wasm')).summary;
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
  });

  it('not on whether the replace chain runs in kernel spans: the same records as one generation at a time', async () => {
    const proto = CategoricalModel.prototype as { replaceSpan?: (...a: unknown[]) => number };
    const span = proto.replaceSpan!;
    let spanned = 0; // generations the spans ran: the test is not vacuous
    const counted = function (this: unknown, ...a: unknown[]) {
      const ran = span.apply(this, a);
      spanned += ran;
      return ran;
    };
    // absorption inside a span's reach (K = 3, M = 8: absorbed within tens of
    // generations), with and without --until-absorbed, and K = 4200 with about 95 samples a state (few die), whose
    // 64 generations of live lists pass the span's digest buffer
    expect(64 * 4201).toBeGreaterThan(spanHashDoubles(4200));
    const cases: RawOptions[] = [
      { states: 3, samples: 8, generations: 500, replicates: 8, every: 100, seed: 'span' },
      { states: 3, samples: 8, generations: 500, replicates: 8, every: 100, 'until-absorbed': true, seed: 'span' },
      { states: 4200, samples: 400000, generations: 150, replicates: 1, every: 150, seed: 'wide' },
    ];
    for (const opts of cases) {
      for (const backend of ['js', 'wasm-simd']) {
        spanned = 0;
        proto.replaceSpan = counted;
        let spans;
        try {
          spans = await run(opts, backend);
        } finally {
          proto.replaceSpan = span;
        }
        expect(spanned).toBeGreaterThan(50);
        proto.replaceSpan = undefined;
        let plain;
        try {
          plain = await run(opts, backend);
        } finally {
          proto.replaceSpan = span;
        }
        expect(spans.summary.digest).toBe(plain.summary.digest);
        expect(spans.replicates).toEqual(plain.replicates);
      }
    }
    const absorbed = (await run(cases[0], 'wasm')).replicates.map((r) => r.finals?.absorptionGeneration);
    expect(absorbed.filter((t) => typeof t === 'number' && t > 1 && t < 500).length).toBeGreaterThan(4);
  });

  it('not on how many replicates run', async () => {
    const r2 = (await run({ ...CONFIGS.mix, replicates: 2 }, 'wasm')).replicates;
    const r4 = (await run(CONFIGS.mix, 'wasm')).replicates;
    expect(r4.slice(0, 2).map((r) => r.digest)).toEqual(r2.map((r) => r.digest));
  });

  it('--until-absorbed records exactly what simulating every generation records, and stops at absorption', async () => {
    const opts = { states: 4, samples: 12, generations: 300, replicates: 20, seed: 'fill' };
    const full = await run(opts, 'wasm');
    const stop = await run({ ...opts, 'until-absorbed': true }, 'wasm');
    for (let r = 0; r < 20; r++) {
      const a = full.replicates[r];
      const b = stop.replicates[r];
      expect(b.metrics).toEqual(a.metrics); // the filled slots equal the simulated ones
      expect(b.finals).toEqual(a.finals);
      const t = a.finals!.absorptionGeneration;
      expect(t).not.toBeNull();
      expect(a.metrics.survivors[t!]).toBe(1);
      expect(a.metrics.survivors[t! - 1]).toBeGreaterThan(1);
      // the digests differ exactly when absorption came before the last generation
      expect(b.digest === a.digest).toBe(t === 300);
    }
    // and the digest of an absorbed replicate does not depend on the cap
    const longer = await run({ ...opts, 'until-absorbed': true, generations: 600 }, 'wasm');
    expect(longer.replicates.map((r) => r.digest)).toEqual(stop.replicates.map((r) => r.digest));
  });

  it('a cap below the absorption time warns and reports null absorption times', async () => {
    const { config, warnings } = resolveCategoricalConfig({ states: 6, samples: 1000, generations: 50, replicates: 3, 'until-absorbed': true });
    expect(warnings.join(' ')).toMatch(/mean time until one state is left is about 1823 \(Littler 1975\)/);
    const { summary } = await runAndCollect(config);
    expect(summary.finals.absorptionGeneration.count).toBe(0);
    expect(summary.warnings.join(' ')).toMatch(/3 of 3 replicates: more than one state was left at the --generations cap/);
  });
});
