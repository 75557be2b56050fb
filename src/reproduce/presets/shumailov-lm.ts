// Shumailov et al. 2024, Fig. 1b,c at n-gram scale (the lm family: a
// Kneser-Ney trigram model of the Brown corpus refitted on the text it
// writes): with no real data the test perplexity rises every generation;
// keeping 10% of the real blocks it rises less; the written text loses
// types and grows a high-perplexity tail under model 0. There is no closed
// form, so the checks are these orderings, each by more than k standard errors.
// The rare-token share falls only with mode-seeking decoding (the paper's
// beam search; here temperature 0.7, on the same small corpus in quick and
// full, about a second); at temperature 1 it does not (docs/lm.md).
import type { CheckResult, Preset, PresetRun } from '../types.js';
import { difference, positive } from '../checks.js';

const K = 4;

interface Sizes {
  documents: number;
  block: number;
  generations: number;
  replicates: number;
}
const plain = (quick: boolean): Sizes => (quick ? { documents: 20, block: 32, generations: 4, replicates: 3 } : { documents: 40, block: 64, generations: 9, replicates: 3 });
const cold: Sizes = { documents: 20, block: 32, generations: 3, replicates: 2 };

export const shumailovLm: Preset = {
  name: 'shumailov-lm',
  paper: 'Shumailov et al. 2024, Nature 631:755, Fig. 1b,c (OPT-125m on wikitext2; here a Kneser-Ney trigram on Brown)',
  checks: 'replace vs 10% real data kept: test perplexity rises, and less with real data; types fall; per-block perplexity tail grows; at temperature 0.7 the rare-token share falls, less with real data',
  seed: 'shumailov-lm',
  measured: { full: '7.1 s', quick: '3.9 s' },
  runs(quick) {
    const runs: PresetRun[] = [];
    const s = plain(quick);
    runs.push({ id: 'replace', family: 'lm', options: { ...s } });
    runs.push({ id: 'real-0.1', family: 'lm', options: { ...s, policy: 'mix', 'real-fraction': 0.1 } });
    runs.push({ id: 'replace-t0.7', family: 'lm', options: { ...cold, temperature: 0.7 } });
    runs.push({ id: 'real-0.1-t0.7', family: 'lm', options: { ...cold, temperature: 0.7, policy: 'mix', 'real-fraction': 0.1 } });
    return runs;
  },
  evaluate(results, quick) {
    const out: CheckResult[] = [];
    const G = plain(quick).generations;
    const rep = results.replace;
    const mix = results['real-0.1'];
    const push = (name: string, d: { value: number | null; se: number | null }, source: string) => out.push(positive(name, d.value, d.se, K, source));
    if (rep) {
      // model 1 is fitted to the real blocks (it equals model 0): synthetic text first enters model 2
      push(`replace: test perplexity at n = ${G} minus at n = 2`, difference(rep.summary, G, rep.summary, 2, 'testPerplexity'), 'Fig. 1b: perplexity rises with generations');
      push(`replace: types at n = 1 minus at n = ${G}`, difference(rep.summary, 1, rep.summary, G, 'types'), 'early collapse: the tails (rare words) go first');
      push(`replace: per-block perplexity p99 at n = ${G} minus at n = 1`, difference(rep.summary, G, rep.summary, 1, 'seqPplP99'), 'Fig. 1 left: a longer high-perplexity tail');
    }
    if (rep && mix) push(`test perplexity at n = ${G}: replace minus 10% real`, difference(rep.summary, G, mix.summary, G, 'testPerplexity'), 'Fig. 1c: with 10% real data only minor degradation');
    const repCold = results['replace-t0.7'];
    const mixCold = results['real-0.1-t0.7'];
    if (repCold) push(`T 0.7 replace: rare share at n = 1 minus at n = ${cold.generations}`, difference(repCold.summary, 1, repCold.summary, cold.generations, 'rareShare'), 'Fig. 1: rare tokens vanish (mode-seeking decoding)');
    if (repCold && mixCold) push(`T 0.7 rare share at n = ${cold.generations}: 10% real minus replace`, difference(mixCold.summary, cold.generations, repCold.summary, cold.generations, 'rareShare'), 'real data keep a floor of rare tokens');
    return out;
  },
};
