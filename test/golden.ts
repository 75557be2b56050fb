// The reproducibility contract as one test suite for every family: each
// configuration runs on js, wasm and wasm-simd; the digests, the recorded
// metrics, the per-replicate finals and the events must be identical, and the
// digest must equal the one committed in test/golden/<file>.json. A deliberate
// change of the numbers regenerates that file with
//   UPDATE_GOLDEN=1 npx vitest run <the family's test file>
// and says why in CHANGELOG.md.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { familyOf } from '../src/families/index.js';
import { runAndCollect } from '../src/runner/run.js';

type RunOutcome = Awaited<ReturnType<typeof runAndCollect>>;
import { BACKEND_NAMES } from '../src/kernels/abi.js';
import type { RawOptions } from '../src/config/validate.js';

export function goldenDigestSuite(family: string, file: string, configs: Record<string, RawOptions>): void {
  const path = new URL(`./golden/${file}.json`, import.meta.url);
  const update = process.env.UPDATE_GOLDEN === '1';
  const golden: Record<string, string> = update || !existsSync(path) ? {} : JSON.parse(readFileSync(path, 'utf8'));
  // everything a replicate reports, not only the fitted parameters the digest covers
  const reported = (o: RunOutcome) => JSON.stringify(o.replicates.map((r) => [r.digest, r.metrics, r.finals, r.events]));

  describe(`${family}: same bits on every backend, and the golden digests`, () => {
    it.each(Object.keys(configs))('%s', async (name) => {
      const outcomes: RunOutcome[] = [];
      for (const backend of BACKEND_NAMES) {
        const { config } = familyOf(family).resolve({ ...configs[name], backend });
        outcomes.push(await runAndCollect(config));
      }
      const [js, wasm, simd] = outcomes;
      expect(wasm.summary.digest, 'wasm = js').toBe(js.summary.digest);
      expect(simd.summary.digest, 'wasm-simd = js').toBe(js.summary.digest);
      expect(reported(wasm), 'wasm reports what js reports').toBe(reported(js));
      expect(reported(simd), 'wasm-simd reports what js reports').toBe(reported(js));
      if (update) {
        golden[name] = js.summary.digest;
        writeFileSync(path, JSON.stringify(golden, null, 2) + '\n');
      } else {
        expect(js.summary.digest, `golden digest of ${name}`).toBe(golden[name]);
      }
    });
  });
}
