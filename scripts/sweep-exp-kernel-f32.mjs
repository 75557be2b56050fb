#!/usr/bin/env node
// The error of expKernelF32 (assembly/exp-kernel-f32.ts) over every float in
// its domain [-87, 0], in ulps of the float result, against Math.exp in double
// (within 1 ulp of a double, 2^-29 of a float's ulp: exact enough here). The
// SIMD build's lanes (the scalar's bits: test/exp-kernel-f32.test.ts).
// Usage: node scripts/sweep-exp-kernel-f32.mjs [backend]   (after npm install; about 5 minutes)
import { loadBackend } from '../dist/src/kernels/backend.js';
import { Arena } from '../dist/src/kernels/arena.js';

const backend = await loadBackend(process.argv[2] ?? 'wasm-simd');
const arena = new Arena(backend);
const N = 1 << 22;
const src = arena.allocF32(N);
const out = arena.allocF32(N);
const last = 0xc2ae0000; // the bits of -87; 0x80000000 is -0
let worst = 0;
let worstX = 0;
let count = 0;
for (let start = 0x80000000; start <= last; start += N) {
  const n = Math.min(N, last - start + 1);
  const bits = new Uint32Array(backend.buffer(), src, n);
  for (let i = 0; i < n; i++) bits[i] = start + i;
  backend.kernels.expKernelF32Fill(src, out, n, 1);
  const xs = arena.f32(src, n);
  const ys = arena.f32(out, n);
  for (let i = 0; i < n; i++) {
    const want = Math.exp(xs[i]);
    let e = Math.floor(Math.log2(want));
    if (2 ** e > want) e--; // log2 rounded up across a power of two
    else if (2 ** (e + 1) <= want) e++;
    const err = Math.abs(ys[i] - want) / 2 ** (Math.max(e, -126) - 23);
    if (err > worst) [worst, worstX] = [err, xs[i]];
  }
  count += n;
}
arena.release();
console.log(`expKernelF32 on ${backend.name}: ${count} floats in [-87, 0], at most ${worst.toFixed(4)} ulp (at x = ${worstX})`);
