// A run file's header is checked before it is read (src/families/header.ts):
// every header this version writes passes, for every family and a spread of
// options; an edited one is refused naming the field and what is allowed.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkHeaderConfig, familyOfHeader } from '../src/families/header.js';
import { FAMILIES, familyOf } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import { UsageError, type RawOptions } from '../src/config/validate.js';
import type { RunHeader } from '../src/results/types.js';

const FICTION = fileURLToPath(new URL('./fixtures/brown-fiction.txt', import.meta.url));
const LM = { corpus: FICTION, documents: '90', 'min-count': '1', block: '32' };
const VAE = { samples: '40', holdout: '10', hidden: '8', latent: '2', epochs: '2', batch: '10', 'iw-samples': '3', 'classifier-epochs': '0' };

/** Options a user might give, per family: defaults, every policy, and the options whose fields are not written as given. */
const WRITTEN: [string, RawOptions][] = [
  ['gaussian', {}],
  ['gaussian', { dim: '3', mu0: '1,-2,3e-7', sigma0: '1,2,0.1' }],
  ['gaussian', { dim: '2', cov0: '1,0.5;0.5,2.0000000000000004' }],
  ['gaussian', { dim: '2', cov0: '1e-7,0;0,3.3333333333333335' }],
  ['gaussian', { policy: 'mix', 'real-fraction': '0.3' }],
  ['gaussian', { policy: 'fresh', 'real-weight': '0.7', samples: '20' }],
  ['gaussian', { policy: 'accumulate', schedule: 'linear', every: '3', generations: '10' }],
  ['gaussian', { policy: 'accumulate-subsample', estimator: 'mle', bias: '0.9', schedule: 'quadratic', generations: '5' }],
  ['gaussian', { seed: 'a string seed' }],
  ['gaussian', { seed: '-5' }],
  ['categorical', {}],
  ['categorical', { init: 'zipf' }],
  ['categorical', { init: 'zipf', 'zipf-a': '1.5', 'zipf-b': '0', states: '50' }],
  ['categorical', { probs: '0.5,0.3,0.2' }],
  ['categorical', { probs: '0.333333333333,0.333333333333,0.333333333334' }],
  // 10^5 terms: the sum, and so a second division by it, rounds by about 10^5 ulps
  ['categorical', { probs: Array(100_000).fill('1e-5').join(','), samples: '10' }],
  ['categorical', { init: 'given', probs: '0.1,0.2,0.3,0.4' }],
  ['categorical', { 'until-absorbed': true, states: '3', generations: '50' }],
  ['categorical', { policy: 'accumulate-subsample', 'tail-quantile': '0.3' }],
  ['categorical', { policy: 'mix', 'real-fraction': '0.2', samples: '7' }],
  ['gmm', {}],
  ['gmm', { data: 'two-gaussians', policy: 'accumulate' }],
  ['gmm', { data: 'grid25', samples: '100' }],
  ['gmm', { data: 'custom', mixture: '0.3:0,0:1 | 0.7:3,1:0.5,0.1;0.1,0.5' }],
  ['gmm', { data: 'custom', mixture: '0.3333:0,0,0:1,2,3 | 0.6667:1,1,1:0.5' }],
  ['gmm', { data: 'custom', mixture: '0.2:1:2 | 0.8:-1:0.5', components: '3' }],
  // the default cover radius, 3 x 10^6, lies above the option's range
  ['gmm', { data: 'custom', mixture: '1:0,0:1e12' }],
  ['gmm', { covariance: 'diag', tol: '1e-4', 'max-iter': '50', 'n-init': '2', 'kmeans-iter': '0', 'reg-covar': '0' }],
  ['gmm', { covariance: 'spherical', 'cover-radius': '0.5', 'cover-weight': '0.2', temperature: '2', bias: '0.5', holdout: '5' }],
  ['kde', {}],
  ['kde', { data: 'gaussian', dim: '3', sigma0: '2' }],
  ['kde', { data: 'rings', noise: '0.05', factor: '0.3' }],
  ['kde', { data: 'moons', policy: 'fresh' }],
  ['kde', { data: 'gmm2d', bandwidth: '0.5' }],
  ['kde', { bandwidth: 'silverman', 'bandwidth-mode': 'recompute', policy: 'accumulate' }],
  ['regression', {}],
  ['regression', { dim: '3', points: '10', noise: '0.5', 'w-star': 'ones', 'test-points': '20' }],
  ['regression', { policy: 'mix', 'real-fraction': '0.5', every: '4' }],
  ['lm', {}],
  ['lm', LM],
  ['lm', { ...LM, order: '2', smoothing: 'mkn', beams: '3', 'repetition-penalty': '2' }],
  ['lm', { ...LM, temperature: '0.7', 'top-k': '5', 'top-p': '0.9', policy: 'accumulate' }],
  ['lm', { ...LM, case: 'keep', prompt: '4', policy: 'mix', 'real-fraction': '0.3' }],
  ['vae', VAE],
  ['vae', { ...VAE, size: '28', classes: '7,1', policy: 'accumulate' }],
  ['vae', { ...VAE, likelihood: 'gaussian', 'pixel-sd': '0.2' }],
  ['vae', { ...VAE, decode: 'bernoulli', 'grid-samples': '0', 'classifier-epochs': '1', 'classifier-hidden': '16', lr: '0.01' }],
];

