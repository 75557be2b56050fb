// `collapse-bench bench compare` on synthetic records: a clear regression
// fails the gate and is named, noise does not, the interval and the test are
// what they should be, the output is reproducible, and fingerprints that
// differ in more than what is compared are warned about.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRecords, renderComparison, type CompareInput } from '../src/cli/bench-compare.js';
import { compareSamples, seededUniform } from '../src/util/resample.js';
import { main } from '../src/cli/main.js';

const FP = {
  machine: { cpu: 'AMD EPYC x 2', cores: 2, os: 'linux' },
  runtime: { name: 'node', version: '20.20.2', engine: 'V8 11.3' },
  build: { version: '0.1.0', commit: 'abc', wasm: 'w1', simd: 's1', js: 'j1' },
};

/** A record whose case `id` has `rounds` rounds with latencies scale x (1 + noise), noise uniform in +-spread. */
function record(cases: Record<string, number>, o: { seed: number; spread?: number; rounds?: number; fingerprint?: typeof FP }): CompareInput {
  const u = seededUniform(o.seed);
  const noisy = (x: number) => x * (1 + (o.spread ?? 0.03) * (2 * u() - 1));
  return {
    kind: 'kernel-bench',
    fingerprint: o.fingerprint ?? FP,
    settings: { quick: false, smoke: false },
    warm: Object.entries(cases).map(([id, ms]) => ({
      spec: { id },
      rounds: Array.from({ length: o.rounds ?? 13 }, () => ({ used: true, perCall: { js: { p50: noisy(ms) }, wasm: { p50: noisy(ms / 3) } } })),
    })),
  };
}

