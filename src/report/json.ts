// The summary as JSON, written a generation at a time: the text is exactly
// JSON.stringify(summary, null, 2), but a summary of 10,000 generations is
// ~30 MB of it, and building it whole would be most of a run's memory.
import type { RunSummary } from '../results/types.js';

/** Writes JSON.stringify(summary, null, 2) and a newline through `write`, in pieces. */
export function writeSummaryJson(summary: RunSummary, write: (text: string) => void): void {
  const { generations, ...rest } = summary;
  const head = JSON.stringify(rest, null, 2);
  // `generations` is the last field of the summary: the rest's closing brace goes after it
  write(head.slice(0, -2) + (generations.length ? ',\n  "generations": [\n' : ',\n  "generations": []\n}\n'));
  if (!generations.length) return;
  generations.forEach((g, i) => {
    const text = JSON.stringify(g, null, 2).replace(/\n/g, '\n    ');
    write(`    ${text}${i + 1 < generations.length ? ',' : ''}\n`);
  });
  write('  ]\n}\n');
}
