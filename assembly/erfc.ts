// The complementary error function, deterministic on every backend: a port
// of fdlibm's erfc (s_erf.c, Sun Microsystems 1993; the method and the
// coefficients are fdlibm's, the code is written here). It uses only
// + - * / and detmath's exp, so it gives the same bits everywhere, unlike a
// host Math. Not correctly rounded (two exp results multiply): the largest
// error measured against a 50-digit reference (test/tails.test.ts) is 1.96
// ulp, where the result is above 2^-1022.
import { hiWord, fromWords } from "./platform";
import { exp } from "./detmath";

const ERX: f64 = 8.45062911510467529297e-01; // (float) erf(1)
// erf on [0, 0.84375]: x + x R(x^2), R = PP/QQ
const PP0: f64 = 1.28379167095512558561e-01;
const PP1: f64 = -3.25042107247001499370e-01;
const PP2: f64 = -2.84817495755985104766e-02;
const PP3: f64 = -5.77027029648944159157e-03;
const PP4: f64 = -2.37630166566501626084e-05;
const QQ1: f64 = 3.97917223959155352819e-01;
const QQ2: f64 = 6.50222499887672944485e-02;
const QQ3: f64 = 5.08130628187576562776e-03;
const QQ4: f64 = 1.32494738004321644526e-04;
const QQ5: f64 = -3.96022827877536812320e-06;
// erf(1 + s) - ERX on [0.84375, 1.25]: PA/QA in s
const PA0: f64 = -2.36211856075265944077e-03;
const PA1: f64 = 4.14856118683748331666e-01;
const PA2: f64 = -3.72207876035701323847e-01;
const PA3: f64 = 3.18346619901161753674e-01;
const PA4: f64 = -1.10894694282396677476e-01;
const PA5: f64 = 3.54783043256182359371e-02;
const PA6: f64 = -2.16637559486879084300e-03;
const QA1: f64 = 1.06420880400844228286e-01;
const QA2: f64 = 5.40397917702171048937e-01;
const QA3: f64 = 7.18286544141962662868e-02;
const QA4: f64 = 1.26171219808761642112e-01;
const QA5: f64 = 1.36370839120290507362e-02;
const QA6: f64 = 1.19844998467991074170e-02;
// log(x erfc(x)) + x^2 + 0.5625 on [1.25, 1/0.35]: RA/SA in 1/x^2
const RA0: f64 = -9.86494403484714822705e-03;
const RA1: f64 = -6.93858572707181764372e-01;
const RA2: f64 = -1.05586262253232909814e+01;
const RA3: f64 = -6.23753324503260060396e+01;
const RA4: f64 = -1.62396669462573470355e+02;
const RA5: f64 = -1.84605092906711035994e+02;
const RA6: f64 = -8.12874355063065934246e+01;
const RA7: f64 = -9.81432934416914548592e+00;
const SA1: f64 = 1.96512716674392571292e+01;
const SA2: f64 = 1.37657754143519042600e+02;
const SA3: f64 = 4.34565877475229228821e+02;
const SA4: f64 = 6.45387271733267880336e+02;
const SA5: f64 = 4.29008140027567833386e+02;
const SA6: f64 = 1.08635005541779435134e+02;
const SA7: f64 = 6.57024977031928170135e+00;
const SA8: f64 = -6.04244152148580987438e-02;
// the same on [1/0.35, 28]: RB/SB
const RB0: f64 = -9.86494292470009928597e-03;
const RB1: f64 = -7.99283237680523006574e-01;
const RB2: f64 = -1.77579549177547519889e+01;
const RB3: f64 = -1.60636384855821916062e+02;
const RB4: f64 = -6.37566443368389627722e+02;
const RB5: f64 = -1.02509513161107724954e+03;
const RB6: f64 = -4.83519191608651397019e+02;
const SB1: f64 = 3.03380607434824582924e+01;
const SB2: f64 = 3.25792512996573918826e+02;
const SB3: f64 = 1.53672958608443695994e+03;
const SB4: f64 = 3.19985821950859553908e+03;
const SB5: f64 = 2.55305040643316442583e+03;
const SB6: f64 = 4.74528541206955367215e+02;
const SB7: f64 = -2.24409524465858183362e+01;

/**
 * erfc(x) = 1 - erf(x). erfc(NaN) = NaN, erfc(+Inf) = 0, erfc(-Inf) = 2.
 * Results below about 2^-1022 (x > 26.5) lose bits as subnormals and are 0
 * from x = 27.3.
 */
export function erfc(x: f64): f64 {
  if (x != x) return NaN;
  const hx = hiWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return hx < 0 ? 2.0 : 0.0; // +-Inf
  if (ix < 0x3feb0000) {
    // |x| < 0.84375: 1 - erf(x), erf by its odd rational fit
    if (ix < 0x3c700000) return 1.0 - x; // |x| < 2^-56
    const z = x * x;
    const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    const s = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    const y = r / s;
    if (hx < 0x3fd00000) return 1.0 - (x + x * y); // x < 1/4
    return 0.5 - (x * y + (x - 0.5)); // 1/4 <= x < 0.84375: keep the small difference exact
  }
  if (ix < 0x3ff40000) {
    // 0.84375 <= |x| < 1.25: about erf(1)
    const s = Math.abs(x) - 1.0;
    const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    const q = 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    if (hx >= 0) return (1.0 - ERX) - p / q;
    return 1.0 + (ERX + p / q);
  }
  if (ix < 0x403c0000) {
    // 1.25 <= |x| < 28: erfc(|x|) = exp(-x^2 - 0.5625 + R/S) / |x|
    if (hx < 0 && ix >= 0x40180000) return 2.0; // x <= -6: 2 - tiny rounds to 2
    const ax = Math.abs(x);
    const s = 1.0 / (ax * ax);
    let r: f64;
    let q: f64;
    if (ix < 0x4006db6d) {
      r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
      q = 1.0 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    } else {
      r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
      q = 1.0 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
    }
    // z = |x| with the low 32 bits cleared, so z*z is exact and
    // -x^2 = -z^2 + (z - x)(z + x) splits the exponent without rounding it
    const z = fromWords(hiWord(ax), 0);
    const e = exp(-z * z - 0.5625) * exp((z - ax) * (z + ax) + r / q);
    return hx > 0 ? e / ax : 2.0 - e / ax;
  }
  return hx > 0 ? 0.0 : 2.0; // |x| >= 28
}
