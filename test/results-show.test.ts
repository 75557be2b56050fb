// `show` reads a run file as a stream: a cut last line is dropped and said,
// broken files are refused in one line (exit 2), and a file far larger than
// memory (> 1 GiB, generated lazily) goes through the same reader in bounded memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readRun } from '../src/results/jsonl.js';
import { familyOf } from '../src/families/index.js';
import type { RunHeader } from '../src/results/types.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
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
    ['records of another config', () => [lines[0].replace(/"recorded":\[[^\]]*\]/, '"recorded":[0,20]'), ...lines.slice(1)].join('\n'), /metric .* has 21 values, the header records 2 generations/],
  ])('refuses %s in one line, exit 2', (_, text, message) => {
    const r = cli('show', write('bad.jsonl', text()));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
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
    const { builder } = await readRun(Readable.from(source()), 'synthetic', (h) => familyOf(h.config.family));
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
