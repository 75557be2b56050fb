// The original distribution p_0 of the categorical family, and which states
// count as its tail. The chain computes Zipf's p_0 with the kernel (detmath,
// so every backend has the same bits); the host form here serves validation
// and the theory, with the kernels' exp and log too (theory/det.ts), so its
// numbers are the same bits in every runtime.
import { pow } from '../../theory/det.js';
import type { CategoricalConfig } from './types.js';

/** p_0 on the host: uniform and given exactly as the chain uses them, Zipf with the deterministic pow. */
export function initialProbabilities(c: Pick<CategoricalConfig, 'init' | 'states' | 'probs' | 'zipfA' | 'zipfB'>): number[] {
  switch (c.init) {
    case 'uniform':
      return Array(c.states).fill(1 / c.states);
    case 'given':
      return c.probs!.slice();
    case 'zipf': {
      // p_i proportional to 1 / (i + b)^a for ranks i = 1..K (Suresh et al. 2024)
      const w = Array.from({ length: c.states }, (_, i) => pow(i + 1 + c.zipfB!, -c.zipfA!));
      const total = w.reduce((s, x) => s + x, 0);
      return w.map((x) => x / total);
    }
  }
}

/** Number of tail states for quantile q: ceil(q K), at least 1 (the 1e-9 keeps ceil(0.1 * 30) at 3). */
export function tailSize(k: number, q: number): number {
  return Math.min(k, Math.max(1, Math.ceil(q * k - 1e-9)));
}

/**
 * The tail: the ceil(q K) states with the smallest p_0. Ties are broken by
 * index, the higher index counting as rarer, so for a uniform p_0 the tail is
 * the last ceil(q K) states (and for Zipf, which decreases with the index, it
 * is the same set with or without the rule). Returned in ascending index order.
 */
export function tailStates(p0: ArrayLike<number>, q: number): number[] {
  const k = p0.length;
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => p0[a] - p0[b] || b - a);
  return order.slice(0, tailSize(k, q)).sort((a, b) => a - b);
}
