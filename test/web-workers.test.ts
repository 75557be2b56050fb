// The web page's parallel replicates (src/runner/web-worker-pool.ts): served
// as a plain static host (no COOP/COEP headers, so no SharedArrayBuffer: the
// pool must work by messages alone), a config run with 1 and 3 workers gives
// the committed golden digest both times, lm's workers get the corpus the page
// fetched, a reproduce preset runs in the pool too (its workers kept from run
// to run), and Cancel with 3 workers stops
// within about a second, keeping a prefix of finished replicates whose digest
// is the CLI's for that many.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cancelAndTime, chromiumAvailable, cliDigest, keptReplicates, openPage, pageState, root, type OpenPage } from './web-page.js';
import { workersOption } from '../src/config/common.js';
import { UsageError } from '../src/util/errors.js';
import { runPreset } from '../src/reproduce/execute.js';
import { presetOf } from '../src/reproduce/presets.js';

/** test/golden/digests.json's 'replace-unbiased-1d' (test/reproducibility.test.ts's config of that name). */
const GOLDEN_OPTIONS = { samples: '100', generations: '200', replicates: '6', seed: '7' };
const golden = (JSON.parse(readFileSync(join(root, 'test/golden/digests.json'), 'utf8')) as Record<string, string>)['replace-unbiased-1d'];

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
};

const state = (page: Page, s: string) => pageState(page, s, 30_000);

async function fill(page: Page, options: Record<string, string>, workers: string): Promise<void> {
  await page.selectOption('#family', 'gaussian');
  for (const name of ['samples', 'generations', 'replicates', 'seed']) await page.fill(`input[name="${name}"]`, options[name] ?? '');
  await page.fill('#workers', workers);
}

describe.skipIf(!chromiumAvailable)('the web page runs replicates in a pool of Web Workers', () => {
  let page: Page;
  let errors: string[];
  let opened: OpenPage | undefined;
  /** Web Workers the page has started (the run worker and the pool's). */
  const started: string[] = [];

  beforeAll(async () => {
    // a static host without COOP/COEP headers: the page is not cross-origin isolated
    opened = await openPage({ isolated: false, onPage: (p) => p.on('worker', (w) => started.push(w.url())) });
    ({ page, errors } = opened);
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('is not cross-origin isolated (a plain static host), and the workers field defaults to the cores', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.getAttribute('#workers', 'placeholder')).toBe(String(await page.evaluate(() => navigator.hardwareConcurrency)));
  });

  it('a bad workers value shows the CLI message and the run is refused', async () => {
    await fill(page, GOLDEN_OPTIONS, '0');
    // the CLI's message for --workers 0
    expect(() => workersOption('0')).toThrow(UsageError);
    expect(await page.textContent('#error')).toBe(errorOf(() => workersOption('0')));
    expect(await page.textContent('#error')).toMatch(/^--workers: "0" is not allowed/);
    expect(await page.isDisabled('#run')).toBe(true);
    await page.fill('#workers', '');
    expect(await page.textContent('#error')).toBe('');
  });

  it('1 and 3 workers give the golden digest', async () => {
    expect(golden).toMatch(/^[0-9a-f]{64}$/);
    for (const workers of ['1', '3']) {
      await fill(page, GOLDEN_OPTIONS, workers);
      await page.click('#run');
      await state(page, 'done');
      expect(await page.textContent('#digest'), `${workers} workers`).toBe(golden);
    }
    // the pool's workers were started (nested in the run worker; playwright lists them too)
    expect(started.filter((u) => /replicate-worker/.test(u)).length).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  });

  it('lm with 2 workers: each worker gets the corpus the page fetched (no file system), the CLI digest', async () => {
    const options = { documents: '10', generations: '2', replicates: '2', seed: '7' };
    await page.selectOption('#family', 'lm');
    for (const [name, value] of Object.entries(options)) await page.fill(`input[name="${name}"]`, value);
    await page.fill('#workers', '2');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled, undefined, { timeout: 60_000 });
    await page.click('#run');
    await state(page, 'done');
    expect(await page.textContent('#error')).toBe('');
    expect(await page.textContent('#digest')).toBe(await cliDigest('lm', options));
    expect(errors).toEqual([]);
  });

  it('a reproduce preset with 2 workers runs in one pool, kept from run to run: the CLI digests and PASS', async () => {
    await page.fill('#workers', '2');
    const before = started.filter((u) => /replicate-worker/.test(u)).length;
    await page.click('button[data-preset="mad-bias"]');
    await state(page, 'done');
    expect(await page.textContent('#preset-verdict')).toBe('PASS');
    // what `collapse-bench reproduce mad-bias --quick` computes, in one thread
    const expected = await runPreset(presetOf('mad-bias')!, true);
    const runs = await page.$$eval('#preset-runs tr[data-run]', (rs) => rs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(runs.map((r) => [r[0], r[3]])).toEqual(expected.runs.map((r) => [r.id, r.digest]));
    // its runs ran in one pool of two: the first run's workers, kept for the next runs (each laid out its chain on them)
    expect(expected.runs.length).toBeGreaterThan(1);
    expect(started.filter((u) => /replicate-worker/.test(u)).length - before).toBe(2);
    expect(errors).toEqual([]);
  });

  it('Cancel with 3 workers stops within about a second and keeps the first replicates', async () => {
    const options = { samples: '5000', generations: '200', replicates: '1000', seed: '1' };
    await fill(page, options, '3');
    await page.click('#run');
    await page.waitForFunction(() => /^[1-9]\d* of 1000/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 30_000 });
    const stopMs = await cancelAndTime(page);
    expect(stopMs).toBeLessThan(1500);
    const status = (await page.textContent('#status'))!;
    const kept = keptReplicates(status);
    expect(kept, status).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#digest')).toBe(await cliDigest('gaussian', { ...options, replicates: String(kept) }));
    expect(errors).toEqual([]);
  });
});
