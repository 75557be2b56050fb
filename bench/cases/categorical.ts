// Benchmark cases of the categorical family: one whole generation of
// multinomial resampling, as the chain makes it (`binomials`: the live states
// of the counts, then one multinomial by conditional binomials over them) and by the
// alias table (`multinomial`: the table from the counts, then M draws counted
// into K bins, categoricalReplaceStep; the chain uses it for labels only).
import type { CaseContext, CaseFamily } from '../cases.js';
import { makeSpec } from '../cases.js';

export const categoricalCases: CaseFamily = {
  family: 'categorical',
  kernels: ['multinomial', 'binomials'],
  specs: () => [
    makeSpec('multinomial', 1000, 1, 'K=1000 M=1000', { states: 1000 }),
    makeSpec('multinomial', 100_000, 1, 'K=1000 M=100000', { states: 1000 }),
    makeSpec('binomials', 1000, 1, 'K=6 M=1000', { states: 6 }),
    makeSpec('binomials', 10_000, 1, 'K=1000 M=10000', { states: 1000 }),
  ],
  prepare,
};

function prepare(ctx: CaseContext) {
  const { arena, k, spec, rng, reseed, rngOut, bytesOf } = ctx;
  const states = spec.sizes.states;
  const m = spec.n;
  const counts = arena.allocI32(states, 'counts');
  const prob = arena.allocF64(states);
  const alias = arena.allocI32(states);
  const work = arena.allocF64(states);
  const live = arena.allocI32(2 * states + 2);
  const stack = arena.allocI32(states);
  const view = arena.i32(counts, states);
  // a uniform start: the counts are restored before every call, so every
  // call resamples the same distribution
  const counts0 = Int32Array.from({ length: states }, (_, i) => Math.floor(m / states) + (i < m % states ? 1 : 0));
  let survivors = 0;
  const once =
    spec.kernel === 'binomials'
      ? () => {
          view.set(counts0);
          const n = k.liveCounts(counts, states, live);
          view.fill(0);
          k.multinomialAddLive(rng, live + 8, n, m, m, counts);
          survivors = k.liveStates(counts, states);
        }
      : () => {
          view.set(counts0);
          survivors = k.categoricalReplaceStep(rng, counts, states, m, prob, alias, work, stack);
        };
  return {
    reset: reseed,
    once,
    outputs: () => [{ name: 'counts', bytes: bytesOf(counts, 4 * states) }, { name: 'live', bytes: new Uint8Array(new Int32Array([survivors]).buffer) }, rngOut()],
  };
}
