// bench:matrix --quick: the smoke benchmark in Node, Deno, Bun and Chromium
// (each that is installed; CI installs all), merged. Their gate digests must
// agree, every record carries the overhead and a fingerprint, and a runtime
// that is missing is skipped with a line saying how to get it.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { digestsAgree, renderMatrix, type MatrixRecord } from '../bench/matrix-table.js';
import { findRuntime } from '../bench/runtimes.js';

const MATRIX = fileURLToPath(new URL('../dist/bench/matrix.js', import.meta.url));

describe('bench:matrix --quick', () => {
  let matrix: MatrixRecord;
  let stdout: string;

  it('runs every installed runtime, and their digests agree', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'matrix-')), 'm.json');
    const r = await promisify(execFile)(process.execPath, [MATRIX, '--quick', '--out', out], { timeout: 280_000, maxBuffer: 1 << 24 });
    stdout = r.stdout;
    matrix = JSON.parse(readFileSync(out, 'utf8'));
    expect(matrix.kind).toBe('bench-matrix');
    expect(matrix.entries.map((e) => e.runtime)).toEqual(['node', 'deno', 'bun', 'chromium']);
    for (const e of matrix.entries) {
      if ('skipped' in e) {
        if (process.env.CI) throw new Error(`CI must have every runtime: ${e.skipped}`);
        expect(e.skipped).toMatch(/not found; .*(npm ci|apt-get)/);
        continue;
      }
      expect(e.record.gate.every((g) => g.identical)).toBe(true);
      expect(e.record.gateDigest).toMatch(/^[0-9a-f]{64}$/);
      // the lm cases read the corpus, digested apart: Chromium fetches it from the static server (bench/browser/page.js)
      expect(e.record.gateDigestFiles).toMatch(/^[0-9a-f]{64}$/);
      expect(e.record.warm.map((c) => c.spec.id)).toContainEqual(expect.stringMatching(/^lmFit /));
      expect(e.record.overhead!.harnessNsPerSample).toBeGreaterThanOrEqual(0);
      expect(Object.keys(e.record.overhead!.callNs)).toEqual(['js', 'wasm', 'wasm-simd']);
      expect(e.record.warm.length).toBeGreaterThan(0);
    }
    // the browser does not know the CPU: the matrix tells it, so every column names the same one
    const cpus = matrix.entries.flatMap((e) => ('record' in e ? [e.record.fingerprint.machine.cpu] : []));
    expect(new Set(cpus).size).toBe(1);
    expect(matrix.digestsAgree).toBe(true);
    // the file-reading cases' digest too, in every runtime that ran (digestsAgree compares those that have one)
    expect(new Set(matrix.entries.flatMap((e) => ('record' in e ? [e.record.gateDigestFiles] : []))).size).toBe(1);
    expect(stdout).toMatch(/digest agreement .*: all runtimes agree/);
    expect(stdout).toMatch(/harness \/ sample/);
    expect(stdout).toMatch(/geometric mean/);
  }, 300_000);

  it('a difference in the digests is reported (the command then exits 1)', () => {
    expect(matrix).toBeDefined();
    const ran = matrix.entries.filter((e) => 'record' in e);
    const node = ran[0] as Extract<MatrixRecord['entries'][number], { record: unknown }>;
    const odd = { runtime: 'odd', record: { ...node.record, gateDigest: '0'.repeat(64) } };
    const entries = [...matrix.entries, odd];
    expect(digestsAgree(entries)).toBe(false);
    expect(renderMatrix({ ...matrix, entries, digestsAgree: false })).toMatch(/RUNTIMES DIFFER/);
  });

  it('a missing runtime says how to get it', () => {
    const saved = process.env.CHROMIUM;
    process.env.CHROMIUM = '/nonexistent/chromium';
    try {
      expect(findRuntime('chromium')).toEqual({ missing: expect.stringMatching(/chromium: \/nonexistent\/chromium not found; apt-get install chromium/) });
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM;
      else process.env.CHROMIUM = saved;
    }
  });
});
