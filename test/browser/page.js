// Runs configurations through the compiled harness (dist/) on every backend,
// exactly as Node does, and hands the digests back to the test, with the js
// backend's summary JSON as `run --json` prints it (environment and wall time
// blanked: they are the only fields that may differ between runtimes).
import { familyOf } from '/dist/src/families/index.js';
import { runSimulation } from '/dist/src/runner/run.js';
import { BACKEND_NAMES } from '/dist/src/kernels/abi.js';
import { simdSupported } from '/dist/src/kernels/backend.js';

window.runConfigs = async (configs) => {
  const out = {};
  for (const [name, { family, options }] of Object.entries(configs)) {
    out[name] = {};
    for (const backend of BACKEND_NAMES) {
      const { config } = familyOf(family).resolve({ ...options, backend });
      const { summary } = await runSimulation(config);
      out[name][backend] = summary.digest;
      if (backend === 'js') out[name].json = JSON.stringify({ ...summary, environment: null, elapsedMs: null }, null, 2);
      out.environment = summary.environment;
    }
  }
  out.simdSupported = simdSupported();
  return out;
};
document.getElementById('status').textContent = 'ready';
