// The run's Web Worker: validates the options as the CLI does (the family's
// resolve), runs the replicates through runSimulation in this thread (the
// in-process executor) and streams the header, each replicate, progress and
// the summary back to the page. A 'stop' message aborts the run: the running
// replicate stops at its next pause (about 100 ms) and the finished ones stay.
import { familyOf } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import { toPlainRecord } from '../src/results/record-line.js';
import { renderSummary } from '../src/report/table.js';
import { UsageError } from '../src/util/errors.js';
import type { RunMessage, RunRequest } from './protocol.js';

const post = (m: RunMessage) => (self as unknown as Worker).postMessage(m);
let controller: AbortController | undefined;

self.onmessage = async (e: MessageEvent<RunRequest>) => {
  const req = e.data;
  if (req.type === 'stop') return controller?.abort();
  controller = new AbortController();
  try {
    const family = familyOf(req.family);
    const { config, warnings } = family.resolve(req.options);
    let lastProgress = 0;
    const outcome = await runSimulation(config, {
      signal: controller.signal,
      onStart: (header) => post({ type: 'header', header, warnings }),
      onReplicate: (record) => post({ type: 'replicate', record: toPlainRecord(record) }),
      onProgress(p) {
        // at most ten messages a second, and every finished replicate
        if (p.elapsedMs - lastProgress < 100 && p.partial > 0) return;
        lastProgress = p.elapsedMs;
        post({ type: 'progress', ...p });
      },
    });
    const summary = outcome.summary;
    post({ type: 'done', summary, table: renderSummary(summary, family), aborted: outcome.aborted });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message, usage: err instanceof UsageError });
  }
};

post({ type: 'ready' });
