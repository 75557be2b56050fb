// Shard manifests list only the cells their shard runs, and the shards of a
// sweep put the whole manifest back together, the bytes of an unsharded
// run's; what does not belong to the sweep is refused, naming the cell.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkGrid } from '../src/sweep/grid.js';
import { planSweep } from '../src/sweep/run-sweep.js';
import { manifestMismatch, readManifest, shardManifest, wholeManifest, type ShardManifest } from '../src/sweep/manifest.js';
import { shardPieces } from '../src/sweep/shard.js';

// 2,400 cells with two replicates each, in 100 shards: a shard runs about 48 replicates, 24 cells
const grid = checkGrid({ family: 'categorical', base: { generations: 3, replicates: 2 }, grid: { states: Array.from({ length: 40 }, (_, i) => i + 2), samples: Array.from({ length: 60 }, (_, i) => 10 + i) } }, 'grid.json');
const { manifest } = planSweep(grid, 'grid.json');
const COUNT = 100;
const units = manifest.cells.map((c) => ({ replicates: c.config.replicates, cost: c.cost }));
const shards: ShardManifest[] = Array.from({ length: COUNT }, (_, i) => shardManifest(manifest, { index: i + 1, count: COUNT }, shardPieces(units, { index: i + 1, count: COUNT })));
const bytes = (v: unknown) => JSON.stringify(v, null, 1).length;

describe('shard manifests', () => {
  it('list the cells of their pieces and no other, with the sweep cell count and cells hash', () => {
    expect(manifest.cells).toHaveLength(2400);
    for (const s of shards) {
      expect(s.cells.map((c) => c.index)).toEqual([...new Set(s.pieces.map((p) => p.cell))]);
      expect(s.cellCount).toBe(2400);
      expect(s.cellsHash).toBe(shards[0].cellsHash);
    }
    // a whole copy in each shard would be 100 manifests; the cells are listed about once, plus the grid per shard
    const total = shards.reduce((t, s) => t + bytes(s), 0);
    expect(total).toBeLessThan(1.2 * bytes(manifest) + COUNT * (bytes(grid) + 2000));
    expect(Math.max(...shards.map(bytes))).toBeLessThan(bytes(manifest) / 20);
  });

  it('together give the whole manifest, the same bytes as the unsharded one, in any order', () => {
    const whole = wholeManifest([...shards].reverse());
    expect(JSON.stringify(whole, null, 1)).toBe(JSON.stringify(manifest, null, 1));
  });

  it('without one shard, a cell only it runs is missing', () => {
    const k = shards.findIndex((s) => s.cells.some((c) => !shards.some((o) => o !== s && o.cells.some((d) => d.index === c.index))));
    const only = shards[k].cells.find((c) => !shards.some((o, j) => j !== k && o.cells.some((d) => d.index === c.index)))!;
    const rest = shards.filter((_, j) => j !== k);
    expect(wholeManifest(rest)).toEqual({ missing: only.index });
  });

  it('are of one sweep with each other and with the whole manifest; an edited cell is named, or found by the cells hash', () => {
    expect(manifestMismatch(shards[3], shards[70], 'a', 'b')).toBeNull();
    expect(manifestMismatch(shards[3], manifest, 'a', 'b')).toBeNull();
    const edited = structuredClone(shards[5]);
    edited.cells[0].configHash = '0'.repeat(64);
    // the whole manifest lists the cell: named
    expect(manifestMismatch(manifest, edited, 'whole', 'shard 6')).toMatch(new RegExp(`cell ${edited.cells[0].index}'s config differs between whole and shard 6`));
    // a shard that does not list it sees no cell to name, but the assembled cells are not the sweep's
    expect(manifestMismatch(shards[90], edited, 'a', 'b')).toBeNull();
    expect(wholeManifest([...shards.slice(0, 5), edited, ...shards.slice(6)])).toEqual({ differs: true });
    const otherSweep = { ...structuredClone(shards[90]), cellsHash: 'f'.repeat(64) };
    expect(manifestMismatch(shards[3], otherSweep, 'a', 'b')).toMatch(/the cells' configs differ between a and b/);
  });

  it("an earlier build's shard manifest (every cell listed, no cells hash) is read as one of the same sweep", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-manifest-'));
    const { cellCount: _n, cellsHash: _h, ...old } = { ...shards[7], cells: manifest.cells };
    writeFileSync(join(dir, 'shard-8-of-100.json'), JSON.stringify(old));
    const read = readManifest(join(dir, 'shard-8-of-100.json')) as ShardManifest;
    expect(read.cellCount).toBe(2400);
    expect(read.cellsHash).toBe(shards[0].cellsHash);
    expect(manifestMismatch(shards[0], read, 'a', 'b')).toBeNull();
  });
});
