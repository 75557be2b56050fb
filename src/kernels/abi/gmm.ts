// Kernels of the GMM family (assembly/models/gmm.ts). A mixture is one block
// of gmmMixtureDoubles(K, d) doubles: w | means | cov | chol | prec | logc.

export interface GmmKernels {
  // models/gmm.ts
  gmmMixtureDoubles(K: number, d: number): number;
  gmmPrepare(mix: number, K: number, d: number, floor: number): number;
  gmmEStep(x: number, ld: number, n: number, d: number, K: number, mix: number, resp: number, lse: number, work: number): number;
  gmmScore(x: number, ld: number, n: number, d: number, K: number, mix: number, lse: number, work: number): number;
  gmmMStep(x: number, ld: number, n: number, d: number, K: number, resp: number, covType: number, reg: number, floor: number, mix: number, scratch: number): number;
  gmmKmeansPlusPlus(rng: number, x: number, ld: number, n: number, d: number, K: number, centres: number, chosen: number, dist: number): void;
  gmmLloyd(x: number, ld: number, n: number, d: number, K: number, centres: number, labels: number, sums: number, maxIter: number): number;
  gmmInitResp(rng: number, x: number, ld: number, n: number, d: number, K: number, lloydIter: number, centres: number, chosen: number, dist: number, labels: number, sums: number, resp: number): number;
  gmmSample(rng: number, mix: number, K: number, d: number, scale: number, invTemp: number, cum: number, z: number, x: number, ld: number, n: number): void;
  gmmL2Sq(f: number, Kf: number, g: number, Kg: number, d: number, work: number): number;
}

export const GMM_FUNCTIONS = [
  'gmmMixtureDoubles', 'gmmPrepare', 'gmmEStep', 'gmmScore', 'gmmMStep', 'gmmKmeansPlusPlus', 'gmmLloyd', 'gmmInitResp', 'gmmSample', 'gmmL2Sq',
] as const satisfies readonly (keyof GmmKernels)[];
