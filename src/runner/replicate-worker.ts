// What a worker thread of the pool (src/runner/thread-pool.ts) runs: tinypool
// imports this module once per thread and calls its default export per task
// (two may be in hand at once; they run one after the other).
// A thread loads its backend once and lays out one chain, kept for the next
// task of the same config, and runs whole replicates on it, a batch of
// consecutive ones per task (short replicates would otherwise cost more in
// messages than in work). The records go back with their metric values in
// typed arrays (no JSON): copied with the message, or transferred when
// large. Progress and Ctrl-C go through a SharedArrayBuffer, not messages:
// the chain writes how far it is into its task's slot and reads the stop
// flag at every pause and between replicates.
import type { RunConfig } from '../families/index.js';
import type { ChainEngine } from '../chain/engine.js';
import type { ChainOptions } from '../results/types.js';
import { toWire, type WireRecord } from './wire.js';
import { FIRST_SLOT, NO_SLOT, STOP, type WorkerResult, type WorkerTask } from './worker-task.js';
import { familyOf } from '../families/index.js';
import { loadBackend } from '../kernels/backend.js';
import { Arena } from '../kernels/arena.js';
import { Interrupted, now, type Ticker } from '../chain/ticker.js';
import { UsageError } from '../util/errors.js';

/** A task's records of at least this many bytes of metric values go back transferred, not copied. */
const TRANSFER_BYTES = 1 << 20;

let current: { key: string; chain: ChainEngine; arena: Arena } | undefined;

async function chainFor(config: RunConfig, options: ChainOptions): Promise<ChainEngine> {
  const key = JSON.stringify([config, options]);
  if (current?.key === key) return current.chain;
  current?.arena.release();
  current = undefined;
  const arena = new Arena(await loadBackend(config.backend));
  try {
    current = { key, chain: familyOf(config.family).createChain(arena, config, options), arena };
  } catch (e) {
    arena.release();
    throw e;
  }
  return current.chain;
}

/** The task before this one: a thread holds two tasks at once (thread-pool.ts) and must run them one after the other, on its one chain. */
let previous: Promise<unknown> = Promise.resolve();

export default function task(t: WorkerTask): Promise<WorkerResult> {
  const result = previous.then(() => runTask(t));
  previous = result.catch(() => {});
  return result;
}

async function runTask(t: WorkerTask): Promise<WorkerResult> {
  let r: number | undefined;
  try {
    const chain = await chainFor(t.config, t.options);
    if (t.kind === 'init') return { kind: 'init', facts: chain.facts, metrics: [...chain.metrics] };
    const words = new Int32Array(t.shared);
    const at = FIRST_SLOT + 2 * t.slot;
    const slotted = t.slot !== NO_SLOT;
    let last = now();
    const ticker: Ticker = {
      due: () => now() - last > 100,
      // nothing else runs on this thread: no need to yield, only to report and to look at the flag
      async pause(generation: number) {
        last = now();
        if (slotted) Atomics.store(words, at + 1, generation);
        if (Atomics.load(words, STOP)) throw new Interrupted();
      },
    };
    const t0 = now();
    const records: WireRecord[] = [];
    let interrupted = false;
    for (r of t.rs) {
      if (Atomics.load(words, STOP)) {
        interrupted = true;
        break;
      }
      if (slotted) Atomics.store(words, at + 1, 0);
      try {
        const record = await chain.runReplicate(r, ticker);
        records.push(toWire(record));
      } catch (e) {
        if (!(e instanceof Interrupted)) throw e;
        interrupted = true; // the unfinished replicate is dropped
        break;
      }
      if (slotted) Atomics.store(words, at, records.length);
    }
    const result: WorkerResult = { kind: 'records', records, interrupted, ms: now() - t0 };
    // small records are copied with the message; large ones are transferred
    // (their arrays leave this thread), through tinypool's main module,
    // imported then: a thread that never needs it starts ~7 ms sooner
    if (records.reduce((bytes, w) => bytes + w.values.byteLength, 0) < TRANSFER_BYTES) return result;
    const { default: Tinypool } = await import('tinypool');
    const movable = { [Tinypool.transferableSymbol]: records.map((w) => w.values.buffer), [Tinypool.valueSymbol]: result };
    return Tinypool.move(movable as unknown as Parameters<typeof Tinypool.move>[0]) as unknown as WorkerResult;
  } catch (e) {
    // errors cross the thread as plain Errors: say which kind they were
    if (e instanceof UsageError) return { kind: 'usage-error', message: e.message };
    if (e instanceof WebAssembly.RuntimeError) return { kind: 'kernel-trap', message: e.message, replicate: r };
    throw e;
  }
}
