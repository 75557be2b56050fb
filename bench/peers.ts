// npm run bench:peers: each family's chain beside the same experiment as its
// users write it today (numpy, scikit-learn, scipy, PyTorch: bench/peers/*.py), run in
// turn A B A B, whole process and in-process, with min / median / max and the
// ratio of medians. A measurement, not a test: the peers are optional, and
// without them the command says how to get them and stops.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { cpuDescription } from './machine.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import { withOptions } from '../src/config/argv.js';
import type { PhaseTimes } from '../src/results/types.js';
import { writeRunRecord } from './record-file.js';
import { timedSpawn as run } from './timed-spawn.js';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const PEERS = fileURLToPath(new URL('../../bench/peers/', import.meta.url));
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
/**
 * The peers run single-threaded, as ours does: a multithreaded BLAS spins
 * its threads waiting for work, and on a busy 2-core machine that made
 * scikit-learn's GMM up to 8x slower than with one thread (seen: 19.5 s
 * against 2.5 s for the same 50 generations). Set them yourself to override.
 */
const ONE_THREAD = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

interface Peer {
  name: string;
  script: string;
  args: Record<string, unknown>;
}

export interface Workload {
  name: string;
  /** Our command line (run ... ; --json --quiet and --workers are added). */
  ours: string[];
  /** Our worker threads (default 1: the peers run on one core). */
  workers?: number;
  peers: Peer[];
  /** Work units per run for a per-unit ratio, from our summary and the peer's report (e.g. EM iterations). */
  units?: { name: string; ours: (summary: Summary) => number; peer: (work: Record<string, number>) => number };
  /**
   * Time per training epoch and per generation: the peer times its epochs
   * itself (epochSeconds); ours is run a second time with `--epochs base`, and
   * an epoch costs the difference over the epochs it adds (what stays, the
   * scoring and decoding, cancels).
   */
  perEpoch?: { base: number };
  /** A Python module the peers need beyond numpy, and how to get it; without it the workload is skipped. */
  needs?: { module: string; install: string };
}

interface Summary {
  elapsedMs: number;
  phasesMs: PhaseTimes;
  finals: Record<string, { mean: number | null }>;
  config: { generations: number; replicates: number; epochs?: number } & Record<string, unknown>;
}

/** The sizes and settings a peer must share with our run, by the names both use. */
const SIZES = ['samples', 'generations', 'replicates', 'states', 'dim', 'points', 'holdout', 'components', 'covariance', 'tol', 'maxIter', 'epochs', 'batch', 'hidden', 'latent', 'size', 'iwSamples', 'lr'];

/**
 * Like with like: every size the peer was given must equal our config's, and
 * the peer must report back the sizes it was given (its own check that it
 * did that work).
 */
function checkSameWork(w: Workload, p: Peer, config: Record<string, unknown>, work: Record<string, unknown>): void {
  for (const k of SIZES) {
    if (!(k in p.args)) continue;
    if (k in config && config[k] !== p.args[k]) throw new Error(`${w.name}: ${p.name} runs ${k} = ${p.args[k]}, ours ${config[k]}`);
    if (k in work && work[k] !== p.args[k]) throw new Error(`${w.name}: ${p.name} reports ${k} = ${work[k]}, asked ${p.args[k]}`);
  }
}

