// The chain engine's promises beyond the golden digests: work split so the
// event loop can run gives the same bits, and a run stuck in one long
// generation still answers Ctrl-C within about a second.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { familyOf } from '../src/families/index.js';
import { KdeModel } from '../src/families/kde/model.js';
import { GmmEm } from '../src/families/gmm/em.js';
import { VaeModel } from '../src/families/vae/model.js';
import { RegressionModel } from '../src/families/regression/model.js';
import { runAndCollect } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';
import { PointData } from '../src/chain/point-data.js';

const BIN = fileURLToPath(new URL('../dist/src/cli/bin.js', import.meta.url));

async function records(family: string, options: RawOptions): Promise<string> {
  const { config } = familyOf(family).resolve({ backend: 'wasm', ...options });
  return JSON.stringify((await runAndCollect(config)).replicates);
}

/** Small runs of every family, with the options that change how data are drawn and scored. */
const CASES: [string, RawOptions][] = [
  ['gaussian', { dim: 3, samples: 30, generations: 8, replicates: 2, policy: 'fresh', 'real-weight': 0.5, seed: 's1' }],
  ['gaussian', { dim: 2, samples: 20, generations: 8, replicates: 2, policy: 'accumulate', seed: 's2' }],
  ['gaussian', { dim: 1, samples: 25, generations: 8, replicates: 2, policy: 'accumulate-subsample', schedule: 'linear', seed: 's3' }],
  ['gmm', { data: 'two-gaussians', samples: 50, generations: 5, replicates: 2, policy: 'mix', holdout: 30, seed: 's4' }],
  ['kde', { data: 'gmm2d', samples: 40, holdout: 25, generations: 6, replicates: 2, 'bandwidth-mode': 'recompute', policy: 'fresh', seed: 's5' }],
  ['kde', { data: 'gmm1d', samples: 30, holdout: 20, generations: 6, replicates: 2, policy: 'accumulate', seed: 's6' }],
  ['regression', { dim: 5, points: 40, 'test-points': 7, generations: 4, replicates: 2, policy: 'mix', 'real-fraction': 0.25, seed: 's8' }],
  ['regression', { dim: 4, points: 30, 'test-points': 5, generations: 4, replicates: 2, policy: 'accumulate-subsample', seed: 's9' }],
  ['regression', { dim: 3, points: 20, 'test-points': 5, generations: 3, replicates: 1, policy: 'accumulate', seed: 's10' }],
  ['regression', { dim: 3, points: 20, 'test-points': 5, generations: 3, replicates: 1, policy: 'fresh', seed: 's11' }],
  ['vae', { samples: 20, holdout: 6, hidden: 4, latent: 2, epochs: 2, batch: 8, 'iw-samples': 2, 'classifier-epochs': 1, 'classifier-hidden': 4, generations: 3, replicates: 1, policy: 'accumulate', seed: 's7' }],
  // minibatches of odd size in parts, a row, output unit or four parameters per call; 9 importance samples a sample per call
  ['vae', { size: '28', samples: 23, holdout: 4, hidden: 5, latent: 3, epochs: 2, batch: 7, 'iw-samples': 9, 'classifier-epochs': 0, likelihood: 'gaussian', generations: 2, replicates: 1, seed: 's12' }],
];

describe('long work in slices', () => {
  it.each(CASES)('%s %j: draws, scatters, sorts, held-out scores, EM, Gram matrices and minibatch steps in slices of one unit give the bits of one call', async (family, options) => {
    const whole = await records(family, options);
    const saved = [PointData.sliceWork, KdeModel.scoreSlice, GmmEm.callWork, VaeModel.callWork, RegressionModel.callWork];
    // one point (or scatter row, sort step, EM iteration, minibatch, Gram entry, design row) per kernel call
    PointData.sliceWork = KdeModel.scoreSlice = GmmEm.callWork = VaeModel.callWork = RegressionModel.callWork = 1;
    try {
      expect(await records(family, options)).toBe(whole);
    } finally {
      [PointData.sliceWork, KdeModel.scoreSlice, GmmEm.callWork, VaeModel.callWork, RegressionModel.callWork] = saved;
    }
  });
});

/** Runs the CLI, sends SIGINT after `after` ms, and returns the exit code, the ms from SIGINT to exit, and stderr. */
async function interrupted(args: string[], after: number): Promise<{ code: number | null; waited: number; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise((r) => setTimeout(r, after));
  const sent = performance.now();
  child.kill('SIGINT');
  const code = await exited;
  return { code, waited: performance.now() - sent, stderr };
}

describe('Ctrl-C', () => {
  it('stops a run inside one long kernel pass (KDE, 10^5 points scored against 10^5) within a second', async () => {
    // generation 0 alone scores 10^10 kernel terms (minutes): interrupt well inside it
    const { code, waited, stderr } = await interrupted(['kde', '--samples', '100000', '--holdout', '100000', '--generations', '2', '--replicates', '1', '--quiet'], 2500);
    expect(code, stderr).toBe(130);
    expect(waited).toBeLessThan(1500);
    expect(stderr).toContain('interrupt');
  }, 30_000);

  // Each was one kernel call of seconds: the Gaussian's squared Mahalanobis
  // distances of 3 10^5 points in 64-D (and their sort); regression's X^T X
  // of 4 10^5 rows in 128-D (and the design's draw before it); the VAE's
  // step on one minibatch of 2048 28x28 digits with 2048 hidden units
  it.each([
    ['gaussian', ['--dim', '64', '--samples', '300000', '--generations', '3', '--replicates', '2']],
    ['regression', ['--dim', '128', '--points', '400000', '--generations', '3', '--replicates', '2']],
    ['vae', ['--size', '28', '--hidden', '2048', '--latent', '128', '--batch', '2048', '--samples', '2048', '--holdout', '10', '--iw-samples', '1', '--epochs', '1', '--classifier-epochs', '0', '--generations', '1', '--replicates', '1']],
  ])('stops %s within a second inside what was one long kernel call %j', async (family, args) => {
    const { code, waited, stderr } = await interrupted([family, ...args, '--workers', '1', '--quiet'], 2500);
    expect(code, stderr).toBe(130);
    expect(waited).toBeLessThan(1500);
    expect(stderr).toContain('interrupt');
  }, 30_000);
});
