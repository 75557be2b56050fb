// Every cell of a grid resolved by its family before anything runs: an
// unknown option, a value out of range or an invalid combination in any cell
// is refused with the family's own message, naming the cell. Each resolved
// config gets a hash, which the manifest, resume and merge compare.
import { UsageError } from '../util/errors.js';
import { newHasher, hexDigest } from '../util/hash.js';
import { unknownOption } from '../config/validate.js';
import { OUTPUT_OPTIONS } from '../config/common.js';
import { FAMILIES, familyOf, type RunConfig } from '../families/index.js';
import { didYouMean } from '../config/suggest.js';
import type { Family } from '../families/family.js';
import { cellName, expandGrid, type Grid, type GridCell, type GridValue } from './grid.js';

export interface ResolvedCell extends GridCell {
  config: RunConfig;
  /** SHA-256 of the config as canonical JSON (keys sorted). */
  configHash: string;
}

/** Cells a grid may have: each is a JSONL file and a row of the summary. */
export const MAX_CELLS = 100_000;

/** JSON with the keys of every object sorted: the same config gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function configHash(config: unknown): string {
  const h = newHasher();
  h.update(Buffer.from(canonicalJson(config)));
  return hexDigest(h);
}

/**
 * The family of a grid, its cells resolved, and the warnings of resolve
 * (each said once, with the cells that met it). `at` names the grid file.
 */
export function resolveGrid(grid: Grid, at: string): { family: Family<RunConfig>; cells: ResolvedCell[]; warnings: string[] } {
  if (!Object.hasOwn(FAMILIES, grid.family)) {
    throw new UsageError(`${at}: unknown family '${grid.family}'${didYouMean(grid.family, Object.keys(FAMILIES))}; available: ${Object.keys(FAMILIES).join(', ')}`);
  }
  const family = familyOf(grid.family);
  // options of the run itself (files, workers) are the sweep's, not a cell's
  const known = new Set(family.options.map((s) => s.name));
  const outputs = new Set(OUTPUT_OPTIONS.map((s) => s.name));
  const where = (name: string) => (name in grid.base ? 'base' : name in grid.grid ? 'grid' : 'zip');
  for (const name of new Set([...Object.keys(grid.base), ...Object.keys(grid.grid), ...grid.zip.flatMap((g) => Object.keys(g))])) {
    // the sweep command takes every other option of run's output (test/sweep-cli.test.ts checks it), not --params:
    // its cells' files keep no fitted models
    if (name === 'params') throw new UsageError(`${at}: ${where(name)}.params: a sweep does not keep the fitted parameters (--params is an option of run, not of sweep or of a cell); for one cell's models run it alone: collapse-bench run ${family.name} ... --params --out FILE`);
    if (outputs.has(name)) throw new UsageError(`${at}: ${where(name)}.${name}: --${name} is an option of the sweep command, not of a cell; give it on the command line`);
    if (!known.has(name)) throw new UsageError(`${at}: ${where(name)}.${name}: ${unknownOption(name, family.options, `collapse-bench run ${family.name} --help`).message}`);
  }
  const count = [...Object.values(grid.grid), ...grid.zip.map((g) => Object.values(g)[0])].reduce((n, a) => n * a.length, 1);
  if (count > MAX_CELLS) throw new UsageError(`${at}: the grid has ${count} cells, above the ${MAX_CELLS} a sweep runs; split it into several grids`);
  // a number in a grid given to a text option (KDE's --bandwidth 0.5) is its text, as on the command line
  const textual = new Set(family.options.filter((s) => s.kind === 'string' || s.kind === 'seed').map((s) => s.name));
  const asRaw = (o: Record<string, GridValue>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, textual.has(k) && typeof v === 'number' ? String(v) : v]));
  const warned = new Map<string, number[]>();
  const cells = expandGrid(grid).map((cell) => {
    let resolved: { config: RunConfig; warnings: string[] };
    try {
      resolved = family.resolve(asRaw(cell.options));
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`${at}: ${cellName(cell)}: ${e.message}`);
      throw e;
    }
    for (const w of resolved.warnings) warned.set(w, [...(warned.get(w) ?? []), cell.index]);
    return { ...cell, config: resolved.config, configHash: configHash(resolved.config) };
  });
  refuseEqualCells(cells, at);
  if (grid.report) checkReport(grid.report, family, cells, at);
  const warnings = [...warned].map(([w, at]) => `${at.length === cells.length ? 'every cell' : `cell${at.length > 1 ? 's' : ''} ${at.join(', ')}`}: ${w}`);
  return { family, cells, warnings };
}

/** "a, b and c" */
const listed = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : xs[0]);

/**
 * Cells whose resolved configs are equal (`"samples": [10, 10]`, YAML's 1,
 * 01 and 1.0) would run the same replicates twice: refused, naming them.
 */
function refuseEqualCells(cells: ResolvedCell[], at: string): void {
  const byHash = new Map<string, ResolvedCell[]>();
  for (const c of cells) byHash.set(c.configHash, [...(byHash.get(c.configHash) ?? []), c]);
  const equal = [...byHash.values()].filter((g) => g.length > 1);
  if (!equal.length) return;
  const shown = equal.slice(0, 3).map((g) => `cells ${listed(g.map((c) => cellName(c).replace(/^cell /, '')))} resolve to one config (hash ${g[0].configHash.slice(0, 12)})`);
  const more = equal.length > shown.length ? `; and ${equal.length - shown.length} more such group${equal.length - shown.length > 1 ? 's' : ''}` : '';
  throw new UsageError(`${at}: ${shown.join('; ')}${more}: they would run the same replicates; give each value once`);
}

/** The grid's `report` names must be metrics some cell records (the family's list for its config). */
function checkReport(report: string[], family: Family<RunConfig>, cells: ResolvedCell[], at: string): void {
  const recorded = [...new Set(cells.flatMap((c) => family.metrics(c.config)))];
  for (const name of report) {
    if (!recorded.includes(name)) throw new UsageError(`${at}: report: "${name}" is not a metric the grid's ${family.name} cells record${didYouMean(name, recorded)}; they record ${recorded.join(', ')}`);
  }
}
