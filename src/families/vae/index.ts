// The VAE family (Shumailov et al. 2024, the paper's VAE on MNIST): a
// variational autoencoder trained in the kernels on digits, refitted on the
// images it decodes from its prior.
import { defineFamily } from '../family.js';
import { simCell, simSeCell } from '../../report/table.js';
import { VAE_OPTIONS, resolveVaeConfig, resolveVaeHeader, vaeHeaderOptions } from './options.js';
import { vaeLayout } from './layout.js';
import { VaeModel, vaeMetrics } from './model.js';
import type { VaeConfig } from './types.js';

export const vaeFamily = defineFamily({
  name: 'vae',
  summary: 'a variational autoencoder on MNIST digits, trained in the kernels, refitted on the images it decodes (the paper\'s VAE experiment)',
  options: VAE_OPTIONS,
  resolve: resolveVaeConfig,
  headerOptions: vaeHeaderOptions,
  resolveHeader: resolveVaeHeader,
  samplesAt: (c, n) => (c.policy === 'accumulate' ? c.samples * (n + 1) : c.samples),
  drawnAt: (c) => c.samples,
  layout: vaeLayout,
  model: (arena, config, buffers, generator) => new VaeModel(arena, config, buffers, generator),
  metrics: vaeMetrics,
  hashChunk: () => 1 << 16,

  theory(header) {
    const c = header.config;
    const notes = ['no closed form: row 0 is the real digits (no model); model 1 is trained on them, model n on generation n-1\'s decoded images'];
    if (c.classifierEpochs > 0) {
      notes.push(`classes: an MLP classifier (${c.classifierHidden} hidden units, ${c.classifierEpochs} epochs on the ${c.trainDigits} training digits) labels generation n's images; its accuracy on the ${c.heldOutDigits} held-out digits is the classifierAccuracy line above`);
    }
    return { rows: [], bounds: {}, notes };
  },

  eventText: (kind) => kind,

  describe(c: VaeConfig) {
    return (
      `vae size=${c.size} classes=${c.classes.join(',')} N=${c.samples} holdout=${c.holdout} hidden=${c.hidden} latent=${c.latent} ` +
      `epochs=${c.epochs} batch=${c.batch} lr=${c.lr} likelihood=${c.likelihood}${c.likelihood === 'gaussian' ? ` pixel-sd=${c.pixelSd}` : ''} decode=${c.decode} iw=${c.iwSamples} G=${c.generations} R=${c.replicates} policy=${c.policy}` +
      (c.policy === 'mix' ? ` real-fraction=${c.realFraction}` : '') +
      ` seed=${JSON.stringify(c.seed)}`
    );
  },

  columns: (c) => [
    { title: 'neg ELBO ± se', cell: simSeCell('negElbo') },
    { title: 'IW NLL bound ± se', cell: simSeCell('iwNll') },
    { title: 'tail', cell: simCell('tail', 'mean') },
    { title: 'train loss', cell: simCell('trainLoss', 'mean') },
    { title: 'grey', cell: simCell('meanGrey', 'mean') },
    { title: 'pixel var', cell: simCell('pixelVar', 'mean') },
    { title: 'pair dist ± se', cell: simSeCell('pairDist') },
    ...(c.classifierEpochs > 0
      ? [
          { title: 'class entropy ± se', cell: simSeCell('classEntropy') },
          { title: 'top class', cell: simCell('topClassShare', 'mean') },
          { title: 'FD ± se', cell: simSeCell('frechet') },
        ]
      : []),
  ],

  extraLines: (s) => [
    `row 0: the real training digits (no model); model n is trained on generation n-1's images. neg ELBO, IW NLL bound (K=${s.config.iwSamples}): nats per held-out digit (${s.config.likelihood === 'gaussian' ? `Gaussian density of grey levels, sd ${s.config.pixelSd}` : 'Bernoulli cross-entropy of grey levels'}); tail: share of held-out digits whose bound exceeds model 1's 99th percentile; grey, pixel var, pair dist: generation n's images (mean grey level, per-pixel variance over images, mean distance between two images); class entropy (nats, at most log ${s.config.classes.length}), top class: of the classes the classifier gives generation n's images; FD: Frechet distance between the classifier's hidden features of generation n's images and of the ${s.config.heldOutDigits} held-out digits`,
  ],
});
