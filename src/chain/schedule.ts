// Training-set size per generation. The paper's theory needs the sizes M_i;
// W2 stays finite only if they grow superlinearly (Shumailov et al., SI 3.1.1).
export type ScheduleName = 'constant' | 'linear' | 'quadratic';
export const SCHEDULE_NAMES: readonly ScheduleName[] = ['constant', 'linear', 'quadratic'];

/** M_n for generation n. */
export function samplesAt(schedule: ScheduleName, m: number, n: number): number {
  switch (schedule) {
    case 'constant':
      return m;
    case 'linear':
      return m * (n + 1);
    case 'quadratic':
      return m * (n + 1) * (n + 1);
  }
}
