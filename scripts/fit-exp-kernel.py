"""The coefficients of assembly/exp-kernel.ts: Q(r) ~ (e^r - 1 - r) / r^2 on
[-ln2/2, ln2/2] (a little wider: x / ln 2 is rounded), degree 9, by
mpmath's Chebyshev fit at 50 digits, and the relative error of
1 + r + r^2 Q(r) with the coefficients rounded to doubles (exact arithmetic
otherwise). Run: python3 scripts/fit-exp-kernel.py (needs mpmath)."""
import mpmath as mp

mp.mp.dps = 50
a = mp.log(2) / 2 * (1 + mp.mpf(2) ** -40)


def q(r):
    if abs(r) < mp.mpf("1e-20"):
        return mp.mpf(1) / 2 + r / 6
    return (mp.exp(r) - 1 - r) / r**2


poly = mp.chebyfit(q, [-a, a], 10)  # highest degree first
coefficients = [float(c) for c in poly[::-1]]  # C2 .. C11
worst = 0
for i in range(4001):
    r = -a + 2 * a * i / 4000
    p = mp.mpf(0)
    for c in reversed(coefficients):
        p = p * r + mp.mpf(c)
    worst = max(worst, abs((1 + r + r * r * p) - mp.exp(r)) / mp.exp(r))
for j, c in enumerate(coefficients, start=2):
    print(f"const C{j}: f64 = {c!r};")
print(f"relative error of the polynomial: 2^{float(mp.log(worst, 2)):.2f}")
