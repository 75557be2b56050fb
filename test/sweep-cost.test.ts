// The shards' cost model (src/sweep/cost.ts): how a replicate's cost grows
// with the generations under each policy, from the config alone, and the
// shards of a grid mixing policies balanced by it.
import { describe, expect, it } from 'vitest';
import { checkGrid } from '../src/sweep/grid.js';
import { resolveGrid } from '../src/sweep/cells.js';
import { GENERATION_BYTES, INDEX_BYTES, cellWork, chainCost, replicateCost } from '../src/sweep/cost.js';
import { shardPieces } from '../src/sweep/shard.js';

const cellsOf = (family: string, base: Record<string, unknown>, grid: Record<string, unknown[]>) => resolveGrid(checkGrid({ family, base, grid }, 'g'), 'g');

/** 1 + 2 + ... + G */
const tri = (G: number) => (G * (G + 1)) / 2;

describe('the cost of a replicate over G generations', () => {
  // gmm: its fit passes over the whole pool under accumulate; no extra work
  const M = 50;
  const gmm = (policy: string, G: number) => {
    const { family, cells } = cellsOf('gmm', { samples: M, generations: G, policy }, {});
    return { work: cellWork(family, cells[0].config), cost: replicateCost(family, cells[0].config) };
  };

  it('replace: linear, G (fixed + working set)', () => {
    const a = gmm('replace', 40);
    expect(a.work.pointBytes).toBe(0);
    expect(a.cost).toBeCloseTo(40 * (GENERATION_BYTES + a.work.workingSet), 6);
    expect(gmm('replace', 80).cost).toBeCloseTo(2 * a.cost, 6);
  });

  it('accumulate: quadratic, the fit passing over the n M pooled points beyond the new ones', () => {
    for (const G of [40, 80]) {
      const { work, cost } = gmm('accumulate', G);
      expect(work.pointBytes).toBeGreaterThan(16); // a point of the pool (2-D) and its EM responsibilities
      expect(cost).toBeCloseTo(G * (GENERATION_BYTES + work.workingSet) + work.pointBytes * M * tri(G), 4);
    }
    // the pool's part quadruples when G doubles; replace's part only doubles
    const pool = (G: number) => gmm('accumulate', G).cost - gmm('replace', G).cost;
    expect(pool(80) / pool(40)).toBeGreaterThan(3.9);
    expect(pool(80) / pool(40)).toBeLessThan(4.1);
  });

  it('accumulate-subsample: M new points pooled a generation (linear) and the index over the pool (quadratic)', () => {
    const G = 40;
    const { work, cost } = gmm('accumulate-subsample', G);
    // generation n's index covers the real data and generations 1..n: M (n + 1) points
    expect(cost).toBeCloseTo(G * (GENERATION_BYTES + work.workingSet + work.pointBytes * M) + INDEX_BYTES * M * (tri(G) + G), 4);
    // it costs less than accumulate, whose fit passes over the pool, and more than replace
    expect(cost).toBeLessThan(gmm('accumulate', G).cost);
    expect(cost).toBeGreaterThan(gmm('replace', G).cost);
  });

  it('accumulate where the family pools statistics (gaussian): linear as replace', () => {
    const cost = (G: number) => {
      const { family, cells } = cellsOf('gaussian', { samples: 100, dim: 3, generations: G, policy: 'accumulate' }, {});
      return replicateCost(family, cells[0].config);
    };
    expect(cost(200)).toBeCloseTo(2 * cost(100), 6);
  });

  it('beyond COST_SAMPLES generations the blocks give the closed form within 0.1 %', () => {
    const w = { policy: 'accumulate' as const, samplesAt: (n: number) => 10 * (n + 1), drawnAt: () => 10, workingSet: 1000, pointBytes: 24, extraWork: (n: number) => 3 * n };
    const G = 4321;
    const exact = G * (GENERATION_BYTES + 1000) + 24 * 10 * tri(G) + 3 * tri(G);
    expect(Math.abs(chainCost(w, G) / exact - 1)).toBeLessThan(1e-3);
    const sub = { ...w, policy: 'accumulate-subsample' as const };
    const exactSub = G * (GENERATION_BYTES + 1000 + 24 * 10) + INDEX_BYTES * 10 * (tri(G) + G) + 3 * tri(G);
    expect(Math.abs(chainCost(sub, G) / exactSub - 1)).toBeLessThan(1e-3);
  });

  it('larger cells cost more; KDE scoring under accumulate grows with the pool; the Gaussian grows with d^2', () => {
    const g = cellsOf('gaussian', { generations: 10 }, { samples: [10, 10_000] });
    expect(replicateCost(g.family, g.cells[1].config)).toBeGreaterThan(replicateCost(g.family, g.cells[0].config));
    const kde = cellsOf('kde', { generations: 20, samples: 100 }, { policy: ['replace', 'accumulate'] });
    expect(replicateCost(kde.family, kde.cells[1].config)).toBeGreaterThan(5 * replicateCost(kde.family, kde.cells[0].config));
    const d = cellsOf('gaussian', { generations: 10, samples: 1000 }, { dim: [8, 64] });
    expect(replicateCost(d.family, d.cells[1].config)).toBeGreaterThan(20 * replicateCost(d.family, d.cells[0].config));
  });
});

describe('shards of a grid mixing policies', () => {
  const { family, cells } = cellsOf('gmm', { generations: 30, replicates: 9 }, { policy: ['replace', 'accumulate', 'accumulate-subsample', 'mix'], samples: [20, 500] });
  const units = cells.map((c) => ({ replicates: c.config.replicates, cost: replicateCost(family, c.config) }));
  const total = units.reduce((t, c) => t + c.replicates * c.cost, 0);
  const maxCost = Math.max(...units.map((c) => c.cost));

  it('costs differ across the cells (accumulate, the largest pool, above the rest)', () => {
    expect(maxCost).toBe(units[3].cost); // accumulate, 500 samples
    expect(maxCost).toBeGreaterThan(5 * Math.min(...units.map((c) => c.cost)));
  });

  it.each([2, 3, 7])('%i shards: every model load within one replicate of T/n, and within one replicate of each other', (n) => {
    const loads = Array.from({ length: n }, (_, i) => shardPieces(units, { index: i + 1, count: n }).reduce((t, p) => t + (p.to - p.from) * units[p.cell].cost, 0));
    expect(loads.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 0);
    for (const load of loads) expect(Math.abs(load - total / n)).toBeLessThanOrEqual(maxCost);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(maxCost);
  });
});
