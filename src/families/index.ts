// The registry of model families: `run <name>` looks them up here. Adding a
// family is a folder beside these and one line below.
import { UsageError } from '../config/validate.js';
import type { Family } from './family.js';
import { gaussianFamily } from './gaussian/index.js';
import { categoricalFamily } from './categorical/index.js';
import { gmmFamily } from './gmm/index.js';
import { kdeFamily } from './kde/index.js';
import { regressionFamily } from './regression/index.js';
import { lmFamily } from './lm/index.js';
import { vaeFamily } from './vae/index.js';

export const FAMILIES = {
  gaussian: gaussianFamily,
  categorical: categoricalFamily,
  gmm: gmmFamily,
  kde: kdeFamily,
  regression: regressionFamily,
  lm: lmFamily,
  vae: vaeFamily,
};

/** The model families `run` knows. */
export type FamilyName = keyof typeof FAMILIES;

/** Every family's resolved config. */
export type RunConfig = ReturnType<(typeof FAMILIES)[FamilyName]['resolve']>['config'];

export function familyOf(name: string): Family<RunConfig> {
  const f = (FAMILIES as Record<string, Family<any, any>>)[name];
  if (!f) throw new UsageError(`run: unknown family '${name}'; available: ${Object.keys(FAMILIES).join(', ')}`);
  return f;
}
