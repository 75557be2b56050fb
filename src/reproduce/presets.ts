// Every reproduction preset, in the order `reproduce --list` and `reproduce all` use.
import type { Preset, SweepPreset } from './types.js';
import { shumailovGaussian } from './presets/shumailov-gaussian.js';
import { shumailovGmm } from './presets/shumailov-gmm.js';
import { shumailovLm } from './presets/shumailov-lm.js';
import { shumailovVae } from './presets/shumailov-vae.js';
import { wrightFisher } from './presets/wright-fisher.js';
import { gerstgrasserAccumulate } from './presets/gerstgrasser-accumulate.js';
import { kazdanKde } from './presets/kazdan-kde.js';
import { madBias } from './presets/mad-bias.js';
import { goldenRatio } from './presets/golden-ratio.js';
import { sweepShumailovM } from './presets/sweep-shumailov-m.js';
import { sweepGerstgrasser } from './presets/sweep-gerstgrasser.js';
import { sweepKazdanGaussian, sweepKazdanKde } from './presets/sweep-kazdan.js';

export const PRESETS: readonly Preset[] = [shumailovGaussian, shumailovGmm, shumailovLm, shumailovVae, wrightFisher, gerstgrasserAccumulate, kazdanKde, madBias, goldenRatio];

/** Presets that run a grid of sweeps/ through the sweep code; `reproduce all` runs them after PRESETS. */
export const SWEEP_PRESETS: readonly SweepPreset[] = [sweepShumailovM, sweepGerstgrasser, sweepKazdanGaussian, sweepKazdanKde];

export function presetOf(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

export function sweepPresetOf(name: string): SweepPreset | undefined {
  return SWEEP_PRESETS.find((p) => p.name === name);
}
