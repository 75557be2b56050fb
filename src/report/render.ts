// Vega-Lite spec -> SVG text, headless: vega-lite compiles the spec to Vega,
// vega renders it with the 'none' renderer (no canvas, no browser, no fonts
// measured: text widths are vega's estimate), so the same spec gives the same
// bytes on every machine. vega is large (~1 MB of modules): imported here,
// lazily, only when a report is written, so the CLI starts without it; from
// the build's bundle of both packages where it exists (scripts/build.mjs
// step 9: one file, imported in a third of the time of their ~270 modules).
import type { VlSpec } from './figures/charts.js';
import { pathToFileURL } from 'node:url';
import { builtFilePath } from '../util/data-files.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/** Where the build writes vega and vega-lite as one module (exports `vega` and `vegaLite`). */
export const VEGA_BUNDLE = 'dist/vendor/vega.js';

let loaded: Promise<[Vega, VegaLite]> | undefined;

function load(): Promise<[Vega, VegaLite]> {
  if (loaded) return loaded;
  const bundle = builtFilePath(VEGA_BUNDLE);
  return (loaded = bundle
    ? import(pathToFileURL(bundle).href).then((m: { vega: Vega; vegaLite: VegaLite }) => [m.vega, m.vegaLite])
    : Promise.all([import('vega'), import('vega-lite')]));
}

/** The SVG of one Vega-Lite spec. */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const [vega, vl] = await load();
  const compiled = vl.compile(spec as unknown as Parameters<VegaLite['compile']>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
