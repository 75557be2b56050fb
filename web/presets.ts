// The row of one-click runs above the form. Each is a family and its raw
// options, exactly as `collapse-bench run <family> --<option> <value> ...`.
// When the reproduce presets land (src/reproduce/), this list becomes a map
// over their table (each preset's runs, with their quick sizes): the page
// reads only PRESETS.
import type { RawOptions } from '../src/config/validate.js';

export interface WebPreset {
  /** Button text and id (data-preset). */
  name: string;
  /** What it shows, for the button's tooltip. */
  title: string;
  family: string;
  options: RawOptions;
}

export const PRESETS: WebPreset[] = [
  {
    name: 'shumailov-gaussian-quick',
    title: 'Shumailov et al. 2024, 1-D Gaussian, M = 100, MLE as in the notebook: sigma_n shrinks to 0 (small: 6 replicates)',
    family: 'gaussian',
    options: { samples: '100', generations: '200', replicates: '6', estimator: 'mle', seed: '7' },
  },
  {
    name: 'wright-fisher-quick',
    title: 'Categorical resampling (Wright-Fisher drift): heterozygosity decays as (1 - 1/M)^n until a state fixes',
    family: 'categorical',
    options: { states: '10', samples: '50', generations: '300', replicates: '8', seed: '7' },
  },
];
