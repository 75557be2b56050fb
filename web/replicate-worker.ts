// A worker of the run's pool (src/runner/web-worker-pool.ts), started by the
// run worker (web/run-worker.ts) for --workers above 1: it runs replicates on
// its own chain and posts their records back (src/runner/web-replicate-worker.ts).
import { serveReplicates } from '../src/runner/web-replicate-worker.js';

serveReplicates(self as unknown as Parameters<typeof serveReplicates>[0]);