/** The header the runner writes for these options (no replicate run), through JSON as the file holds it. */
async function headerOf(name: string, options: RawOptions): Promise<RunHeader> {
  let header: RunHeader | undefined;
  await runSimulation(familyOf(name).resolve(options).config, { only: { from: 0, to: 0 }, onStart: (h) => void (header = h) });
  return JSON.parse(JSON.stringify(header)) as RunHeader;
}

describe('headers this version writes', () => {
  it('cover every family', () => {
    expect(new Set(WRITTEN.map(([f]) => f))).toEqual(new Set(Object.keys(FAMILIES)));
  });

  it.each(WRITTEN.map(([name, options]) => [name, JSON.stringify(options).slice(0, 120), options] as const))('%s %s passes', async (name, _, options) => {
    const header = await headerOf(name, options);
    expect(familyOfHeader(header).name).toBe(name);
    // as --resume checks it: lm's corpus and vae's digits read, their sizes against the header's
    expect(familyOfHeader(header, true).name).toBe(name);
  });
});

/** Edits a field of the config (undefined deletes it) and expects the check to refuse it with `message`. */
async function refused(name: string, options: RawOptions, edit: (c: Record<string, unknown>, h: Record<string, unknown>) => void, message: RegExp): Promise<void> {
  const header = await headerOf(name, options);
  edit(header.config as unknown as Record<string, unknown>, header as unknown as Record<string, unknown>);
  expect(() => familyOfHeader(header)).toThrow(UsageError);
  expect(() => familyOfHeader(header)).toThrow(message);
}

const fact = (field: string, value: unknown) => (_c: unknown, h: Record<string, unknown>) => ((h.facts as Record<string, unknown>)[field] = value);
const set = (field: string, value: unknown) => (c: Record<string, unknown>) => {
  if (value === undefined) delete c[field];
  else c[field] = value;
};

