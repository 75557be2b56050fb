// Doubles as exact decimals, and errors in ulps against a 50-digit
// decimal.js reference: for the accuracy tests of the kernels' special
// functions (test/tails.test.ts, test/trig.test.ts).
import { Decimal } from 'decimal.js';

export const D = Decimal.clone({ precision: 50, minE: -9e15, maxE: 9e15 });
export type Dec = InstanceType<typeof D>;

/** x = m 2^e exactly, as a Decimal (a Decimal of x's shortest string is not x). */
export function exactOf(x: number): Dec {
  if (x === 0) return new D(0);
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const field = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (field !== 0) {
    m |= 1n << 52n;
    e = field - 1075;
  }
  const v = new D(m.toString()).times(new D(2).pow(e));
  return x < 0 ? v.neg() : v;
}

/** |got - ref| in units of the last place of the double nearest ref. */
export function ulpError(got: number, ref: Dec): number {
  if (ref.isZero()) return got === 0 ? 0 : Infinity;
  const r = Math.abs(ref.toNumber());
  const ulp = 2 ** (Math.max(Math.floor(Math.log2(r)), -1022) - 52);
  return exactOf(got).minus(ref).abs().div(ulp).toNumber();
}
