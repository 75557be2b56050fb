// `--json` writes the summary a generation at a time; the text must be what
// JSON.stringify(summary, null, 2) gives, for summaries with and without generations.
import { describe, expect, it } from 'vitest';
import { writeSummaryJson } from '../src/report/json.js';
import { familyOf } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import type { RunSummary } from '../src/results/types.js';

function written(summary: RunSummary): string {
  let out = '';
  writeSummaryJson(summary, (t) => void (out += t));
  return out;
}

describe('the summary as JSON, in pieces', () => {
  it.each([
    ['gaussian', { samples: 20, generations: 12, replicates: 3, every: 5 }],
    ['categorical', { states: 5, samples: 30, generations: 40, replicates: 4, 'until-absorbed': true }],
  ] as const)('%s: equals JSON.stringify(summary, null, 2)', async (name, options) => {
    const { config } = familyOf(name).resolve({ backend: 'wasm', ...options });
    const { summary } = await runSimulation(config);
    expect(written(summary)).toBe(JSON.stringify(summary, null, 2) + '\n');
    expect(Object.keys(summary).at(-1)).toBe('generations');
  });

  it('a summary without generations too', async () => {
    const { config } = familyOf('gaussian').resolve({ backend: 'wasm', samples: 5, generations: 2, replicates: 1 });
    const { summary } = await runSimulation(config);
    const empty = { ...summary, generations: [] };
    expect(written(empty)).toBe(JSON.stringify(empty, null, 2) + '\n');
  });
});
