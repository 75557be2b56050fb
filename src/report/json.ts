// The summary as JSON, written a generation at a time: the text is exactly
// JSON.stringify(summary, null, 2), without ever holding it whole (a summary
// of 1,000 generations with many metrics is several MB of text).
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
