// The shards' cost model against a finished sweep's own timing: per cell,
// the wall time it took (its JSONL header's startedAt to the file's last
// write, its mtime: cells run one after another, so this is the cell's
// replicates through the worker pool, without the pool's start before the
// header) beside the model's cost of the cell (the manifest's cost per
// replicate x replicates). Shards balance when time / cost is the same for
// every cell, so the summary is the spread of that ratio over its median, the
// correlation of log time with log cost, and the worst cells.
// docs/sweeps.md holds the full grids' numbers.
//
//   node dist/bench/sweep-cell-times.js DIR... [--worst 4] [--json FILE]
//   node dist/bench/sweep-cell-times.js DIR... --cpu 2     # CPU time instead
//
// Wall time of a run with several workers on a shared machine: noisy, and a
// run at low priority (nice 19) beside other work measures its share of the
// CPU as much as its cells, which drifts as the load comes and goes (cells
// run in order, so a whole block of cells can be slowed). Only a directory
// written in one go is meaningful (a resumed cell's mtime is its last
// session's). `--cpu N` instead runs N replicates of each cell's config in
// this thread, timed by process.cpuUsage (as bench/shard-cost.ts does), so
// the load's drift does not enter; the cell's time is then scaled to its
// replicates.
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSweep } from '../src/sweep/load.js';
import { runSimulation } from '../src/runner/run.js';
import type { RunConfig } from '../src/families/index.js';

/** The first line of a file (a JSONL header), read in chunks. */
function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl < 0 ? n : nl)));
      if (nl >= 0) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export interface CellTime {
  index: number;
  varied: Record<string, unknown>;
  seconds: number;
  /** The model's cost of the whole cell. */
  cost: number;
}

export function cellTimes(dir: string): CellTime[] {
  const { manifest } = readSweep(dir);
  return manifest.cells.map((c) => {
    const path = join(dir, c.file);
    const header = JSON.parse(firstLine(path)) as { startedAt: string };
    const seconds = (statSync(path).mtimeMs - Date.parse(header.startedAt)) / 1000;
    return { index: c.index, varied: c.varied, seconds, cost: c.cost * c.config.replicates };
  });
}

/** Per cell: N replicates of its config run in this thread, CPU seconds scaled to the cell's replicates. */
export async function cellCpuTimes(dir: string, n: number): Promise<CellTime[]> {
  const { manifest } = readSweep(dir);
  // the engine's code warmed up (JIT) on the first cell
  await runSimulation({ ...manifest.cells[0].config, replicates: 1 } as RunConfig);
  const out: CellTime[] = [];
  for (const c of manifest.cells) {
    const t = process.cpuUsage();
    await runSimulation({ ...c.config, replicates: n } as RunConfig);
    const d = process.cpuUsage(t);
    out.push({ index: c.index, varied: c.varied, seconds: ((d.user + d.system) / 1e6) * (c.config.replicates / n), cost: c.cost * c.config.replicates });
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation (ties take their mean rank). */
function spearman(x: number[], y: number[]): number {
  const ranks = (v: number[]) => {
    const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
      for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  return pearson(ranks(x), ranks(y));
}

/** Below this a cell's time is within the file system's timestamp granularity (a few ms): left out. */
const MIN_SECONDS = 0.05;

export function compare(all: CellTime[]) {
  const times = all.filter((t) => t.seconds >= MIN_SECONDS);
  const ratio = times.map((t) => t.seconds / t.cost);
  const m = median(ratio);
  const rel = ratio.map((r) => r / m);
  const lx = times.map((t) => Math.log(t.cost));
  const ly = times.map((t) => Math.log(t.seconds));
  const order = rel.map((_, i) => i).sort((a, b) => rel[a] - rel[b]);
  return {
    cells: all.length,
    /** Cells shorter than MIN_SECONDS, left out of the rest. */
    leftOut: all.length - times.length,
    seconds: all.reduce((s, t) => s + t.seconds, 0),
    pearsonLog: pearson(lx, ly),
    spearman: spearman(times.map((t) => t.cost), times.map((t) => t.seconds)),
    relMin: rel[order[0]],
    relMax: rel[order[order.length - 1]],
    /** Cells over the median ratio by more than 2x or under by more than 2x. */
    beyond2x: rel.filter((r) => r > 2 || r < 0.5).length,
    order,
    rel,
    times,
  };
}

async function main(argv: string[]): Promise<void> {
  let worst = 4;
  let cpu = 0;
  let jsonOut: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--worst') worst = Number(argv[++i]);
    else if (argv[i] === '--json') jsonOut = argv[++i];
    else if (argv[i] === '--cpu') cpu = Number(argv[++i]);
    else dirs.push(argv[i]);
  }
  if (!dirs.length) throw new Error('usage: node dist/bench/sweep-cell-times.js DIR... [--worst 4] [--json FILE]');
  const all: Record<string, unknown> = {};
  console.log(`| sweep | cells | ${cpu ? `CPU s (${cpu} replicates a cell, scaled)` : 'wall s (sum of cells)'} | corr. log time, log cost | Spearman | time/cost over median: min .. max | cells beyond 2x |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const worstLines: string[] = [];
  for (const dir of dirs) {
    const c = compare(cpu ? await cellCpuTimes(dir, cpu) : cellTimes(dir));
    const times = c.times;
    all[dir] = c;
    console.log(`| ${dir} | ${c.cells}${c.leftOut ? ` (${c.leftOut} under ${MIN_SECONDS} s left out)` : ''} | ${c.seconds.toFixed(1)} | ${c.pearsonLog.toFixed(3)} | ${c.spearman.toFixed(3)} | ${c.relMin.toFixed(2)} .. ${c.relMax.toFixed(2)} | ${c.beyond2x} |`);
    const pick = [...c.order.slice(0, worst), ...c.order.slice(-worst)];
    for (const i of pick) {
      const t = times[i];
      const v = Object.entries(t.varied).map(([k, x]) => `${k}=${x}`).join(', ');
      worstLines.push(`${dir} cell ${t.index} (${v}): ${t.seconds.toFixed(2)} s, cost ${t.cost.toExponential(2)}, time/cost over median ${c.rel[i].toFixed(2)}`);
    }
  }
  console.log('\nthe cheapest and the dearest per unit of cost:\n' + worstLines.join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(all, null, 2) + '\n');
}

await main(process.argv.slice(2));
