// The module web/vite.config.ts generates from the newest bench/results/reference-node-*.json.
declare module 'virtual:node-bench-reference' {
  import type { EnvironmentFacts } from '../src/util/env.js';
  const reference: {
    file: string;
    startedAt: string;
    environment: EnvironmentFacts;
    overhead: import('../bench/overhead.js').OverheadResult | null;
    warm: { id: string; samplesPerSecond: Record<string, number>; latencyMs: Record<string, number> }[];
  } | null;
  export default reference;
}
