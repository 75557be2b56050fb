// bench:peers' command line: --help prints the usage without running the
// bench, and a flag it does not know is refused with its name (before any
// Python or chain starts, so these are fast); and every command line it
// runs of ours is one `run` accepts.
import { describe, expect, it } from 'vitest';
import { WORKLOADS, oursCommands } from '../bench/peers.js';
import { familyOf } from '../src/families/index.js';
import { OUTPUT_OPTIONS } from '../src/config/common.js';
import { parseArgv } from '../src/config/argv.js';
import { benchRun } from './helpers.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PEERS = fileURLToPath(new URL('../dist/bench/peers.js', import.meta.url));
const peers = (...args: string[]) => spawnSync(process.execPath, [PEERS, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('bench:peers arguments', () => {
  it('--help prints the usage and exits 0', () => {
    const r = peers('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run bench:peers/);
    expect(r.stdout).not.toMatch(/rounds A B A B, whole process/);
  });

  it('refuses an unknown flag and a bad value by name', () => {
    const unknown = peers('--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--bogus/);
    expect(unknown.stderr).toMatch(/Usage:/);
    const rounds = peers('--rounds', '0');
    expect(rounds.status).toBe(2);
    expect(rounds.stderr).toMatch(/--rounds: "0" is not allowed; expected an integer of at least 1/);
    expect(peers('--backend', 'gpu').stderr).toMatch(/--backend: "gpu" is not allowed; expected one of js, wasm, wasm-simd/);
  });

  it("every command line of ours is one run parses and resolves, the VAE's per-epoch base run included", () => {
    // a base run that added `--epochs 1` to a line with `--epochs 10` was refused (an option
    // given twice) and stopped the whole bench at its last workload
    let commands = 0;
    for (const w of WORKLOADS) {
      for (const [name, ...rest] of oursCommands(w, 'wasm-simd')) {
        const family = familyOf(name);
        const { values, positionals } = parseArgv([...family.options, ...OUTPUT_OPTIONS], [...rest, '--json', '--quiet']);
        expect(positionals, w.name).toEqual([]);
        const { json: _json, quiet: _quiet, workers: _workers, ...model } = values;
        expect(() => family.resolve(model), w.name).not.toThrow();
        commands++;
      }
    }
    const vae = WORKLOADS.find((w) => w.perEpoch)!;
    const [run, base] = oursCommands(vae, 'wasm-simd');
    expect(run[run.indexOf('--epochs') + 1]).toBe('10');
    expect(base[base.indexOf('--epochs') + 1]).toBe('1');
    expect(base.filter((a) => a === '--epochs')).toHaveLength(1);
    expect(commands).toBe(WORKLOADS.length + 1);
  });

  // the peers are optional (Debian's python3-sklearn python3-scipy): without them there is nothing to run
  const python = process.env.PYTHON ?? '/usr/bin/python3';
  const hasPeers = spawnSync(python, ['-c', 'import numpy, scipy, sklearn'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasPeers)('one round of the Wright-Fisher K = 6 row runs ours and numpy and writes its record', () => {
    const { r, record } = benchRun(PEERS, ['--rounds', '1', '--only', 'Wright-Fisher K = 6']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/numpy multinomial .* ratio \d/);
    expect(record.results).toHaveLength(1);
    expect(record.results[0].peers[0].ratioInProcess).toHaveLength(1);
    // ours' time in its parts, which add up to its in-process time
    const [phases] = record.results[0].ours.phasesMs;
    expect(Object.keys(phases)).toEqual(['setup', 'replicates', 'theory', 'summary']);
    const sum = phases.setup + phases.replicates + phases.theory + phases.summary;
    expect(sum / 1000).toBeCloseTo(record.results[0].ours.inProcess[0], 9);
    expect(r.stdout).toMatch(/in-process, medians: setup [\d.]+ ms, replicates [\d.]+ ms, theory [\d.]+ ms, summary [\d.]+ ms/);
  }, 120_000);
});
