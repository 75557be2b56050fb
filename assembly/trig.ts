// sin, cos and atan, deterministic on every backend: ports of fdlibm's
// k_sin.c, k_cos.c, e_rem_pio2.c (its medium-size path) and s_atan.c (Sun
// Microsystems 1993; the method and the coefficients are fdlibm's, the code is
// written here). Only + - * / and the words of doubles (platform.ts), so the
// bits are the same everywhere, unlike a host Math. fdlibm's bound is < 1 ulp;
// test/trig.test.ts measures them against a 50-digit reference.
//
// The argument reduction is Cody-Waite's with pi/2 in three 33-bit pieces,
// exact while n = round(x / (pi/2)) fits 20 bits: sin and cos take
// |x| < 2^20 pi/2 (about 1.6e6) and give NaN beyond, which callers keep away
// from (fdlibm's Payne-Hanek path for larger x is not ported). For the
// kernels' own use: the characteristic-function quadratures of the tail mass.
import { hiWord, fromWords } from "./platform";

// __kernel_sin and __kernel_cos on [-pi/4, pi/4]
const S1: f64 = -1.66666666666666324348e-1;
const S2: f64 = 8.33333333332248946124e-3;
const S3: f64 = -1.98412698298579493134e-4;
const S4: f64 = 2.75573137070700676789e-6;
const S5: f64 = -2.50507602534068634195e-8;
const S6: f64 = 1.58969099521155010221e-10;
const C1: f64 = 4.16666666666666019037e-2;
const C2: f64 = -1.38888888888741095749e-3;
const C3: f64 = 2.48015872894767294178e-5;
const C4: f64 = -2.75573143513906633035e-7;
const C5: f64 = 2.08757232129817482790e-9;
const C6: f64 = -1.13596475577881948265e-11;

// pi/2 in pieces of 33 bits (PIO2_k) and the rest after each (PIO2_kT)
const INV_PIO2: f64 = 6.36619772367581382433e-1;
const PIO2_1: f64 = 1.57079632673412561417;
const PIO2_1T: f64 = 6.07710050650619224932e-11;
const PIO2_2: f64 = 6.07710050630396597660e-11;
const PIO2_2T: f64 = 2.02226624879595063154e-21;
const PIO2_3: f64 = 2.02226624871116645580e-21;
const PIO2_3T: f64 = 8.47842766036889956997e-32;
/** hiWord of 2^20 pi/2: the reduction is exact below it. */
const REDUCE_LIMIT_HI: i32 = 0x413921fb;

/** sin(x + y) for |x + y| <= pi/4, y the tail of x (0 when iy = 0). */
function kSin(x: f64, y: f64, iy: i32): f64 {
  if ((hiWord(x) & 0x7fffffff) < 0x3e400000) return x; // |x| < 2^-27
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy == 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x + y) for |x + y| <= pi/4, y the tail of x. */
function kCos(x: f64, y: f64): f64 {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1.0; // |x| < 2^-27
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  // 1 - z/2 split as (1 - qx) - (z/2 - qx), qx = x/4 (0.28125 above 0.78125), so the first difference is exact
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1.0 - qx;
  return a - (hz - (z * r - x * y));
}

// the reduction's results: x = n pi/2 + (y0 + y1)
let remY0: f64 = 0.0;
let remY1: f64 = 0.0;

/** n with x = n pi/2 + (remY0 + remY1), |remY0 + remY1| <= pi/4 (about), for pi/4 < |x| < 2^20 pi/2. */
function remPio2(x: f64): i32 {
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  const t = Math.abs(x);
  const fn = Math.floor(t * INV_PIO2 + 0.5);
  const n = i32(fn);
  let r = t - fn * PIO2_1;
  let w = fn * PIO2_1T; // 1st round, good to 85 bits
  const j = ix >> 20;
  let y0 = r - w;
  let i = j - ((hiWord(y0) >> 20) & 0x7ff);
  if (i > 16) {
    // cancellation: 2nd round, good to 118 bits
    let u = r;
    w = fn * PIO2_2;
    r = u - w;
    w = fn * PIO2_2T - ((u - r) - w);
    y0 = r - w;
    i = j - ((hiWord(y0) >> 20) & 0x7ff);
    if (i > 49) {
      // 3rd round, good to 151 bits
      u = r;
      w = fn * PIO2_3;
      r = u - w;
      w = fn * PIO2_3T - ((u - r) - w);
      y0 = r - w;
    }
  }
  const y1 = (r - y0) - w;
  if (hx < 0) {
    remY0 = -y0;
    remY1 = -y1;
    return -n;
  }
  remY0 = y0;
  remY1 = y1;
  return n;
}

