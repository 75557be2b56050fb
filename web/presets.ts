// The row of preset buttons above the form: one per reproduction preset
// (src/reproduce/presets.ts, the table `collapse-bench reproduce` runs), each
// running its --quick runs in the run worker (lm's and vae's data fetched
// first, web/data-files.ts).
import { PRESETS } from '../src/reproduce/presets.js';
import type { Preset } from '../src/reproduce/types.js';

export interface WebPreset {
  /** Button text and id (data-preset): the preset's name. */
  name: string;
  /** The button's tooltip: the paper and what it checks. */
  title: string;
}

const webPreset = (p: Preset): WebPreset => ({ name: p.name, title: `${p.paper}. ${p.checks}. Quick: ${p.measured.quick} in Node.` });

export const WEB_PRESETS: readonly WebPreset[] = PRESETS.map(webPreset);
