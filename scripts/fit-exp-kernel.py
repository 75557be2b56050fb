"""The constants of assembly/exp-kernel-f32.ts (the float exp of the KDE's
kernel sums): Q(r) ~ (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2] (a little wider:
x / ln 2 is rounded in float), degree 4, by mpmath's Chebyshev fit at 40
digits, the coefficients rounded to floats, and the relative error of
1 + r + r^2 Q(r) with them (exact arithmetic otherwise); and ln 2 split for
the float reduction. Run: python3 scripts/fit-exp-kernel.py
(needs mpmath)."""
import struct

import mpmath as mp


def f32(x):
    """The float (IEEE binary32) nearest x, as a Python float (exact)."""
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


def q(r):
    if abs(r) < mp.mpf("1e-20"):
        return mp.mpf(1) / 2 + r / 6
    return (mp.exp(r) - 1 - r) / r**2


def fit(name, kind, digits, widen, degree, rounding):
    """Prints the constants `name`2 .. of Q's fit of `degree` and its error."""
    mp.mp.dps = digits
    a = mp.log(2) / 2 * (1 + mp.mpf(2) ** -widen)
    poly = mp.chebyfit(q, [-a, a], degree + 1)  # highest degree first
    coefficients = [rounding(c) for c in poly[::-1]]
    worst = 0
    for i in range(4001):
        r = -a + 2 * a * i / 4000
        p = mp.mpf(0)
        for c in reversed(coefficients):
            p = p * r + mp.mpf(c)
        worst = max(worst, abs((1 + r + r * r * p) - mp.exp(r)) / mp.exp(r))
    for j, c in enumerate(coefficients, start=2):
        print(f"const {name}{j}: {kind} = {c!r};")
    print(f"relative error of the polynomial: 2^{float(mp.log(worst, 2)):.2f}")


fit("D", "f32", 40, 14, 4, f32)
# ln 2 = LN2F_HI + LN2F_LO: HI rounded to a multiple of 2^-17 (17 significant
# bits), so k HI is exact for |k| < 2^7; LO the float nearest the rest.
ln2 = mp.log(2)
hi = mp.nint(ln2 * 2**17) / 2**17
assert f32(hi) == float(hi)
print(f"const LN2F_HI: f32 = {float(hi)!r};")
print(f"const LN2F_LO: f32 = {f32(ln2 - hi)!r};")
print(f"const INV_LN2F: f32 = {f32(1 / ln2)!r};")
print(f"ln2 - HI - LO = {float(ln2 - hi - mp.mpf(f32(ln2 - hi))):.3e}")
