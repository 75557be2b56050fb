// 1.5 x 10^5 replicates end with their summary (the old summary died in a
// Math.min(...spread) with "Maximum call stack size exceeded" at 2 x 10^5).
// 1.5 x 10^5 keeps the medians exact: the 1-D Gaussian's 11 metrics at 2
// generations fit the 32 MiB budget (2 x 10^5 would need 35 MB).
import { describe, expect, it } from 'vitest';
import { resolveGaussianConfig } from '../src/families/gaussian/options.js';
import { runSimulation } from '../src/runner/run.js';

describe('a run of 1.5 x 10^5 replicates', () => {
  it('ends with its summary, every replicate counted, events summarised', async () => {
    const { config } = resolveGaussianConfig({ samples: 2, generations: 1, replicates: 150_000, estimator: 'mle', seed: 11 });
    let seen = 0;
    const outcome = await runSimulation(config, { onReplicate: () => void seen++ });
    expect(outcome.aborted).toBe(false);
    expect(outcome.completed).toBe(150_000);
    expect(seen).toBe(150_000);
    const s = outcome.summary;
    expect(s.complete).toBe(true);
    expect(s.medians).toBe('exact');
    expect(s.digest).toMatch(/^[0-9a-f]{64}$/);
    // the closed form within 5 standard errors
    const v = s.generations[1].metrics.marginalVariance;
    expect(v.count).toBe(150_000);
    expect(v.theoryMean).not.toBeNull();
    expect(Math.abs(v.mean! - v.theoryMean!)).toBeLessThan(5 * v.se!);
    expect(v.medianRankError).toBe(0);
    expect(s.elapsedMs).toBeGreaterThan(0);
  }, 60_000);
});
