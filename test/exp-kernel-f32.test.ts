// Accuracy and reproducibility of expKernelF32 (assembly/exp-kernel-f32.ts),
// the float32 exponential of the KDE's kernel sums, on every backend:
// - a dense sweep of floats in [-87, 0], the floats at and beside the ends of
//   the reduced range (x near (k + 1/2) ln 2, where |r| is largest) and small
//   |x|, against a 50-digit decimal.js reference (test/exact-decimal.ts):
//   below MAX_ULP ulp of the float result everywhere (every float of the
//   domain: at most 0.977, scripts/sweep-exp-kernel-f32.mjs);
// - special values exactly: 0, -0, tiny, the flush threshold -87 and the
//   floats beside it, -Infinity, NaN (the canonical NaN's bits);
// - js, wasm and wasm-simd give the same bits for every input, through the
//   scalar function (expKernelF32Fill, lanes 0) and, in the SIMD build, the
//   four-lane one (lanes 1), including random floats over the whole domain.
import { beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { loadBackend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import type { BackendName } from '../src/kernels/abi.js';
import { D, exactOf, type Dec } from './exact-decimal.js';

const BACKENDS: readonly BackendName[] = ['js', 'wasm', 'wasm-simd'];
/** The bound asserted: the measured maximum (printed by the test) is below it. */
const MAX_ULP = 1;
const THRESHOLD = -87;
const LN2 = 0.6931471805599453;
const f = Math.fround;

/** The next float towards -Infinity. */
function nextDownF32(x: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x);
  const bits = b.getUint32(0);
  if (x === 0) return -(2 ** -149);
  b.setUint32(0, x > 0 ? bits - 1 : bits + 1);
  return b.getFloat32(0);
}
const nextUpF32 = (x: number) => -nextDownF32(-x);

/** |got - ref| in units of the last place of the float nearest ref (ref a normal float's size). */
function ulpErrorF32(got: number, ref: Dec): number {
  const r = Math.abs(ref.toNumber());
  let e = Math.floor(Math.log2(r));
  if (2 ** e > r) e--;
  else if (2 ** (e + 1) <= r) e++;
  return exactOf(got).minus(ref).abs().div(new D(2).pow(Math.max(e, -126) - 23)).toNumber();
}

/** Floats in [-87, 0] whose error is measured (not a multiple of 4: the SIMD fill's scalar tail runs too). */
function sweepInputs(): Float32Array {
  const xs: number[] = [];
  const rng = seedrandom.xor4096('exp-kernel-f32');
  const N = 12_001;
  for (let i = 0; i < N; i++) xs.push(f((THRESHOLD * (i + rng())) / N)); // dense over [-87, 0]
  for (let k = 0; k >= -126; k--) {
    // the ends of the reduced range around k ln 2, where |r| is about ln2 / 2
    const mid = f((k - 0.5) * LN2);
    if (mid >= THRESHOLD) xs.push(mid, nextUpF32(mid), nextDownF32(mid), nextUpF32(nextUpF32(mid)), nextDownF32(nextDownF32(mid)));
  }
  for (let e = -1; e >= -40; e--) xs.push(f(-(2 ** e)), f(-(2 ** e) * (1 + rng())));
  xs.push(0, -0, -(2 ** -149), THRESHOLD, nextUpF32(THRESHOLD), f(-LN2 / 2), f(-LN2), -1, -16.981409072875977, -80);
  if (xs.length % 4 === 0) xs.push(-3.5);
  return Float32Array.from(xs);
}

/** Random floats over the whole domain and beyond (uniform in the bits of [-0, -100]), for the bit comparison. */
function randomInputs(count: number): Float32Array {
  const rng = seedrandom.xor4096('exp-kernel-f32-bits');
  const bits = new Uint32Array(count);
  const top = 0xc2c80000; // -100
  for (let i = 0; i < count; i++) bits[i] = 0x80000000 + Math.floor(rng() * (top - 0x80000000 + 1));
  return new Float32Array(bits.buffer);
}

/** Inputs with an exact expected result (Object.is): the flush, the non-finite inputs, e^0 = 1. */
const EDGES: [number, number][] = [
  [0, 1],
  [-0, 1],
  [-(2 ** -149), 1],
  [-1e-30, 1],
  [nextDownF32(THRESHOLD), 0],
  [-87.5, 0],
  [-103.9, 0],
  [-3e38, 0],
  [-Infinity, 0],
  [NaN, NaN],
];

const INPUTS = sweepInputs();
const RANDOM = randomInputs(200_003);
const EDGE_INPUTS = Float32Array.from(EDGES, (e) => e[0]);
type Outputs = Record<'sweep' | 'random' | 'edges', Float32Array>;
/** Per backend: the scalar function's outputs (lanes 0) and the fill's with lanes 1 (the SIMD build's four-lane exp). */
const outputs = new Map<BackendName, { scalar: Outputs; lanes: Outputs }>();

function fill(b: Awaited<ReturnType<typeof loadBackend>>, inputs: Float32Array, lanes: number): Float32Array {
  const a = new Arena(b);
  try {
    const n = inputs.length;
    const src = a.allocF32(n);
    const out = a.allocF32(n);
    a.f32(src, n).set(inputs);
    b.kernels.expKernelF32Fill(src, out, n, lanes);
    return a.f32(out, n).slice();
  } finally {
    a.release();
  }
}

beforeAll(async () => {
  for (const name of BACKENDS) {
    const b = await loadBackend(name);
    const run = (lanes: number): Outputs => ({ sweep: fill(b, INPUTS, lanes), random: fill(b, RANDOM, lanes), edges: fill(b, EDGE_INPUTS, lanes) });
    outputs.set(name, { scalar: run(0), lanes: run(1) });
  }
}, 120_000);

const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('expKernelF32', () => {
  it(`is within ${MAX_ULP} ulp of a 50-digit reference on ${INPUTS.length} floats in [-87, 0]`, () => {
    const got = outputs.get('js')!.scalar.sweep;
    let worst = 0;
    let worstX = 0;
    for (let i = 0; i < INPUTS.length; i++) {
      const e = ulpErrorF32(got[i], D.exp(exactOf(INPUTS[i])));
      if (e > worst) [worst, worstX] = [e, INPUTS[i]];
    }
    console.log(`expKernelF32: max ${worst.toFixed(4)} ulp (at x = ${worstX}) over ${INPUTS.length} inputs`);
    expect(worst).toBeLessThan(MAX_ULP);
  });

  it('gives the exact results at the edges: 0, -0, tiny, the flush below -87, -Infinity, NaN', () => {
    for (const name of BACKENDS) {
      for (const mode of ['scalar', 'lanes'] as const) {
        const got = outputs.get(name)![mode].edges;
        EDGES.forEach(([x, want], i) => expect(Object.is(got[i], want), `${name} ${mode}: expKernelF32(${x}) = ${got[i]}, want ${want}`).toBe(true));
      }
    }
    // NaN is the canonical quiet NaN, whatever the backend
    expect(bitsOf(outputs.get('wasm-simd')!.lanes.edges)[EDGES.length - 1]).toBe(0x7fc00000);
    // the last input kept is a normal float, the first flushed one +0
    const atThreshold = outputs.get('js')!.scalar.sweep[INPUTS.indexOf(THRESHOLD)];
    expect(atThreshold).toBeGreaterThanOrEqual(2 ** -126);
  });

  it('gives the same bits on js, wasm and wasm-simd, scalar and four lanes, on random floats of [-100, 0]', () => {
    const js = outputs.get('js')!.scalar;
    for (const name of BACKENDS) {
      for (const mode of ['scalar', 'lanes'] as const) {
        const o = outputs.get(name)![mode];
        for (const set of ['sweep', 'random', 'edges'] as const) {
          const want = bitsOf(js[set]);
          const got = bitsOf(o[set]);
          const inputs = set === 'sweep' ? INPUTS : set === 'random' ? RANDOM : EDGE_INPUTS;
          for (let i = 0; i < want.length; i++) {
            if (got[i] !== want[i]) expect.fail(`${name} ${mode}: expKernelF32(${inputs[i]}) = ${o[set][i]}, js ${js[set][i]}`);
          }
        }
      }
    }
  });
});
