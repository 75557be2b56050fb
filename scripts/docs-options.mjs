#!/usr/bin/env node
// Regenerates the options tables of README.md and docs/*.md from the option
// tables (src/cli/options-doc.ts, through the family registry), between the
// markers <!-- options:<family>:start [full] --> and <!-- options:<family>:end -->.
// Runs on the build (dist/): `npm run docs:options` builds first (skipped when fresh).
// --check: change nothing, exit 1 and name the files that are out of date.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { updateOptionTables, documentedFamilies } = await import('../dist/src/cli/options-doc.js');
const { FAMILIES } = await import('../dist/src/families/index.js');

/** README.md and docs/*.md. */
function optionDocFiles() {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

const check = process.argv.includes('--check');
const documented = new Set();
const stale = [];
for (const file of optionDocFiles()) {
  const text = readFileSync(join(root, file), 'utf8');
  for (const f of documentedFamilies(text)) documented.add(f);
  const updated = updateOptionTables(text);
  if (updated === text) continue;
  stale.push(file);
  if (!check) writeFileSync(join(root, file), updated);
}
const missing = Object.keys(FAMILIES).filter((f) => !documented.has(f));
if (missing.length) console.error(`docs:options: no options table for ${missing.join(', ')} (add <!-- options:NAME:start --> ... <!-- options:NAME:end -->)`);
if (check) {
  if (stale.length) console.error(`docs:options: out of date: ${stale.join(', ')} (npm run docs:options rewrites them)`);
  process.exit(stale.length || missing.length ? 1 : 0);
}
console.log(stale.length ? `docs:options: rewrote ${stale.join(', ')}` : 'docs:options: every options table is up to date');
process.exit(missing.length ? 1 : 0);
