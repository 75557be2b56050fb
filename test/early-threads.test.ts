// The CLI's entry boots a run's worker threads before it imports the harness,
// from a guess on the raw arguments: it must count what the run will use
// (min(--workers, --replicates) - 1) and never boot threads when unsure.
import { describe, expect, it } from 'vitest';
import { earlyThreadCount } from '../src/cli/early-threads.js';

describe('earlyThreadCount', () => {
  it.each([
    [['run', 'gaussian', '--workers', '2', '--replicates', '100'], 4, 1],
    [['run', 'gaussian', '--workers=3', '--replicates=2'], 4, 1],
    [['run', 'gaussian', '--replicates', '100'], 4, 3],
    [['run', 'gaussian', '--workers', '8'], 2, 7],
    [['run', 'gaussian', '--workers', '2', '--workers', '1'], 4, 0], // the last one counts, as in the parser
    [['run', 'gaussian', '--replicates', '1'], 4, 0],
    [['run', 'gaussian', '--workers', '1', '--replicates', '50'], 4, 0],
  ])('%j on %i cores: %i', (argv, cores, threads) => {
    expect(earlyThreadCount(argv, cores)).toBe(threads);
  });

  it.each([
    [['run', 'lm']], // neither given: the family's default replicates may be 1
    [['sweep', 'grid.json', '--workers', '2']],
    [['run', 'gaussian', '--workers', '2', '--help']],
    [['run', 'gaussian', '--workers', '2', '--resume', 'r.jsonl']],
    [['run', 'gaussian', '--workers', 'two', '--replicates', '9']],
    [['run', 'gaussian', '--workers', '2.5']],
    [['run', 'gaussian', '--workers']],
  ])('%j: none', (argv) => {
    expect(earlyThreadCount(argv, 4)).toBe(0);
  });
});
