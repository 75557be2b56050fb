// npm run bench:workers: what `--workers N` buys, beside what the machine can
// give. Each round runs the same chain (the paper's 1-D Gaussian, as in
// bench:peers) three ways, in an order that rotates from round to round:
//   one     --workers 1
//   pool    --workers N
//   apart   N processes of --workers 1 at once: N independent chains, no
//           pool, no sharing; how fast N cores run N copies of the one-thread
//           work on this machine (caches, memory bandwidth, a virtual
//           machine's neighbours), i.e. the ceiling of any pool here.
// speed-up = one / pool; ceiling = one x sum over the apart runs of 1 / time
// (their throughput against one's); the pool's share of it = speed-up / ceiling.
// In-process seconds (the runs' elapsedMs); every run must give the same digest.
import { availableParallelism, loadavg } from 'node:os';
import { cpuDescription } from './machine.js';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import { median } from './stats.js';
import { writeRunRecord } from './record-file.js';
import { timedSpawn } from './timed-spawn.js';
import { findRuntime, type Found } from './runtimes.js';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));

const RUNTIME_NAMES = ['node', 'deno', 'bun'] as const;

const USAGE = `Usage: npm run bench:workers -- [--rounds N] [--replicates R[,R...]] [--workers N] [--backend js|wasm|wasm-simd] [--runtime node|deno|bun]
  --rounds N        rounds per size (default 5)
  --replicates LIST replicates of the 1-D Gaussian chain (M = 1000, 1000 generations, MLE), comma-separated (default 100,400)
  --workers N       the pool's width, and how many one-thread runs go at once (default: the logical cores, at least 2)
  --backend B       our backend (default wasm-simd)
  --runtime R       the runtime that runs the CLI (default node; Deno's pool is Web Workers, Node's and Bun's worker threads)
Writes bench/results/workers-<runtime>-<version>-<start time>.json.`;

interface Options {
  rounds: number;
  replicates: number[];
  workers: number;
  backend: string;
  runtime: (typeof RUNTIME_NAMES)[number];
  found: Found;
}

function options(argv: string[]): Options | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { rounds: { type: 'string' }, replicates: { type: 'string' }, workers: { type: 'string' }, backend: { type: 'string' }, runtime: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (values.help) return { help: true };
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) return { error: `--rounds: ${JSON.stringify(values.rounds)} is not allowed; expected an integer of at least 1` };
  const replicates = (values.replicates ?? '100,400').split(',').map(Number);
  if (!replicates.every((r) => Number.isInteger(r) && r >= 2 && r <= 100000)) return { error: `--replicates: ${JSON.stringify(values.replicates)} is not allowed; expected integers from 2 to 100000, comma-separated` };
  const workers = values.workers === undefined ? Math.max(2, availableParallelism()) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 2 || workers > 64) return { error: `--workers: ${JSON.stringify(values.workers)} is not allowed; expected an integer from 2 to 64` };
  const backend = values.backend ?? 'wasm-simd';
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) return { error: `--backend: ${JSON.stringify(backend)} is not allowed; expected one of ${BACKEND_NAMES.join(', ')}` };
  const runtime = (values.runtime ?? 'node') as Options['runtime'];
  if (!RUNTIME_NAMES.includes(runtime)) return { error: `--runtime: ${JSON.stringify(values.runtime)} is not allowed; expected one of ${RUNTIME_NAMES.join(', ')}` };
  const found = findRuntime(runtime);
  if ('missing' in found) return { error: `--runtime ${runtime}: ${found.missing}` };
  return { rounds, replicates, workers, backend, runtime, found };
}

const chainArgs = (replicates: number, backend: string) => ['run', 'gaussian', '--samples', '1000', '--generations', '1000', '--replicates', String(replicates), '--estimator', 'mle', '--every', '1000', '--backend', backend];

interface Timed {
  inProcess: number;
  wall: number;
  digest: string;
}

