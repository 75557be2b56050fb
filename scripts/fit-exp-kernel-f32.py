"""The constants of assembly/exp-kernel-f32.ts, the float32 exp of the KDE's
kernel sums: Q(r) ~ (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2] (a little wider:
x / ln 2 is rounded in float32), degree 4, by mpmath's Chebyshev fit at 40
digits, rounded to floats; the relative error of 1 + r + r^2 Q(r) with
those floats (exact arithmetic otherwise); and ln 2 split for the float
reduction. Run: python3 scripts/fit-exp-kernel-f32.py (needs mpmath)."""
import struct

import mpmath as mp

mp.mp.dps = 40


def f32(x):
    """The float (IEEE binary32) nearest x, as a Python float (exact)."""
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


a = mp.log(2) / 2 * (1 + mp.mpf(2) ** -14)


def q(r):
    if abs(r) < mp.mpf("1e-20"):
        return mp.mpf(1) / 2 + r / 6
    return (mp.exp(r) - 1 - r) / r**2


poly = mp.chebyfit(q, [-a, a], 5)  # highest degree first
coefficients = [f32(c) for c in poly[::-1]]  # D2 .. D6
worst = 0
for i in range(4001):
    r = -a + 2 * a * i / 4000
    p = mp.mpf(0)
    for c in reversed(coefficients):
        p = p * r + mp.mpf(c)
    worst = max(worst, abs((1 + r + r * r * p) - mp.exp(r)) / mp.exp(r))
for j, c in enumerate(coefficients, start=2):
    print(f"const D{j}: f32 = {c!r};")
print(f"relative error of the polynomial: 2^{float(mp.log(worst, 2)):.2f}")

# ln 2 = LN2F_HI + LN2F_LO: HI rounded to a multiple of 2^-17 (17 significant
# bits), so k HI is exact for |k| < 2^7; LO the float nearest the rest.
ln2 = mp.log(2)
hi = mp.nint(ln2 * 2**17) / 2**17
assert f32(hi) == float(hi)
print(f"const LN2F_HI: f32 = {float(hi)!r};")
print(f"const LN2F_LO: f32 = {f32(ln2 - hi)!r};")
print(f"const INV_LN2F: f32 = {f32(1 / ln2)!r};")
print(f"ln2 - HI - LO = {float(ln2 - hi - mp.mpf(f32(ln2 - hi))):.3e}")
