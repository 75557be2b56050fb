// What a Web Worker of the page's pool (src/runner/web-worker-pool.ts) runs:
// the counterpart of replicate-worker.ts (Node's worker threads) with
// messages instead of tinypool and a SharedArrayBuffer, so that a static host
// without cross-origin isolation (COOP/COEP headers) works. A worker loads its
// backend once, lays out one chain at `init` and runs whole replicates on it,
// a batch of consecutive ones per task; the records go back with their metric
// buffers transferred. At every pause of the chain (about every 100 ms) it
// posts its progress and yields to its event loop, where a 'stop' message sets
// the flag the next pause reads; so a stop takes effect within about 100 ms.
// The page's module is web/replicate-worker.ts: `serveReplicates(self)`.
import type { RunConfig } from '../families/index.js';
import type { ChainEngine } from '../chain/engine.js';
import type { ChainOptions } from '../results/types.js';
import { familyOf } from '../families/index.js';
import { loadBackend } from '../kernels/backend.js';
import { Arena } from '../kernels/arena.js';
import { Interrupted, now, type Ticker } from '../chain/ticker.js';
import { UsageError } from '../util/errors.js';
import { giveDataFile, retryWithData } from '../util/data-files.js';
import { toWire, type WireRecord } from './wire.js';

/** Pool -> worker. `init` once, after the worker said `ready`; tasks run one after another in the order posted; `stop` at once. */
export type PoolRequest =
  | { type: 'init'; config: RunConfig; options: ChainOptions }
  | { type: 'replicates'; task: number; rs: number[] }
  | { type: 'stop' }
  /** The data files a 'data-needed' asked for, as the pool's thread holds them (the page fetched them for resolve). */
  | { type: 'data'; files: [string, string | Uint8Array][] };

/** Worker -> pool. */
export type PoolAnswer =
  /** The worker's modules are evaluated: messages sent before may be lost (a module worker's top-level await, seen in Chromium). */
  | { type: 'ready' }
  | { type: 'init'; facts: Record<string, unknown>; metrics: string[] }
  /** Laying out the chain needs these data files (lm's corpus, vae's digits: no file system in a browser). */
  | { type: 'data-needed'; files: readonly string[] }
  /** At a pause of task `task`: replicates of it finished, and the generation the current one has reached. */
  | { type: 'progress'; task: number; done: number; generation: number }
  /** The task's records in order: all of them, or those before the one stopped (`interrupted`). `ms`: the time they took. */
  | { type: 'records'; task: number; records: WireRecord[]; interrupted: boolean; ms: number }
  /** `task` absent: `init` failed. */
  | { type: 'error'; kind: 'usage-error' | 'kernel-trap' | 'failure'; message: string; task?: number; replicate?: number };

/** The side of a worker the server uses: `self` in a Web Worker. */
export interface ReplicateScope {
  postMessage(message: PoolAnswer, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => unknown) | null;
}

/**
 * A turn of the event loop, where a waiting 'stop' message is taken: a timer,
 * as inProcessExecutor's pauses (nested, a browser clamps it to 4 ms: at most
 * 4% of a pause's 100 ms). A message to ourselves on a MessageChannel costs
 * less but does not let the pool's messages in under Node's worker threads
 * (a stop waited for minutes there).
 */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function serveReplicates(scope: ReplicateScope): void {
  let chain: ChainEngine | undefined;
  let arena: Arena | undefined;
  let stop = false;
  let last = now();
  const post = (m: PoolAnswer, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

  /** Answers the next 'data' message (it is taken at once, not queued behind tasks). */
  let dataArrived: ((files: [string, string | Uint8Array][]) => void) | undefined;
  const askForData = (files: readonly string[]) =>
    new Promise<void>((resolve) => {
      dataArrived = (given) => {
        for (const [name, content] of given) giveDataFile(name, content);
        resolve();
      };
      post({ type: 'data-needed', files });
    });

  async function init(config: RunConfig, options: ChainOptions): Promise<void> {
    const backend = await loadBackend(config.backend);
    // a worker a pool kept serves the next run: its chain goes, its stop is the last run's
    arena?.release();
    arena = chain = undefined;
    stop = false;
    // a chain that stopped for data is laid out again on a fresh arena
    chain = await retryWithData(() => {
      const fresh = new Arena(backend);
      try {
        const made = familyOf(config.family).createChain(fresh, config, options);
        arena = fresh;
        return made;
      } catch (e) {
        fresh.release();
        throw e;
      }
    }, askForData);
    post({ type: 'init', facts: chain.facts, metrics: [...chain.metrics] });
  }

  async function runTask(task: number, rs: number[]): Promise<void> {
    if (!chain) throw new Error('replicates before init');
    let done = 0;
    const ticker: Ticker = {
      due: () => now() - last > 100,
      async pause(generation: number) {
        post({ type: 'progress', task, done, generation });
        // the 'stop' message, if any, is taken in this turn
        await nextTurn();
        last = now();
        if (stop) throw new Interrupted();
      },
    };
    const t0 = now();
    const records: WireRecord[] = [];
    let interrupted = false;
    for (const r of rs) {
      if (stop) {
        interrupted = true;
        break;
      }
      try {
        records.push(toWire(await chain.runReplicate(r, ticker)));
      } catch (e) {
        if (!(e instanceof Interrupted)) throw Object.assign(e as Error, { replicate: r });
        interrupted = true; // the unfinished replicate is dropped
        break;
      }
      done++;
    }
    post({ type: 'records', task, records, interrupted, ms: now() - t0 }, records.map((w) => w.values.buffer));
  }

  async function handle(m: Extract<PoolRequest, { type: 'init' | 'replicates' }>): Promise<void> {
    const task = m.type === 'replicates' ? m.task : undefined;
    try {
      if (m.type === 'init') await init(m.config, m.options);
      else await runTask(m.task, m.rs);
    } catch (e) {
      // errors cross as messages: say which kind they were
      const message = (e as Error).message ?? String(e);
      const kind = e instanceof UsageError ? 'usage-error' : e instanceof WebAssembly.RuntimeError ? 'kernel-trap' : 'failure';
      post({ type: 'error', kind, message, task, replicate: (e as { replicate?: number }).replicate });
    }
  }

  // one chain: tasks run one after another (the pool posts the next before this one ends)
  let previous = Promise.resolve();
  scope.onmessage = (e: MessageEvent) => {
    const m = e.data as PoolRequest;
    if (m.type === 'stop') stop = true;
    else if (m.type === 'data') dataArrived?.(m.files);
    else previous = previous.then(() => handle(m));
  };
  post({ type: 'ready' });
}
