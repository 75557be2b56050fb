// Every reproduction preset, in the order `reproduce --list` and `reproduce all` use.
import type { Preset } from './types.js';
import { shumailovGaussian } from './presets/shumailov-gaussian.js';
import { shumailovGmm } from './presets/shumailov-gmm.js';
import { shumailovLm } from './presets/shumailov-lm.js';
import { wrightFisher } from './presets/wright-fisher.js';
import { gerstgrasserAccumulate } from './presets/gerstgrasser-accumulate.js';
import { kazdanKde } from './presets/kazdan-kde.js';
import { madBias } from './presets/mad-bias.js';
import { goldenRatio } from './presets/golden-ratio.js';

export const PRESETS: readonly Preset[] = [shumailovGaussian, shumailovGmm, shumailovLm, wrightFisher, gerstgrasserAccumulate, kazdanKde, madBias, goldenRatio];

export function presetOf(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
