// The VAE's sample grid: `--grid-samples S` keeps the first S images of each
// recorded generation in its record (bytes, base64), without touching the
// digest or the summary; `report` draws them, one rect per pixel whose grey
// is the stored byte.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveVaeConfig } from '../src/families/vae/options.js';
import { loadDigits } from '../src/families/vae/digits.js';
import { runAndCollect } from '../src/runner/run.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';
import { decodeImages, encodeImages, greyByte } from '../src/results/images.js';
import { encodeRecordLine, LineBuffer } from '../src/results/record-line.js';
import type { SampleImages } from '../src/results/types.js';
import { ReportCollector } from '../src/report/figures/collect.js';
import { runFigures } from '../src/report/figures/index.js';
import { greyFill, imageGridChart, pixelScale } from '../src/report/figures/image-grid.js';
import { wellFormed } from './helpers.js';

const tiny = { samples: 40, holdout: 10, hidden: 8, latent: 2, epochs: 2, batch: 10, 'iw-samples': 3, 'classifier-epochs': 0, backend: 'wasm' };

const run = (opts: RawOptions, hooks = {}) => runAndCollect(resolveVaeConfig({ ...tiny, ...opts }).config, hooks);

describe('images in the records', () => {
  it('quantise to round(255 g), clamped, and come back as the same bytes, image after image, row after row', () => {
    expect([-0.5, 0, 0.5 / 255, 0.499, 0.5, 1, 7, NaN].map(greyByte)).toEqual([0, 0, 1, 127, 128, 255, 255, 0]);
    // two 3x2 images, column-major with ld 4 (pixel a of image i at a * 4 + i)
    const data = new Float64Array(6 * 4);
    for (let a = 0; a < 6; a++) for (let i = 0; i < 2; i++) data[a * 4 + i] = (10 * i + a) / 255;
    const s = encodeImages(data, 4, 2, 3, 2);
    expect(s).toMatchObject({ width: 3, height: 2, count: 2 });
    expect(Array.from(decodeImages(s))).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    expect(() => decodeImages({ ...s, count: 3 })).toThrow(/18 bytes|12 bytes/);
  });

  it('the first S images of each recorded generation, row 0 the real training digits; not in the digest or the summary', async () => {
    const S = 5;
    const a = await run({ generations: 3, every: 2, replicates: 2, seed: 4, 'grid-samples': S });
    const none = await run({ generations: 3, every: 2, replicates: 2, seed: 4, 'grid-samples': 0 });
    expect(a.header.recorded).toEqual([0, 2, 3]);
    expect(a.summary.digest).toBe(none.summary.digest);
    expect(JSON.stringify(a.summary.generations)).toBe(JSON.stringify(none.summary.generations));
    expect(none.replicates[0].images).toBeUndefined();
    const digits = loadDigits([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 14).train;
    for (const r of a.replicates) {
      const images = r.images!;
      expect(images).toHaveLength(3);
      for (const im of images) expect(im).toMatchObject({ width: 14, height: 14, count: S });
      // every replicate starts from the same real digits
      expect(Array.from(decodeImages(images[0]!))).toEqual(Array.from(digits.images.subarray(0, S * 196), greyByte));
      // decoded images are grey (mean decoding) and differ from the real ones
      expect(images[1]!.grey).not.toBe(images[0]!.grey);
    }
    expect(a.replicates[1].images![2]!.grey).not.toBe(a.replicates[0].images![2]!.grey);
    // a JSONL line holds them (4/3 of a byte per pixel, and the field names)
    const buf = new LineBuffer();
    const line = (r: typeof a.replicates[0]) => (encodeRecordLine({ ...r, metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, Float64Array.from(v, (x) => x ?? NaN)])) }, buf), buf.bytes.toString('utf8', 0, buf.length));
    const withImages = line(a.replicates[0]);
    expect(JSON.parse(withImages).images).toEqual(a.replicates[0].images);
    expect(withImages.length - line(none.replicates[0]).length).toBeLessThan(3 * (4 * Math.ceil((S * 196) / 3) + 60) + 20);
  }, 60_000);

  it('Bernoulli images are black and white; a mix generation shows its synthetic images', async () => {
    const b = await run({ generations: 1, decode: 'bernoulli', 'grid-samples': 3 });
    expect(new Set(decodeImages(b.replicates[0].images![1]!))).toEqual(new Set([0, 255]));
    // mix with g = 0.95 keeps 38 real digits: 2 synthetic images, so 2 of the 3 asked for
    const m = await run({ generations: 1, policy: 'mix', 'real-fraction': 0.95, 'grid-samples': 3 });
    expect(m.replicates[0].images!.map((x) => x!.count)).toEqual([3, 2]);
  }, 60_000);

  it.each([
    ['-1', /--grid-samples.*integer in \[0, 64\]/],
    ['65', /--grid-samples.*integer in \[0, 64\]/],
    ['2.5', /--grid-samples.*integer in \[0, 64\]/],
  ])('--grid-samples %s is refused, naming the option and its range', (v, re) => {
    expect(() => resolveVaeConfig({ ...tiny, 'grid-samples': v })).toThrow(UsageError);
    expect(() => resolveVaeConfig({ ...tiny, 'grid-samples': v })).toThrow(re);
  });
});

