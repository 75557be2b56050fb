#!/usr/bin/env node
import { main } from './main.js';

// A reader that closes the pipe early (`| head`) ends the run quietly, as for
// any Unix filter, rather than with an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// exitCode, not exit(): let stdout drain when it is a pipe
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
