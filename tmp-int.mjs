import { spawn } from 'node:child_process';
const child = spawn(process.execPath, ['dist/src/cli/bin.js', 'run', 'gaussian', '--generations', '1000', '--replicates', '1000', '--out', '/tmp/tails-int.jsonl', '--json', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
let err=''; child.stderr.on('data', d => err += d);
const exited = new Promise(r => child.on('exit', (c, s) => r([c, s])));
await new Promise(r => setTimeout(r, 1500));
const t0 = Date.now(); child.kill('SIGINT');
const res = await exited; console.log(res, Date.now() - t0, err.slice(-300));
