// The pool that runs the CLI's parallel replicates: Node's and Bun's worker
// threads through tinypool (thread-pool.ts), or Deno's Web Workers through
// the web page's pool (web-worker-pool.ts; thread-boot.ts says why).
import type { ExecutorFactory } from './executor.js';
import { threadPool } from './thread-pool.js';
import { webWorkerPool } from './web-worker-pool.js';
import { keepWebWorkers, spawnWebWorker, usesWebWorkers } from './thread-boot.js';
import { readyAgain } from './handed-over.js';

export const replicatePool: ExecutorFactory = usesWebWorkers() ? webWorkerPool(spawnWebWorker, (workers) => keepWebWorkers(workers.map(readyAgain))) : threadPool;
