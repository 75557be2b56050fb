// The sweep commands as a user runs them, each a separate process: a grid
// unsharded and in 3 shards run at once, merged: the same summary bytes and
// per-cell digests; merge's refusals; resume after kill -9 mid-cell; export
// to CSV and Parquet read back against the JSONL; the quick sweeps of sweeps/.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { configColumns } from '../src/sweep/export-rows.js';

const BIN = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs at once, as a scheduler would: resolves with each exit code. */
function cliAsync(...args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' }).on('exit', resolve));
}

const dir = mkdtempSync(join(tmpdir(), 'cb-sweep-'));
const GRID = join(dir, 'grid.json');
// dim 2: the mu0 column holds "[0,0]", which CSV must quote
writeFileSync(GRID, JSON.stringify({ family: 'gaussian', base: { dim: 2, generations: 6, replicates: 5, every: 2 }, grid: { samples: [10, 30], policy: ['replace', 'accumulate'] }, report: ['traceRatio', 'meanSqError'] }));
const read = (...p: string[]) => readFileSync(join(...p), 'utf8');
/** A JSONL file without its header (the header has the start time and the machine). */
const body = (f: string) => read(f).split('\n').slice(1).join('\n');

describe('sweep, shards and merge', () => {
  const whole = join(dir, 'whole');
  const shards = [1, 2, 3].map((i) => join(dir, `s${i}`));
  const merged = join(dir, 'merged');
  let wholeOut = '';
  let mergedOut = '';

  it('unsharded, and 3 shards as separate processes at once, merged: the same summary bytes, manifest and per-cell files', async () => {
    const r = cli('sweep', GRID, '--out', whole, '--quiet', '--workers', '2');
    expect(r.code, r.err).toBe(0);
    wholeOut = r.out;
    const codes = await Promise.all(shards.map((d, i) => cliAsync('sweep', GRID, '--shard', `${i + 1}/3`, '--out', d, '--quiet', '--workers', '1')));
    expect(codes).toEqual([0, 0, 0]);
    for (const [i, d] of shards.entries()) {
      expect(readdirSync(d)).toContain(`shard-${i + 1}-of-3.json`);
      // a shard's manifest lists the cells it runs, not the whole grid's
      const sm = JSON.parse(read(d, `shard-${i + 1}-of-3.json`));
      expect(sm.cells.map((c: { index: number }) => c.index)).toEqual([...new Set(sm.pieces.map((p: { cell: number }) => p.cell))]);
      expect(sm.cellCount).toBe(4);
    }
    expect(shards.some((d, i) => JSON.parse(read(d, `shard-${i + 1}-of-3.json`)).cells.length < 4)).toBe(true);
    const m = cli('merge', ...shards, '--out', merged);
    expect(m.code, m.err).toBe(0);
    mergedOut = m.out;
    expect(mergedOut).toBe(wholeOut);
    expect(read(merged, 'summary.json')).toBe(read(whole, 'summary.json'));
    expect(read(merged, 'manifest.json')).toBe(read(whole, 'manifest.json'));
    const summary = JSON.parse(read(whole, 'summary.json'));
    expect(summary.cells).toHaveLength(4);
    for (let c = 0; c < 4; c++) {
      const f = `cell-00${c}.jsonl`;
      expect(body(join(merged, f))).toBe(body(join(whole, f)));
      // show reads a cell's file as a run: its digest is the summary's
      const s = JSON.parse(cli('show', join(merged, f), '--json').out);
      expect(s.digest).toBe(summary.cells[c].digest);
      expect(s.complete).toBe(true);
    }
    expect(wholeOut).toMatch(/cell 3: digest [0-9a-f]{64} \(5\/5 replicates\)/);
  });

  it('merge refuses a missing shard, a duplicated one, another grid, another version, a shard that did not finish', () => {
    let r = cli('merge', shards[0], shards[1], '--out', join(dir, 'm1'));
    expect(r.code).toBe(2);
    // a cell split between shards names its replicates; one only the missing shard runs, the cell
    expect(r.err).toMatch(/merge: cell \d: (its )?replicates?( [\d-]+)? (are|is) in no shard given \(shard 3\/3 not given\)/);

    r = cli('merge', ...shards, whole, '--out', join(dir, 'm2'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/merge: cell 0: replicates [\d-]+ are in two shards: .*shard-1-of-3\.json.* and .*manifest\.json/);

    const other = join(dir, 'grid-other.json');
    writeFileSync(other, read(GRID).replace('"every":2', '"every":3'));
    const s4 = join(dir, 's4');
    expect(cli('sweep', other, '--shard', '1/3', '--out', s4, '--quiet', '--workers', '1').code).toBe(0);
    r = cli('merge', s4, shards[1], shards[2], '--out', join(dir, 'm3'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/are of different grids/);

    const old = join(dir, 's3-old');
    cpSync(shards[2], old, { recursive: true });
    const mf = join(old, 'shard-3-of-3.json');
    writeFileSync(mf, read(mf).replace('"version": "0.1.0"', '"version": "0.0.9"'));
    r = cli('merge', shards[0], shards[1], old, '--out', join(dir, 'm4'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/written by collapse-bench 0\.1\.0, .* by 0\.0\.9/);

    const cut = join(dir, 's2-cut');
    cpSync(shards[1], cut, { recursive: true });
    const piece = readdirSync(cut).find((f) => f.endsWith('.jsonl'))!;
    const lines = read(cut, piece).split('\n');
    writeFileSync(join(cut, piece), lines.slice(0, 2).join('\n') + '\n');
    r = cli('merge', shards[0], cut, shards[2], '--out', join(dir, 'm5'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/has 1 of its \d+ replicates .* shard 2\/3 .* did not finish/);
  });

  it('a merge that fails on a shard file writes nothing: --out is left as it was, so a retry needs no --force', () => {
    // the last cell's piece cut mid-line: the cells before it copy fine
    const cut = join(dir, 's3-midline');
    cpSync(shards[2], cut, { recursive: true });
    const last = readdirSync(cut).filter((f) => f.endsWith('.jsonl')).sort().at(-1)!;
    const text = read(cut, last);
    writeFileSync(join(cut, last), text.slice(0, text.length - 40));
    const fresh = join(dir, 'm6');
    let r = cli('merge', shards[0], shards[1], cut, '--out', fresh);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/did not finish/);
    expect(existsSync(fresh)).toBe(false);

    // a missing piece, into a directory that already holds something else
    const gone = join(dir, 's3-missing');
    cpSync(shards[2], gone, { recursive: true });
    rmSync(join(gone, last));
    const kept = join(dir, 'm7');
    mkdirSync(kept);
    writeFileSync(join(kept, 'notes.txt'), 'mine');
    r = cli('merge', shards[0], shards[1], gone, '--out', kept);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/merge: cannot read .*s3-missing.* \(ENOENT\)/);
    expect(readdirSync(kept)).toEqual(['notes.txt']);

    // the retry with the shard whole, no --force
    r = cli('merge', ...shards, '--out', kept);
    expect(r.code, r.err).toBe(0);
    expect(read(kept, 'summary.json')).toBe(read(whole, 'summary.json'));
    expect(readdirSync(kept).sort()).toEqual(['cell-000.jsonl', 'cell-001.jsonl', 'cell-002.jsonl', 'cell-003.jsonl', 'manifest.json', 'notes.txt', 'summary.json']);
  });

  it('merge removes what a killed merge left in --out (its staging directory), not a live merge\'s or another host\'s', () => {
    const out = join(dir, 'm8');
    mkdirSync(out);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid names no process now
    const stage = (host: string, pid: number) => {
      const d = join(out, `.merge-${host}-${pid}-Ab12Cd`);
      mkdirSync(d);
      writeFileSync(join(d, 'cell-000.jsonl'), 'half a cell');
      return d;
    };
    const killed = stage(hostname(), dead);
    const running = stage(hostname(), process.pid);
    const elsewhere = stage(`${hostname()}-other`, dead);
    const r = cli('merge', ...shards, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(new RegExp(`merge: removed .*\\.merge-${hostname()}-${dead}-Ab12Cd, left by a merge that was killed`));
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(existsSync(elsewhere)).toBe(true);
    // and its own staging directory is gone once it is done
    expect(readdirSync(out).filter((f) => f.startsWith('.merge-')).sort()).toEqual([running, elsewhere].map((d) => d.slice(out.length + 1)).sort());
  });

  it('merge --out that is a file, or under one: a usage error naming --out', () => {
    const file = join(dir, 'afile');
    writeFileSync(file, '');
    for (const out of [file, join(file, 'sub')]) {
      const r = cli('merge', ...shards, '--out', out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--out .*afile(\/sub)?: cannot write there \((EEXIST|ENOTDIR)\); give a writable directory/);
    }
  });

  it('the directory is refused when it holds a sweep, unless --resume (same grid) or --force', () => {
    let r = cli('sweep', GRID, '--out', whole, '--quiet');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already holds a sweep \(manifest\.json\); add --resume to continue it, or --force/);
    r = cli('sweep', GRID, '--out', whole, '--quiet', '--resume');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(wholeOut); // every cell finished: nothing runs, the same summary
    r = cli('sweep', join(dir, 'grid-other.json'), '--out', whole, '--quiet', '--resume');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--resume: .* are of different grids/);
  });

  it('export: CSV and Parquet hold one row per (cell, replicate, metric, generation), the JSONL values, the config as columns', async () => {
    const csv = join(dir, 'rows.csv');
    const pq = join(dir, 'rows.parquet');
    expect(cli('export', merged, '--format', 'csv', '--out', csv).code).toBe(0);
    expect(cli('export', merged, '--format', 'parquet', '--out', pq).code).toBe(0);
    // what the rows must be: from the JSONL files
    const expected: { cell: number; replicate: number; metric: string; generation: number; value: number | null }[] = [];
    const manifest = JSON.parse(read(merged, 'manifest.json'));
    for (const c of manifest.cells) {
      const [header, ...records] = read(merged, c.file).split('\n').filter(Boolean).map((l) => JSON.parse(l));
      for (const r of records) for (const [metric, xs] of Object.entries(r.metrics as Record<string, (number | null)[]>)) xs.forEach((v, g) => expected.push({ cell: c.index, replicate: r.replicate, metric, generation: header.recorded[g], value: v }));
    }
    expect(expected.length).toBeGreaterThan(100);

    const buf = readFileSync(pq);
    const rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer })) as Record<string, unknown>[];
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, i) => {
      const e = expected[i];
      expect([row.cell, row.replicate, row.metric, row.generation, row.value]).toEqual([e.cell, e.replicate, e.metric, e.generation, e.value]);
      const config = manifest.cells[e.cell].config;
      expect([row.samples, row.policy, row.dim, row.mu0]).toEqual([config.samples, config.policy, config.dim, JSON.stringify(config.mu0)]);
    });

    const text = read(csv);
    expect(text.endsWith('\r\n')).toBe(true);
    const table = parseCsv(text);
    const head = table[0];
    expect(table.length - 1).toBe(expected.length);
    const col = (name: string) => head.indexOf(name);
    table.slice(1).forEach((r, i) => {
      const e = expected[i];
      expect([Number(r[col('cell')]), Number(r[col('replicate')]), r[col('metric')], Number(r[col('generation')])]).toEqual([e.cell, e.replicate, e.metric, e.generation]);
      // the same doubles: numbers are written as their shortest round-trip text
      expect(r[col('value')] === '' ? null : Number(r[col('value')])).toBe(e.value);
      expect(r[col('mu0')]).toBe('[0,0]');
    });
    expect(text).toContain(',"[0,0]",');

    // one run's JSONL: cell 0, its config as columns
    const one = join(dir, 'one.csv');
    expect(cli('export', join(merged, 'cell-001.jsonl'), '--out', one).code).toBe(0);
    expect(parseCsv(read(one)).length - 1).toBe(expected.filter((e) => e.cell === 1).length);
    const r = cli('export', merged, '--format', 'xlsx', '--out', join(dir, 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--format: "xlsx" is not allowed; expected one of csv, parquet/);
  });

  it('export: the column of an option has the type of the option, whatever values a sweep holds (files of two sweeps concatenate)', () => {
    const types = (configs: Record<string, unknown>[]) => Object.fromEntries(configColumns(configs.map((config, cell) => ({ cell, path: '', config }))).map((c) => [c.name, c.type]));
    const whole = types([{ family: 'gaussian', samples: 100, realFraction: 0, bias: 1, seed: 1, policy: 'replace' }]);
    const mixed = types([{ family: 'gaussian', samples: 100, realFraction: 0.25, bias: 0.5, seed: 'a', policy: 'mix' }]);
    expect(whole).toEqual({ family: 'string', samples: 'int', realFraction: 'double', bias: 'double', seed: 'string', policy: 'string' });
    expect(mixed).toEqual(whole);
    // a field that is no option: from its values
    expect(types([{ family: 'gaussian', extra: 3 }]).extra).toBe('int');
  });

  it('export refuses to overwrite what it reads, writes nothing when it fails, and says what a file lacks', () => {
    const cell = join(dir, 'export-cell.jsonl');
    cpSync(join(merged, 'cell-001.jsonl'), cell);
    const before = read(cell);
    let r = cli('export', cell, '--out', cell, '--force');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: .*export-cell\.jsonl is one of the files being exported/);
    expect(read(cell)).toBe(before);
    r = cli('export', merged, '--out', join(merged, 'cell-000.jsonl'), '--force');
    expect(r.code).toBe(2);
    r = cli('export', cell, '--out', join(dir, 'no-such-dir', 'x.csv'));
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/--out: cannot write .*x\.csv \(ENOENT\)/)]);
    r = cli('export', cell, '--out', dir, '--force');
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/--out: .* is a directory/)]);
    // a failed read leaves no file (nor a partial one) behind
    const bad = join(dir, 'export-bad.jsonl');
    writeFileSync(bad, before.replace('\n', '\nnot json\n'));
    const out = join(dir, 'export-bad.csv');
    r = cli('export', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).filter((f) => f.includes('export-bad.csv'))).toEqual([]);
    // a cut last line and missing replicates are said
    truncateSync(cell, before.length - 10);
    r = cli('export', cell, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/the last line \(line \d+\) is cut short/);
    expect(r.err).toMatch(/\d+ of its \d+ replicates \(an interrupted run/);
    // a sweep without its summary did not finish
    const unfinished = join(dir, 'export-unfinished');
    cpSync(merged, unfinished, { recursive: true });
    rmSync(join(unfinished, 'summary.json'));
    r = cli('export', unfinished, '--out', join(dir, 'u.csv'));
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/has no summary\.json: the sweep did not finish/)]);
  });
});

