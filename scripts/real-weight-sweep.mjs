#!/usr/bin/env node
// Prints the golden-ratio sweep (README, "Weighting real and synthetic data").
// Usage: node scripts/real-weight-sweep.mjs   (after npm install)
import { sweepRealWeight } from '../dist/src/runner/sweep-real-weight.js';

const weights = [0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.618, 0.65, 0.7, 0.8, 0.9];
const started = Date.now();
const points = await sweepRealWeight({ weights, samples: 200, generations: 200, from: 100, replicates: 1000, seed: 'golden-ratio' });
console.log('fresh data, M = 200 (100 real + 100 synthetic), 1000 replicates, stationary window n = 100..200');
console.log('    w   k E|mu_n - mu_0|^2, k = 100 real points (sim ± se)   theory');
for (const p of points) console.log(`${p.w.toFixed(3).padStart(6)}   ${(p.mean * 100).toFixed(4)} ± ${(p.se * 100).toFixed(4)}              ${(p.theory * 100).toFixed(4)}`);
const best = points.reduce((a, b) => (b.mean < a.mean ? b : a));
console.log(`smallest simulated error at w = ${best.w}; theory: least at 1/phi = ${((Math.sqrt(5) - 1) / 2).toFixed(4)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
