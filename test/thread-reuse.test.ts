// A finished run's worker threads serve the next run of the same process (a
// sweep's cells, a preset's runs; src/runner/thread-boot.ts keepThreads):
// the next run, of another config, takes the same threads and gives the
// digest of one thread; a stopped run's threads end, and kept threads end
// after a while. The built modules (the threads load the built worker).
import { afterAll, describe, expect, it } from 'vitest';
import type Tinypool from 'tinypool';

const dist = (path: string) => new URL(`../dist/src/${path}`, import.meta.url).href;
const { threadPool } = (await import(dist('runner/thread-pool.js'))) as typeof import('../src/runner/thread-pool.js');
const boot = (await import(dist('runner/thread-boot.js'))) as typeof import('../src/runner/thread-boot.js');
const { runSimulation } = (await import(dist('runner/run.js'))) as typeof import('../src/runner/run.js');
const { familyOf } = (await import(dist('families/index.js'))) as typeof import('../src/families/index.js');

const config = (samples: number) => familyOf('gaussian').resolve({ samples, generations: 50, replicates: 12, every: 50 }).config;
const run = (samples: number, workers: number, signal?: AbortSignal) => runSimulation(config(samples), { workers, parallel: threadPool, signal });

/** The pool kept after the last run (taken out and put back, so the next run finds it). */
async function keptPool(threads: number): Promise<Tinypool> {
  const pool = await boot.takeThreads(threads);
  boot.keepThreads(pool, threads);
  return pool;
}

afterAll(() => boot.dropEarlyThreads());

describe('worker threads across runs of one process', () => {
  it('the next run, of another config, takes the finished run’s threads and gives one thread’s digest', async () => {
    await run(40, 2);
    const first = await keptPool(1);
    const outcome = await run(60, 2);
    expect(await keptPool(1)).toBe(first);
    expect(outcome.summary.digest).toBe((await run(60, 1)).summary.digest);
  }, 60_000);

  it('a stopped run’s threads end; kept threads end after a while', async () => {
    await run(40, 2);
    const kept = await keptPool(1);
    const stop = new AbortController();
    const stopped = runSimulation(familyOf('gaussian').resolve({ samples: 1000, generations: 100000, replicates: 8 }).config, { workers: 2, parallel: threadPool, signal: stop.signal });
    setTimeout(() => stop.abort(), 300);
    expect((await stopped).aborted).toBe(true);
    const after = await boot.takeThreads(1);
    expect(after).not.toBe(kept); // the stopped run's (kept's threads) were destroyed: a new pool
    boot.keepThreads(after, 1);
    await new Promise((r) => setTimeout(r, 800));
    const fresh = await boot.takeThreads(1);
    expect(fresh).not.toBe(after);
    await fresh.destroy();
  }, 60_000);
});