describe('bench compare', () => {
  const A = record({ step: 1, fit: 0.2 }, { seed: 1 });

  it('passes noise (same distribution, 3% jitter) and fails a 30% regression, naming it', () => {
    const noise = compareRecords(A, record({ step: 1, fit: 0.2 }, { seed: 2 }), { failAbove: 1.1 });
    expect(noise.failed).toEqual([]);
    expect(noise.warnings).toEqual([]);
    const slow = compareRecords(A, record({ step: 1.3, fit: 0.2 }, { seed: 3 }), { failAbove: 1.1 });
    expect(slow.failed.map((r) => `${r.case}/${r.backend}`)).toEqual(['step/js', 'step/wasm']);
    for (const r of slow.failed) {
      expect(r.estimate.ratio).toBeGreaterThan(1.2);
      expect(r.estimate.low).toBeGreaterThan(1);
      expect(r.estimate.p).toBeLessThan(0.01);
    }
    // a 5% slowdown is real (interval clear of 1) but under the gate's 1.10
    const mild = compareRecords(A, record({ step: 1.05, fit: 0.2 }, { seed: 4, spread: 0.005 }), { failAbove: 1.1 });
    expect(mild.failed).toEqual([]);
  });

  it('the interval covers the true ratio and the test holds its level, over many noise-only pairs', () => {
    // 120 pairs of 13 rounds from one distribution: the 95% interval should cover 1 in most
    // (percentile intervals of a median from 13 values are somewhat narrow: allow 85%) and
    // p < 0.05 should happen in about 5% (binomial sd over 120: 2%; allow up to 4 sd above)
    let covered = 0;
    let rejected = 0;
    const u = seededUniform(99);
    for (let k = 0; k < 120; k++) {
      const a = Array.from({ length: 13 }, () => 1 + 0.1 * u());
      const b = Array.from({ length: 13 }, () => 1 + 0.1 * u());
      const e = compareSamples(a, b, k, 500);
      if (e.low <= 1 && e.high >= 1) covered++;
      if (e.p < 0.05) rejected++;
    }
    expect(covered / 120).toBeGreaterThan(0.85);
    expect(rejected / 120).toBeLessThan(0.13);
  });

  it('the verdict is the interval alone (issue 9): p is printed but does not decide', () => {
    // 3 rounds a side: no split reaches p < 0.05, yet a 50% slowdown has its interval clear of 1
    const a3 = record({ step: 1 }, { seed: 6, rounds: 3 });
    const slow3 = compareRecords(a3, record({ step: 1.5 }, { seed: 5, rounds: 3 }), { failAbove: 1.1 });
    expect(slow3.rows.map((r) => r.verdict)).toEqual(['slower', 'slower']);
    for (const r of slow3.rows) {
      expect(r.estimate.low).toBeGreaterThan(1);
      expect(r.estimate.p).toBeGreaterThanOrEqual(0.05);
    }
    expect(slow3.failed.map((r) => `${r.case}/${r.backend}`)).toEqual(['step/js', 'step/wasm']);
    // and faster when the whole interval is below 1
    expect(compareRecords(a3, record({ step: 0.6 }, { seed: 5, rounds: 3 })).rows.map((r) => r.verdict)).toEqual(['faster', 'faster']);
    // an interval that straddles 1 is 'same' whatever p says
    for (const r of compareRecords(A, record({ step: 1, fit: 0.2 }, { seed: 2 })).rows) expect(r.verdict === 'same').toBe(r.estimate.low <= 1 && r.estimate.high >= 1);
    const text = renderComparison('A', 'B', slow3, 1.1);
    expect(text).toMatch(/2 compared: 2 slower, 0 faster \(95% interval clear of 1\)/);
    expect(text).toMatch(/ p /);
  });

  it('computes the ratio of medians exactly and reproduces its output', () => {
    const e = compareSamples([1, 1, 1, 2, 9], [3, 3, 3, 1, 0.5], 7);
    expect(e.ratio).toBe(3);
    const B = record({ step: 1.3, fit: 0.2 }, { seed: 3 });
    expect(renderComparison('A', 'B', compareRecords(A, B, { failAbove: 1.1 }), 1.1)).toBe(renderComparison('A', 'B', compareRecords(A, B, { failAbove: 1.1 }), 1.1));
  });

  it('warns when the fingerprints differ in more than what is compared, and about few rounds', () => {
    const otherRuntime = { ...FP, runtime: { name: 'bun', version: '1.4.5', engine: 'JavaScriptCore' } };
    expect(compareRecords(A, record({ step: 1 }, { seed: 5, fingerprint: otherRuntime })).warnings.filter((w) => /differ/.test(w))).toEqual([]);
    const runtimeAndBuild = { ...otherRuntime, build: { ...FP.build, wasm: 'w2' } };
    const w = compareRecords(A, record({ step: 1 }, { seed: 5, fingerprint: runtimeAndBuild })).warnings;
    expect(w.join('\n')).toMatch(/differ in more than one thing: .*runtime .*build \(wasm\)/);
    // stated: comparing runtimes, so the build's difference is the problem
    expect(compareRecords(A, record({ step: 1 }, { seed: 5, fingerprint: runtimeAndBuild }), { comparing: 'runtime' }).warnings.join('\n')).toMatch(/more than the runtime: build \(wasm\)/);
    expect(compareRecords(record({ step: 1 }, { seed: 6, rounds: 3 }), record({ step: 1 }, { seed: 5, rounds: 3 })).warnings.join('\n')).toMatch(/3 vs 3 rounds: a bootstrap interval over so few rounds is too narrow to trust, and no split can reach p < 0.05/);
    // 13 against 3 rounds can reach p = 2 / C(16, 3) < 0.05: no such warning
    expect(compareRecords(record({ step: 1 }, { seed: 6 }), record({ step: 1 }, { seed: 5, rounds: 3 })).warnings.join('\n')).not.toMatch(/no split/);
  });

  it('as a command: exit 1 naming the regression, 0 for noise, 2 for bad input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compare-'));
    const write = (name: string, r: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(r));
      return join(dir, name);
    };
    const a = write('a.json', A);
    const noise = write('noise.json', record({ step: 1, fit: 0.2 }, { seed: 2 }));
    const slow = write('slow.json', record({ step: 1.3, fit: 0.2 }, { seed: 3 }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['bench', 'compare', a, noise, '--fail-above', '1.10'])).toBe(0);
      expect(await main(['bench', 'compare', a, slow, '--fail-above', '1.10'])).toBe(1);
      expect(log.mock.calls.at(-1)![0]).toMatch(/FAILED --fail-above 1.1: step on js \(1\.\d+x\), step on wasm/);
      expect(await main(['bench', 'compare', a, slow, '--fail-above', '0.5'])).toBe(2);
      expect(err.mock.calls.at(-1)![0]).toMatch(/--fail-above/);
      expect(await main(['bench', 'compare', a, join(dir, 'missing.json')])).toBe(2);
      expect(await main(['bench', 'compare', a])).toBe(2);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
