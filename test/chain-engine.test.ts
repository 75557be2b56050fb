// The chain engine's promises beyond the golden digests: work split so the
// event loop can run gives the same bits, and a run stuck in one long
// generation still answers Ctrl-C within about a second.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { familyOf } from '../src/families/index.js';
import { KdeModel } from '../src/families/kde/model.js';
import { runSimulation } from '../src/runner/run.js';
import type { ReplicateRecord } from '../src/results/types.js';

const BIN = fileURLToPath(new URL('../dist/src/cli/bin.js', import.meta.url));

async function kdeRecords(options: Record<string, string | number>): Promise<string> {
  const { config } = familyOf('kde').resolve({ backend: 'wasm', ...options });
  const records: ReplicateRecord[] = [];
  await runSimulation(config, { onReplicate: (r) => void records.push(r) });
  return JSON.stringify(records);
}

describe('long work in slices', () => {
  it('KDE held-out scoring in slices of one point gives the bits of one call', async () => {
    const options = { data: 'gmm2d', samples: 40, holdout: 25, generations: 6, replicates: 2, 'bandwidth-mode': 'recompute', seed: 'slices' };
    const whole = await kdeRecords(options);
    const saved = KdeModel.scoreSlice;
    KdeModel.scoreSlice = 1; // one held-out point per kernel call
    try {
      expect(await kdeRecords(options)).toBe(whole);
    } finally {
      KdeModel.scoreSlice = saved;
    }
    expect(whole).toContain('"nll"');
  });
});

describe('Ctrl-C', () => {
  it('stops a run inside one long kernel pass (KDE, 10^5 points scored against 10^5) within a second', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'kde', '--samples', '100000', '--holdout', '100000', '--generations', '2', '--replicates', '1', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // generation 0 alone scores 10^10 kernel terms (minutes): interrupt well inside it
    await new Promise((r) => setTimeout(r, 2500));
    const sent = performance.now();
    child.kill('SIGINT');
    const code = await exited;
    const waited = performance.now() - sent;
    expect(code, stderr).toBe(130);
    expect(waited).toBeLessThan(1500);
    expect(stderr).toContain('interrupt');
  }, 30_000);
});
