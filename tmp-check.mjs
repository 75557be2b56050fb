import { loadBackend } from './dist/src/kernels/backend.js';
import { Arena } from './dist/src/kernels/arena.js';
const b = await loadBackend('wasm');
const k = b.kernels;
const a = new Arena(b);
const d=4; const mean=a.allocF64(d), cov=a.allocF64(d*d), mean0=a.allocF64(d), l0=a.allocF64(d*d), work=a.allocF64(2*d*d+d), series=a.allocF64(8192), out=a.allocF64(3);
const t = k.chiSquareUpperQuantile(d, 0.01);
a.f64(l0,16).set([1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1]);
for (const [m, diag] of [[[0.5,0.2,0,0],[0.8,0.3,0.2,0.05]], [[1,1,0,0],[0.1,0.05,0.02,0.01]], [[2,1,0,0],[0.01,0.005,0.002,0.001]]]) {
  a.f64(mean,d).set(m); a.f64(cov,16).fill(0); for (let i=0;i<4;i++) a.f64(cov,16)[i*5]=diag[i];
  const t0=performance.now(); for (let i=0;i<100;i++) k.gaussianTailMass(mean,cov,mean0,l0,d,t,work,series,out);
  console.log(Array.from(a.f64(out,3)), ((performance.now()-t0)/100).toFixed(3),'ms');
}
for (const [m, diag] of [[[3.5,0,0,0],[0.01,0.005,0.002,0.001]], [[3.64,0,0,0],[0.01,0.005,0.002,0.001]],[[0.,0,0,0],[0.01,0.005,0.002,0.001]], [[0.,0,0,0],[3,3,3,3]]]) {
  a.f64(mean,d).set(m); a.f64(cov,16).fill(0); for (let i=0;i<4;i++) a.f64(cov,16)[i*5]=diag[i];
  const t0=performance.now(); for (let i=0;i<20;i++) k.gaussianTailMass(mean,cov,mean0,l0,d,t,work,series,out);
  console.log(m[0], Array.from(a.f64(out,3)), ((performance.now()-t0)/20).toFixed(3),'ms');
}