/** RFC 4180, for the test: quoted fields with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
        else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    row.push(field);
    if (text[i] === ',') i++;
    else {
      i += 2; // CRLF
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

describe('a sweep far too large', () => {
  it('is warned of before it starts, with the time it takes at least; Ctrl-C stops it', async () => {
    // a typo of a few zeros: 10^7 points a training set for 10^6 generations
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, JSON.stringify({ family: 'gaussian', base: { samples: 10000000, generations: 1000000, every: 1000, replicates: 1000 }, grid: { seed: [1, 2] } }));
    const out = join(dir, 'huge');
    const child = spawn(process.execPath, [BIN, 'sweep', huge, '--quiet', '--workers', '2', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    // Ctrl-C once the first cell runs (its file is there)
    while (!existsSync(join(out, 'cell-000.jsonl'))) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(err).toMatch(/^warning: this sweep is 7\.\de\+17 units of work by the cost model \(docs\/sweeps\.md\): at least 3 years with 2 workers at the fastest rate measured;/);
    expect(code).toBe(130);
    // the grid of the tests above: no warning
    expect(cli('sweep', GRID, '--quiet').err).toBe('');
  });
});

describe('refused before anything runs (exit 2, nothing printed or written)', () => {
  const refused = (args: string[], message: RegExp, out?: string) => {
    const r = cli('sweep', ...args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /); // one line, no stack
    expect(r.out).toBe(''); // no summary: no cell ran
    if (out) expect(existsSync(out)).toBe(false);
  };

  it('--shard without --out: the shard would be run and thrown away', () => {
    refused([GRID, '--shard', '1/2', '--quiet'], /^collapse-bench: --shard: give --out DIR; /);
  });

  it('a report name the family does not record, naming it and the metrics there are', () => {
    const bad = join(dir, 'bogus.json');
    writeFileSync(bad, JSON.stringify({ family: 'gaussian', base: { generations: 3, replicates: 2 }, grid: { samples: [10, 20] }, report: ['bogusMetric'] }));
    refused([bad, '--out', join(dir, 'bogus'), '--quiet'], /bogus\.json: report: "bogusMetric" is not a metric the grid's gaussian cells record; they record mu, sigma, /, join(dir, 'bogus'));
  });

  it('cells with one resolved config (YAML 1, 01, 1.0), and a value that is not finite', () => {
    const dup = join(dir, 'dup.yaml');
    writeFileSync(dup, 'family: gaussian\nbase: { generations: 3, replicates: 2 }\ngrid:\n  seed: [1, 01, 1.0]\n');
    refused([dup, '--out', join(dir, 'dup'), '--quiet'], /dup\.yaml: cells 0 \(seed=1\), 1 \(seed=1\) and 2 \(seed=1\) resolve to one config \(hash [0-9a-f]{12}\)/, join(dir, 'dup'));
    const inf = join(dir, 'inf.json');
    writeFileSync(inf, '{"family": "gaussian", "grid": {"samples": [10, 1e400]}}');
    refused([inf, '--quiet'], /inf\.json: grid\.samples\[1\]: Infinity is not finite/);
  });
});

describe('resume', () => {
  it('after kill -9 in the middle of a cell: finished cells are skipped, the cut one continues; the summary of an uninterrupted sweep', async () => {
    const grid = join(dir, 'long.json');
    // 200 generations: a cell takes about a second, so a loaded machine still signals before the cell ends
    writeFileSync(grid, JSON.stringify({ family: 'gaussian', base: { dim: 8, samples: 2000, generations: 200, replicates: 6 }, grid: { policy: ['replace', 'accumulate', 'accumulate-subsample'] }, report: ['traceRatio'] }));
    const ref = join(dir, 'long-ref');
    const r0 = cli('sweep', grid, '--out', ref, '--quiet', '--workers', '1');
    expect(r0.code, r0.err).toBe(0);
    const out = join(dir, 'long');
    // stops the sweep once `file` has a replicate or two (its cell not finished); resolves with the exit code and stderr
    const stopAt = (file: string, signal: NodeJS.Signals, resume: boolean) =>
      new Promise<{ code: number | null; err: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'sweep', grid, '--out', out, '--quiet', '--workers', '1', ...(resume ? ['--resume'] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        let sent = false;
        const t = setInterval(() => {
          if (!sent && existsSync(file) && read(file).split('\n').filter(Boolean).length >= 2) {
            sent = true;
            child.kill(signal);
          }
        }, 5);
        child.on('exit', (code) => {
          clearInterval(t);
          if (!sent) reject(new Error('the sweep finished before it could be stopped'));
          else resolve({ code, err });
        });
      });
    // Ctrl-C in the first cell: exit 130, what finished kept, the command to continue said
    const stopped = await stopAt(join(out, 'cell-000.jsonl'), 'SIGINT', false);
    expect(stopped.code).toBe(130);
    expect(stopped.err).toMatch(/interrupted: 0 of 3 cells finished, .* continue with: collapse-bench sweep .* --resume/);
    // resumed, then kill -9 in the middle of the second cell
    const target = join(out, 'cell-001.jsonl');
    await stopAt(target, 'SIGKILL', true);
    const lines = read(target).split('\n').filter(Boolean).length;
    expect(lines).toBeLessThan(7); // cut in the middle of the cell
    // a cut last line, as a kill in the middle of a write leaves
    const bytes = readFileSync(target);
    truncateSync(target, bytes.length - 5);
    const r = cli('sweep', grid, '--out', out, '--quiet', '--workers', '2', '--resume');
    expect(r.code, r.err).toBe(0);
    expect(read(out, 'summary.json')).toBe(read(ref, 'summary.json'));
    expect(r.out).toBe(r0.out);
    const indices = read(target).split('\n').filter(Boolean).slice(1).map((l) => JSON.parse(l).replicate);
    expect(indices).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('the quick sweeps of sweeps/', () => {
  const quick = readdirSync('sweeps').filter((f) => f.endsWith('.quick.json'));
  it.each(quick)('%s runs', (f) => {
    const r = cli('sweep', join('sweeps', f), '--quiet', '--workers', '1');
    expect(r.code, r.err).toBe(0);
    const cells = JSON.parse(read('sweeps', f)).grid;
    const count = Object.values(cells as Record<string, unknown[]>).reduce((n, v) => n * v.length, 1);
    expect(r.out.match(/^cell \d+: digest [0-9a-f]{64} \((\d+)\/\1 replicates\)$/gm)).toHaveLength(count);
  });
});
