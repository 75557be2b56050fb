// `collapse-bench bench compare` on synthetic records: a clear regression
// fails the gate and is named, noise does not, the interval and the test are
// what they should be (exact: level and coverage held at 5 rounds) and agree
// with the verdict (also on two real records' rounds), the output is
// reproducible, and fingerprints that differ in more than what is compared
// are warned about.
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALPHA, compareRecords, renderComparison, type CompareInput, type CompareRow } from '../src/cli/bench-compare.js';
import { compareSamples, mannWhitneyCdf } from '../src/util/rank-test.js';
import { main } from '../src/cli/main.js';

/** mulberry32: seeded uniforms in [0, 1), for synthetic rounds. */
function seededUniform(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The verdict, the interval and p tell one story: a verdict exactly when the interval is clear of 1, exactly when p <= 0.05. */
function coherent(r: CompareRow): boolean {
  const clear = r.estimate.low > 1 || r.estimate.high < 1;
  return clear === (r.verdict !== 'same') && clear === r.estimate.p <= ALPHA && (r.verdict !== 'slower' || r.estimate.low > 1) && (r.verdict !== 'faster' || r.estimate.high < 1);
}

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

  it('the null distribution is the exact Mann-Whitney one', () => {
    // 5 against 5: C(10, 5) = 252 orders; U = 0, 1 by one each, U = 2 by two, U = 3 by three
    const c = mannWhitneyCdf(5, 5);
    expect(c).toHaveLength(26);
    expect([c[0], c[1], c[2], c[3]].map((x) => Math.round(x * 252))).toEqual([1, 2, 4, 7]);
    expect(c[25]).toBeCloseTo(1, 12);
    // symmetric: P(U <= u) = 1 - P(U <= 24 - u)
    for (let u = 0; u < 25; u++) expect(c[u]).toBeCloseTo(1 - c[24 - u], 12);
    expect(mannWhitneyCdf(13, 5)[0] * 8568).toBeCloseTo(1, 9); // C(18, 5)
  });

  it('the test holds its level and the interval covers the true ratio, at 5 rounds against 13, and they agree', () => {
    // 200 pairs from one distribution: p <= 0.05 in about 5% (exact: at most 5%; binomial sd
    // over 200 is 1.5%, so allow up to 4 sd above); with B's rounds 1.2x A's, the interval
    // covers 1.2 in at least 95% (allow 4 sd below). The verdict is the interval's, and p's.
    const u = seededUniform(99);
    const round = () => Math.exp(0.1 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
    let rejected = 0;
    let covered = 0;
    for (let k = 0; k < 200; k++) {
      const a = Array.from({ length: 13 }, round);
      const same = compareSamples(a, Array.from({ length: 5 }, round));
      const clear = same.low > 1 || same.high < 1;
      expect(clear).toBe(same.p <= ALPHA);
      if (clear) rejected++;
      const slow = compareSamples(a, Array.from({ length: 5 }, () => 1.2 * round()));
      if (slow.low <= 1.2 && slow.high >= 1.2) covered++;
      expect(slow.low > 1 || slow.high < 1).toBe(slow.p <= ALPHA);
    }
    expect(rejected / 200).toBeLessThan(0.11);
    expect(covered / 200).toBeGreaterThan(0.89);
  });

  it('on two real records (13 rounds against 5), the verdict, the interval and p agree, and the gate fails only on a supported regression', () => {
    // per-call p50 (ms, 7 digits) of bench-node-2026-12-03T08-20-15.449Z.json (A, 13 rounds) and
    // bench-node-2026-12-03T14-48-02.716Z.json (B, 5 rounds). The bootstrap interval called
    // frechetDistance faster beside a permutation p of 0.19, and failed --fail-above 1.10 on
    // fillNormal beside p = 0.18: a gate failing on what its own test did not support.
    const rows = {
      'frechetDistance d=64': {
        backend: 'wasm-simd',
        a: [0.8997983, 0.648835, 0.7089544, 0.8495788, 0.7566719, 0.9985496, 0.7232092, 0.7200268, 0.999301, 1.088482, 1.023599, 1.08574, 1.059069],
        b: [0.873651, 0.691662, 0.6885836, 0.6824721, 0.7089486],
      },
      'fillNormal n=100': {
        backend: 'js',
        a: [0.004015295, 0.004344598, 0.0039859, 0.004048475, 0.00401058, 0.003791492, 0.00675811, 0.00658808, 0.00610761, 0.006683677, 0.007298155, 0.00681031, 0.006755195],
        b: [0.007234883, 0.008092253, 0.00844673, 0.008515145, 0.00821207],
      },
    };
    const rec = (side: 'a' | 'b'): CompareInput => ({
      kind: 'kernel-bench',
      fingerprint: FP,
      warm: Object.entries(rows).map(([id, r]) => ({ spec: { id }, rounds: r[side].map((p50) => ({ used: true, perCall: { [r.backend]: { p50 } } })) })),
    });
    const c = compareRecords(rec('a'), rec('b'), { failAbove: 1.1 });
    expect(c.rows.map((r) => `${r.case}/${r.backend}`)).toEqual(['frechetDistance d=64/wasm-simd', 'fillNormal n=100/js']);
    for (const r of c.rows) expect(coherent(r), `${r.case}: ${r.verdict} [${r.estimate.low}, ${r.estimate.high}] p ${r.estimate.p}`).toBe(true);
    // every failure of the gate is a row the test calls slower
    for (const r of c.failed) expect(r.verdict === 'slower' && r.estimate.p <= ALPHA && r.estimate.low > 1).toBe(true);
  });

  it('the verdict, the interval and p agree at any round count; too few rounds give no verdict, and fail no gate', () => {
    // 3 rounds a side: no split reaches p <= 0.05 (2 / C(6, 3) = 0.1), so even a 50% slowdown is
    // not called: the interval is unbounded, and --fail-above does not fail on it
    const a3 = record({ step: 1 }, { seed: 6, rounds: 3 });
    const slow3 = compareRecords(a3, record({ step: 1.5 }, { seed: 5, rounds: 3 }), { failAbove: 1.1 });
    expect(slow3.rows.map((r) => r.verdict)).toEqual(['same', 'same']);
    for (const r of slow3.rows) {
      expect(r.estimate.ratio).toBeGreaterThan(1.4);
      expect(r.estimate.p).toBeCloseTo(0.1, 12);
      expect([r.estimate.low, r.estimate.high]).toEqual([0, Infinity]);
    }
    expect(slow3.failed).toEqual([]);
    expect(renderComparison('A', 'B', slow3, 1.1)).toMatch(/\[0\.000, inf\]/);
    // 5 rounds a side (a quick run): every B round slower than every A round gives p = 2 / 252
    const a5 = record({ step: 1 }, { seed: 6, rounds: 5 });
    const slow5 = compareRecords(a5, record({ step: 1.5 }, { seed: 5, rounds: 5 }), { failAbove: 1.1 });
    expect(slow5.rows.map((r) => r.verdict)).toEqual(['slower', 'slower']);
    for (const r of slow5.rows) expect(r.estimate.p).toBeCloseTo(2 / 252, 12);
    expect(slow5.failed.map((r) => `${r.case}/${r.backend}`)).toEqual(['step/js', 'step/wasm']);
    expect(compareRecords(a5, record({ step: 0.6 }, { seed: 5, rounds: 5 })).rows.map((r) => r.verdict)).toEqual(['faster', 'faster']);
    // and over many rows of 13 rounds against 13, 5 and 3, with and without a change
    for (const [k, rounds] of [13, 5, 3].entries()) {
      for (const scale of [0.9, 0.97, 1, 1.03, 1.1]) {
        for (const r of compareRecords(A, record({ step: scale, fit: 0.2 * scale }, { seed: 10 + k, rounds })).rows) expect(coherent(r)).toBe(true);
      }
    }
    const text = renderComparison('A', 'B', slow5, 1.1);
    expect(text).toMatch(/2 compared: 2 slower, 0 faster \(95% interval clear of 1, p <= 0\.05\)/);
    expect(text).toMatch(/ p /);
  });

  it('computes the ratio of medians exactly and reproduces its output', () => {
    const e = compareSamples([1, 1, 1, 2, 9], [3, 3, 3, 1, 0.5]);
    expect(e.ratio).toBe(3);
    expect(compareSamples([1, 1, 1, 2, 9], [3, 3, 3, 1, 0.5])).toEqual(e);
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
    expect(compareRecords(record({ step: 1 }, { seed: 6, rounds: 3 }), record({ step: 1 }, { seed: 5, rounds: 3 })).warnings.join('\n')).toMatch(/3 vs 3 rounds: no split of so few rounds can reach p <= 0.05, so no case can be judged slower or faster/);
    // 13 against 3 rounds can reach p = 2 / C(16, 3) < 0.05: no such warning
    expect(compareRecords(record({ step: 1 }, { seed: 6 }), record({ step: 1 }, { seed: 5, rounds: 3 })).warnings.join('\n')).not.toMatch(/no split/);
  });

  it('several records a side: the test runs over one median per process, so a process-to-process spread is not a verdict, and a change across processes is', () => {
    // each process draws its own speed (a factor from 0.75 to 1.25, as a busy virtual machine
    // gave the same build), its 13 rounds then jitter 2% around it: the rounds of two such
    // processes look like a regression, the processes' medians do not
    const u = seededUniform(7);
    const processes = (n: number, scale: number, seed: number) =>
      Array.from({ length: n }, (_, i) => {
        const speed = 0.75 + 0.5 * u();
        return record({ step: scale * speed }, { seed: seed + i, spread: 0.02 });
      });
    let roundsCalls = 0;
    let recordsCalls = 0;
    for (let k = 0; k < 40; k++) {
      const [a, b] = [processes(5, 1, 100 * k), processes(5, 1, 100 * k + 50)];
      roundsCalls += compareRecords(a[0], b[0]).rows.filter((r) => r.verdict !== 'same').length;
      const c = compareRecords(a, b);
      expect(c.unit).toBe('records');
      for (const r of c.rows) expect(coherent(r)).toBe(true);
      recordsCalls += c.rows.filter((r) => r.verdict !== 'same').length;
    }
    // 80 rows a mode (2 backends x 40 pairs): the rounds call most of them; the records at about
    // the test's 5% (binomial sd over 80 is 2.4%: allow 4 sd above)
    expect(roundsCalls / 80).toBeGreaterThan(0.5);
    expect(recordsCalls / 80).toBeLessThan(0.15);
    // a 2x slowdown that holds in every process is found with 5 records a side, p = 2 / 252
    const slow = compareRecords(processes(5, 1, 1), processes(5, 2, 2), { failAbove: 1.1 });
    expect(slow.rows.map((r) => r.verdict)).toEqual(['slower', 'slower']);
    for (const r of slow.rows) expect(r.estimate.p).toBeCloseTo(2 / 252, 12);
    expect(slow.failed).toHaveLength(2);
    // 3 records a side cannot give a verdict, and say so
    const three = compareRecords(processes(3, 1, 3), processes(3, 2, 4));
    expect(three.rows.map((r) => r.verdict)).toEqual(['same', 'same']);
    expect(three.warnings.join('\n')).toMatch(/3 vs 3 records: no split of so few records can reach p <= 0.05/);
    expect(renderComparison('A', 'B', slow)).toMatch(/over the records, one median per process/);
  });

  it('one record a side warns, when it gives a verdict, that it cannot see the difference between processes; records of one side that differ are warned about', () => {
    const slow = compareRecords(A, record({ step: 1.3, fit: 0.2 }, { seed: 3 }));
    expect(slow.unit).toBe('rounds');
    expect(slow.warnings.join('\n')).toMatch(/one record a side: .* several records a side/);
    expect(compareRecords(A, record({ step: 1, fit: 0.2 }, { seed: 2 })).warnings).toEqual([]);
    const otherBuild = { ...FP, build: { ...FP.build, wasm: 'w2' } };
    const mixed = compareRecords([A, record({ step: 1, fit: 0.2 }, { seed: 8, fingerprint: otherBuild })], [record({ step: 1, fit: 0.2 }, { seed: 9 }), record({ step: 1, fit: 0.2 }, { seed: 10 })]);
    expect(mixed.warnings.join('\n')).toMatch(/A's record 2 differs from its first in build/);
    const missing = compareRecords([A, record({ step: 1 }, { seed: 8 })], [record({ step: 1, fit: 0.2 }, { seed: 9 }), record({ step: 1, fit: 0.2 }, { seed: 10 })]);
    expect(missing.warnings.join('\n')).toMatch(/cases not in every record, not compared: fit/);
    expect(missing.rows.map((r) => r.case)).toEqual(['step', 'step']);
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
      // several records a side: A1 A2 ... vs B1 B2 ...
      const as = [1, 2, 3, 4].map((i) => write(`a${i}.json`, record({ step: 1, fit: 0.2 }, { seed: 20 + i })));
      const bs = [1, 2, 3, 4].map((i) => write(`b${i}.json`, record({ step: 1.5, fit: 0.2 }, { seed: 30 + i })));
      expect(await main(['bench', 'compare', ...as, 'vs', ...bs, '--fail-above', '1.10'])).toBe(1);
      expect(log.mock.calls.at(-1)![0]).toMatch(/one median per process[\s\S]*FAILED --fail-above 1.1: step on js/);
      expect(await main(['bench', 'compare', ...as, 'vs', ...as])).toBe(0);
      expect(await main(['bench', 'compare', ...as, 'vs', bs[0]])).toBe(2);
      expect(err.mock.calls.at(-1)![0]).toMatch(/4 record\(s\) against 1: over records the test needs 2 a side at least/);
      for (const bad of [['vs', a], [a, 'vs'], [a, 'vs', noise, 'vs', slow], [a, noise, slow]]) {
        expect(await main(['bench', 'compare', ...bad])).toBe(2);
        expect(err.mock.calls.at(-1)![0]).toMatch(/A1\.json A2\.json \.\.\. vs B1\.json/);
      }
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
