// What a Web Worker of the CLI's pool runs under Deno (thread-boot.ts says
// why not tinypool there): the web page's worker (web-replicate-worker.ts),
// as web/replicate-worker.ts is in the browser. It reads the data files from
// disk itself, as a worker thread does.
import { serveReplicates, type ReplicateScope } from './web-replicate-worker.js';

serveReplicates(globalThis as unknown as ReplicateScope);
