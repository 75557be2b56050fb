// A Web Worker handed to a pool that did not start it (src/runner/handed-over.ts):
// what it posts before the pool listens reaches the pool once it does, a kept
// worker says `ready` again, and one kept while still laying out its last
// run's chain does not pass that answer on (the next run would take the last
// run's facts for its own). A scripted worker stands in for a Web Worker.
import { describe, expect, it } from 'vitest';
import { handedOver, readyAgain } from '../src/runner/handed-over.js';
import type { PoolWorker } from '../src/runner/web-worker-pool.js';

/** A worker whose answers the test posts (`answer`), recording what is posted to it. */
function scripted() {
  const posted: unknown[] = [];
  const worker: PoolWorker = { postMessage: (m) => void posted.push(m), onmessage: null, onerror: null, terminate: () => {} };
  const answer = (data: unknown) => worker.onmessage?.({ data } as MessageEvent);
  return { worker, posted, answer };
}

/** The pool's side: sets its handler and collects what reaches it. */
function listen(w: PoolWorker): unknown[] {
  const heard: unknown[] = [];
  w.onmessage = (e) => void heard.push(e.data);
  w.onerror = () => {};
  return heard;
}

const turn = () => new Promise((r) => setTimeout(r, 0));

describe('a worker handed to a pool', () => {
  it('started early: what it posted before the pool listened reaches the pool, in order, then the rest', async () => {
    const s = scripted();
    const early = handedOver(s.worker, []);
    s.answer({ type: 'ready' });
    const heard = listen(early);
    s.answer({ type: 'init', facts: { n: 1 } });
    await turn();
    expect(heard).toEqual([{ type: 'ready' }, { type: 'init', facts: { n: 1 } }]);
    early.postMessage({ type: 'stop' });
    expect(s.posted).toEqual([{ type: 'stop' }]);
  });

  it('kept after its run: says ready again, and its answers reach the next pool', async () => {
    const s = scripted();
    const kept = readyAgain({ worker: s.worker, starting: false });
    const heard = listen(kept);
    await turn();
    s.answer({ type: 'init', facts: { run: 2 } });
    expect(heard).toEqual([{ type: 'ready' }, { type: 'init', facts: { run: 2 } }]);
  });

  it('kept while still starting: its answer to the last run’s init (or that init’s failure) is dropped, the next one passes', async () => {
    for (const stale of [{ type: 'init', facts: { run: 1 } }, { type: 'error', kind: 'failure', message: 'out of memory' }]) {
      const s = scripted();
      const kept = readyAgain({ worker: s.worker, starting: true });
      const heard = listen(kept);
      await turn();
      s.answer(stale);
      s.answer({ type: 'init', facts: { run: 2 } });
      s.answer({ type: 'error', kind: 'failure', message: 'a task failed', task: 3 });
      expect(heard).toEqual([{ type: 'ready' }, { type: 'init', facts: { run: 2 } }, { type: 'error', kind: 'failure', message: 'a task failed', task: 3 }]);
    }
  });

  it('kept twice: wrapped once over the worker itself, not over the last wrapper', async () => {
    const s = scripted();
    const first = readyAgain({ worker: s.worker, starting: false });
    listen(first);
    const second = readyAgain({ worker: first, starting: false });
    const heard = listen(second);
    await turn();
    s.answer({ type: 'init', facts: { run: 3 } });
    expect(heard).toEqual([{ type: 'ready' }, { type: 'init', facts: { run: 3 } }]);
  });
});
