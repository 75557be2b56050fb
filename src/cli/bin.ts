#!/usr/bin/env node
import { main } from './main.js';

// exitCode, not exit(): let stdout drain when it is a pipe
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
