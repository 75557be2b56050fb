// The messages between the pool (thread-pool.ts) and its threads
// (replicate-worker.ts): apart from the worker's module, so that the pool's
// side does not load tinypool with it (a one-thread run never needs it).
import type { RunConfig } from '../families/index.js';
import type { ChainOptions } from '../results/types.js';
import type { WireRecord } from './wire.js';

/**
 * Int32 words of the shared buffer: [STOP] the stop flag; task slot s has two
 * words from FIRST_SLOT + 2 s: replicates of its batch finished, and the
 * generation the current one has reached.
 */
export const STOP = 0;
export const FIRST_SLOT = 1;
/** A task without a progress slot. */
export const NO_SLOT = -1;

/** `init` lays out the chain and answers its facts; `replicates` runs a batch of replicates in order. */
export type WorkerTask = { kind: 'init'; config: RunConfig; options: ChainOptions } | { kind: 'replicates'; config: RunConfig; options: ChainOptions; rs: number[]; slot: number; shared: SharedArrayBuffer };

export type WorkerResult =
  | { kind: 'init'; facts: Record<string, unknown>; metrics: string[] }
  /** The batch's records in order: all of them, or those before the one interrupted (`interrupted`). `ms`: the time they took. */
  | { kind: 'records'; records: WireRecord[]; interrupted: boolean; ms: number }
  | { kind: 'usage-error' | 'kernel-trap'; message: string; replicate?: number };
