// The VAE family's config and metrics.
import type { FamilyConfig } from '../family.js';

export type DecodeMode = 'mean' | 'bernoulli';
export type Likelihood = 'bernoulli' | 'gaussian';

/** A resolved vae run: every option with its value, after validation. */
export interface VaeConfig extends FamilyConfig {
  family: 'vae';
  /** Image side: 14 (2x2 averages of the 28x28 digits) or 28. */
  size: 14 | 28;
  /** The digit classes kept, ascending. */
  classes: number[];
  /** N: images in every training set (generation 0: the first N training digits). */
  samples: number;
  /** Held-out digits the metrics score (the first of the held-out part). */
  holdout: number;
  /** Units of the encoder's and the decoder's hidden layer. */
  hidden: number;
  /** Dimension of the latent z. */
  latent: number;
  /** Passes over the training set per generation. */
  epochs: number;
  /** Images per minibatch (one Adam step each). */
  batch: number;
  /** Adam's learning rate (betas 0.9, 0.999, eps 1e-8). */
  lr: number;
  /** How a prior draw becomes an image: the pixel probabilities, or a Bernoulli draw of each pixel. */
  decode: DecodeMode;
  /** The pixel likelihood: Bernoulli cross-entropy of the grey levels, or a Gaussian with mean sigma(logit). */
  likelihood: Likelihood;
  /** The Gaussian likelihood's fixed standard deviation per pixel (unused with Bernoulli). */
  pixelSd: number;
  /** K of the importance-weighted bound on the held-out negative log-likelihood. */
  iwSamples: number;
  /** Epochs of the digit classifier (an MLP) on every training digit; 0: no class metrics and no Fréchet distance. */
  classifierEpochs: number;
  /** Images of each recorded generation kept in its record for the sample grid (`report`); 0: none. Not in the digest. */
  gridSamples: number;
  /** Hidden units of the classifier: the features of the Fréchet distance. */
  classifierHidden: number;
  /** Derived: the training digits of the classes kept (the classifier's data). */
  trainDigits: number;
  /** Derived: the held-out digits of the classes kept (the classifier's accuracy, the Fréchet distance's reference). */
  heldOutDigits: number;
}

/** Metrics per recorded generation: of model n (null at 0: there is none), and of generation n's samples (0: the real digits). */
export type VaeMetric = 'negElbo' | 'iwNll' | 'tail' | 'trainLoss' | 'meanGrey' | 'pixelVar' | 'pairDist' | 'classEntropy' | 'topClassShare' | 'frechet';
