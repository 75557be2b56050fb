// Grids: the expansion order, the cell hashes, the shards' slices, the bad
// grids refused before anything runs, and the grid files of sweeps/.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { checkGrid, expandGrid, parseGridText, type Grid } from '../src/sweep/grid.js';
import { canonicalJson, configHash, resolveGrid } from '../src/sweep/cells.js';
import { parseShard, shardPieces, type CellCost } from '../src/sweep/shard.js';
import { UsageError } from '../src/util/errors.js';

const grid = (g: Partial<Grid> & Record<string, unknown>): Grid => checkGrid({ family: 'gaussian', ...g }, 'g.json');

describe('expansion', () => {
  it('the axes in the order written, grid keys then zip groups, the last varying fastest', () => {
    const g = grid({ base: { generations: 3 }, grid: { samples: [10, 20], policy: ['replace', 'accumulate'] }, zip: [{ dim: [1, 2], every: [1, 3] }] });
    const cells = expandGrid(g);
    expect(cells.map((c) => c.varied)).toEqual([
      { samples: 10, policy: 'replace', dim: 1, every: 1 },
      { samples: 10, policy: 'replace', dim: 2, every: 3 },
      { samples: 10, policy: 'accumulate', dim: 1, every: 1 },
      { samples: 10, policy: 'accumulate', dim: 2, every: 3 },
      { samples: 20, policy: 'replace', dim: 1, every: 1 },
      { samples: 20, policy: 'replace', dim: 2, every: 3 },
      { samples: 20, policy: 'accumulate', dim: 1, every: 1 },
      { samples: 20, policy: 'accumulate', dim: 2, every: 3 },
    ]);
    expect(cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(cells[5].options).toEqual({ generations: 3, samples: 20, policy: 'replace', dim: 2, every: 3 });
  });

  it('no axes: one cell, the base', () => {
    expect(expandGrid(grid({ base: { samples: 5 } }))).toEqual([{ index: 0, varied: {}, options: { samples: 5 } }]);
  });

  it('YAML reads as JSON does', () => {
    const yaml = 'family: gaussian\nbase: { generations: 3 }\ngrid:\n  samples: [10, 20]\nreport: [traceRatio]\n';
    expect(parseGridText(yaml, 'g.yaml')).toEqual(grid({ base: { generations: 3 }, grid: { samples: [10, 20] }, report: ['traceRatio'] }));
  });
});

describe('cell hashes', () => {
  it('canonical JSON: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 'x', c: null }] })).toBe('{"a":[2,{"c":null,"d":"x"}],"b":1}');
    expect(configHash({ a: 1, b: 2 })).toBe(configHash({ b: 2, a: 1 }));
    expect(configHash({ a: 1, b: 2 })).not.toBe(configHash({ a: 1, b: 3 }));
  });

  it('each cell hashes its resolved config: the same config in two grids, the same hash; defaults written or not, the same', () => {
    const a = resolveGrid(grid({ base: { generations: 3, replicates: 2 }, grid: { samples: [10, 20] } }), 'a').cells;
    const b = resolveGrid(grid({ base: { generations: 3, replicates: 2, policy: 'replace' }, grid: { samples: [20] } }), 'b').cells;
    expect(a[1].configHash).toBe(b[0].configHash);
    expect(a[0].configHash).not.toBe(a[1].configHash);
    expect(a[1].configHash).toBe(configHash(a[1].config));
    expect(a[1].configHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('shards', () => {
  // uneven cells: costs over three orders of magnitude, replicates 1..40
  const cells: CellCost[] = Array.from({ length: 13 }, (_, i) => ({ replicates: 1 + ((i * 7) % 40), cost: 10 ** (i % 4) * (1 + (i % 3)) }));
  const total = cells.reduce((t, c) => t + c.replicates * c.cost, 0);
  const maxCost = Math.max(...cells.map((c) => c.cost));

  it.each([1, 2, 3, 7])('%i shards cover every (cell, replicate) exactly once, each cell in replicate order, loads within one replicate of T/n', (n) => {
    const seen = cells.map((c) => new Array<number>(c.replicates).fill(0));
    let lastEnd = cells.map(() => 0);
    for (let i = 1; i <= n; i++) {
      let load = 0;
      for (const p of shardPieces(cells, { index: i, count: n })) {
        expect(p.from).toBe(lastEnd[p.cell]); // shard i continues where shard i - 1 stopped
        lastEnd[p.cell] = p.to;
        for (let r = p.from; r < p.to; r++) seen[p.cell][r]++;
        load += (p.to - p.from) * cells[p.cell].cost;
      }
      expect(Math.abs(load - total / n)).toBeLessThanOrEqual(maxCost);
    }
    expect(seen.flat().every((k) => k === 1)).toBe(true);
    lastEnd = [];
  });

  it('more shards than replicates: some are empty, none overlaps', () => {
    const small: CellCost[] = [{ replicates: 2, cost: 1 }];
    const all = Array.from({ length: 7 }, (_, i) => shardPieces(small, { index: i + 1, count: 7 }));
    expect(all.flat().reduce((t, p) => t + p.to - p.from, 0)).toBe(2);
  });

  it('--shard i/n: 1 <= i <= n', () => {
    expect(parseShard('2/7')).toEqual({ index: 2, count: 7 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/3/4', ' 1/3']) expect(() => parseShard(bad), bad).toThrow(/--shard: .* expected i\/n/);
  });
});

describe('bad grids are refused before anything runs, naming the cell and the option', () => {
  const refuse = (g: unknown, message: RegExp) => {
    let err: unknown;
    try {
      resolveGrid(checkGrid(g, 'g.json'), 'g.json');
    } catch (e) {
      err = e;
    }
    expect(err, JSON.stringify(g)).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  };
  it.each([
    [{ family: 'gaussian', grid: { sample: [10] } }, /g\.json: grid\.sample: --sample: unknown option; did you mean --samples\?/],
    [{ family: 'gaussian', base: { sample: 10 } }, /base\.sample: --sample: unknown option/],
    [{ family: 'gaussian', grid: { samples: [] } }, /grid\.samples: an empty list; give at least one value/],
    [{ family: 'gaussian', grid: { samples: [10, 1] } }, /g\.json: cell 1 \(samples=1\): --samples: 1 is not allowed; expected an integer in \[2, /],
    [{ family: 'gaussian', grid: { policy: ['replace', 'mix'], 'real-fraction': [0.5] } }, /g\.json: cell 0 \(policy=replace, real-fraction=0\.5\): --real-fraction/],
    [{ family: 'gaussian', zip: [{ samples: [10, 20], dim: [1] }] }, /zip\[0\]: the lists vary together, so they need one length; got samples: 2, dim: 1/],
    [{ family: 'gaussian', base: { samples: 10 }, grid: { samples: [20] } }, /grid\.samples: the option is already set in base/],
    [{ family: 'gausian' }, /unknown family 'gausian'; did you mean gaussian\?/],
    [{ family: 'gaussian', grid: { workers: [2] } }, /grid\.workers: --workers is an option of the sweep command/],
    [{ family: 'gaussian', grids: {} }, /unknown field "grids"; did you mean grid\?/],
    [{ family: 'gaussian', grid: { samples: 10 } }, /grid\.samples: expected a list of values/],
    [{ family: 'gaussian', grid: { samples: [{}] } }, /grid\.samples\[0\]: \{\} is not an option value/],
    [{ family: 'gaussian', report: [] }, /"report" must be a non-empty list/],
    // not a metric of the family: refused with the names its cells record
    [{ family: 'gaussian', report: ['bogusMetric'] }, /^g\.json: report: "bogusMetric" is not a metric the grid's gaussian cells record; they record mu, sigma, meanSqError, .*, w2sqEmpirical$/],
    [{ family: 'gaussian', report: ['sigma', 'traceRatoi'] }, /report: "traceRatoi" is not a metric .*; did you mean traceRatio\?/],
    // mu is recorded in 1-D only
    [{ family: 'gaussian', base: { dim: 2 }, report: ['mu'] }, /report: "mu" is not a metric the grid's gaussian cells record; they record sigma, /],
    [{ family: 'categorical', report: ['sigma'] }, /report: "sigma" is not a metric the grid's categorical cells record; they record entropy, survivors, /],
    // JSON.parse reads 1e400 as Infinity, which JSON.stringify would print as null
    [{ family: 'gaussian', grid: { samples: [1e400] } }, /grid\.samples\[0\]: Infinity is not finite; an option value is a finite number/],
    [{ family: 'gaussian', base: { samples: -1e400 } }, /base\.samples: -Infinity is not finite/],
    [{ family: 'gaussian', base: { dim: 2, mu0: [0, 1e400] } }, /base\.mu0: Infinity in the list is not finite/],
    // sweep has no --params (its cells keep no fitted models): the hint says what works instead
    [{ family: 'gaussian', base: { params: true } }, /^g\.json: base\.params: a sweep does not keep the fitted parameters \(--params is an option of run, not of sweep or of a cell\); .*collapse-bench run gaussian \.\.\. --params --out FILE$/],
  ])('%j', (g, message) => refuse(g, message));

  it('a metric some cells record is a report name (the others show -)', () => {
    expect(resolveGrid(grid({ grid: { dim: [1, 2] }, report: ['mu', 'sigma'] }), 'g.json').cells).toHaveLength(2);
  });

  it('1e400, .inf and .nan as read from the file', () => {
    expect(() => parseGridText('{"family": "gaussian", "grid": {"samples": [1e400]}}', 'g.json')).toThrow(/grid\.samples\[0\]: Infinity is not finite/);
    expect(() => parseGridText('family: gaussian\nbase: { samples: .nan }\n', 'g.yaml')).toThrow(/base\.samples: NaN is not finite/);
  });

  it('an option of run\'s output in a grid: the hint names what the sweep command takes', async () => {
    const { OUTPUT_OPTIONS } = await import('../src/config/common.js');
    const { SWEEP_OPTIONS } = await import('../src/cli/sweep.js');
    const sweepTakes = new Set(SWEEP_OPTIONS.map((s) => s.name));
    for (const o of OUTPUT_OPTIONS) {
      let message = '';
      try {
        resolveGrid(grid({ base: { [o.name]: o.kind === 'flag' ? true : o.kind === 'int' ? 2 : 'x' } }), 'g.json');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, o.name).toMatch(new RegExp(`base\\.${o.name}: `));
      // "give it on the command line" only for an option the sweep command has
      expect(message.includes('give it on the command line'), o.name).toBe(sweepTakes.has(o.name));
    }
  });

  it('cells whose resolved configs are equal are refused, naming them, their values and the config hash', () => {
    const equal = (g: Grid, message: RegExp) => {
      expect(() => resolveGrid(g, 'g.json')).toThrow(message);
    };
    const hash = resolveGrid(grid({ base: { samples: 10 } }), 'g.json').cells[0].configHash.slice(0, 12);
    equal(grid({ grid: { samples: [10, 10] } }), new RegExp(`^g\\.json: cells 0 \\(samples=10\\) and 1 \\(samples=10\\) resolve to one config \\(hash ${hash}\\): they would run the same replicates; give each value once$`));
    // YAML's 1, 01 and 1.0 are one number, and one seed
    equal(parseGridText('family: gaussian\ngrid:\n  seed: [1, 01, 1.0]\n', 'g.yaml'), /cells 0 \(seed=1\), 1 \(seed=1\) and 2 \(seed=1\) resolve to one config/);
    equal(checkGrid({ family: 'kde', grid: { bandwidth: [1e-6, 0.000001] } }, 'g.json'), /cells 0 \(bandwidth=0\.000001\) and 1 \(bandwidth=0\.000001\) resolve to one config/);
    // two groups, each named, in a larger grid; distinct cells are not
    equal(grid({ grid: { policy: ['replace', 'accumulate'], samples: [10, 20, 10] } }), /cells 0 \(policy=replace, samples=10\) and 2 \(policy=replace, samples=10\) resolve to one config \(hash [0-9a-f]{12}\); cells 3 \(policy=accumulate, samples=10\) and 5 \(policy=accumulate, samples=10\) resolve/);
    expect(resolveGrid(grid({ grid: { samples: [10, 20] } }), 'g.json').cells).toHaveLength(2);
  });

  it('JSON and YAML that do not parse name the file', () => {
    expect(() => parseGridText('{"family": ', 'g.json')).toThrow(/g\.json: not valid JSON/);
    expect(() => parseGridText('family: [', 'g.yaml')).toThrow(/g\.yaml: not valid YAML/);
  });

  it('a grid above the cell limit', () => {
    const big = Array.from({ length: 400 }, (_, i) => i + 2);
    refuse({ family: 'gaussian', grid: { samples: big, dim: big.slice(0, 60), every: big } }, /cells, above the 100000 a sweep runs/);
  });
});

describe("each family's metrics(config) is the list its model records", () => {
  const configs: [string, Record<string, string | number>][] = [
    ['gaussian', { dim: 1, samples: 20, generations: 2, replicates: 1 }],
    ['gaussian', { dim: 3, samples: 20, generations: 2, replicates: 1 }],
    ['categorical', { states: 5, samples: 20, generations: 2, replicates: 1 }],
    ['gmm', { samples: 40, generations: 2, replicates: 1, holdout: 20 }],
    ['kde', { dim: 1, samples: 30, generations: 2, replicates: 1, holdout: 20 }],
    ['kde', { data: 'moons', samples: 30, generations: 2, replicates: 1, holdout: 20 }],
    ['regression', { dim: 3, points: 20, generations: 2, replicates: 1 }],
    ['lm', { documents: 10, generations: 2, replicates: 1 }],
    ['vae', { samples: 20, holdout: 5, hidden: 4, latent: 2, epochs: 1, batch: 8, 'iw-samples': 2, generations: 2, replicates: 1, 'classifier-epochs': 0 }],
    ['vae', { samples: 20, holdout: 5, hidden: 4, latent: 2, epochs: 1, batch: 8, 'iw-samples': 2, generations: 2, replicates: 1, 'classifier-epochs': 1 }],
  ];
  it.each(configs)('%s %j', async (name, raw) => {
    const { FAMILIES } = await import('../src/families/index.js');
    const { loadBackend } = await import('../src/kernels/backend.js');
    const { Arena } = await import('../src/kernels/arena.js');
    const family = FAMILIES[name as keyof typeof FAMILIES] as unknown as { resolve(r: unknown): { config: unknown }; metrics(c: unknown): readonly string[]; createChain(a: unknown, c: unknown): { metrics: readonly string[] } };
    const { config } = family.resolve(raw);
    const arena = new Arena(await loadBackend('wasm'));
    try {
      expect([...family.createChain(arena, config).metrics]).toEqual([...family.metrics(config)]);
    } finally {
      arena.release();
    }
  }, 60_000);
});

describe('the grid files of sweeps/', () => {
  const files = readdirSync('sweeps').filter((f) => /\.(json|ya?ml)$/.test(f));
  it('the published sweeps are there, quick and full', () => {
    for (const name of ['shumailov-gaussian-m', 'gerstgrasser-regression', 'kazdan-gaussian', 'kazdan-kde']) {
      expect(files).toContain(`${name}.quick.json`);
      expect(files).toContain(`${name}.full.json`);
    }
  });
  it.each(files)('%s: every cell resolves', (f) => {
    const { cells } = resolveGrid(parseGridText(readFileSync(`sweeps/${f}`, 'utf8'), f), f);
    expect(cells.length).toBeGreaterThan(1);
  });
});

describe('the scheduler files of examples/', () => {
  it('the YAML parses, and each runs its shard and the merge', async () => {
    const { parseAllDocuments } = await import('yaml');
    for (const f of ['github-actions-sweep.yml', 'k8s-sweep-job.yaml', 'k8s-merge-job.yaml']) {
      const docs = parseAllDocuments(readFileSync(`examples/${f}`, 'utf8'));
      for (const d of docs) expect(d.errors, f).toEqual([]);
    }
    expect(readFileSync('examples/github-actions-sweep.yml', 'utf8')).toMatch(/sweep .* --shard \$\{\{ matrix\.shard \}\}\/\$SHARDS[\s\S]*merge shards\/\* --out merged/);
    expect(readFileSync('examples/k8s-sweep-job.yaml', 'utf8')).toMatch(/--shard \$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/8/);
    expect(readFileSync('examples/slurm-sweep.sh', 'utf8')).toMatch(/--shard "\$SLURM_ARRAY_TASK_ID\/\$SHARDS"[\s\S]*/);
  });
});
