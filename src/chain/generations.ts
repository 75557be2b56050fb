/** Generations whose metrics are recorded: 0, k, 2k, ... and always the last. */
export function recordedGenerations(generations: number, every: number): number[] {
  const out: number[] = [];
  for (let n = 0; n < generations; n += every) out.push(n);
  out.push(generations);
  return out;
}
