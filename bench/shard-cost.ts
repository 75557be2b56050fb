// The sweep shards' cost model against measured time: each config below runs
// a few replicates in this thread, timed by CPU time (process.cpuUsage:
// steadier than wall time on a shared machine), repeated; the table gives the
// median seconds per replicate, the model's cost (src/sweep/cost.ts
// replicateCost) and their ratio. The shards are balanced when the ratio is
// about the same for every cell of a grid (one family), so the table also
// shows each ratio over the family's median ratio. docs/sweeps.md holds a run.
//
//   node dist/bench/shard-cost.js [--rounds 3] [--only gaussian] [--json FILE]
//   node dist/bench/shard-cost.js --grids sweeps/*.full.json   # the shards' model loads, no timing
import { readFileSync, writeFileSync } from 'node:fs';
import { familyOf, type RunConfig } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import { replicateCost } from '../src/sweep/cost.js';
import { resolveGrid } from '../src/sweep/cells.js';
import { parseGridText } from '../src/sweep/grid.js';
import { shardPieces } from '../src/sweep/shard.js';

/** Per grid file and shard count: the largest shard's model load over the mean, and the smallest's. */
function gridBalance(files: string[]): void {
  console.log('| grid | cells x replicates | shards | largest load / mean | smallest / mean |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const file of files) {
    const { family, cells } = resolveGrid(parseGridText(readFileSync(file, 'utf8'), file), file);
    const units = cells.map((c) => ({ replicates: c.config.replicates, cost: replicateCost(family, c.config) }));
    const total = units.reduce((t, u) => t + u.replicates * u.cost, 0);
    for (const n of [3, 8, 64]) {
      const loads = Array.from({ length: n }, (_, i) => shardPieces(units, { index: i + 1, count: n }).reduce((t, p) => t + (p.to - p.from) * units[p.cell].cost, 0));
      const pct = (x: number) => `${((100 * x * n) / total).toFixed(1)} %`;
      console.log(`| ${file} | ${cells.length} x ${units[0].replicates} | ${n} | ${pct(Math.max(...loads))} | ${pct(Math.min(...loads))} |`);
    }
  }
}

type Raw = Record<string, string | number | boolean>;

const POLICIES = ['replace', 'accumulate', 'accumulate-subsample', 'mix'];

/** Family and options of each timed config: a policy x size grid per family. */
const CASES: { family: string; raw: Raw }[] = [];
const add = (family: string, raw: Raw, size: string, values: number[]) => {
  for (const policy of POLICIES) for (const v of values) CASES.push({ family, raw: { ...raw, policy, [size]: v } });
};
add('gaussian', { dim: 1, generations: 100 }, 'samples', [100, 1000, 10000]);
add('gaussian', { dim: 8, generations: 100 }, 'samples', [100, 1000]);
add('categorical', { states: 100, generations: 100 }, 'samples', [100, 10000]);
add('gmm', { data: 'two-gaussians', holdout: 200, generations: 30 }, 'samples', [100, 1000]);
add('kde', { data: 'moons', bandwidth: '0.5', holdout: 100, generations: 50 }, 'samples', [100, 1000]);
add('regression', { dim: 10, 'test-points': 100, generations: 100 }, 'points', [100, 1000]);

/** CPU seconds a timing lasts at least (the replicates per timing are set from a first, untimed run). */
const TIMING_SECONDS = 0.2;

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const rounds = Number(arg('rounds', '3'));
const only = arg('only', '');
const jsonOut = arg('json', '');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  family: string;
  options: Raw;
  seconds: number;
  cost: number;
}

async function timeReplicate(config: RunConfig): Promise<number> {
  const t = process.cpuUsage();
  await runSimulation(config);
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1e6 / config.replicates;
}

const gridsAt = process.argv.indexOf('--grids');
if (gridsAt >= 0) {
  gridBalance(process.argv.slice(gridsAt + 1));
  process.exit(0);
}

const rows: Row[] = [];
// the engine's code warmed up (JIT) before the first timing
for (let i = 0; i < 3; i++) await timeReplicate(familyOf('gaussian').resolve({ generations: '200', replicates: '5' }).config);
for (const c of CASES.filter((c) => !only || c.family === only)) {
  const family = familyOf(c.family);
  const resolve = (replicates: number) => family.resolve(Object.fromEntries(Object.entries({ ...c.raw, replicates, every: 10, seed: 'shard-cost' }).map(([k, v]) => [k, String(v)]))).config;
  const first = await timeReplicate(resolve(1)); // also warms the code up
  const config = resolve(Math.min(50, Math.max(1, Math.ceil(TIMING_SECONDS / first))));
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) times.push(await timeReplicate(config));
  rows.push({ family: c.family, options: c.raw, seconds: median(times), cost: replicateCost(family, config) });
  process.stderr.write('.');
}
process.stderr.write('\n');

// a family's cells share a grid, so the ratios are compared within a family
const familyRatio = new Map<string, number>();
for (const f of new Set(rows.map((r) => r.family))) familyRatio.set(f, median(rows.filter((r) => r.family === f).map((r) => r.seconds / r.cost)));
console.log('| family | options | s / replicate | model cost | s per 10^9 cost | / family median |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const ratio = r.seconds / r.cost;
  const opts = Object.entries(r.options).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`| ${r.family} | ${opts} | ${r.seconds.toFixed(4)} | ${r.cost.toExponential(2)} | ${(ratio * 1e9).toFixed(3)} | ${(ratio / familyRatio.get(r.family)!).toFixed(2)} |`);
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 1) + '\n');
