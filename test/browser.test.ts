// The same digests in Chromium as in Node, on js, wasm and wasm-simd: the
// compiled harness and kernels run unchanged in a page. Chromium comes from
// Debian (apt-get install chromium; .ci/run installs it). Without it the test
// is skipped on a developer machine and fails in CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { serveStatic } from './browser/server.js';
import { familyOf } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);

const goldenOf = (file: string): Record<string, string> => JSON.parse(readFileSync(new URL(`./golden/${file}.json`, import.meta.url), 'utf8'));
const GOLDEN: Record<string, string> = {
  ...goldenOf('digests'),
  ...Object.fromEntries(['categorical', 'gmm', 'kde', 'regression'].flatMap((f) => Object.entries(goldenOf(f)).map(([k, v]) => [`${f}/${k}`, v]))),
};
// A few golden configurations of every family (the same ones as the Node tests).
const CONFIGS: Record<string, { family: string; options: RawOptions }> = {
  'replace-unbiased-1d': { family: 'gaussian', options: { samples: 100, generations: 200, replicates: 6, seed: 7 } },
  'replace-bias-3d': { family: 'gaussian', options: { dim: 3, samples: 40, generations: 60, replicates: 4, bias: 0.8, cov0: '1,0.3,0;0.3,2,0.1;0,0.1,0.5', seed: 'golden' } },
  'accumulate-subsample-1d-linear': { family: 'gaussian', options: { samples: 20, schedule: 'linear', generations: 30, replicates: 4, policy: 'accumulate-subsample', seed: 'ü-漢' } },
  'categorical/replace-zipf-until-absorbed': { family: 'categorical', options: { init: 'zipf', states: 12, samples: 30, generations: 2000, replicates: 5, 'until-absorbed': true, every: 7, seed: 'zipf' } },
  'gmm/notebook-replace': { family: 'gmm', options: { data: 'notebook', samples: 200, generations: 40, replicates: 3, seed: 7 } },
  'kde/replace-gmm2d-silverman-recompute': { family: 'kde', options: { data: 'gmm2d', samples: 40, generations: 30, replicates: 3, bandwidth: 'silverman', 'bandwidth-mode': 'recompute', holdout: 33, seed: 'golden' } },
  'regression/replace-d10': { family: 'regression', options: { generations: 30, replicates: 4, 'test-points': 50, seed: 7 } },
};

describe.skipIf(!available)('Chromium runs the same bits as Node', () => {
  let context: BrowserContext;
  let close: () => void;
  let profile: string;
  let result: Record<string, Record<string, string>> & { environment: { runtimeVersion: string }; simdSupported: boolean };

  beforeAll(async () => {
    const { server, url } = await serveStatic(new URL('..', import.meta.url).pathname);
    profile = mkdtempSync(join(tmpdir(), 'collapse-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    close = () => server.close();
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/test/browser/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`page did not load: ${errors.join('; ')}`);
    });
    result = await page.evaluate((configs) => (window as unknown as { runConfigs(c: unknown): Promise<never> }).runConfigs(configs), CONFIGS);
  });

  afterAll(async () => {
    await context?.close();
    close?.();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('runs in Chromium with SIMD', () => {
    // the full version from User-Agent Client Hints, not the reduced "150.0.0.0" of the user agent
    expect(result.environment.runtimeVersion).toMatch(/^Chromium \d+\.\d+\.\d+\.\d+$/);
    expect(result.environment.runtimeVersion).not.toMatch(/\.0\.0\.0$/);
    expect(result.simdSupported).toBe(true);
  });

  it.each(Object.keys(CONFIGS))('%s: js, wasm and wasm-simd in Chromium equal Node and the golden digest', async (name) => {
    const { family, options } = CONFIGS[name];
    const { config } = familyOf(family).resolve({ ...options, backend: 'js' });
    const node = (await runSimulation(config)).summary.digest;
    expect(node).toBe(GOLDEN[name]);
    for (const backend of ['js', 'wasm', 'wasm-simd']) expect(result[name][backend], `${backend} in Chromium`).toBe(node);
  });

  it.each(Object.keys(CONFIGS))('%s: the summary JSON (theory included) is the same bytes in Chromium as in Node', async (name) => {
    const { family, options } = CONFIGS[name];
    const { config } = familyOf(family).resolve({ ...options, backend: 'js' });
    const { summary } = await runSimulation(config);
    expect(result[name].json).toBe(JSON.stringify({ ...summary, environment: null, elapsedMs: null }, null, 2));
  });
});
