// The page's entry: two tabs, Run (web/run-panel.ts) and Benchmark (web/bench-panel.ts).
import { setupRunPanel } from './run-panel.js';
import { setupBenchPanel } from './bench-panel.js';

const tabs = [
  ['tab-run', 'panel-run'],
  ['tab-bench', 'panel-bench'],
] as const;
for (const [tab, panel] of tabs) {
  document.getElementById(tab)!.addEventListener('click', () => {
    for (const [t, p] of tabs) {
      document.getElementById(t)!.setAttribute('aria-selected', String(t === tab));
      document.getElementById(p)!.hidden = p !== panel;
    }
  });
}
setupRunPanel();
setupBenchPanel();
