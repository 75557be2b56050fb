#!/usr/bin/env node
import { bootThreadsEarly, defaultWorkers, dropEarlyThreads, threadsUnsupported } from '../runner/thread-boot.js';
import { earlyThreadCount } from './early-threads.js';

const argv = process.argv.slice(2);
// a run with worker threads: they boot while this thread imports the harness
if (!threadsUnsupported()) bootThreadsEarly(earlyThreadCount(argv, defaultWorkers()));
const { main } = await import('./main.js');

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
