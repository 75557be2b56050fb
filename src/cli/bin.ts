#!/usr/bin/env node
import { bootThreadsEarly, defaultWorkers, dropEarlyThreads } from '../runner/thread-boot.js';
import { earlyThreadCount } from './early-threads.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import module from 'node:module';

// Node 22.1 and later: V8's compiled code of the modules loaded from here on
// (the harness) kept between runs, in the system's temporary directory
// (NODE_COMPILE_CACHE=DIR names another, NODE_DISABLE_COMPILE_CACHE=1 turns
// it off), as npm and tsc do. A short run on Node 22.23: 84 to 73 ms whole
// process. Node 20 has no such function (and Deno none).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const argv = process.argv.slice(2);
// a run with worker threads: they boot while this thread imports the harness
await bootThreadsEarly(earlyThreadCount(argv, defaultWorkers()));
// the harness as the build bundles it (scripts/build.mjs: a third of the
// import time of its ~125 modules), else its modules
const bundle = new URL('./bundle/main.js', import.meta.url);
const { main } = (await import(existsSync(fileURLToPath(bundle)) ? bundle.href : './main.js')) as typeof import('./main.js');

// A reader that closes the pipe early (`| head`) ends the run quietly, as for
// any Unix filter, rather than with an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// exitCode, not exit(): let stdout drain when it is a pipe
main(argv)
  .then((code) => {
    process.exitCode = code;
  })
  .finally(dropEarlyThreads);
