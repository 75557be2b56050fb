// A preset's result on the page: its runs (id, family, replicates, digest)
// and its checks table as `collapse-bench reproduce` prints it (name, value,
// expected, tolerance, PASS/FAIL), with the overall verdict.
import { fmt } from '../src/reproduce/checks.js';
import type { CheckResult } from '../src/reproduce/types.js';
import type { PresetRunEntry } from './protocol.js';

function fill(table: HTMLTableElement, head: string[], rows: { key: string; cells: string[]; pass?: boolean }[], keyName: string): void {
  table.innerHTML = '';
  const h = table.insertRow();
  for (const t of head) h.append(Object.assign(document.createElement('th'), { textContent: t }));
  for (const r of rows) {
    const row = table.insertRow();
    row.dataset[keyName] = r.key;
    if (r.pass !== undefined) row.className = r.pass ? 'pass' : 'fail';
    for (const c of r.cells) row.insertCell().textContent = c;
  }
}

export function showPresetRuns(table: HTMLTableElement, runs: PresetRunEntry[]): void {
  fill(table, ['run', 'family', 'replicates', 'digest'], runs.map((r) => ({ key: r.id, cells: [r.id, r.family, String(r.replicates), r.digest] })), 'run');
}

export function showChecks(table: HTMLTableElement, checks: CheckResult[]): void {
  const rows = checks.map((c) => ({ key: c.name, cells: [c.name, fmt(c.value), c.expected, c.tolerance, c.pass ? 'PASS' : 'FAIL'], pass: c.pass }));
  fill(table, ['check', 'value', 'expected', 'tolerance', 'result'], rows, 'check');
}
