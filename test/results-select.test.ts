// The summary of a run that records more generations than it shows: a fixed,
// header-only log-scale selection (first and last always), statistics of a
// selected generation equal to describe() over its values, the warning; and
// the byte reader of replicate lines, which must read what JSON.parse reads.
import { describe, expect, it } from 'vitest';
import { selectGenerations, selectRows, SUMMARY_GENERATIONS } from '../src/results/select.js';
import { SummaryBuilder, generationsWarning, type SummaryFamily } from '../src/results/summary.js';
import { parseRecordBytes } from '../src/results/record-bytes.js';
import { linesOf } from '../src/results/lines.js';
import { describe as describeValues } from '../src/util/stats.js';
import type { ReplicateRecord, RunHeader } from '../src/results/types.js';

const G = 25_001;
const recorded = Array.from({ length: G }, (_, i) => i);

function header(replicates: number): RunHeader {
  return {
    kind: 'header',
    tool: 'collapse-bench',
    format: 1,
    version: 'test',
    config: { family: 'gaussian', replicates, backend: 'js' } as unknown as RunHeader['config'],
    recorded,
    recordedSamples: recorded.map(() => 10),
    facts: {},
    environment: {} as RunHeader['environment'],
    kernels: null,
    startedAt: '',
  };
}

/** A family whose theory row of generation n says n (so rows must follow the generations shown). */
const family: SummaryFamily = {
  theory: (h) => ({ rows: h.recorded.map((n) => ({ a: { mean: n, median: null } })), bounds: {}, notes: [] }),
  eventText: (kind) => kind,
};

/** Value of metric a at generation index i of replicate r (some null, some repeated). */
const value = (r: number, i: number): number | null => (i % 7 === 3 && r === 1 ? null : Math.sin(r * 31 + i) * (i + 1));

function record(r: number): ReplicateRecord {
  const a = recorded.map((_, i) => value(r, i));
  return { kind: 'replicate', replicate: r, digest: (r + 1).toString(16).padStart(64, '0'), metrics: { a, b: a.map((x) => (x === null ? null : -x)) }, events: [] };
}

