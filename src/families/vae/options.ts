// Resolves `run vae` options into a VaeConfig: types and ranges from the
// option table, then the checks that involve the digits and several options.
import type { OptionSpec } from '../../config/spec.js';
import { commonConfig, commonOptions, checkKernelMemory } from '../../config/common.js';
import { parseTypedOptions, UsageError, type RawOptions } from '../../config/validate.js';
import { POLICY_OPTIONS, resolvePolicy } from '../../chain/policy-options.js';
import { plannedBytes } from '../../chain/layout.js';
import { loadDigits } from './digits.js';
import { vaeLayout } from './layout.js';
import type { VaeConfig } from './types.js';

/** Options of `collapse-bench run vae`. */
export const VAE_OPTIONS = [
  { name: 'size', kind: 'enum', values: ['14', '28'], default: '14', help: 'image side: 14 (2x2 averages of the 28x28 digits) or 28', doc: 'image side: `14` averages each 2x2 block of the 28x28 digits (4x fewer pixels), `28` keeps them' },
  { name: 'classes', kind: 'list', min: 0, max: 9, default: '0,1,2,3,4,5,6,7,8,9', help: 'the digit classes kept, e.g. 0,1,7', arg: 'd,..', doc: 'the digit classes kept (comma-separated)' },
  { name: 'samples', kind: 'int', min: 2, max: 1_000_000, default: 2000, help: 'N: images in every training set (generation 0: the first N training digits, balanced over the classes)', arg: 'N', doc: 'images in every training set; generation 0 trains on the first N training digits, taken round-robin over the classes' },
  { name: 'holdout', kind: 'int', min: 1, max: 1_000_000, default: 500, help: 'held-out digits scored by the metrics', arg: 'm', doc: 'held-out digits scored by the likelihood metrics (the first m of the held-out part, balanced over the classes)' },
  { name: 'hidden', kind: 'int', min: 1, max: 4096, default: 128, help: 'units of the encoder\'s and the decoder\'s hidden layer', arg: 'H' },
  { name: 'latent', kind: 'int', min: 1, max: 256, default: 8, help: 'dimension of the latent z', arg: 'L' },
  { name: 'epochs', kind: 'int', min: 1, max: 100_000, default: 10, help: 'passes over the training set per generation', arg: 'E' },
  { name: 'batch', kind: 'int', min: 1, max: 4096, default: 64, help: 'images per minibatch (one Adam step each)', arg: 'B' },
  { name: 'lr', kind: 'number', min: 0, minOpen: true, max: 1, default: 0.001, help: 'Adam\'s learning rate (betas 0.9, 0.999, eps 1e-8)', arg: 'r' },
  { name: 'decode', kind: 'enum', values: ['mean', 'bernoulli'], default: 'mean', help: 'a prior draw becomes an image of pixel probabilities (mean) or of Bernoulli draws of them', doc: 'how a draw z ~ N(0, I) becomes an image: the decoder\'s pixel probabilities (`mean`) or a Bernoulli draw of each pixel (`bernoulli`)' },
  { name: 'likelihood', kind: 'enum', values: ['bernoulli', 'gaussian'], default: 'bernoulli', help: 'pixel likelihood: Bernoulli cross-entropy of the grey levels, or a Gaussian with mean sigma(logit) and the fixed sd --pixel-sd', doc: 'the pixel likelihood: the Bernoulli cross-entropy of each grey level (`bernoulli`), or a Gaussian with mean sigma(logit) and the fixed standard deviation `--pixel-sd` (`gaussian`)' },
  { name: 'pixel-sd', kind: 'number', min: 0.01, max: 1, default: 0.1, help: 'the Gaussian likelihood\'s fixed standard deviation per pixel (only with --likelihood gaussian)', arg: 's', doc: 'the Gaussian likelihood\'s fixed standard deviation of each pixel; only with `--likelihood gaussian`' },
  { name: 'iw-samples', kind: 'int', min: 1, max: 100_000, default: 16, help: 'K of the importance-weighted bound on the held-out negative log-likelihood', arg: 'K' },
  { name: 'classifier-epochs', kind: 'int', min: 0, max: 100, default: 5, help: 'epochs of the digit classifier (an MLP on every training digit) behind the class metrics and the Frechet distance; 0: none', arg: 'E', doc: 'epochs of the digit classifier (an MLP with 64 hidden units, trained once per run on every training digit of the classes kept) whose predictions on generated images give the class metrics and whose hidden units give the Fréchet distance; 0 leaves them out' },
  { name: 'classifier-hidden', kind: 'int', min: 1, max: 256, default: 64, help: 'hidden units of the digit classifier, the features of the Frechet distance', arg: 'Hc', doc: 'hidden ReLU units of the digit classifier; they are the features of the Fréchet distance (at most 256: its eigendecompositions cost Hc^3 in one kernel call each, 0.75 s at 256 on the Intel Xeon, a minute at 1024, during which Ctrl-C waits)' },
  { name: 'grid-samples', kind: 'int', min: 0, max: 64, default: 8, help: 'images of each recorded generation kept in its record (grey levels as bytes) for report\'s sample grid; 0: none', arg: 'S', doc: 'the first S images of each recorded generation, kept in its record (grey levels quantised to bytes, base64) for the sample grid of `report`; 0 keeps none; not in the digest' },
  ...POLICY_OPTIONS,
  ...commonOptions({ generations: 10, replicates: 1 }),
] as const satisfies readonly OptionSpec[];

