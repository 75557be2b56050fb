// Theory values are part of a run's JSON, which must be the same bytes in
// every runtime: theory code computes with src/theory/det.ts (the kernels'
// exp and log), never with the host's Math.exp/log/pow/sin/..., whose last
// bits differ between V8 versions and JavaScriptCore. sqrt, abs, floor, min,
// max, round, ceil and the constants are exact everywhere and allowed.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { exp, log, log1p, pow, powInt, sin, square } from '../src/theory/det.js';
import { lgamma } from '../src/theory/special.js';

const root = new URL('../', import.meta.url);
const THEORY_FILES = [
  ...readdirSync(new URL('src/theory/', root)).map((f) => `src/theory/${f}`),
  ...readdirSync(new URL('src/families/', root), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    // theory.ts and the files beside it that it computes with (e.g. gaussian/tail-theory.ts)
    .flatMap((d) => readdirSync(new URL(`src/families/${d.name}/`, root)).filter((f) => /theory\.ts$/.test(f)).map((f) => `src/families/${d.name}/${f}`)),
  // inputs of the theory and of what the summary selects
  'src/families/categorical/initial.ts',
  'src/results/select.ts',
];
const FORBIDDEN = /Math\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot)\b|\*\*/;

/** The code without comments (a comment may name Math.pow to say why it is not used). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('theory code uses only deterministic arithmetic', () => {
  it.each(THEORY_FILES)('%s: no host transcendental functions and no **', (file) => {
    const lines = code(readFileSync(new URL(file, root), 'utf8')).split('\n');
    const bad = lines.map((l, i) => [i + 1, l] as const).filter(([, l]) => FORBIDDEN.test(l));
    expect(bad.map(([n, l]) => `${file}:${n}: ${l.trim()}`)).toEqual([]);
  });

  it('the check itself catches a forbidden call', () => {
    expect(FORBIDDEN.test(code('const x = Math.pow(a, b);'))).toBe(true);
    expect(FORBIDDEN.test(code('const x = a ** 2;'))).toBe(true);
    expect(FORBIDDEN.test(code('// Math.log would differ\nconst x = Math.sqrt(a);'))).toBe(false);
  });
});

describe('det.ts agrees with the host Math to within a few ulp', () => {
  const close = (got: number, want: number, ulps: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(ulps * Number.EPSILON * Math.max(Math.abs(want), Number.MIN_VALUE));
  it('exp, log, log1p, pow, powInt, sin, square', () => {
    for (const x of [-700, -3.5, -1e-9, 0.1, 1, 2.5, 37, 700]) close(exp(x), Math.exp(x), 2);
    for (const x of [1e-300, 1e-5, 0.5, 1, 3, 1e10, 1e300]) close(log(x), Math.log(x), 2);
    for (const x of [-0.9, -1e-3, -1e-12, 1e-17, 1e-8, 0.3, 5]) close(log1p(x), Math.log1p(x), 4);
    for (const [x, y] of [[2, 0.5], [10, -0.2], [7.5, 3.25], [0.3, 17], [1.0001, 1e4]]) close(pow(x, y), Math.pow(x, y), 64);
    expect(pow(3, 5)).toBe(243);
    expect(powInt(3, 5)).toBe(243);
    expect(powInt(2, -3)).toBe(0.125);
    expect(pow(0, 2)).toBe(0);
    expect(pow(-2, 0.5)).toBeNaN();
    for (const x of [1e-6, 0.3, 1, Math.PI / 2, 3, -2.2, 10]) close(sin(x), Math.sin(x), 16);
    expect(square(-3)).toBe(9);
  });
  it('lgamma through det.ts is still accurate', () => {
    close(lgamma(0.5), Math.log(Math.sqrt(Math.PI)), 16);
    close(lgamma(10), Math.log(362880), 8);
  });
});