const gaussian = { samples: 1000, generations: 1000, replicates: 100, estimator: 'mle' };
export const WORKLOADS: Workload[] = [
  {
    name: 'gaussian 1-D, M = 1000, 1000 generations, 100 replicates, MLE',
    ours: ['gaussian', '--samples', '1000', '--generations', '1000', '--replicates', '100', '--estimator', 'mle', '--every', '1000'],
    peers: [
      { name: 'numpy loop (the notebook)', script: 'gaussian.py', args: { ...gaussian, mode: 'loop' } },
      { name: 'numpy vectorised', script: 'gaussian.py', args: { ...gaussian, mode: 'vectorised' } },
    ],
  },
  {
    // the same chain with two worker threads against single-threaded numpy: what --workers buys on 2 cores
    name: 'gaussian 1-D, M = 1000, 1000 generations, 100 replicates, MLE, ours with --workers 2',
    ours: ['gaussian', '--samples', '1000', '--generations', '1000', '--replicates', '100', '--estimator', 'mle', '--every', '1000'],
    workers: 2,
    peers: [{ name: 'numpy vectorised', script: 'gaussian.py', args: { ...gaussian, mode: 'vectorised' } }],
  },
  {
    name: 'gaussian 10-D, M = 1000, 200 generations, 20 replicates',
    ours: ['gaussian', '--dim', '10', '--samples', '1000', '--generations', '200', '--replicates', '20', '--estimator', 'mle', '--every', '200'],
    peers: [{ name: 'numpy vectorised', script: 'gaussian.py', args: { samples: 1000, dim: 10, generations: 200, replicates: 20, estimator: 'mle', mode: 'vectorised' } }],
  },
  ...(['full', 'diag'] as const).map((covariance) => ({
    // 8 chains a side: one chain's EM iterations a generation depend on its
    // trajectory (ours 8 to 50 over seeds 1-6 with diag), so one chain each
    // would compare two draws of that luck more than two speeds
    name: `gmm notebook (one 2-D blob, K = 2, ${covariance}, tol 1e-5), N = 1000, 200 generations, 8 chains`,
    ours: ['gmm', '--data', 'notebook', '--covariance', covariance, '--generations', '200', '--replicates', '8', '--every', '200'],
    peers: [{ name: 'scikit-learn GaussianMixture', script: 'gmm.py', args: { samples: 1000, generations: 200, replicates: 8, components: 2, covariance, tol: 1e-5, maxIter: 2000 } }],
    units: { name: 'EM iteration', ours: (s: Summary) => (s.finals.meanIterations?.mean ?? NaN) * s.config.generations * s.config.replicates, peer: (w: Record<string, number>) => w.emIterations },
  })),
  {
    name: 'kde 2-D, n = 1000, h = 0.5, 500 held-out points scored, 20 generations',
    ours: ['kde', '--data', 'gaussian', '--dim', '2', '--samples', '1000', '--bandwidth', '0.5', '--holdout', '500', '--generations', '20', '--replicates', '1'],
    peers: [{ name: 'scikit-learn KernelDensity', script: 'kde.py', args: { samples: 1000, holdout: 500, dim: 2, generations: 20, bandwidth: 0.5, peer: 'sklearn' } }],
  },
  {
    name: 'kde 1-D, 10^4 points x 10^4 held-out (Scott), 1 generation',
    // Scott's rule on every training set, as gaussian_kde does at each fit
    ours: ['kde', '--data', 'gaussian', '--dim', '1', '--samples', '10000', '--holdout', '10000', '--generations', '1', '--replicates', '1', '--bandwidth-mode', 'recompute'],
    peers: [{ name: 'scipy gaussian_kde', script: 'kde.py', args: { samples: 10000, holdout: 10000, dim: 1, generations: 1, peer: 'scipy' } }],
  },
  {
    name: 'Wright-Fisher K = 6, M = 1000, 20000 generations',
    ours: ['categorical', '--states', '6', '--samples', '1000', '--generations', '20000', '--replicates', '1', '--every', '20000'],
    peers: [{ name: 'numpy multinomial', script: 'categorical.py', args: { states: 6, samples: 1000, generations: 20000 } }],
  },
  {
    name: 'Wright-Fisher K = 1000, M = 10000, 2000 generations',
    ours: ['categorical', '--states', '1000', '--samples', '10000', '--generations', '2000', '--replicates', '1', '--every', '2000'],
    peers: [{ name: 'numpy multinomial', script: 'categorical.py', args: { states: 1000, samples: 10000, generations: 2000 } }],
  },
  {
    // the row above is a ~50 ms run, where what a fresh process runs once weighs a third of ours:
    // the same chain 20 times shows the cost per chain once that is spread out
    name: 'Wright-Fisher K = 1000, M = 10000, 2000 generations, 20 chains',
    ours: ['categorical', '--states', '1000', '--samples', '10000', '--generations', '2000', '--replicates', '20', '--every', '2000'],
    peers: [{ name: 'numpy multinomial', script: 'categorical.py', args: { states: 1000, samples: 10000, generations: 2000, replicates: 20 } }],
  },
  {
    name: 'regression d = 10, T = 100, 1000 generations, 20 replicates',
    ours: ['regression', '--dim', '10', '--points', '100', '--generations', '1000', '--replicates', '20', '--every', '1000'],
    peers: [{ name: 'numpy lstsq loop', script: 'regression.py', args: { dim: 10, points: 100, generations: 1000, replicates: 20 } }],
  },
  ...vaeWorkloads(),
];

