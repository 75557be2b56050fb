// `show` reads a run file as a stream: a cut last line is dropped and said,
// broken files are refused in one line (exit 2), and a file far larger than
// memory (> 1 GiB, generated lazily) goes through the same reader in bounded memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readRun } from '../src/results/jsonl.js';
import { familyOfHeader } from '../src/families/header.js';
import type { RunHeader } from '../src/results/types.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

let dir: string;
let lines: string[];
let full: { digest: string; replicatesCompleted: number };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-show-'));
  const r = cli('run', 'gaussian', '--samples', '3', '--generations', '20', '--replicates', '12', '--seed', '9', '--out', join(dir, 'run.jsonl'), '--json', '--quiet');
  expect(r.code).toBe(0);
  full = JSON.parse(r.out);
  lines = readFileSync(join(dir, 'run.jsonl'), 'utf8').split('\n').filter(Boolean);
  expect(lines.length).toBe(13);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('show', () => {
  it('gives the run\'s own summary from its file', () => {
    const r = cli('show', join(dir, 'run.jsonl'), '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.digest).toBe(full.digest);
    expect(s.medians).toBe('exact');
    expect(s.generations[3].metrics.sigma.medianRankError).toBe(0);
  });

  it('keeps the complete replicates of a file cut mid-line, and says so', () => {
    const cut = lines.slice(0, 8).join('\n') + '\n' + lines[8].slice(0, 50);
    const r = cli('show', write('cut.jsonl', cut), '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.replicatesCompleted).toBe(7);
    expect(s.complete).toBe(false);
    expect(s.warnings.join('\n')).toMatch(/last line \(line 9\) is cut short.*7 complete replicates/);
    expect(r.err).toMatch(/cut short/);
  });

  it.each([
    ['a duplicated replicate', () => [...lines, lines[3]].join('\n'), /:14: replicate 2 appears twice/],
    ['two runs concatenated', () => [...lines, ...lines].join('\n'), /:14: a second header line/],
    ['an index out of range', () => [...lines.slice(0, 3), lines[3].replace('"replicate":2', '"replicate":12')].join('\n'), /:4: replicate index 12 is out of range \[0, 11\]/],
    ['a non-JSON line that is not the last', () => [...lines.slice(0, 3), '{"kind":"repl', ...lines.slice(3)].join('\n'), /:4: not valid JSON/],
    // a consistent header of 1 generation (config, recorded and sizes), records of 20
    ['records of another config', () => [lines[0].replace('"generations":20', '"generations":1').replace(/"recorded":\[[^\]]*\]/, '"recorded":[0,1]').replace(/"recordedSamples":\[[^\]]*\]/, '"recordedSamples":[3,3]'), ...lines.slice(1)].join('\n'), /metric .* has 21 values, the header records 2 generations/],
  ])('refuses %s in one line, exit 2', (_, text, message) => {
    const r = cli('show', write('bad.jsonl', text()));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });
});

