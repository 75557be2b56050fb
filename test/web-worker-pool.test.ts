// The web page's executor (src/runner/web-worker-pool.ts) and its worker
// (src/runner/web-replicate-worker.ts) in Node, each worker a worker thread
// behind a Web Worker's interface (messages only, no SharedArrayBuffer):
// the records, byte for byte, and the digest are one thread's for 2 and 3
// workers, long replicates one per task and short ones in batches; a stop
// keeps a prefix of complete replicates; a worker that cannot start fails the
// run with a message. test/web-workers.test.ts runs the same in Chromium.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { familyOf } from '../src/families/index.js';
import { runAndCollect } from '../src/runner/run.js';
import { webWorkerPool, type PoolWorker } from '../src/runner/web-worker-pool.js';
import { readyAgain } from '../src/runner/handed-over.js';
import type { RawOptions } from '../src/config/validate.js';
import type { PoolRequest } from '../src/runner/web-replicate-worker.js';

const WORKER = new URL('./fixtures/web-pool-worker.mjs', import.meta.url);
const golden = (JSON.parse(readFileSync(new URL('./golden/digests.json', import.meta.url), 'utf8')) as Record<string, string>)['replace-unbiased-1d'];

/** Messages posted to the workers, by type. */
const posted: Record<string, number> = {};

/** A worker thread with a Web Worker's interface (onmessage with { data }, onerror, terminate). */
function spawnThread(file: URL = WORKER): PoolWorker {
  const thread = new Worker(file);
  const w: PoolWorker = {
    postMessage(m: PoolRequest) {
      posted[m.type] = (posted[m.type] ?? 0) + 1;
      thread.postMessage(m);
    },
    onmessage: null,
    onerror: null,
    terminate: () => void thread.terminate(),
  };
  thread.on('message', (data) => w.onmessage?.({ data } as MessageEvent));
  thread.on('error', (e) => w.onerror?.({ message: e.message } as ErrorEvent));
  return w;
}
const pool = webWorkerPool(() => spawnThread());

const lines = (records: unknown[]) => records.map((r) => JSON.stringify(r));

async function both(options: RawOptions, workers: number) {
  const { config } = familyOf('gaussian').resolve(options);
  const one = await runAndCollect(config);
  const many = await runAndCollect(config, { workers, parallel: pool });
  return { one, many };
}

