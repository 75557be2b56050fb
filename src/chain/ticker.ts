// The chain's line to its caller: a clock shared by every replicate of a run,
// so that a run of many short replicates yields as often as one long one.
// The runner makes it; chains ask `due()` cheaply and await `pause()` when due.

export interface Ticker {
  /** True when about 100 ms have passed since the last pause (of any replicate). */
  due(): boolean;
  /**
   * Lets the event loop run (progress, Ctrl-C). `generation` is how far the
   * current replicate has got, for progress within a replicate. Rejects with
   * Interrupted when the run was cancelled.
   */
  pause(generation: number): Promise<void>;
}

/** Thrown by Ticker.pause when the run was cancelled; the unfinished replicate is dropped. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
