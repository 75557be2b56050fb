// A Web Worker handed to a pool that did not start it: one booted ahead of
// its pool (the CLI under Deno, thread-boot.ts), or one a finished run's pool
// kept for the next run (the CLI under Deno; the web page's run worker,
// between a preset's runs). What it posts before the pool sets its handlers
// (its 'ready', an error) would be lost, since an event that finds no
// handler is dropped: it is kept and handed to them once they are set.
// Nothing here but the Web Worker interface, so the page and the CLI's
// entry can import it.
import type { PoolWorker } from './web-worker-pool.js';
import type { PoolAnswer } from './web-replicate-worker.js';

/** The Web Worker behind each handedOver wrapper (a worker kept again is wrapped anew, not twice). */
const workerOf = new WeakMap<PoolWorker, PoolWorker>();

/**
 * `worker` for its next pool: `kept` and what it posts until the pool sets
 * its handlers go to them then. With `starting`, its answer to the last
 * run's `init` (still laying out that chain) is dropped: the next pool's
 * `init`, queued behind it in the worker, gets its own answer.
 */
export function handedOver(wrapped: PoolWorker, kept: (MessageEvent | ErrorEvent)[], starting = false): PoolWorker {
  const worker = workerOf.get(wrapped) ?? wrapped;
  let stale = starting;
  let onmessage: PoolWorker['onmessage'] = null;
  let onerror: PoolWorker['onerror'] = null;
  const pass = (e: MessageEvent | ErrorEvent) => ('data' in e ? onmessage?.(e) : onerror?.(e));
  worker.onmessage = (e) => {
    const m = e.data as PoolAnswer;
    if (stale && (m.type === 'init' || (m.type === 'error' && m.task === undefined))) return void (stale = false);
    // in order: behind what is kept until the pool's handlers have it
    return onmessage && !kept.length ? onmessage(e) : kept.push(e);
  };
  worker.onerror = (e) => {
    if (onerror && !kept.length) return onerror(e);
    e.preventDefault?.(); // else Deno ends the process
    kept.push(e);
  };
  // the pool sets both handlers in one go: the kept events follow
  const handOver = () => queueMicrotask(() => kept.splice(0).forEach(pass));
  const wrapper: PoolWorker = {
    postMessage: (m) => worker.postMessage(m),
    terminate: () => worker.terminate(),
    get onmessage() {
      return onmessage;
    },
    set onmessage(h) {
      onmessage = h;
      handOver();
    },
    get onerror() {
      return onerror;
    },
    set onerror(h) {
      onerror = h;
    },
  };
  workerOf.set(wrapper, worker);
  return wrapper;
}

/** A kept worker for its next pool: it says `ready` again, as a new one does (the pool's `init` lays out the next chain). */
export const readyAgain = ({ worker, starting }: { worker: PoolWorker; starting: boolean }): PoolWorker => handedOver(worker, [{ data: { type: 'ready' } } as MessageEvent], starting);
