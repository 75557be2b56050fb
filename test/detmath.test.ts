// Accuracy and reproducibility of the deterministic exp and log kernels
// (assembly/detmath.ts, ports of fdlibm e_exp.c / e_log.c) on every backend.
//
// - ~10^5 deterministic inputs per function, compared with a 40-digit
//   decimal.js reference (computed once, shared by all backends): the error
//   must stay below 1 ulp everywhere.
// - Special values are checked exactly (Object.is).
// - The three backends must return identical bits for every input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import seedrandom from 'seedrandom';
import { loadBackend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import type { BackendName } from '../src/kernels/abi.js';

const BACKENDS: readonly BackendName[] = ['js', 'wasm', 'wasm-simd'];
const PRECISION = 40;
const D = Decimal.clone({ precision: PRECISION, minE: -9e15, maxE: 9e15 });
type Dec = InstanceType<typeof D>;

// ---------------------------------------------------------------- doubles

const scratchF = new Float64Array(1);
const scratchU = new BigUint64Array(scratchF.buffer);

function bitsOf(x: number): bigint {
  scratchF[0] = x;
  return scratchU[0];
}

function fromBits(b: bigint): number {
  scratchU[0] = BigInt.asUintN(64, b);
  return scratchF[0];
}

/** 2^k for -1074 <= k <= 1023, built from its bits (exact). */
function pow2(k: number): number {
  if (k >= -1022) return fromBits(BigInt(k + 1023) << 52n);
  return fromBits(1n << BigInt(k + 1074));
}

/** x 2^k, exact when the result is a normal double (two steps keep 2^k in range). */
function scale2(x: number, k: number): number {
  const h = Math.trunc(k / 2);
  return x * pow2(h) * pow2(k - h);
}

/** floor(log2 x) for a positive finite x, subnormals included. */
function floorLog2(x: number): number {
  if (x < pow2(-1022)) return floorLog2(x * 2 ** 64) - 64;
  return Number((bitsOf(x) >> 52n) & 0x7ffn) - 1023;
}

/** The next double above / below x (finite x). */
const nextUp = (x: number): number => (x === 0 ? pow2(-1074) : x > 0 ? fromBits(bitsOf(x) + 1n) : fromBits(bitsOf(x) - 1n));
const nextDown = (x: number): number => -nextUp(-x);

const MAX = Number.MAX_VALUE;
const MIN_SUB = pow2(-1074); // 5e-324
const EXP_OVER = 7.09782712893383973096e+2; // fdlibm o_threshold: largest x with finite exp(x)
const EXP_UNDER = -7.45133219101941108420e+2; // fdlibm u_threshold: smallest x with exp(x) > 0
const LN2 = Math.LN2;

// ---------------------------------------------------------------- exact decimal of a double

const pow5 = new Map<number, bigint>();

/**
 * The exact value of the double x as a Decimal: x = m 2^e = (m 5^-e) 10^e.
 * (A Decimal built from x's shortest round-trip string is not x.) The
 * constructor keeps every digit; precision applies only to operations.
 */
function exactDecimal(x: number): Dec {
  const bits = bitsOf(x);
  const neg = bits >> 63n === 1n;
  const field = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (field !== 0) {
    m |= 1n << 52n;
    e = field - 1075;
  }
  let s: string;
  if (e >= 0) s = (m << BigInt(e)).toString();
  else {
    let p = pow5.get(-e);
    if (p === undefined) pow5.set(-e, (p = 5n ** BigInt(-e)));
    s = `${m * p}e${e}`;
  }
  return new D(neg ? `-${s}` : s);
}

const pow2Dec = new Map<number, Dec>();
/** 2^k to 40 digits. */
function pow2D(k: number): Dec {
  let p = pow2Dec.get(k);
  if (p === undefined) pow2Dec.set(k, (p = new D(2).pow(k)));
  return p;
}

// ---------------------------------------------------------------- 40-digit exp and ln

// decimal.js's own exp / ln take ~60-80 us each at 40 digits on arguments of
// size ~1; 2 x 10^5 of them would take ~15 s. Reducing the argument first, in
// 60-digit arithmetic and with small tables of decimal.js values, leaves
// decimal.js arguments within 1/1024 of 0 (exp) or 1 (ln), where it is 2-3
// times faster; the reduction adds a few 1e-40 of relative error. A sample
// is checked against the unreduced decimal.js functions below.
const D60 = Decimal.clone({ precision: 60, minE: -9e15, maxE: 9e15 });
const LN2_60 = new D60(2).ln();
const TABLE = 1024;
const expTable = new Map<number, Dec>(); // j -> e^(j/1024)
const lnTable = new Map<number, Dec>(); // j -> ln(j/1024)

function cached(table: Map<number, Dec>, j: number, make: () => Dec): Dec {
  let v = table.get(j);
  if (v === undefined) table.set(j, (v = make()));
  return v;
}

/** e^x = 2^k e^(j/1024) e^r, x = k ln2 + j/1024 + r, |r| <= 1/2048. */
function refExp(x: number): Dec {
  const k = Math.round(x / Math.LN2);
  const xd = new D60(exactDecimal(x)).toSD(60);
  const r1 = k === 0 ? xd : xd.minus(LN2_60.times(k)); // |r1| <= ln2 / 2, 60 digits
  const j = Math.round(r1.toNumber() * TABLE);
  const r = j === 0 ? r1 : r1.minus(new D60(j).div(TABLE)); // j / 1024 exact
  let y = new D(r).exp();
  if (j !== 0) y = y.times(cached(expTable, j, () => new D(j).div(TABLE).exp()));
  return k === 0 ? y : y.times(pow2D(k));
}

/** ln x = e ln2 + ln(j/1024) + ln(m / (j/1024)), x = m 2^e exactly, sqrt(1/2) <= m < sqrt(2). */
function refLn(x: number): Dec {
  let e = floorLog2(x);
  let m = scale2(x, -e); // in [1, 2), exact
  if (m >= Math.SQRT2) {
    m /= 2; // exact
    e += 1;
  }
  const j = Math.round(m * TABLE);
  const md = exactDecimal(m); // at most 53 significant bits: a short exact decimal
  const q = j === TABLE ? md : new D60(md).times(TABLE).div(j); // within 1/1024 of 1, 60 digits
  let sum = new D60(new D(q).ln());
  if (j !== TABLE) sum = sum.plus(cached(lnTable, j, () => new D60(j).div(TABLE).ln()));
  if (e !== 0) sum = sum.plus(LN2_60.times(e));
  return new D(sum);
}

// ---------------------------------------------------------------- reference

const KIND_ULP = 0; // finite non-zero reference: error measured in ulps
const KIND_INF = 1; // reference beyond the overflow rounding threshold: +Inf expected
const KIND_ZERO = 2; // reference exactly 0 (log(1)): +0 expected
const KIND_SKIP = 3; // special input (NaN, +-Inf, log of x <= 0): checked in the edge-case tests

/**
 * The reference of each input in ulp units, so that the error of a result c
 * is |c / 2^ulpExp - (refInt + refFrac)| in plain double arithmetic, both
 * terms near 2^52 and their difference exact.
 */
interface Reference {
  kind: Uint8Array;
  neg: Uint8Array;
  ulpExp: Int32Array;
  refInt: Float64Array;
  refFrac: Float64Array;
}

/** The smallest magnitude that rounds to +Inf: 2^1024 - 2^970 (max + half an ulp). */
const OVERFLOW_EDGE = exactDecimal(MAX).plus(exactDecimal(pow2(970)));
const NORMAL_MIN = exactDecimal(pow2(-1022));

function reference(inputs: Float64Array, fn: (x: number) => Dec, special: (x: number) => boolean): Reference {
  const n = inputs.length;
  const r: Reference = {
    kind: new Uint8Array(n),
    neg: new Uint8Array(n),
    ulpExp: new Int32Array(n),
    refInt: new Float64Array(n),
    refFrac: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const x = inputs[i];
    if (special(x)) {
      r.kind[i] = KIND_SKIP;
      continue;
    }
    const y = fn(x);
    if (y.isZero()) {
      r.kind[i] = KIND_ZERO;
      continue;
    }
    const a = y.abs();
    r.neg[i] = y.isNeg() ? 1 : 0;
    if (a.gte(OVERFLOW_EDGE)) {
      r.kind[i] = KIND_INF;
      continue;
    }
    let e: number;
    if (a.lt(NORMAL_MIN)) e = -1074; // subnormal (or rounds to 0): spacing 2^-1074
    else {
      const approx = a.toNumber();
      const b = bitsOf(approx);
      e = Number((b >> 52n) & 0x7ffn) - 1023;
      // a just below a power of two may round up to it: stay in a's binade
      if ((b & ((1n << 52n) - 1n)) === 0n && a.lt(pow2D(e))) e -= 1;
      e -= 52;
    }
    const scaled = a.times(pow2D(-e));
    const int = scaled.floor();
    r.ulpExp[i] = e;
    r.refInt[i] = int.toNumber();
    r.refFrac[i] = scaled.minus(int).toNumber();
  }
  return r;
}

/** Error in ulps of the result c for input i (Infinity when a special result is wrong). */
function ulpError(ref: Reference, i: number, c: number): number {
  switch (ref.kind[i]) {
    case KIND_INF:
      return c === (ref.neg[i] ? -Infinity : Infinity) ? 0 : Infinity;
    case KIND_ZERO:
      return Object.is(c, 0) ? 0 : Infinity;
    case KIND_SKIP:
      return 0;
  }
  if (!Number.isFinite(c)) return Infinity;
  const v = ref.neg[i] ? -c : c;
  const scaled = scale2(v, -ref.ulpExp[i]); // exact: near 2^52 unless c is far off
  return Math.abs(scaled - ref.refInt[i] - ref.refFrac[i]);
}

// ---------------------------------------------------------------- inputs

function expInputs(): Float64Array {
  const rng = seedrandom.xor4096('detmath-exp');
  const u = () => rng.double();
  const xs: number[] = [];
  const add = (count: number, gen: () => number) => {
    for (let k = 0; k < count; k++) xs.push(gen());
  };
  add(25000, () => -745.2 + 1455 * u()); // the whole finite domain
  add(25000, () => 2 * u() - 1); // |x| < 1
  add(10000, () => (u() < 0.5 ? -1 : 1) * u() * 2 ** -Math.floor(70 * u())); // near 0, down to 2^-70
  add(8000, () => EXP_OVER + (u() - 0.5) * 2e-9); // overflow edge, both sides
  add(2000, () => 709 + 0.8 * u());
  add(8000, () => EXP_UNDER + (u() - 0.5) * 2e-9); // underflow edge, both sides
  add(2000, () => -745.2 + 1.2 * u());
  add(20000, () => -745.14 + (745.14 - 708.39) * u()); // subnormal results
  // reduction boundaries (k + 1/2) ln2, where the rounding of k flips
  add(10000, () => (Math.floor(2100 * u()) - 1075.5) * LN2 * (1 + (u() - 0.5) * 1e-12));
  // near k ln2, k != 0: results near powers of two, r near 0
  add(10000, () => (Math.floor(2100 * u()) - 1075) * LN2 + (u() < 0.5 ? -1 : 1) * u() * 2 ** -Math.floor(45 * u()));
  // the bit neighbours of the thresholds
  for (let d = 0, a = EXP_OVER, b = EXP_OVER; d < 100; d++, a = nextUp(a), b = nextDown(b)) xs.push(a, b);
  for (let d = 0, a = EXP_UNDER, b = EXP_UNDER; d < 100; d++, a = nextUp(a), b = nextDown(b)) xs.push(a, b);
  return Float64Array.from(xs);
}

function logInputs(): Float64Array {
  const rng = seedrandom.xor4096('detmath-log');
  const u = () => rng.double();
  const xs: number[] = [];
  const add = (count: number, gen: () => number) => {
    for (let k = 0; k < count; k++) xs.push(gen());
  };
  const lo32 = () => BigInt(rng.int32() >>> 0);
  // random bit patterns of positive finite doubles: log-uniform over all of them
  add(50000, () => {
    for (;;) {
      const hi = rng.int32() & 0x7fffffff;
      if (hi >>> 20 !== 0x7ff) return fromBits((BigInt(hi) << 32n) | lo32());
    }
  });
  // subnormals of every magnitude
  add(6000, () => {
    const m = (BigInt(rng.int32() & 0xfffff) << 32n) | lo32();
    const x = fromBits(m >> BigInt(Math.floor(52 * u())));
    return x === 0 ? MIN_SUB : x;
  });
  // near 1, both sides, down to a few ulps away
  add(30000, () => 1 + (u() < 0.5 ? -1 : 1) * u() * 2 ** -Math.floor(54 * u()));
  for (let d = 0, a = 1, b = 1; d < 500; d++) xs.push((a = nextUp(a)), (b = nextDown(b)));
  // near every power of two, both sides, down to 1 ulp: log x = k ln2 + f with
  // tiny f (fdlibm's |f| < 2^-20 branch for k != 0)
  add(15000, () => {
    const field = BigInt(1 + Math.floor(2046 * u()));
    const m = BigInt(Math.floor(u() * 2 ** (52 - Math.floor(20 + 33 * u())))); // < 2^32
    return fromBits((field << 52n) | (u() < 0.5 ? m : (1n << 52n) - 1n - m));
  });
  // the reduction boundary sqrt(2) 2^k, and uniform on (0, 10)
  add(10000, () => Math.SQRT2 * pow2(Math.floor(2040 * u()) - 1020) * (1 + (u() - 0.5) * 1e-6));
  add(10000, () => 10 * u() || 1);
  return Float64Array.from(xs.filter((x) => x !== 1)); // log(1) is an edge case
}

// ---------------------------------------------------------------- edge cases

const nan = Number.NaN;
const EXP_EDGES: [number, number][] = [
  [0, 1], [-0, 1], [Infinity, Infinity], [-Infinity, 0], [nan, nan],
  [MIN_SUB, 1], [-MIN_SUB, 1], [MAX, Infinity], [-MAX, 0],
  // fdlibm's exp(1) is the double above e (0.67 ulp off; V8's Math.exp special-cases 1)
  [1, nextUp(Math.E)], [-1, 0.36787944117144233],
  [EXP_OVER, 1.7976931348622732e308], [nextUp(EXP_OVER), Infinity], [709.8, Infinity], [710, Infinity],
  [EXP_UNDER, MIN_SUB], [nextDown(EXP_UNDER), 0], [-745.2, 0], [-746, 0], [-1000, 0],
  [2 ** -30, 1 + 2 ** -30], [-(2 ** -60), 1], [2 ** -60, 1],
];
const LOG_EDGES: [number, number][] = [
  [0, -Infinity], [-0, -Infinity], [Infinity, Infinity], [-Infinity, nan], [nan, nan],
  [1, 0], [-1, nan], [-MIN_SUB, nan], [-MAX, nan],
  [MIN_SUB, -744.4400719213812], [MAX, 709.782712893384],
  [2, Math.LN2], [10, Math.LN10], [Math.E, 1],
];

// ---------------------------------------------------------------- the runs

const EXP_IN = expInputs();
const LOG_IN = logInputs();
const isSpecialExp = (x: number) => !Number.isFinite(x);
const isSpecialLog = (x: number) => !Number.isFinite(x) || x <= 0;

let expRef: Reference;
let logRef: Reference;
let referenceMs = 0;
const outputs = new Map<BackendName, { exp: Float64Array; log: Float64Array; expEdges: Float64Array; logEdges: Float64Array }>();
const summary: Record<string, { maxUlp: number; correctlyRounded: number; n: number; sameAsMath: number }> = {};

/** Runs expFill / logFill on `inputs` in one arena and copies the results out. */
function fill(b: Awaited<ReturnType<typeof loadBackend>>, which: 'expFill' | 'expRowFill' | 'expRowFillNonPositive' | 'logFill', inputs: Float64Array): Float64Array {
  const a = new Arena(b);
  try {
    const n = inputs.length;
    const src = a.allocF64(n);
    const out = a.allocF64(n);
    a.f64(src, n).set(inputs);
    b.kernels[which](src, out, n);
    return a.f64(out, n).slice();
  } finally {
    a.release();
  }
}

beforeAll(async () => {
  const t0 = performance.now();
  expRef = reference(EXP_IN, refExp, isSpecialExp);
  logRef = reference(LOG_IN, refLn, isSpecialLog);
  referenceMs = performance.now() - t0;
  for (const name of BACKENDS) {
    const b = await loadBackend(name);
    outputs.set(name, {
      exp: fill(b, 'expFill', EXP_IN),
      log: fill(b, 'logFill', LOG_IN),
      expEdges: fill(b, 'expFill', Float64Array.from(EXP_EDGES, (e) => e[0])),
      logEdges: fill(b, 'logFill', Float64Array.from(LOG_EDGES, (e) => e[0])),
    });
  }
}, 120_000);

afterAll(() => {
  const lines = Object.entries(summary).map(
    ([k, s]) => `  ${k.padEnd(16)} n=${s.n}  max ${s.maxUlp.toFixed(4)} ulp  correctly rounded ${(100 * s.correctlyRounded).toFixed(3)}%  same bits as Math.${k.split(' ')[1]} ${(100 * s.sameAsMath).toFixed(3)}%`,
  );
  console.log(`detmath vs ${PRECISION}-digit decimal.js (reference ${Math.round(referenceMs)} ms):\n${lines.join('\n')}`);
});

describe('reference machinery', () => {
  it('converts doubles to decimals exactly', () => {
    expect(exactDecimal(0.1).toFixed()).toBe('0.1000000000000000055511151231257827021181583404541015625');
    // 2^-1074 = 5^1074 / 10^1074: all 751 significant digits are kept
    expect(exactDecimal(-MIN_SUB).toFixed()).toBe(`-0.${(5n ** 1074n).toString().padStart(1074, '0')}`);
    expect(exactDecimal(MAX).toFixed()).toBe(((2n ** 53n - 1n) << 971n).toString());
    expect(bitsOf(pow2(-1074))).toBe(1n);
    expect(pow2(1023)).toBe(2 ** 1023);
  });

  it('reduced exp / ln agree with decimal.js exp / ln on a sample of the inputs', () => {
    // the direct route: the exact input, rounded to 60 digits (a relative
    // change of 1e-60) to keep decimal.js fast on the long expansions of tiny doubles
    const direct = (x: number, f: 'exp' | 'ln') => new D(exactDecimal(x).toSD(60))[f]();
    let worst = 0;
    for (let i = 0; i < EXP_IN.length; i += 97) {
      const want = direct(EXP_IN[i], 'exp');
      worst = Math.max(worst, refExp(EXP_IN[i]).minus(want).div(want).abs().toNumber());
    }
    for (let i = 0; i < LOG_IN.length; i += 97) {
      const want = direct(LOG_IN[i], 'ln');
      worst = Math.max(worst, refLn(LOG_IN[i]).minus(want).div(want).abs().toNumber());
    }
    expect(worst).toBeLessThan(1e-36);
  });

  it('measures ulps as intended', () => {
    const ref = reference(Float64Array.of(1, 0, 2), refExp, isSpecialExp);
    expect(ulpError(ref, 0, Math.E)).toBeLessThan(0.5);
    expect(ulpError(ref, 0, nextUp(Math.E))).toBeGreaterThan(0.5);
    expect(ulpError(ref, 0, nextUp(Math.E))).toBeLessThan(1.5);
    expect(ulpError(ref, 1, 1)).toBe(0);
    // exp(0) = 1 exactly: errors are in ulps of the reference's binade (2^-52)
    expect(ulpError(ref, 1, nextUp(1))).toBe(1);
    expect(ulpError(ref, 1, nextDown(1))).toBe(0.5);
    expect(ulpError(ref, 2, Math.exp(2))).toBeLessThan(1);
  });
});

describe.each(BACKENDS)('backend %s', (name) => {
  for (const fn of ['exp', 'log'] as const) {
    it(`${fn} is within 1 ulp of the reference on ${fn === 'exp' ? EXP_IN.length : LOG_IN.length} inputs`, () => {
      const inputs = fn === 'exp' ? EXP_IN : LOG_IN;
      const ref = fn === 'exp' ? expRef : logRef;
      const got = outputs.get(name)![fn];
      let max = 0;
      let worst = -1;
      let good = 0;
      let counted = 0;
      for (let i = 0; i < inputs.length; i++) {
        if (ref.kind[i] === KIND_SKIP) continue;
        const err = ulpError(ref, i, got[i]);
        counted++;
        if (err < 0.5) good++; // no ties: the references are transcendental or exact
        if (!(err <= max)) {
          max = err;
          worst = i;
        }
      }
      // information only: how often the engine's Math function gives the same bits
      // (V8's Math.exp / Math.log are fdlibm ports too, so ~100% there)
      const mathFn = fn === 'exp' ? Math.exp : Math.log;
      let sameAsMath = 0;
      for (let i = 0; i < inputs.length; i++) if (Object.is(mathFn(inputs[i]), got[i])) sameAsMath++;
      summary[`${name} ${fn}`] = { maxUlp: max, correctlyRounded: good / counted, n: counted, sameAsMath: sameAsMath / inputs.length };
      expect(max, `${fn}(${inputs[worst]}) = ${got[worst]} is ${max} ulp off`).toBeLessThan(1);
    });
  }

  it('returns the exact special values (fill and scalar entry points)', async () => {
    const b = await loadBackend(name);
    const o = outputs.get(name)!;
    EXP_EDGES.forEach(([x, want], i) => {
      expect(Object.is(o.expEdges[i], want), `expFill(${x}) = ${o.expEdges[i]}, want ${want}`).toBe(true);
      expect(Object.is(b.kernels.exp(x), want), `exp(${x}) = ${b.kernels.exp(x)}, want ${want}`).toBe(true);
    });
    LOG_EDGES.forEach(([x, want], i) => {
      expect(Object.is(o.logEdges[i], want), `logFill(${x}) = ${o.logEdges[i]}, want ${want}`).toBe(true);
      expect(Object.is(b.kernels.log(x), want), `log(${x}) = ${b.kernels.log(x)}, want ${want}`).toBe(true);
    });
    // where Math.exp / Math.log are exact, the kernels agree with them
    for (const x of [0, -0]) expect(Object.is(b.kernels.exp(x), Math.exp(x))).toBe(true);
    for (const x of [1, 0, Infinity, -1]) expect(Object.is(b.kernels.log(x), Math.log(x))).toBe(true);
    expect(Object.is(b.kernels.log(1), 0)).toBe(true); // +0, not -0
  });

  it('exp: +Inf above the overflow threshold, +0 below the underflow one, subnormal results between', () => {
    const o = outputs.get(name)!;
    const bad: number[] = [];
    for (let i = 0; i < EXP_IN.length; i++) {
      const x = EXP_IN[i];
      const y = o.exp[i];
      let ok: boolean;
      if (x > EXP_OVER) ok = y === Infinity;
      else if (x < EXP_UNDER) ok = Object.is(y, 0);
      else if (x < -708.4) ok = y > 0 && y < pow2(-1022) * 1.01;
      else ok = Number.isFinite(y) && y > 0;
      if (!ok) bad.push(x);
    }
    expect(bad.slice(0, 5), `${bad.length} inputs`).toEqual([]);
  });
});

describe('reproducibility', () => {
  it('every backend returns the identical bits for every input', () => {
    const base = outputs.get('js')!;
    for (const name of BACKENDS) {
      const o = outputs.get(name)!;
      for (const key of ['exp', 'log', 'expEdges', 'logEdges'] as const) {
        const want = new BigUint64Array(base[key].buffer, base[key].byteOffset, base[key].length);
        const got = new BigUint64Array(o[key].buffer, o[key].byteOffset, o[key].length);
        expect(got.length).toBe(want.length);
        let first = -1;
        let count = 0;
        for (let i = 0; i < want.length; i++) {
          if (got[i] !== want[i]) {
            if (first < 0) first = i;
            count++;
          }
        }
        expect(count, `${name} ${key}: ${count} results differ from js, first at index ${first}`).toBe(0);
      }
    }
  });
});

describe("the SIMD build's two-lane exp (expLanes behind expFill, expRowLanes behind expRowFill, expRowLanesNonPositive behind expRowFillNonPositive)", () => {
  it('gives the scalar exp bits with every path boundary and special value in either lane, beside any other', async () => {
    const simd = await loadBackend('wasm-simd');
    expect(simd.kernels.simdBuild()).toBe(1);
    // where expLanes switches path: k = 0 below 0.5 ln2 (hx 0x3fd62e43), the
    // k = +-1 band up to 1.5 ln2 (hx 0x3ff0a2b2), 2^-28, the vector limit 707,
    // and the rounding flips of k at (j + 1/2) ln2
    const cuts = [fromBits(0x3fd62e43n << 32n), 0.5 * LN2, fromBits(0x3ff0a2b2n << 32n), 1.5 * LN2, 2 ** -28, 707, 708.39, 709.78, 745.1];
    for (let j = -1021; j <= 1021; j += 97) cuts.push(Math.abs((j + 0.5) * LN2));
    const special: number[] = EXP_EDGES.map((e) => e[0]);
    for (const c of cuts) {
      for (let x = c, y = c, s = 0; s < 4; s++, x = nextUp(x), y = nextDown(y)) special.push(x, -x, y, -y);
    }
    const plain = [-3.7, -0.2, 0.1, 2.5, -40, 1e-5];
    const xs: number[] = [];
    for (const s of special) for (const p of plain) xs.push(s, p, p, s); // lane 0 and lane 1
    for (let i = 0; i + 1 < special.length; i += 2) xs.push(special[i], special[i + 1]);
    // expLanes, and expRowLanes (its operations in a loop, for the E-step);
    // expRowLanesNonPositive on the lanes of its domain, x <= 0 and NaN (+0 and -0 included)
    const nonPositive = [0, -0, ...xs.filter((x) => !(x > 0))];
    expect(nonPositive.filter((x) => x < 0).length).toBeGreaterThan(400);
    for (const [which, inputs] of [['expFill', xs], ['expRowFill', xs], ['expRowFillNonPositive', nonPositive]] as const) {
      const got = fill(simd, which, Float64Array.from(inputs));
      const bad = inputs.filter((x, i) => !Object.is(got[i], simd.kernels.exp(x)));
      expect(bad.slice(0, 5), `${which}: ${bad.length} of ${inputs.length} lanes differ from the scalar exp`).toEqual([]);
    }
  });
});

describe("the SIMD build's two-lane log (logLanes, behind logFill)", () => {
  it('gives the scalar log bits with every path boundary and special value in either lane, beside any other', async () => {
    const simd = await loadBackend('wasm-simd');
    // where the scalar log switches path: the mantissa at sqrt(2) (x or x/2),
    // the "big" window [1.38, 1.42] of the mantissa (hx 0x6147a, 0x6b851),
    // |f| < 2^-20 near every power of two, k = 0 (x in [sqrt(2)/2, sqrt(2))),
    // the smallest normal and the subnormals below it
    const mant = (m: number, e: number) => fromBits((BigInt(1023 + e) << 52n) | BigInt(m));
    const cuts = [1, 2, 0.5, Math.SQRT2, Math.SQRT1_2, 2 ** -1022, 2 ** 1023, MAX, 1 + 2 ** -20, 1 - 2 ** -21, 2 * (1 + 2 ** -20)];
    for (const e of [-1000, -1, 0, 1, 700]) {
      for (const hi of [0x6147a, 0x6b851, 0x95f64 ^ 0xfffff, 0x6a09e]) cuts.push(mant(hi * 2 ** 32, e));
    }
    const special: number[] = LOG_EDGES.map((e) => e[0]);
    for (const c of cuts) {
      for (let x = c, y = c, s = 0; s < 4; s++, x = nextUp(x), y = nextDown(y)) special.push(x, y);
    }
    const plain = [1.7, 0.3, 1e-5, 123.25, 1 + 1e-3];
    const xs: number[] = [];
    for (const s of special) for (const p of plain) xs.push(s, p, p, s); // lane 0 and lane 1
    for (let i = 0; i + 1 < special.length; i += 2) xs.push(special[i], special[i + 1]);
    const got = fill(simd, 'logFill', Float64Array.from(xs));
    const bad = xs.filter((x, i) => !Object.is(got[i], simd.kernels.log(x)));
    expect(bad.slice(0, 5), `${bad.length} of ${xs.length} lanes differ from the scalar log`).toEqual([]);
  });
  it('gives the scalar log bits for |f| < 2^-20 (x near a power of two, as 1 + e from log-sum-exp), now on the vector path', async () => {
    const simd = await loadBackend('wasm-simd');
    const u = seedrandom('logLanes near 1');
    const xs: number[] = [];
    // 1 + e and 1 - e, e down to 1 ulp, and the same scaled by 2^k (k != 0), both sides
    for (let i = 0; i < 20000; i++) {
      const e = u() * 2 ** -(20 + Math.floor(34 * u()));
      const k = i % 4 === 0 ? 0 : Math.floor(u() * 200) - 100;
      xs.push((1 + (u() < 0.5 ? e : -e / 2)) * 2 ** k);
    }
    xs.push(1, 2, 0.5, 2 ** 1000, 2 ** -1000); // f = 0: +0 and k LN2_HI + k LN2_LO
    const got = fill(simd, 'logFill', Float64Array.from(xs));
    const bad = xs.filter((x, i) => !Object.is(got[i], simd.kernels.log(x)));
    expect(bad.slice(0, 5), `${bad.length} of ${xs.length} lanes differ from the scalar log`).toEqual([]);
    expect(Object.is(got[xs.length - 5], 0)).toBe(true);
  });
});