/** The pixel rects of a rendered grid: their place and their grey. */
function pixelRects(svg: string): { x: number; y: number; size: number; grey: number }[] {
  const layer = /class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/s.exec(svg)![1];
  return [...layer.matchAll(/<path d="M([\d.]+),([\d.]+)h([\d.]+)v[\d.]+h-[\d.]+Z" fill="rgb\((\d+),(\d+),(\d+)\)"/g)].map((m) => {
    expect(m[4]).toBe(m[5]);
    expect(m[5]).toBe(m[6]);
    return { x: Number(m[1]), y: Number(m[2]), size: Number(m[3]), grey: Number(m[4]) };
  });
}

describe('the sample-grid figure', () => {
  const images = (w: number, h: number, count: number, byte: (i: number) => number): SampleImages => ({ width: w, height: h, count, grey: btoa(String.fromCharCode(...Array.from({ length: w * h * count }, (_, i) => byte(i)))) });

  it('one rect per pixel, at its row, image, row and column, filled with its byte as a grey', async () => {
    const { renderSvg } = await import('../src/report/render.js');
    // 3 wide, 2 high (not square, so a transposed grid would show), 2 images in row 0, none in row 1, 1 in row 2
    const rows = [
      { label: 'n = 0', images: images(3, 2, 2, (i) => (i * 37) % 256) },
      { label: 'n = 1', images: null },
      { label: 'n = 2', images: images(3, 2, 1, (i) => 255 - i) },
    ];
    const svg = await renderSvg(imageGridChart('grid', rows));
    expect(wellFormed(svg)).toBe(true);
    const rects = pixelRects(svg);
    expect(rects).toHaveLength(2 * 6 + 6);
    const s = pixelScale(3);
    expect(rects.every((r) => r.size === s)).toBe(true);
    // place -> byte: images left to right, generations top to bottom, each image row by row
    const xs = [...new Set(rects.map((r) => r.x))].sort((a, b) => a - b);
    const ys = [...new Set(rects.map((r) => r.y))].sort((a, b) => a - b);
    expect(xs).toHaveLength(6);
    expect(ys).toHaveLength(4);
    const imageStride = xs[3] - xs[0];
    const rowStride = (ys[2] - ys[0]) / 2; // row 1 is empty
    expect(imageStride).toBeGreaterThan(3 * s);
    expect(rowStride).toBeGreaterThan(2 * s);
    const byPlace = new Map(rects.map((r) => [`${r.x},${r.y}`, r.grey]));
    rows.forEach((row, g) => {
      const im = row.images;
      if (!im) return;
      const bytes = decodeImages(im);
      for (let i = 0; i < im.count; i++)
        for (let y = 0; y < 2; y++)
          for (let x = 0; x < 3; x++) {
            const at = `${xs[0] + i * imageStride + x * s},${ys[0] + g * rowStride + y * s}`;
            expect(byPlace.get(at), at).toBe(bytes[(i * 2 + y) * 3 + x]);
          }
    });
    for (const label of ['n = 0', 'n = 1', 'n = 2']) expect(svg).toContain(`>${label}</text>`);
    expect(greyFill(7)).toBe('rgb(7,7,7)');
  });

  it('a vae run\'s report has the grid (rows: the recorded generations) beside its metric figures', async () => {
    const { renderSvg } = await import('../src/report/render.js');
    let collector: ReportCollector | undefined;
    const out = await run({ generations: 2, 'grid-samples': 4 }, { onStart: (h: never) => void (collector = new ReportCollector(h)), onReplicate: (r: never) => collector!.add(r) });
    const figures = runFigures(collector!.finish(out.summary, ''), 0, Math.exp);
    const ids = figures.map((f) => f.id);
    expect(ids).toContain('run1-vae-sample-grid');
    // the generic figures still draw every metric
    for (const m of ['negElbo', 'tail', 'pixelVar', 'pairDist']) expect(ids).toContain(`run1-vae-metric-${m.toLowerCase()}`);
    expect(ids).toContain('run1-vae-iw-nll');
    const svg = await renderSvg(figures.find((f) => f.id === 'run1-vae-sample-grid')!.spec);
    const rects = pixelRects(svg);
    expect(rects).toHaveLength(3 * 4 * 196);
    const bytes = out.replicates[0].images!.flatMap((im) => Array.from(decodeImages(im!)));
    expect(rects.map((r) => r.grey).sort((a, b) => a - b)).toEqual(bytes.sort((a, b) => a - b));
  }, 60_000);

  it('run vae --workers 2 --out FILE --report DIR: the worker threads carry the images into the file, and the page has the grid', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vae-grid-'));
    const [dir, file] = [join(tmp, 'report'), join(tmp, 'run.jsonl')];
    const bin = new URL('../dist/src/cli/bin.js', import.meta.url).pathname;
    const opts = { ...tiny, generations: 1, replicates: 2, 'grid-samples': 2 };
    const args = Object.entries(opts).flatMap(([k, v]) => [`--${k}`, String(v)]);
    const r = spawnSync(process.execPath, [bin, 'run', 'vae', ...args, '--workers', '2', '--out', file, '--report', dir, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const records = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
    const inThread = await run(opts);
    expect(records.map((x) => x.images)).toEqual(inThread.replicates.map((x) => x.images));
    expect(existsSync(join(dir, 'run1-vae-sample-grid.svg'))).toBe(true);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('id="run1-vae-sample-grid"');
  }, 120_000);
});