/** The VAE (run vae's sizes) against the same network in PyTorch, float32 (what its users run, and ours since the float32 change) and float64. */
function vaeWorkloads(): Workload[] {
  const sizes = { samples: 2000, generations: 2, epochs: 10, batch: 64, hidden: 128, latent: 8, size: 14, holdout: 500, iwSamples: 16, lr: 0.001 };
  return [
    {
      name: 'vae 14x14, N = 2000, H = 128, L = 8, 10 epochs of minibatches of 64, 2 generations, models 1 and 2 scored (500 held-out, K = 16)',
      // the classifier and the sample grid are ours alone: off
      ours: ['vae', '--samples', '2000', '--generations', '2', '--every', '2', '--epochs', '10', '--classifier-epochs', '0', '--grid-samples', '0'],
      peers: (['float32', 'float64'] as const).map((dtype) => ({ name: `PyTorch ${dtype}, 1 thread`, script: 'vae.py', args: { ...sizes, dtype } })),
      perEpoch: { base: 1 },
      needs: { module: 'torch', install: 'apt-get install python3-torch (Debian; then /usr/bin/python3 has it), or set PYTHON to an interpreter with torch' },
    },
  ];
}

interface Timing {
  wall: number;
  inProcess: number;
  units?: number;
  /** Seconds per training epoch (perEpoch workloads): ours by difference, the peer's own timing. */
  epoch?: number;
  /** Ours: where the run's time went. */
  phases?: PhaseTimes;
}

/** Our command line as run (also written to the JSON). */
const oursArgs = (w: Workload, backend: string) => [...w.ours, '--backend', backend, '--workers', String(w.workers ?? 1)];

/** Every command line ours runs for a workload: the run, and for perEpoch the same with `--epochs base`. */
export function oursCommands(w: Workload, backend: string): string[][] {
  const args = oursArgs(w, backend);
  return w.perEpoch ? [args, withOptions(args, ['--epochs', String(w.perEpoch.base)])] : [args];
}

async function runOurs(w: Workload, args: string[]): Promise<{ wall: number; summary: Summary }> {
  // with where the run's time went (summary.phasesMs)
  const r = await run(process.execPath, [BIN, 'run', ...args, '--json', '--quiet'], { ...process.env, COLLAPSE_BENCH_TIMING: '1' });
  if (r.code !== 0) throw new Error(`ours failed (${w.name}): ${r.stderr.trim()}`);
  return { wall: r.wall, summary: JSON.parse(r.stdout) as Summary };
}

async function ours(w: Workload, backend: string): Promise<Timing & { config: Record<string, unknown> }> {
  const [args, base] = oursCommands(w, backend);
  const { wall, summary: s } = await runOurs(w, args);
  let epoch: number | undefined;
  if (base) {
    const { summary: b } = await runOurs(w, base);
    epoch = (s.elapsedMs - b.elapsedMs) / 1000 / (s.config.generations * (s.config.epochs! - w.perEpoch!.base));
  }
  return { wall, inProcess: s.elapsedMs / 1000, units: w.units?.ours(s), epoch, config: s.config, phases: s.phasesMs };
}