describe('an edited header', () => {
  it.each([
    ['samples 0', set('samples', 0), /^config\.samples: 0 is not allowed; expected an integer in \[2, 10000000\]$/],
    ['samples null', set('samples', null), /^config\.samples: null is not allowed; expected an integer in \[2, 10000000\]$/],
    ['samples -1', set('samples', -1), /^config\.samples: -1 is not allowed/],
    ['samples missing', set('samples', undefined), /^config\.samples: missing is not allowed; expected an integer/],
    ['samples "abc"', set('samples', 'abc'), /^config\.samples: "abc" is not allowed; expected an integer in \[2, 10000000\]$/],
    ['samples "100" (a string)', set('samples', '100'), /^config\.samples: "100" is not allowed/],
    ['dim 1e308', set('dim', 1e308), /^config\.dim: 1e\+308 is not allowed; expected an integer in \[1, 64\]$/],
    ['dim 0', set('dim', 0), /^config\.dim: 0 is not allowed; expected an integer in \[1, 64\]$/],
    ['dim 2 with a 1 x 1 cov0', set('dim', 2), /^config\.cov0: is 1 x 1; expected 2 x 2 \(config\.dim\)$/],
    ['replicates -1', set('replicates', -1), /^config\.replicates: -1 is not allowed; expected an integer in \[1, 1000000\]$/],
    ['generations Infinity (JSON 1e400)', set('generations', Infinity), /^config\.generations: Infinity is not allowed/],
    ['bias 0', set('bias', 0), /^config\.bias: 0 is not allowed; expected a number in \(0, 1\]$/],
    ['cov0 not square', set('cov0', [1, 0]), /^config\.cov0: has 2 entries, not a square matrix/],
    ['cov0 not positive definite', set('cov0', [-1]), /^config\.cov0: not positive definite/],
    ['cov0 a string', set('cov0', '1'), /^config\.cov0: "1" is not allowed/],
    ['a real fraction under replace', set('realFraction', 0.3), /^config\.realFraction: applies only to config\.policy mix or fresh, not replace$/],
    ['policy unknown', set('policy', 'keep'), /^config\.policy: "keep" is not allowed; expected one of replace, accumulate/],
    ['backend unknown', set('backend', 'gpu'), /^config\.backend: "gpu" is not allowed/],
    ['seed an object', set('seed', {}), /^config\.seed: \{\} is not allowed; expected an int32 or a string$/],
    ['seed "1" where the run wrote 1', set('seed', '1'), /^config\.seed: "1" does not match the rest of the config, which gives 1$/],
    ['an unknown field', set('sample', 100), /^config\.sample: not a field of a gaussian config$/],
    ['family unknown', set('family', 'gauss'), /^config\.family: "gauss" is not allowed; expected one of gaussian, categorical/],
    ['realWeight without fresh', set('realWeight', 0.5), /^config\.realWeight: applies only to config\.policy fresh, not replace$/],
  ])('gaussian: %s', (_, edit, message) => refused('gaussian', {}, edit, message));

  it.each([
    ['init "x"', set('init', 'x'), /^config\.init: "x" is not allowed; expected one of uniform, zipf, given$/],
    ['probs not summing to 1', set('probs', [0.5, 0.3, 0.3]), /^config\.probs: sums to 1\.1; expected probabilities summing to 1/],
    ['probs with a string', set('probs', [0.5, '0.3', 0.2]), /^config\.probs: .* is not allowed; expected an array of numbers, each in \(0, 1\]$/],
    ['states not the length of probs', set('states', 4), /^config\.states: 4 does not match the rest of the config, which gives 3$/],
  ])('categorical --probs: %s', (_, edit, message) => refused('categorical', { probs: '0.5,0.3,0.2' }, edit, message));

  it.each([
    ['init given without probs', set('init', 'given'), /^config\.init given: needs config\.probs/],
    ['zipfA without zipf', set('zipfA', 1), /^config\.zipfA: applies only to config\.init zipf, not uniform$/],
    ['tailMass0 2', fact('tailMass0', 2), /^facts\.tailMass0: 2; expected the tail mass of p_0, in \[0, 1\]$/],
    ['untilAbsorbed "yes"', set('untilAbsorbed', 'yes'), /^config\.untilAbsorbed: "yes" is not allowed; expected true or false$/],
  ])('categorical: %s', (_, edit, message) => refused('categorical', {}, edit, message));

  it.each([
    ['mixture null', set('mixture', null), /^config\.mixture: null is not allowed; expected \{ weights, means, covs \}/],
    ['mixture without weights', set('mixture', { means: [[0, 0]], covs: [[1, 0, 0, 1]] }), /^config\.mixture: .* is not allowed; expected \{ weights, means, covs \}/],
    ['a mixture weight negative', (c: Record<string, unknown>) => ((c.mixture as { weights: number[] }).weights[0] = -0.3), /^config\.mixture: component 1 weight -0\.3 is not positive/],
    ['a covariance not symmetric', (c: Record<string, unknown>) => ((c.mixture as { covs: number[][] }).covs[1][1] = 0.2), /^config\.mixture: component 2 covariance is not symmetric/],
    ['dim not the mixture\'s', set('dim', 3), /^config\.dim: 3 does not match the rest of the config, which gives 2$/],
  ])('gmm custom: %s', (_, edit, message) => refused('gmm', { data: 'custom', mixture: '0.3:0,0:1 | 0.7:3,1:0.5,0.1;0.1,0.5' }, edit, message));

  it.each([
    ['mixture mangled', set('mixture', { weights: 1 }), /^config\.mixture: \{"weights":1\} does not match the rest of the config, which gives/],
    ['trueVar 1e308', fact('trueVar', 1e308), /^facts\.trueVar: 1e\+308; expected 1, the variance of config\.mixture$/],
    ['trueStds missing', fact('trueStds', undefined), /^facts\.trueStds: missing; expected \[1\], the component stds/],
    ['components above samples', set('components', 2000), /^config\.components: 2000 is not allowed; expected an integer in \[1, 1000\]$/],
  ])('gmm notebook: %s', (_, edit, message) => refused('gmm', {}, edit, message));

  it.each([
    ['dim 1e308', set('dim', 1e308), /^config\.dim: 1e\+308 is not allowed; expected an integer in \[1, 64\]$/],
    ['bandwidth -1', set('bandwidth', -1), /^config\.bandwidth: -1 is not allowed; expected a number in \[1e-150, 1000000\], silverman or scott$/],
    ['bandwidthMode fixed with a rule', set('bandwidthMode', 'fixed'), /^config\.bandwidthMode: "fixed" does not match the rest of the config, which gives "frozen"$/],
    ['noise for gmm1d', set('noise', 0.1), /^config\.noise: applies only to config\.data rings or moons, not gmm1d$/],
  ])('kde: %s', (_, edit, message) => refused('kde', {}, edit, message));

  it.each([
    ['noise 1e308', set('noise', 1e308), /^config\.noise: 1e\+308 is not allowed; expected a number in \(0, 1000000\]$/],
    ['dim above points - 2', set('dim', 99), /^config\.dim\/config\.points: d = 99 with T = 100 points is not allowed/],
  ])('regression: %s', (_, edit, message) => refused('regression', {}, edit, message));

  it.each([
    ['vocabulary 0', set('vocabulary', 0), /^config\.vocabulary: 0 is not allowed; expected an integer in \[3, 2147483647\]$/],
    ['trainBlocks missing', set('trainBlocks', undefined), /^config\.trainBlocks: missing is not allowed/],
    ['prompt above block', set('prompt', 40), /^config\.prompt: 40 leaves nothing to write in a block of 32/],
  ])('lm: %s', (_, edit, message) => refused('lm', LM, edit, message));

  it.each([
    ['size 20', set('size', 20), /^config\.size: "20" is not allowed; expected one of 14, 28$/],
    ['samples above trainDigits', set('trainDigits', 10), /^config\.samples: 40 is more than the 10 training digits/],
    ['pixelSd moved off its default under bernoulli', set('pixelSd', 0.5), /^config\.pixelSd: 0\.5 does not match the rest of the config, which gives 0\.1$/],
  ])('vae: %s', (_, edit, message) => refused('vae', VAE, edit, message));

  it.each([
    ['recordedSamples missing', (_c: unknown, h: Record<string, unknown>) => delete h.recordedSamples, /^recordedSamples: missing; expected 6 numbers/],
    ['recordedSamples a string', (_c: unknown, h: Record<string, unknown>) => (h.recordedSamples = 'x'), /^recordedSamples: "x"; expected 6 numbers/],
    ['recordedSamples of another size', (_c: unknown, h: Record<string, unknown>) => ((h.recordedSamples as number[])[2] = 7), /^recordedSamples\[2\]: 7; expected 100, the training-set size/],
    ['recorded of another every', (_c: unknown, h: Record<string, unknown>) => (h.recorded = [0, 2, 4, 5]), /^recorded: 4 entries; expected 6 numbers, the generations config\.generations 5 and config\.every 1 record$/],
    ['recorded holding a string', (_c: unknown, h: Record<string, unknown>) => ((h.recorded as unknown[])[1] = '1'), /^recorded\[1\]: "1"; expected 1/],
    ['params "yes"', (_c: unknown, h: Record<string, unknown>) => (h.params = 'yes'), /^params: "yes"; expected true or no params field$/],
    ['environment null', (_c: unknown, h: Record<string, unknown>) => (h.environment = null), /^environment: null; expected an object \(runtime, runtimeVersion, engine, cpu, platform\)$/],
    ['environment without its cpu', (_c: unknown, h: Record<string, unknown>) => delete (h.environment as Record<string, unknown>).cpu, /^environment\.cpu: missing; expected a string$/],
    ['facts missing', (_c: unknown, h: Record<string, unknown>) => delete h.facts, /^facts: missing; expected an object$/],
    ['eigenvalues a string', fact('sigma0Eigenvalues', 'x'), /^facts\.sigma0Eigenvalues: "x"; expected the 1 eigenvalues of config\.cov0 \(summing to its trace, 1\)$/],
    ['eigenvalues 1e308', fact('sigma0Eigenvalues', [1e308]), /^facts\.sigma0Eigenvalues: \[1e\+308\]; expected the 1 eigenvalues/],
    ['tail threshold negative', fact('tailThreshold', -5), /^facts\.tailThreshold: -5; expected chi2_\(1, 0\.99\)/],
    ['tail threshold off the quantile', fact('tailThreshold', 6.6), /^facts\.tailThreshold: 6\.6; expected/],
  ])('gaussian header: %s', (_, edit, message) => refused('gaussian', { generations: '5' }, edit, message));

  it('a config that is not an object', () => {
    expect(() => checkHeaderConfig([1, 2])).toThrow(/^config: \[1,2\] is not a run's config \(an object\)$/);
    expect(() => checkHeaderConfig(null)).toThrow(UsageError);
  });
});