describe('the Web Worker pool (worker threads standing in for Web Workers)', () => {
  it('2 and 3 workers give the golden digest and one thread\'s records, byte for byte', async () => {
    for (const workers of [2, 3]) {
      const { one, many } = await both({ samples: 100, generations: 200, replicates: 6, seed: 7 }, workers);
      expect(many.summary.digest).toBe(golden);
      expect(one.summary.digest).toBe(golden);
      expect(lines(many.replicates)).toEqual(lines(one.replicates));
    }
  });

  it('with keep, a finished run hands its workers on, even one still starting: the next runs, of other configs, lay out their chains on them, one thread\'s records', async () => {
    let kept: PoolWorker[] = [];
    let spawned = 0;
    const keeping = webWorkerPool(
      () => kept.shift() ?? (spawned++, spawnThread()),
      (workers) => (kept = workers.map(readyAgain)),
    );
    // the first run is short: one worker may finish it before the other has laid out its chain (that answer must not reach the next run)
    const runs = [
      { samples: 20, generations: 5, replicates: 4, seed: 'short' },
      { samples: 1000, generations: 1000, replicates: 12, every: 1000, seed: 7 },
      { samples: 300, generations: 200, replicates: 9, seed: 'third' },
    ];
    for (const options of runs) {
      const { config } = familyOf('gaussian').resolve(options);
      const many = await runAndCollect(config, { workers: 2, parallel: keeping });
      const one = await runAndCollect(config);
      // the facts come with a worker's first answer to init: this run's, not the last run's
      expect(many.header.facts).toEqual(one.header.facts);
      expect(lines(many.replicates)).toEqual(lines(one.replicates));
      expect(kept).toHaveLength(2);
    }
    expect(spawned).toBe(2);
    for (const w of kept) w.terminate();
  });

  it('short replicates go in batches (fewer tasks than replicates) and keep their order', async () => {
    const before = posted.replicates ?? 0;
    const { one, many } = await both({ samples: 10, generations: 5, replicates: 400, seed: 'batches' }, 2);
    expect(many.summary.digest).toBe(one.summary.digest);
    expect(lines(many.replicates)).toEqual(lines(one.replicates));
    expect(many.replicates.map((r) => r.replicate)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const tasks = (posted.replicates ?? 0) - before;
    expect(tasks).toBeGreaterThan(1);
    expect(tasks).toBeLessThan(400);
  });

  it('a stop ends the run within about a second, with a prefix of complete replicates', async () => {
    const options = { samples: 5000, generations: 300, replicates: 200, seed: 3 };
    const { config } = familyOf('gaussian').resolve(options);
    const controller = new AbortController();
    let stopAt = 0;
    const stopping = runAndCollect(config, {
      workers: 3,
      parallel: pool,
      signal: controller.signal,
      onReplicate() {
        // after the first record, while the workers are inside their replicates
        if (!stopAt) setTimeout(() => ((stopAt = performance.now()), controller.abort()), 50);
      },
    });
    const outcome = await stopping;
    const stopMs = performance.now() - stopAt;
    expect(outcome.aborted).toBe(true);
    expect(stopMs).toBeLessThan(1500);
    const kept = outcome.replicates.map((r) => r.replicate);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => i));
    const prefix = familyOf('gaussian').resolve({ ...options, replicates: kept.length }).config;
    expect(outcome.summary.digest).toBe((await runAndCollect(prefix)).summary.digest);
  });

  it('a worker that cannot lay out its chain after another has: the run goes on with the others, the same records', async () => {
    const { config } = familyOf('gaussian').resolve({ samples: 200, generations: 400, replicates: 24, seed: 'fewer' });
    const one = await runAndCollect(config);
    // worker 1 is a thread; worker 2 says it is ready once worker 1 has answered init, then fails its init (as a browser out of memory would)
    let failInit: (() => void) | undefined;
    let spawned = 0;
    let initFailed = false;
    const failing = (): PoolWorker => {
      const w: PoolWorker = {
        postMessage(m: PoolRequest) {
          if (m.type === 'init') setTimeout(() => ((initFailed = true), w.onmessage?.({ data: { type: 'error', kind: 'failure', message: 'out of memory' } } as MessageEvent)));
        },
        onmessage: null,
        onerror: null,
        terminate: () => {},
      };
      failInit = () => w.onmessage?.({ data: { type: 'ready' } } as MessageEvent);
      return w;
    };
    const mixed = webWorkerPool(() => {
      if (spawned++ === 1) return failing();
      const w = spawnThread();
      // after the executor's handler is set: pass the answers on, and wake the failing worker after this one's init
      queueMicrotask(() => {
        const handler = w.onmessage!;
        w.onmessage = (e) => {
          handler(e);
          // at once: a quiet machine finished the run before a 10 ms timer fired
          if ((e.data as { type: string }).type === 'init') failInit?.();
        };
      });
      return w;
    });
    const many = await runAndCollect(config, { workers: 2, parallel: mixed });
    expect(initFailed).toBe(true);
    expect(lines(many.replicates)).toEqual(lines(one.replicates));
    expect(many.summary.digest).toBe(one.summary.digest);
  });

  it('a worker whose script does not load fails the run with a message', async () => {
    const { config } = familyOf('gaussian').resolve({ samples: 10, generations: 5, replicates: 4 });
    const broken = webWorkerPool(() => spawnThread(new URL('./fixtures/no-such-worker.mjs', import.meta.url)));
    await expect(runAndCollect(config, { workers: 2, parallel: broken })).rejects.toThrow(/^worker [12] of 2 failed: .*no-such-worker/);
  });
});
