// Kernels of the KDE family (assembly/models/kde.ts and models/kde/datasets.ts).

export interface KdeKernels {
  // models/kde.ts
  kdeSample(rng: number, train: number, trainLd: number, n: number, d: number, h: number, out: number, outLd: number, m: number): void;
  kdeVariance(x: number, ld: number, n: number, d: number): number;
  kdeBandwidthFactor(n: number, d: number, rule: number): number;
  kdeBandwidth(x: number, ld: number, n: number, d: number, rule: number): number;
  kdeLogDensity(train: number, trainLd: number, n: number, d: number, h: number, query: number, queryLd: number, m: number, work: number, out: number): number;
  // models/kde/datasets.ts
  mixtureSample(rng: number, table: number, k: number, d: number, out: number, ld: number, count: number): void;
  ringsSample(rng: number, factor: number, noise: number, out: number, ld: number, count: number): void;
  moonsSample(rng: number, noise: number, out: number, ld: number, count: number): void;
}

export const KDE_FUNCTIONS = [
  'kdeSample', 'kdeVariance', 'kdeBandwidthFactor', 'kdeBandwidth', 'kdeLogDensity', 'mixtureSample', 'ringsSample', 'moonsSample',
] as const satisfies readonly (keyof KdeKernels)[];