/** The training and held-out digits of the classes kept, at a size: what resolve reads from the digits. */
type DigitCounts = (classes: number[], size: 14 | 28) => { train: number; heldOut: number };

function digitCounts(classes: number[], size: 14 | 28): { train: number; heldOut: number } {
  const digits = loadDigits(classes, size);
  return { train: digits.train.count, heldOut: digits.heldOut.count };
}

export function resolveVaeConfig(raw: RawOptions): { config: VaeConfig; warnings: string[] } {
  return resolveVae(raw, digitCounts);
}

/** resolve, with the digits' counts from `countsOf`. */
function resolveVae(raw: RawOptions, countsOf: DigitCounts): { config: VaeConfig; warnings: string[] } {
  const o = parseTypedOptions(VAE_OPTIONS, raw);
  const classes = [...new Set(o.classes)].sort((a, b) => a - b);
  if (classes.some((d) => !Number.isInteger(d)) || classes.length !== o.classes.length) throw new UsageError(`--classes: ${o.classes.join(',')}: each class once, integers 0..9`);
  if (o.policy === 'fresh') throw new UsageError('--policy fresh: the digits are finite, there are no fresh real images to draw; use mix (a share of the real training set each generation)');
  const size = Number(o.size) as 14 | 28;
  const digits = countsOf(classes, size);
  if (o.samples > digits.train) throw new UsageError(`--samples: ${o.samples} is more than the ${digits.train} training digits of classes ${classes.join(',')}; use at most ${digits.train}`);
  if (o.holdout > digits.heldOut) throw new UsageError(`--holdout: ${o.holdout} is more than the ${digits.heldOut} held-out digits of classes ${classes.join(',')}; use at most ${digits.heldOut}`);
  if (raw['pixel-sd'] !== undefined && o.likelihood !== 'gaussian') throw new UsageError('--pixel-sd: only with --likelihood gaussian (the Bernoulli likelihood has no variance)');
  if (o.likelihood === 'gaussian' && o.decode === 'bernoulli') throw new UsageError('--decode bernoulli: draws 0/1 pixels, which only the Bernoulli likelihood models; with --likelihood gaussian use --decode mean');
  const { policy, realFraction } = resolvePolicy(o, [o.samples], o.samples);
  const config: VaeConfig = {
    ...commonConfig('vae', o),
    family: 'vae',
    size,
    classes,
    samples: o.samples,
    holdout: o.holdout,
    hidden: o.hidden,
    latent: o.latent,
    epochs: o.epochs,
    batch: o.batch,
    lr: o.lr,
    decode: o.decode,
    likelihood: o.likelihood,
    pixelSd: o['pixel-sd'],
    iwSamples: o['iw-samples'],
    classifierEpochs: o['classifier-epochs'],
    classifierHidden: o['classifier-hidden'],
    gridSamples: o['grid-samples'],
    trainDigits: digits.train,
    heldOutDigits: digits.heldOut,
    policy,
    realFraction,
  };
  const bytes = plannedBytes((a) => vaeLayout(config, a));
  checkKernelMemory(bytes, ['samples', 'hidden', 'generations'], policy.startsWith('accumulate') ? `${policy} keeps every generation's images` : '');
  return { config, warnings: [] };
}

/**
 * A header's options beside its fields (src/families/header.ts): size is
 * written as a number, the option is its text; the pixel sd is an option only
 * with the Gaussian likelihood (its default stays in the config otherwise).
 */
export function vaeHeaderOptions(c: Record<string, unknown>): RawOptions {
  const size = c.size === undefined || c.size === null ? undefined : typeof c.size === 'number' ? String(c.size) : JSON.stringify(c.size);
  return { size, ...(c.likelihood === 'gaussian' ? {} : { 'pixel-sd': undefined }) };
}

/** A header's integer field in [1, 2^31 - 1], or a UsageError naming it. */
function headerCount(c: Record<string, unknown>, field: string): number {
  const v = c[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2 ** 31 - 1) throw new UsageError(`config.${field}: ${JSON.stringify(v) ?? 'missing'} is not allowed; expected an integer in [1, ${2 ** 31 - 1}]`);
  return v;
}

/** resolve for a run file's header (src/families/header.ts): the digits' counts from the header, the digits not read. */
export function resolveVaeHeader(raw: RawOptions, c: Record<string, unknown>): { config: VaeConfig; warnings: string[] } {
  return resolveVae(raw, () => ({ train: headerCount(c, 'trainDigits'), heldOut: headerCount(c, 'heldOutDigits') }));
}