async function peer(w: Workload, p: Peer, config: Record<string, unknown>): Promise<Timing> {
  const r = await run(PYTHON, [PEERS + p.script, JSON.stringify(p.args)], { ...ONE_THREAD, ...process.env });
  if (r.code !== 0) throw new Error(`${p.name} failed (${w.name}): ${r.stderr.trim().split('\n').pop()}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; work: Record<string, number>; epochSeconds?: number[] };
  checkSameWork(w, p, config, out.work);
  return { wall: r.wall, inProcess: out.seconds, units: w.units?.peer(out.work), epoch: out.epochSeconds ? median(out.epochSeconds) : undefined };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${median(xs).toFixed(3)} [${Math.min(...xs).toFixed(3)}-${Math.max(...xs).toFixed(3)}]`;

/** The version of a Python module, or null when it does not import. */
function moduleVersion(module: string): string | null {
  const r = spawnSync(PYTHON, ['-c', `import ${module}; print(${module}.__version__)`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function pythonVersions(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import sys, numpy, scipy, sklearn; print(sys.version.split()[0], numpy.__version__, scipy.__version__, sklearn.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const USAGE = `Usage: npm run bench:peers -- [--rounds N] [--only TEXT] [--backend js|wasm|wasm-simd]
  --rounds N      rounds of A B A B per workload (default 3)
  --only TEXT     only the workloads whose name contains TEXT
  --backend B     our backend (default wasm-simd)
Writes bench/results/peers-node-<version>-<start time>.json.`;

/** The options, or a message saying what is wrong (unknown flags included). */
function options(argv: string[]): { rounds: number; only: string | null; backend: string } | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { rounds: { type: 'string' }, only: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (values.help) return { help: true };
  const rounds = values.rounds === undefined ? 3 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) return { error: `--rounds: ${JSON.stringify(values.rounds)} is not allowed; expected an integer of at least 1` };
  const backend = values.backend ?? 'wasm-simd';
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) return { error: `--backend: ${JSON.stringify(backend)} is not allowed; expected one of ${BACKEND_NAMES.join(', ')}` };
  return { rounds, only: values.only ?? null, backend };
}

async function main(): Promise<number> {
  const loadStart = loadavg()[0];
  const startedAt = new Date().toISOString();
  const o = options(process.argv.slice(2));
  if ('help' in o) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in o) {
    console.error(`bench:peers: ${o.error}\n${USAGE}`);
    return 2;
  }
  const { rounds, only, backend } = o;
  const versions = pythonVersions();
  if (!versions) {
    console.log(`bench:peers: ${PYTHON} with numpy, scipy and scikit-learn is not available, so there is nothing to compare with.`);
    console.log('Debian: apt-get install python3-sklearn python3-scipy (then /usr/bin/python3 has them), or set PYTHON to an interpreter that has them.');
    return 0;
  }
  const [py, numpy, scipy, sklearn] = versions.split(' ');
  const env: Record<string, string> = { node: process.version, v8: process.versions.v8, cpu: cpuDescription(), python: py, numpy, scipy, sklearn, backend, peerBlasThreads: process.env.OPENBLAS_NUM_THREADS ?? ONE_THREAD.OPENBLAS_NUM_THREADS };
  console.log(`collapse-bench (${backend}, Node ${env.node}, V8 ${env.v8}) against Python ${py}, numpy ${numpy}, scipy ${scipy}, scikit-learn ${sklearn}; ${env.cpu}`);
  console.log(`${rounds} rounds A B A B, whole process and in-process seconds: median [min-max]; ratio = peer / ours (above 1: ours is faster)\n`);
  const results = [];
  for (const w of WORKLOADS.filter((x) => !only || x.name.includes(only))) {
    if (w.needs) {
      const version = moduleVersion(w.needs.module);
      if (!version) {
        console.log(`${w.name}\n  skipped: ${PYTHON} has no ${w.needs.module}; ${w.needs.install}\n`);
        results.push({ workload: w.name, skipped: `no ${w.needs.module}` });
        continue;
      }
      env[w.needs.module] = version;
      console.log(`(${w.needs.module} ${version})`);
    }
    const t: Record<string, Timing[]> = { ours: [] };
    for (const p of w.peers) t[p.name] = [];
    let oursConfig: Summary['config'] | undefined;
    try {
      for (let r = 0; r < rounds; r++) {
        const o = await ours(w, backend);
        oursConfig = o.config as Summary['config'];
        t.ours.push(o);
        for (const p of w.peers) t[p.name].push(await peer(w, p, o.config));
      }
    } catch (e) {
      // said and recorded; the other workloads still run and their results are kept
      console.log(`${w.name}\n  FAILED: ${(e as Error).message}\n`);
      results.push({ workload: w.name, failed: (e as Error).message });
      continue;
    }
    const oursIn = t.ours.map((x) => x.inProcess);
    const oursWall = t.ours.map((x) => x.wall);
    console.log(w.name);
    console.log(`  ${'ours'.padEnd(30)} in-process ${spread(oursIn)}  whole ${spread(oursWall)}`);
    const phases = t.ours.map((x) => x.phases!);
    const ms = (k: keyof PhaseTimes) => `${median(phases.map((p) => p[k])).toFixed(1)} ms`;
    console.log(`  ${''.padEnd(30)} in-process, medians: setup ${ms('setup')}, replicates ${ms('replicates')}, theory ${ms('theory')}, summary ${ms('summary')}`);
    const rows = [];
    for (const p of w.peers) {
      const inP = t[p.name].map((x) => x.inProcess);
      const wall = t[p.name].map((x) => x.wall);
      // per-round ratios, so that the machine's drift cancels within a round
      const ratios = inP.map((x, i) => x / oursIn[i]);
      const row: Record<string, unknown> = { peer: p.name, peerInProcess: inP, peerWall: wall, ratioInProcess: ratios, ratioWall: wall.map((x, i) => x / oursWall[i]) };
      let unitText = '';
      if (w.units) {
        const perOurs = t.ours.map((x) => x.inProcess / x.units!);
        const perPeer = t[p.name].map((x) => x.inProcess / x.units!);
        row.perUnit = { unit: w.units.name, ours: perOurs, peer: perPeer, oursUnits: t.ours.map((x) => x.units), peerUnits: t[p.name].map((x) => x.units) };
        unitText = `; per ${w.units.name}: ours ${(median(perOurs) * 1e3).toFixed(3)} ms, peer ${(median(perPeer) * 1e3).toFixed(3)} ms, ratio ${(median(perPeer) / median(perOurs)).toFixed(2)}`;
      }
      if (w.perEpoch) {
        const G = oursConfig!.generations;
        const perEpoch = { ours: t.ours.map((x) => x.epoch!), peer: t[p.name].map((x) => x.epoch!) };
        const epochRatios = perEpoch.peer.map((x, i) => x / perEpoch.ours[i]);
        row.perEpoch = { ...perEpoch, ratio: epochRatios };
        row.perGeneration = { ours: oursIn.map((x) => x / G), peer: inP.map((x) => x / G), ratio: ratios };
        unitText = `; per epoch: ours ${spread(perEpoch.ours)} s, peer ${spread(perEpoch.peer)} s, ratio ${median(epochRatios).toFixed(2)} [${Math.min(...epochRatios).toFixed(2)}-${Math.max(...epochRatios).toFixed(2)}]; per generation: ours ${(median(oursIn) / G).toFixed(2)} s, peer ${(median(inP) / G).toFixed(2)} s`;
      }
      console.log(`  ${p.name.padEnd(30)} in-process ${spread(inP)}  whole ${spread(wall)}  ratio ${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}]${unitText}`);
      rows.push(row);
    }
    console.log('');
    results.push({ workload: w.name, ours: { command: ['run', ...oursArgs(w, backend)], inProcess: oursIn, wall: oursWall, phasesMs: phases }, peers: rows });
  }
  writeRunRecord(`peers-node-${process.versions.node}`, startedAt, loadStart, { env, rounds, results });
  const failed = results.filter((r) => 'failed' in r);
  if (failed.length) console.error(`bench:peers: ${failed.length} workload${failed.length > 1 ? 's' : ''} failed: ${failed.map((r) => r.workload).join('; ')}`);
  return failed.length ? 1 : 0;
}

// run as a script (a test imports the workloads without running them)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`bench:peers: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
