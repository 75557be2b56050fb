// bench:peers' command line: --help prints the usage without running the
// bench, and a flag it does not know is refused with its name (before any
// Python or chain starts, so these are fast).
import { describe, expect, it } from 'vitest';
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
});
