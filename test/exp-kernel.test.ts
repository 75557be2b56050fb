// Accuracy and reproducibility of expKernel (assembly/exp-kernel.ts), the
// exponential of the KDE's kernel sums, on every backend:
// - a dense sweep of [-708, 0], the ends of the reduced range (x near
//   (k + 1/2) ln 2, where |r| is largest) and small |x|, against a 50-digit
//   decimal.js reference (test/exact-decimal.ts): below MAX_ULP everywhere;
// - special values exactly: 0, -0, tiny, the flush threshold -708 and the
//   doubles beside it, -Infinity, NaN;
// - js, wasm and wasm-simd give the same bits for every input (expKernelFill:
//   the SIMD build two lanes at a time through expKernelLanes, the others the
//   scalar), and the scalar export agrees with the fill.
import { beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { loadBackend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import type { BackendName } from '../src/kernels/abi.js';
import { D, exactOf, ulpError } from './exact-decimal.js';

const BACKENDS: readonly BackendName[] = ['js', 'wasm', 'wasm-simd'];
/** The bound asserted: the measured maximum (printed by the test) is below it. */
const MAX_ULP = 1;
const THRESHOLD = -708;
const LN2 = 0.6931471805599453;

/** The next double towards -Infinity / +Infinity. */
function nextDown(x: number): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  const bits = b.getBigUint64(0);
  if (x === 0) return -Number.MIN_VALUE;
  b.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return b.getFloat64(0);
}
function nextUp(x: number): number {
  return -nextDown(-x);
}

/** Finite inputs in [-708, 0] whose error is measured (odd count: the SIMD fill's scalar tail runs too). */
function sweepInputs(): Float64Array {
  const xs: number[] = [];
  const rng = seedrandom.xor4096('exp-kernel');
  const N = 12_001;
  for (let i = 0; i < N; i++) xs.push(THRESHOLD * (i + rng()) / N); // dense over [-708, 0]
  for (let k = 0; k >= -1021; k -= 7) {
    // the ends of the reduced range around k ln 2, where |r| is about ln2 / 2
    const mid = (k - 0.5) * LN2;
    if (mid >= THRESHOLD) xs.push(mid, nextUp(mid), nextDown(mid), mid + 1e-9, mid - 1e-9);
  }
  for (let e = -1; e >= -60; e--) xs.push(-(2 ** e), -(2 ** e) * (1 + rng()));
  xs.push(0, -0, -1e-300, -Number.MIN_VALUE, THRESHOLD, nextUp(THRESHOLD), -LN2 / 2, -LN2, -1, -700);
  if (xs.length % 2 === 0) xs.push(-3.5);
  return Float64Array.from(xs);
}

/** Inputs with an exact expected result (Object.is): the flush, the non-finite inputs, e^0 = 1. */
const EDGES: [number, number][] = [
  [0, 1],
  [-0, 1],
  [-Number.MIN_VALUE, 1],
  [-1e-300, 1],
  [nextDown(THRESHOLD), 0],
  [-708.5, 0],
  [-745.2, 0],
  [-1e300, 0],
  [-Infinity, 0],
  [NaN, NaN],
];

const INPUTS = sweepInputs();
const outputs = new Map<BackendName, { sweep: Float64Array; edges: Float64Array; scalar: number[] }>();

function fill(b: Awaited<ReturnType<typeof loadBackend>>, inputs: Float64Array): Float64Array {
  const a = new Arena(b);
  try {
    const n = inputs.length;
    const src = a.allocF64(n);
    const out = a.allocF64(n);
    a.f64(src, n).set(inputs);
    b.kernels.expKernelFill(src, out, n);
    return a.f64(out, n).slice();
  } finally {
    a.release();
  }
}

beforeAll(async () => {
  for (const name of BACKENDS) {
    const b = await loadBackend(name);
    const edgeInputs = Float64Array.from(EDGES, (e) => e[0]);
    outputs.set(name, { sweep: fill(b, INPUTS), edges: fill(b, edgeInputs), scalar: [...INPUTS].map((x) => b.kernels.expKernel(x)) });
  }
}, 120_000);

const bitsOf = (a: Float64Array) => new BigUint64Array(a.buffer, a.byteOffset, a.length);

describe('expKernel', () => {
  it(`is within ${MAX_ULP} ulp of a 50-digit reference on ${INPUTS.length} inputs in [-708, 0]`, () => {
    const got = outputs.get('js')!.sweep;
    let worst = 0;
    let worstX = 0;
    for (let i = 0; i < INPUTS.length; i++) {
      const ref = D.exp(exactOf(INPUTS[i]));
      const e = ulpError(got[i], ref);
      if (e > worst) [worst, worstX] = [e, INPUTS[i]];
    }
    console.log(`expKernel: max ${worst.toFixed(4)} ulp (at x = ${worstX}) over ${INPUTS.length} inputs`);
    expect(worst).toBeLessThan(MAX_ULP);
  });

  it('gives the exact results at the edges: 0, -0, tiny, the flush below -708, -Infinity, NaN', () => {
    for (const name of BACKENDS) {
      const got = outputs.get(name)!.edges;
      EDGES.forEach(([x, want], i) => expect(Object.is(got[i], want), `${name}: expKernel(${x}) = ${got[i]}, want ${want}`).toBe(true));
    }
    // the last input kept is a normal double, the first flushed one +0
    const atThreshold = outputs.get('js')!.sweep[INPUTS.indexOf(THRESHOLD)];
    expect(atThreshold).toBeGreaterThanOrEqual(2 ** -1022);
  });

  it('gives the same bits on js, wasm and wasm-simd (fill and scalar export)', () => {
    const js = bitsOf(outputs.get('js')!.sweep);
    for (const name of BACKENDS) {
      const o = outputs.get(name)!;
      const b = bitsOf(o.sweep);
      for (let i = 0; i < js.length; i++) {
        if (b[i] !== js[i]) expect.fail(`${name}: expKernel(${INPUTS[i]}) = ${o.sweep[i]}, js ${outputs.get('js')!.sweep[i]}`);
      }
      expect(bitsOf(Float64Array.from(o.scalar))).toEqual(js);
      expect(bitsOf(o.edges)).toEqual(bitsOf(outputs.get('js')!.edges));
    }
  });
});