describe('a header edited or written by something else', () => {
  const files: Record<string, string> = {};
  beforeAll(() => {
    const small = { categorical: [], gmm: ['--samples', '20', '--holdout', '5'], kde: ['--samples', '10', '--holdout', '5'], regression: ['--dim', '2', '--points', '10'] };
    for (const [family, extra] of Object.entries(small)) {
      files[family] = join(dir, `${family}.jsonl`);
      expect(cli('run', family, '--generations', '2', '--replicates', '2', ...extra, '--out', files[family], '--quiet').code).toBe(0);
    }
    files.gaussian = join(dir, 'run.jsonl');
  });

  /** The file with its first line edited (`from` must occur in it). */
  const edited = (family: string, from: string | RegExp, to: string) => {
    const [head, ...rest] = readFileSync(files[family], 'utf8').split('\n');
    expect(head).toMatch(from);
    return write(`edited-${family}.jsonl`, [head.replace(from, to), ...rest].join('\n'));
  };

  it.each([
    // each of these hung show at 100% CPU, crashed (exit 1) or printed NaN or Infinity
    ['gaussian', '"samples":3,', '"samples":0,', /config\.samples: 0 is not allowed; expected an integer in \[2, 10000000\]/],
    ['gaussian', '"samples":3,', '"samples":null,', /config\.samples: null is not allowed; expected an integer in \[2, 10000000\]/],
    ['gaussian', '"samples":3,', '"samples":-1,', /config\.samples: -1 is not allowed/],
    ['gaussian', '"samples":3,', '"samples":"abc",', /config\.samples: "abc" is not allowed/],
    ['gaussian', '"dim":1,', '"dim":1e308,', /config\.dim: 1e\+308 is not allowed; expected an integer in \[1, 64\]/],
    ['gaussian', '"dim":1,', '"dim":0,', /config\.dim: 0 is not allowed; expected an integer in \[1, 64\]/],
    ['gaussian', '"replicates":12,', '"replicates":-1,', /config\.replicates: -1 is not allowed; expected an integer in \[1, 1000000\]/],
    ['gaussian', /"recordedSamples":\[[^\]]*\],/, '', /recordedSamples: missing; expected 21 numbers/],
    ['gaussian', /"sigma0Eigenvalues":\[[^\]]*\]/, '"sigma0Eigenvalues":"x"', /facts\.sigma0Eigenvalues: "x"; expected the 1 eigenvalues/],
    ['kde', '"dim":1,', '"dim":1e308,', /config\.dim: 1e\+308 is not allowed; expected an integer in \[1, 64\]/],
    ['categorical', '"init":"uniform",', '"init":"x",', /config\.init: "x" is not allowed; expected one of uniform, zipf, given/],
    ['gmm', /"mixture":\{.*?\]\]\},/, '"mixture":{"w":[1]},', /config\.mixture: \{"w":\[1\]\} does not match the rest of the config/],
    ['regression', '"noise":1,', '"noise":1e308,', /config\.noise: 1e\+308 is not allowed; expected a number in \(0, 1000000\]/],
  ])('%s: %s -> %s is refused by show, report and export at line 1, naming the field, exit 2', (family, from, to, message) => {
    const file = edited(family, from, to);
    const at = new RegExp(`^collapse-bench: .*edited-${family}\\.jsonl:1: ${message.source}`, 'm');
    for (const args of [['show', file], ['report', file, '--out', join(dir, 'report')], ['export', file, '--out', join(dir, 'x.csv'), '--force']]) {
      // a hang fails by the timeout
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, args[0]).toBe(2);
      expect(r.stderr).toMatch(at);
      // one error line, no stack (report says first which file it reads)
      expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('report: reading'))).toHaveLength(1);
    }
  });

  it('every header written by run and by a sweep, with non-default options, reads back', () => {
    const runs = [
      ['gaussian', '--dim', '2', '--cov0', '1,0.3;0.3,0.5', '--policy', 'accumulate', '--schedule', 'linear', '--every', '2'],
      ['gaussian', '--policy', 'fresh', '--real-weight', '0.3', '--mu0', '-1.5', '--sigma0', '0.1', '--seed', 'text'],
      ['categorical', '--init', 'zipf', '--states', '20', '--policy', 'mix', '--real-fraction', '0.2'],
      ['categorical', '--probs', '0.2,0.3,0.5', '--until-absorbed'],
      ['gmm', '--data', 'custom', '--mixture', '0.3:0,0:1 | 0.7:3,1:0.5,0.1;0.1,0.5', '--samples', '30', '--holdout', '5', '--policy', 'accumulate'],
      ['kde', '--data', 'rings', '--bandwidth', '0.2', '--samples', '10', '--holdout', '5'],
      ['regression', '--w-star', 'ones', '--policy', 'accumulate-subsample', '--dim', '2', '--points', '10'],
    ];
    for (const [k, args] of runs.entries()) {
      const file = join(dir, `written-${k}.jsonl`);
      expect(cli('run', ...args, '--generations', '3', '--replicates', '2', '--out', file, '--quiet').code).toBe(0);
      const r = cli('show', file, '--json');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    const grid = write('grid.json', JSON.stringify({ family: 'categorical', base: { generations: 3, replicates: 2, samples: 10 }, grid: { init: ['uniform', 'zipf'], policy: ['replace', 'accumulate'] } }));
    expect(cli('sweep', grid, '--out', join(dir, 'sweep'), '--quiet').code).toBe(0);
    for (const cell of readdirSync(join(dir, 'sweep')).filter((f) => f.endsWith('.jsonl'))) {
      expect(cli('show', join(dir, 'sweep', cell)).code).toBe(0);
    }
  });

  it('merge refuses a shard\'s cell file whose header was edited, naming it', () => {
    const grid = write('grid2.json', JSON.stringify({ family: 'gaussian', base: { generations: 2, replicates: 4, samples: 5 }, grid: { policy: ['replace', 'accumulate'] } }));
    const shards = [1, 2].map((i) => join(dir, `shard${i}`));
    shards.forEach((s, i) => expect(cli('sweep', grid, '--shard', `${i + 1}/2`, '--out', s, '--quiet').code).toBe(0));
    const cell = readdirSync(shards[0]).find((f) => f.endsWith('.jsonl'))!;
    const path = join(shards[0], cell);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"samples":5,', '"samples":0,'));
    const r = cli('merge', ...shards, '--out', join(dir, 'merged'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${cell.replace('.', '\\.')}:1: config\\.samples: 0 is not allowed`));
  });
});

describe('the reader in bounded memory', () => {
  it('reads more than 1 GiB of valid lines (lines of 3 MB) without holding them', async () => {
    // a real header for 2001 recorded generations, then synthetic records:
    // real metric arrays plus a long string field the reader ignores, so the
    // test spends its time on bytes and lines rather than on parsing numbers
    const hfile = join(dir, 'long.jsonl');
    expect(cli('run', 'gaussian', '--samples', '2', '--generations', '2000', '--replicates', '1', '--out', hfile, '--quiet').code).toBe(0);
    const [headerLine, recordLine] = readFileSync(hfile, 'utf8').split('\n');
    const header = JSON.parse(headerLine) as RunHeader;
    const names = Object.keys(JSON.parse(recordLine).metrics);
    const G = header.recorded.length;
    const R = 380;
    const pad = 'x'.repeat(2.7 * 2 ** 20);
    // a run of 2000 replicates (so its medians need the sketch), cut after R
    header.config.replicates = 2000;
    const metrics = (v: string) => '{' + names.map((m) => `"${m}":[${Array(G).fill(v).join(',')}]`).join(',') + '}';
    // numbers as the runner writes them: 17 significant digits
    const templates = [metrics('0.12345678901234568'), metrics('0.8765432109876543')];
    let bytes = 0;
    function* source(): Generator<string> {
      yield JSON.stringify(header) + '\n';
      for (let r = 0; r < R; r++) {
        const line = `{"kind":"replicate","replicate":${r},"digest":"${'ab'.repeat(32)}","metrics":${templates[r % 2]},"events":[],"note":"${pad}"}\n`;
        bytes += line.length;
        yield line;
      }
    }
    globalThis.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const { builder } = await readRun(Readable.from(source()), 'synthetic', familyOfHeader);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const s = builder.finish(null);
    expect(bytes).toBeGreaterThan(2 ** 30);
    expect(s.replicatesCompleted).toBe(R);
    expect(s.medians).toBe('sketch');
    const mu = s.generations.at(-1)!.metrics[names[0]];
    expect(mu.mean).toBeCloseTo((0.12345678901234568 + 0.8765432109876543) / 2, 12);
    expect(mu.count).toBe(R);
    // the sketch states its worst-case rank error; each cell's share of the 32 MiB holds
    // hundreds of values, so the bound is small (0 while nothing was compacted)
    expect(mu.medianRankError).toBeGreaterThanOrEqual(0);
    expect(mu.medianRankError).toBeLessThan(0.05);
    // the 32 MiB of sketches plus one line in flight: far below the 1 GiB read
    expect((peak - rss0) / 2 ** 20).toBeLessThan(300);
  }, 60_000);
});