/** sin(x), |x| < 2^20 pi/2 (NaN beyond, and for NaN or infinite x). */
export function sin(x: f64): f64 {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kSin(x, 0.0, 0); // |x| <= pi/4
  if (ix >= REDUCE_LIMIT_HI) return NaN;
  const n = remPio2(x) & 3;
  if (n == 0) return kSin(remY0, remY1, 1);
  if (n == 1) return kCos(remY0, remY1);
  if (n == 2) return -kSin(remY0, remY1, 1);
  return -kCos(remY0, remY1);
}

/** cos(x), |x| < 2^20 pi/2 (NaN beyond, and for NaN or infinite x). */
export function cos(x: f64): f64 {
  const ix = hiWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kCos(x, 0.0);
  if (ix >= REDUCE_LIMIT_HI) return NaN;
  const n = remPio2(x) & 3;
  if (n == 0) return kCos(remY0, remY1);
  if (n == 1) return -kSin(remY0, remY1, 1);
  if (n == 2) return -kCos(remY0, remY1);
  return kSin(remY0, remY1, 1);
}

// atan: atan(x) = atanhi[id] + atanlo[id] + atan of a reduced argument, |reduced| < 7/16
const ATANHI_0: f64 = 4.63647609000806093515e-1; // atan(0.5)
const ATANHI_1: f64 = 7.85398163397448278999e-1; // atan(1)
const ATANHI_2: f64 = 9.82793723247329054082e-1; // atan(1.5)
const ATANHI_3: f64 = 1.57079632679489655800; // atan(inf)
const ATANLO_0: f64 = 2.26987774529616870924e-17;
const ATANLO_1: f64 = 3.06161699786838301793e-17;
const ATANLO_2: f64 = 1.39033110312309984516e-17;
const ATANLO_3: f64 = 6.12323399573676603587e-17;
const AT0: f64 = 3.33333333333329318027e-1;
const AT1: f64 = -1.99999999998764832476e-1;
const AT2: f64 = 1.42857142725034663711e-1;
const AT3: f64 = -1.11111104054623557880e-1;
const AT4: f64 = 9.09088713343650656196e-2;
const AT5: f64 = -7.69187620504482999495e-2;
const AT6: f64 = 6.66107313738753120669e-2;
const AT7: f64 = -5.83357013379057348645e-2;
const AT8: f64 = 4.97687799461593236017e-2;
const AT9: f64 = -3.65315727442169155270e-2;
const AT10: f64 = 1.62858201153657823623e-2;

/** atan(x), in [-pi/2, pi/2]. */
export function atan(x: f64): f64 {
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x44100000) {
    // |x| >= 2^66 (or NaN)
    if (x != x) return x;
    return hx > 0 ? ATANHI_3 + ATANLO_3 : -ATANHI_3 - ATANLO_3;
  }
  let id = -1;
  let v = x;
  if (ix < 0x3fdc0000) {
    // |x| < 0.4375
    if (ix < 0x3e200000) return x; // |x| < 2^-29
  } else {
    const a = Math.abs(x);
    if (ix < 0x3ff30000) {
      // |x| < 1.1875
      if (ix < 0x3fe60000) {
        id = 0; // 7/16 <= |x| < 11/16
        v = (2.0 * a - 1.0) / (2.0 + a);
      } else {
        id = 1; // 11/16 <= |x| < 19/16
        v = (a - 1.0) / (a + 1.0);
      }
    } else if (ix < 0x40038000) {
      id = 2; // |x| < 2.4375
      v = (a - 1.5) / (1.0 + 1.5 * a);
    } else {
      id = 3; // 2.4375 <= |x| < 2^66
      v = -1.0 / a;
    }
  }
  const z = v * v;
  const w = z * z;
  // the odd polynomial split into its even and odd parts in w
  const s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
  const s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
  if (id < 0) return v - v * (s1 + s2);
  const hi = id == 0 ? ATANHI_0 : id == 1 ? ATANHI_1 : id == 2 ? ATANHI_2 : ATANHI_3;
  const lo = id == 0 ? ATANLO_0 : id == 1 ? ATANLO_1 : id == 2 ? ATANLO_2 : ATANLO_3;
  const r = hi - ((v * (s1 + s2) - lo) - v);
  return hx < 0 ? -r : r;
}
