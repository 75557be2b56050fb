// The ported xor4096 against seedrandom itself, the oracle, on every backend.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { arenas, BACKEND_NAMES } from './helpers.js';
import { seedGenerator } from '../src/rng/seed.js';

const N = 1_000_000;
const SEEDS: (number | string)[] = [
  1, 42, -7, 0, 2147483647, -2147483648, 1.5, 2 ** 32, 'hello', '', 'seed-ü-漢字', '🎲 dice ∑ ✓', 'x'.repeat(300), '7:0',
];

const A = await arenas();

describe.each(BACKEND_NAMES)('xor4096 on %s', (name) => {
  const arena = A[name];
  const k = arena.backend.kernels;
  const state = arena.alloc(k.rngStateBytes());
  const chars = arena.allocI32(400);
  const out = arena.allocI32(N);
  const outF = arena.allocF64(20_000);

  it.each(SEEDS.map((s) => [JSON.stringify(s), s] as const))('int32 stream of seed %s matches seedrandom for 10^6 draws', (_, seed) => {
    const oracle = seedrandom.xor4096(seed as string);
    const expected = new Int32Array(N);
    for (let i = 0; i < N; i++) expected[i] = oracle.int32();
    seedGenerator(arena, state, chars, seed);
    k.rngFillInt32(state, out, N);
    const got = arena.i32(out, N);
    let firstDiff = -1;
    for (let i = 0; i < N && firstDiff < 0; i++) if (got[i] !== expected[i]) firstDiff = i;
    expect(firstDiff).toBe(-1);
  });

  it.each(SEEDS.slice(0, 10).map((s) => [JSON.stringify(s), s] as const))('prng() and prng.double() of seed %s match seedrandom', (_, seed) => {
    const oracle = seedrandom.xor4096(seed as string);
    seedGenerator(arena, state, chars, seed);
    // interleave the two, as a chain does, so that the streams stay in step
    for (let i = 0; i < 10_000; i++) {
      if (i % 3 === 0) expect(k.rngDouble(state)).toBe(oracle.double());
      else expect(k.rngUniform32(state)).toBe(oracle());
    }
    k.rngFillDouble(state, outF, 10_000);
    const d = arena.f64(outF, 10_000);
    for (let i = 0; i < 10_000; i++) if (d[i] !== oracle.double()) throw new Error(`double ${i} differs`);
  });

  it('uniform doubles carry 53 random bits and stay in (0, 1)', () => {
    seedGenerator(arena, state, chars, 'bits');
    k.rngFillDouble(state, outF, 20_000);
    const d = arena.f64(outF, 20_000);
    let lowBitSet = 0;
    for (const x of d) {
      expect(x > 0 && x < 1).toBe(true);
      // the lowest of 53 bits: x * 2^53 is an integer whose parity is random
      if ((x * 2 ** 53) % 2 === 1) lowBitSet++;
    }
    // binomial(20000, 1/2): 5 standard errors = 5 * sqrt(20000) / 2 ~ 354
    expect(Math.abs(lowBitSet - 10_000)).toBeLessThan(354);
  });

  it('seed 0 and -0, which zero some generators, give a working stream', () => {
    for (const seed of [0, -0]) {
      seedGenerator(arena, state, chars, seed);
      k.rngFillDouble(state, outF, 1000);
      const d = arena.f64(outF, 1000);
      expect(new Set(d).size).toBe(1000);
    }
  });
});
