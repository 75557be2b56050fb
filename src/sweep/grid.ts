// A grid file: a base config of one family, lists of values per option, and
// `zip` groups of options that vary together. It expands into cells in a
// fixed order (docs/sweeps.md): the axes as written (the `grid` keys, then
// each `zip` group), the last axis varying fastest, as nested loops or
// itertools.product would. Pure: the text in, the cells out.
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../util/errors.js';
import { didYouMean } from '../config/suggest.js';

/** One value of an option as a grid writes it (a list-valued option: an array, or "1,2"). */
export type GridValue = string | number | boolean | number[];

export interface Grid {
  family: string;
  /** A line saying what the sweep is (optional). */
  description?: string;
  /** Options every cell shares, by their command-line names. */
  base: Record<string, GridValue>;
  /** Options swept independently: every combination runs. */
  grid: Record<string, GridValue[]>;
  /** Groups of options that vary together: within a group, the i-th values go in one cell. */
  zip: Record<string, GridValue[]>[];
  /** Metrics whose last-generation value the summary table shows (default: every metric). */
  report?: string[];
}

/** One cell of the grid. */
export interface GridCell {
  /** Position in the expansion order (0-based). */
  index: number;
  /** The swept options' values of this cell, in axis order (the base left out). */
  varied: Record<string, GridValue>;
  /** Everything `resolve` gets: the base and the varied options. */
  options: Record<string, GridValue>;
}

const TOP_KEYS = ['family', 'description', 'base', 'grid', 'zip', 'report'];

const isValue = (v: unknown): v is GridValue =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x)));

/**
 * Why a value is not an option value. JSON.parse reads 1e400 as Infinity and
 * YAML has .inf and .nan, which JSON.stringify would print as null: name them.
 */
function valueError(v: unknown): string {
  const nonFinite = (x: unknown) => typeof x === 'number' && !Number.isFinite(x);
  if (nonFinite(v)) return `${v} is not finite; an option value is a finite number`;
  if (Array.isArray(v) && v.some(nonFinite)) return `${v.find(nonFinite)} in the list is not finite; a list holds finite numbers`;
  return `${JSON.stringify(v)} is not an option value (a number, a string, true/false, or a list of numbers)`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a grid from its text: JSON, or YAML for a .yaml/.yml file. `at` names the file in messages. */
export function parseGridText(text: string, at: string): Grid {
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(at) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${at}: not valid ${/\.ya?ml$/i.test(at) ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`);
  }
  return checkGrid(raw, at);
}

/** Checks the shape of a grid (not the options' values: the family's resolve does that per cell). */
export function checkGrid(raw: unknown, at: string): Grid {
  if (!isObject(raw)) throw new UsageError(`${at}: a grid is an object with "family", "base", "grid" and/or "zip"`);
  for (const k of Object.keys(raw)) {
    if (!TOP_KEYS.includes(k)) throw new UsageError(`${at}: unknown field "${k}"${didYouMean(k, TOP_KEYS, '')}; a grid has ${TOP_KEYS.join(', ')}`);
  }
  if (typeof raw.family !== 'string' || raw.family === '') throw new UsageError(`${at}: "family" must name a family (e.g. "gaussian")`);
  if (raw.description !== undefined && typeof raw.description !== 'string') throw new UsageError(`${at}: "description" must be a string`);
  const base = raw.base ?? {};
  if (!isObject(base)) throw new UsageError(`${at}: "base" must be an object of option values`);
  for (const [k, v] of Object.entries(base)) {
    if (!isValue(v)) throw new UsageError(`${at}: base.${k}: ${valueError(v)}`);
  }
  const seen = new Map<string, string>(Object.keys(base).map((k) => [k, 'base']));
  const axis = (where: string, name: string, values: unknown): GridValue[] => {
    if (!Array.isArray(values)) throw new UsageError(`${at}: ${where}.${name}: expected a list of values, got ${JSON.stringify(values)}`);
    if (values.length === 0) throw new UsageError(`${at}: ${where}.${name}: an empty list; give at least one value`);
    values.forEach((v, i) => {
      if (!isValue(v)) throw new UsageError(`${at}: ${where}.${name}[${i}]: ${valueError(v)}`);
    });
    const before = seen.get(name);
    if (before) throw new UsageError(`${at}: ${where}.${name}: the option is already set in ${before}; an option is in one place only`);
    seen.set(name, where);
    return values as GridValue[];
  };
  const gridRaw = raw.grid ?? {};
  if (!isObject(gridRaw)) throw new UsageError(`${at}: "grid" must be an object: option -> list of values`);
  const grid: Record<string, GridValue[]> = {};
  for (const [k, v] of Object.entries(gridRaw)) grid[k] = axis('grid', k, v);
  const zipRaw = raw.zip ?? [];
  if (!Array.isArray(zipRaw)) throw new UsageError(`${at}: "zip" must be a list of groups, each an object: option -> list of values`);
  const zip = zipRaw.map((group: unknown, g) => {
    if (!isObject(group) || Object.keys(group).length === 0) throw new UsageError(`${at}: zip[${g}]: a group is a non-empty object: option -> list of values`);
    const out: Record<string, GridValue[]> = {};
    for (const [k, v] of Object.entries(group)) out[k] = axis(`zip[${g}]`, k, v);
    const lengths = Object.values(out).map((v) => v.length);
    if (new Set(lengths).size > 1) {
      throw new UsageError(`${at}: zip[${g}]: the lists vary together, so they need one length; got ${Object.entries(out).map(([k, v]) => `${k}: ${v.length}`).join(', ')}`);
    }
    return out;
  });
  let report: string[] | undefined;
  if (raw.report !== undefined) {
    if (!Array.isArray(raw.report) || raw.report.length === 0 || !raw.report.every((m) => typeof m === 'string')) throw new UsageError(`${at}: "report" must be a non-empty list of metric names`);
    report = raw.report as string[];
  }
  return { family: raw.family, ...(raw.description !== undefined ? { description: raw.description as string } : {}), base: base as Record<string, GridValue>, grid, zip, ...(report ? { report } : {}) };
}

/** The axes in expansion order: each `grid` key, then each `zip` group; an axis is a list of assignments. */
function axesOf(g: Grid): Record<string, GridValue>[][] {
  const axes = Object.entries(g.grid).map(([k, values]) => values.map((v) => ({ [k]: v })));
  for (const group of g.zip) {
    const names = Object.keys(group);
    axes.push(group[names[0]].map((_, i) => Object.fromEntries(names.map((k) => [k, group[k][i]]))));
  }
  return axes;
}

/** Cells of a grid, in the documented order: the last axis varies fastest. */
export function expandGrid(g: Grid): GridCell[] {
  const axes = axesOf(g);
  const count = axes.reduce((n, a) => n * a.length, 1);
  const cells: GridCell[] = [];
  for (let index = 0; index < count; index++) {
    // index in mixed radix, the last axis the least significant digit
    const varied: Record<string, GridValue> = {};
    let rest = index;
    const picks: Record<string, GridValue>[] = [];
    for (let a = axes.length - 1; a >= 0; a--) {
      picks[a] = axes[a][rest % axes[a].length];
      rest = Math.floor(rest / axes[a].length);
    }
    for (const p of picks) Object.assign(varied, p);
    cells.push({ index, varied, options: { ...g.base, ...varied } });
  }
  return cells;
}

/** A cell's name in messages and tables: `cell 3 (samples=100, policy=mix)`. */
export function cellName(c: GridCell): string {
  const parts = Object.entries(c.varied).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`);
  return `cell ${c.index}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
