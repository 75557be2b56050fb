// Every buffer of a categorical run, declared once (see chain/layout.ts).
import type { Allocator } from '../../chain/layout.js';
import type { CategoricalConfig } from './types.js';

/** Doubles written by categoricalMetrics. */
export const METRIC_OUT = 7;

/** Doubles of live lists one replace span may hand to the digest: 64 generations of K states, at most 2 MiB. */
export const spanHashDoubles = (K: number): number => Math.max(K + 1, Math.min(64 * (K + 1), 1 << 18));

export function categoricalLayout(c: CategoricalConfig, a: Allocator) {
  const K = c.states;
  // the label pool: every sample that model G can see (accumulate-subsample:
  // generations 0..G-1), or the real sample that mix resamples
  const labels = c.policy === 'accumulate-subsample' ? c.samples * c.generations : c.policy === 'mix' ? c.samples : 0;
  return {
    p0: a.allocF64(K, 'p_0'),
    logP0: a.allocF64(K, 'log p_0'),
    prob: a.allocF64(K, 'alias table'),
    prob0: a.allocF64(K, 'alias table of p_0'),
    work: a.allocF64(K, 'alias scratch'),
    // the model: its live states as (state, count) pairs after a header pair
    live: a.allocI32(2 * K + 2, 'live states'),
    out: a.allocF64(METRIC_OUT),
    alias: a.allocI32(K, 'alias table'),
    alias0: a.allocI32(K, 'alias table of p_0'),
    stack: a.allocI32(K, 'alias scratch'),
    counts: a.allocI32(K, 'counts'),
    tail: a.allocI32(K, 'tail states'),
    labels: labels ? a.allocI32(labels, 'sample labels') : 0,
    // replace spans: the live lists of up to 64 generations for the digest, after an i32 count
    spanHash: c.policy === 'replace' ? a.allocF64(1 + spanHashDoubles(K), 'digest bytes of a span') : 0,
  };
}

export type CategoricalBuffers = ReturnType<typeof categoricalLayout>;
