// The registry of model families: `run <name>` looks them up here.
import type { FamilyName, RunConfig } from '../results/types.js';
import type { Family } from './family.js';
import { UsageError } from '../config/validate.js';
import { gaussianFamily } from './gaussian.js';
import { regressionFamily } from './regression.js';
import { kdeFamily } from './kde.js';
import { categoricalFamily } from './categorical.js';
import { gmmFamily } from './gmm.js';

export const FAMILIES: Record<FamilyName, Family<any>> = {
  gaussian: gaussianFamily,
  categorical: categoricalFamily,
  gmm: gmmFamily,
  kde: kdeFamily,
  regression: regressionFamily,
};

export function familyOf(name: string): Family<RunConfig> {
  const f = (FAMILIES as Record<string, Family<RunConfig>>)[name];
  if (!f) throw new UsageError(`run: unknown family '${name}'; available: ${Object.keys(FAMILIES).join(', ')}`);
  return f;
}