async function ours(runtime: Found, args: string[]): Promise<Timed> {
  const r = await timedSpawn(runtime.command[0], [...runtime.command.slice(1), BIN, ...args, '--json', '--quiet']);
  if (r.code !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr.trim()}`);
  const s = JSON.parse(r.stdout) as { elapsedMs: number; digest: string };
  return { inProcess: s.elapsedMs / 1000, wall: r.wall, digest: s.digest };
}

const WAYS = ['one', 'pool', 'apart'] as const;

interface Round {
  order: (typeof WAYS)[number][];
  one: Timed;
  pool: Timed;
  apart: Timed[];
  speedUp: number;
  ceiling: number;
  share: number;
}

async function round(r: number, replicates: number, o: Options): Promise<Round> {
  const base = chainArgs(replicates, o.backend);
  const threads = (n: number) => ours(o.found, [...base, '--workers', String(n)]);
  // the order rotates, so that a drift of the machine's speed within a round falls on each way in turn
  const order = WAYS.map((_, i) => WAYS[(i + r) % WAYS.length]);
  let one!: Timed, pool!: Timed, apart!: Timed[];
  for (const way of order) {
    if (way === 'one') one = await threads(1);
    else if (way === 'pool') pool = await threads(o.workers);
    else apart = await Promise.all(Array.from({ length: o.workers }, () => threads(1)));
  }
  const digests = new Set([one, pool, ...apart].map((t) => t.digest));
  if (digests.size !== 1) throw new Error(`round ${r + 1}, ${replicates} replicates: the runs gave ${digests.size} digests (${[...digests].join(', ')}); --workers must not change the results`);
  const speedUp = one.inProcess / pool.inProcess;
  const ceiling = one.inProcess * apart.reduce((s, t) => s + 1 / t.inProcess, 0);
  return { order, one, pool, apart, speedUp, ceiling, share: speedUp / ceiling };
}

const range = (xs: number[], digits = 2) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}]`;

async function main(): Promise<number> {
  const o = options(process.argv.slice(2));
  if ('help' in o) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in o) {
    console.error(`bench:workers: ${o.error}\n${USAGE}`);
    return 2;
  }
  const startedAt = new Date().toISOString();
  const loadStart = loadavg()[0];
  const env = { runtime: o.runtime, runtimeVersion: o.found.version, node: process.version, v8: process.versions.v8, cpu: cpuDescription(), backend: o.backend, workers: o.workers };
  const engine = o.runtime === 'node' ? `Node ${env.node}, V8 ${env.v8}` : `${o.runtime} ${o.found.version}`;
  console.log(`collapse-bench --workers ${o.workers} (${o.backend}, ${engine}; ${env.cpu})`);
  console.log(`${o.rounds} rounds; in-process seconds, median [min-max]; apart = ${o.workers} one-thread runs at once (each one's time)\n`);
  const results = [];
  for (const replicates of o.replicates) {
    const rounds: Round[] = [];
    for (let r = 0; r < o.rounds; r++) {
      rounds.push(await round(r, replicates, o));
      process.stderr.write(`  ${replicates} replicates: round ${r + 1}/${o.rounds}\r`);
    }
    process.stderr.write('\n');
    const col = (f: (x: Round) => number) => rounds.map(f);
    console.log(`1-D Gaussian, M = 1000, 1000 generations, ${replicates} replicates (digest ${rounds[0].one.digest.slice(0, 16)} in every run)`);
    console.log(`  one thread ${range(col((x) => x.one.inProcess))} s   --workers ${o.workers} ${range(col((x) => x.pool.inProcess))} s   apart ${range(rounds.flatMap((x) => x.apart.map((t) => t.inProcess)))} s`);
    console.log(`  speed-up ${range(col((x) => x.speedUp))}   ceiling (apart) ${range(col((x) => x.ceiling))}   speed-up / ceiling ${range(col((x) => x.share))}`);
    console.log(`  whole process: speed-up ${range(col((x) => x.one.wall / x.pool.wall))}\n`);
    results.push({ replicates, command: [...chainArgs(replicates, o.backend), '--workers', String(o.workers)], rounds });
  }
  writeRunRecord(`workers-${o.runtime}-${o.found.version}`, startedAt, loadStart, { env, rounds: o.rounds, results });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench:workers: ${(e as Error).message}`);
    process.exit(1);
  },
);