describe('selectGenerations', () => {
  it('picks exactly SUMMARY_GENERATIONS of 25,001, first and last included, strictly increasing, the same every time', () => {
    const s = selectGenerations(recorded);
    expect(SUMMARY_GENERATIONS).toBe(1_000);
    expect(s).toHaveLength(SUMMARY_GENERATIONS);
    expect(s[0]).toBe(0);
    expect(s[s.length - 1]).toBe(G - 1);
    for (let j = 1; j < s.length; j++) expect(s[j]).toBeGreaterThan(s[j - 1]);
    expect(selectGenerations(recorded)).toEqual(s);
    // log scale: dense at the start, sparse at the end
    expect(s.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(s[s.length - 1] - s[s.length - 2]).toBeGreaterThan(1);
    // every generation when there are few; exactly `most` of generations with gaps
    expect(selectGenerations([0, 5, 10])).toEqual([0, 1, 2]);
    const every = Array.from({ length: 400 }, (_, i) => 25 * i);
    const t = selectGenerations(every, 50);
    expect(t).toHaveLength(50);
    expect([t[0], t[49]]).toEqual([0, 399]);
  });

  it('the table keeps its rows (selectRows, now beside it): a dozen at most, first and last', () => {
    const rows = selectRows(recorded);
    expect(rows.length).toBeLessThanOrEqual(12);
    expect([rows[0], rows[rows.length - 1]]).toEqual([0, G - 1]);
    expect(selectRows([0, 10, 20, 30])).toEqual([0, 1, 2, 3]);
  });
});

describe('SummaryBuilder over 25,001 recorded generations', () => {
  const R = 5;
  const build = () => {
    const b = new SummaryBuilder(header(R), family);
    // out of order: the statistics follow replicate order, not arrival
    for (const r of [3, 0, 4, 1, 2]) b.add(record(r));
    return b.finish(null);
  };
  const s = build();

  it('covers exactly the selected generations, says how many are recorded, and warns', () => {
    const picks = selectGenerations(recorded);
    expect(s.generationsRecorded).toBe(G);
    expect(s.generations.map((g) => g.n)).toEqual(picks.map((i) => recorded[i]));
    expect(s.generations[0].n).toBe(0);
    expect(s.generations[s.generations.length - 1].n).toBe(G - 1);
    expect(s.warnings).toContain(generationsWarning(SUMMARY_GENERATIONS, G));
    expect(generationsWarning(1_000, G)).toMatch(/^the summary shows 1000 of 25001 recorded generations .*; the JSONL file \(--out\) has every one$/);
    expect(build()).toEqual(s);
  });

  it('gives each selected generation describe() over its values, and its own theory row', () => {
    for (const j of [0, 3, 500, 900, SUMMARY_GENERATIONS - 1]) {
      const g = s.generations[j];
      const i = recorded.indexOf(g.n);
      const xs = Array.from({ length: R }, (_, r) => value(r, i));
      expect(g.metrics.a).toMatchObject({ ...describeValues(xs), medianRankError: 0, theoryMean: g.n });
      expect(g.metrics.b.mean).toBe(describeValues(xs.map((x) => (x === null ? null : -x))).mean);
    }
  });

  it('a run of fewer generations is summarised whole, without the warning', () => {
    const h = { ...header(2), recorded: [0, 1, 2], recordedSamples: [10, 10, 10] };
    const b = new SummaryBuilder(h, family);
    b.add({ kind: 'replicate', replicate: 0, digest: '0'.repeat(64), metrics: { a: [1, 2, 3] }, events: [] });
    const t = b.finish(null);
    expect(t.generationsRecorded).toBe(3);
    expect(t.generations.map((g) => g.n)).toEqual([0, 1, 2]);
    expect(t.warnings.some((w) => w.includes('recorded generations'))).toBe(false);
  });
});

describe('parseRecordBytes', () => {
  it('reads what JSON.parse reads (null as NaN) and declines anything else', () => {
    const rec = { kind: 'replicate', replicate: 7, digest: 'ab'.repeat(32), metrics: { mu: [0, -0, 1.5e-300, null, 123456789.125, -2e21], w2sq: [] as number[] }, finals: { t: null }, events: [{ kind: 'x', generation: 3 }] };
    const text = JSON.stringify(rec);
    const got = parseRecordBytes(Buffer.from(text))!;
    const want = JSON.parse(text);
    expect(got).toBeDefined();
    expect({ ...got, metrics: {} }).toEqual({ ...want, metrics: {} });
    expect(Object.keys(got.metrics)).toEqual(['mu', 'w2sq']);
    expect([...got.metrics.mu]).toEqual(want.metrics.mu.map((x: number | null) => (x === null ? NaN : x)));
    const negZero = parseRecordBytes(Buffer.from(`{"kind":"replicate","replicate":0,"digest":"${'0'.repeat(64)}","metrics":{"m":[-0,1E+2]},"events":[]}`))!;
    expect(Object.is(negZero.metrics.m[0], -0) && negZero.metrics.m[1] === 100).toBe(true);
    expect(got.metrics.w2sq).toHaveLength(0);
    for (const bad of [
      text.replace('[0,', '[ 0,'),
      text.replace('1.5e-300', '01.5'),
      text.replace('null', 'nul'),
      text.replace('"events"', '"metrics":{},"events"'),
      text.slice(0, -1),
      '{"kind":"header"}',
    ]) {
      expect(parseRecordBytes(Buffer.from(bad))).toBeUndefined();
    }
  });
});

describe('linesOf', () => {
  it('gives whole lines across chunks, multi-byte characters included, and a cut last line', async () => {
    async function* chunks() {
      yield Buffer.from('{"a":"é');
      yield Buffer.from([0xc3]);
      yield Buffer.from([0xa9, 0x22, 0x7d, 10, 0x31, 10]);
      yield Buffer.from('22');
      yield Buffer.from('3');
    }
    const got = [];
    for await (const l of linesOf(chunks())) got.push([l.text, l.number, l.end, l.terminated]);
    expect(got).toEqual([
      ['{"a":"éé"}', 1, 13, true],
      ['1', 2, 15, true],
      ['223', 3, 18, false],
    ]);
  });
});
