// Shumailov et al. 2024, the VAE on MNIST (Supplementary Fig. 7; their
// notebook's convolutional VAE, here the project's MLP VAE at 14x14): each
// generation trained on the images the previous one decodes; its samples
// lose variety and drift toward a few blurred average digits. There is no
// closed form, so the checks are orderings, each by more than k standard
// errors: with every generation synthetic (`replace`) the held-out
// likelihood bound worsens, the classifier finds fewer classes, the images
// grow alike and their features move away from real digits (per replicate,
// generation 1 against the last: paired); keeping half of every training
// set real, all of it degrades less (the two runs are independent). --quick
// trains a smaller, undertrained model, whose class and variety metrics are
// not yet those of digits, so it checks the likelihood only.
import type { ReplicateRecord } from '../../results/types.js';
import type { CheckResult, Preset } from '../types.js';
import { difference, inRange, meanAndSe, positive } from '../checks.js';

const K = 4;
/** The metrics compared between generation 1 and the last, with the sign that says "collapsed more". */
const DRIFT = [
  { name: 'iwNll', sign: 1, what: 'held-out IW NLL bound', source: 'the paper: the held-out likelihood falls over generations' },
  { name: 'classEntropy', sign: -1, what: 'class entropy of the samples', source: 'the paper: samples lose variety (fewer digit classes)' },
  { name: 'pairDist', sign: -1, what: 'mean distance between two samples', source: 'the paper: samples grow alike (a blurred average digit)' },
  { name: 'frechet', sign: 1, what: 'Frechet distance to the held-out digits', source: 'the samples drift away from real digits' },
] as const;

interface Sizes {
  options: Record<string, number> & { generations: number };
  metrics: readonly (typeof DRIFT)[number][];
}
const full: Sizes = { options: { generations: 10, replicates: 3 }, metrics: DRIFT };
const quick: Sizes = {
  options: { samples: 500, holdout: 200, hidden: 64, epochs: 5, 'classifier-epochs': 2, generations: 5, replicates: 3 },
  metrics: DRIFT.filter((m) => m.name === 'iwNll'),
};
const sizes = (q: boolean) => (q ? quick : full);

/** Per replicate: each metric at generation 1 minus at the last (recorded every generation). */
function drift(generations: number) {
  return (r: ReplicateRecord): Record<string, number> =>
    Object.fromEntries(
      DRIFT.map((m) => {
        const v = r.metrics[m.name];
        const first = v?.[1];
        const last = v?.[generations];
        return [m.name, typeof first === 'number' && typeof last === 'number' ? last - first : NaN];
      }),
    );
}

export const shumailovVae: Preset = {
  name: 'shumailov-vae',
  paper: 'Shumailov et al. 2024, Nature 631:755, Supplementary Fig. 7 (a VAE on MNIST; here an MLP VAE at 14x14)',
  checks: 'replace: held-out IW bound worsens, class entropy and sample variety fall, Frechet distance grows (paired, generation 1 vs 10); 50% real data: each degrades less; classifier accuracy',
  seed: 'shumailov-vae',
  measured: { full: '20 s', quick: '5.7 s' },
  runs(q) {
    const { options } = sizes(q);
    const base = { ...options, backend: 'wasm-simd' };
    return [
      { id: 'replace', family: 'vae', options: base, perReplicate: drift(options.generations) },
      { id: 'real-0.5', family: 'vae', options: { ...base, policy: 'mix', 'real-fraction': 0.5 } },
    ];
  },
  evaluate(results, q) {
    const out: CheckResult[] = [];
    const { options, metrics } = sizes(q);
    const G = options.generations;
    const rep = results.replace;
    const mix = results['real-0.5'];
    if (rep) {
      for (const m of metrics) {
        const d = meanAndSe((rep.scalars[m.name] ?? []).map((x) => m.sign * x));
        const verb = m.sign > 0 ? `at n = ${G} minus at n = 1` : `at n = 1 minus at n = ${G}`;
        out.push(positive(`replace: ${m.what} ${verb} (paired)`, d.mean, d.se, K, m.source));
      }
      if (!q) {
        const acc = rep.summary.finals?.classifierAccuracy?.mean ?? null;
        out.push(inRange('digit classifier: held-out accuracy', acc, 0.9, 1, 'the class metrics need a classifier that reads digits (docs/vae.md: 93.7%)'));
      }
    }
    if (rep && mix) {
      for (const m of metrics) {
        // signed so that > 0 means replace collapsed more
        const d = difference(rep.summary, G, mix.summary, G, m.name);
        out.push(positive(`${m.what} at n = ${G}: replace against 50% real`, d.value === null ? null : m.sign * d.value, d.se, K, 'real data kept: less collapse (as the paper\'s Fig. 1c shows for the language model with 10% real)'));
      }
    }
    return out;
  },
};
