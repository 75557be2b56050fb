// A grid of images, as in Shumailov et al. 2024's VAE figure: a row per
// recorded generation, a column per image. Each pixel is one rect whose fill
// is its stored byte as a grey, rgb(b, b, b) (white ink on black, as MNIST
// is stored), at fixed pixel positions (scale null): a plain Vega-Lite spec,
// which renders to SVG headless and in the page alike. An image mark with
// data URLs would need a PNG encoder and an image loader in vega's headless
// renderer; rects need neither.
import type { SampleImages } from '../../results/types.js';
import { decodeImages } from '../../results/images.js';
import { NO_ARIA, SCHEMA, type VlSpec } from './charts.js';

/** One row of the grid: its label and images (null: not reached, an empty row). */
export interface GridRow {
  label: string;
  images: SampleImages | null;
}

/** Screen pixels per image pixel: about 42 screen pixels per image side. */
export const pixelScale = (side: number): number => Math.max(1, Math.round(42 / side));
/** Screen pixels between images, and left of the first column for the row labels. */
const GAP = 4;
const LABEL_WIDTH = 48;

/** The fill of a grey byte. */
export const greyFill = (b: number): string => `rgb(${b},${b},${b})`;

export function imageGridChart(title: string, rows: GridRow[]): VlSpec {
  const first = rows.find((r) => r.images)?.images;
  const w = first?.width ?? 1;
  const h = first?.height ?? 1;
  const columns = Math.max(0, ...rows.map((r) => r.images?.count ?? 0));
  const s = pixelScale(Math.max(w, h));
  const cellW = w * s + GAP;
  const cellH = h * s + GAP;
  const pixels: { x: number; y: number; fill: string }[] = [];
  const labels: { x: number; y: number; label: string }[] = [];
  rows.forEach((row, r) => {
    labels.push({ x: LABEL_WIDTH - GAP, y: r * cellH + (h * s) / 2, label: row.label });
    const im = row.images;
    if (!im) return;
    const bytes = decodeImages(im);
    for (let i = 0; i < im.count; i++) {
      for (let y = 0; y < im.height; y++) {
        for (let x = 0; x < im.width; x++) {
          pixels.push({ x: LABEL_WIDTH + i * cellW + x * s, y: r * cellH + y * s, fill: greyFill(bytes[(i * im.height + y) * im.width + x]) });
        }
      }
    }
  });
  const px = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });
  return {
    $schema: SCHEMA,
    title,
    width: LABEL_WIDTH + columns * cellW,
    height: Math.max(1, rows.length * cellH - GAP),
    layer: [
      {
        data: { values: pixels },
        transform: [
          { calculate: `datum.x + ${s}`, as: 'x2' },
          { calculate: `datum.y + ${s}`, as: 'y2' },
        ],
        mark: { type: 'rect' },
        encoding: { x: px('x'), x2: { field: 'x2' }, y: px('y'), y2: { field: 'y2' }, fill: { field: 'fill', type: 'nominal', scale: null } },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'right', baseline: 'middle', fontSize: 11 },
        encoding: { x: px('x'), y: px('y'), text: { field: 'label' } },
      },
    ],
    config: { ...NO_ARIA, view: { stroke: null } },
  };
}
