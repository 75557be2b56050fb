// Vega-Lite spec -> SVG text, headless: vega-lite compiles the spec to Vega,
// vega renders it with the 'none' renderer (no canvas, no browser, no fonts
// measured: text widths are vega's estimate), so the same spec gives the same
// bytes on every machine. vega is large (~1 MB of modules): imported here,
// lazily, only when a report is written, so the CLI starts without it.
import type { VlSpec } from './figures/charts.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let loaded: Promise<[Vega, VegaLite]> | undefined;

function load(): Promise<[Vega, VegaLite]> {
  return (loaded ??= Promise.all([import('vega'), import('vega-lite')]));
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
