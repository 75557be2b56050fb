// The options tables of README.md and docs/*.md, generated from the option
// tables (like --help), so the docs cannot drift from the code. A table sits
// between two markers and is rewritten by `npm run docs:options`:
//
//   <!-- options:gaussian:start full -->   every option, one row each
//   <!-- options:gaussian:end -->
//   <!-- options:kde:start -->             the family's options; the shared
//   <!-- options:kde:end -->               ones (--every, --seed, ...) in one row
//
// test/docs-options.test.ts fails when a doc differs from what this writes.
import type { OptionSpec } from '../config/spec.js';
import { commonOptions, OUTPUT_OPTIONS } from '../config/common.js';
import { FAMILIES } from '../families/index.js';

/** Options that mean the same in every family (and default the same): documented once, in the full table. */
export const SHARED_OPTION_NAMES: readonly string[] = [
  ...commonOptions({ generations: 1, replicates: 1 })
    .map((s) => s.name)
    .filter((n) => n !== 'generations' && n !== 'replicates'),
  ...OUTPUT_OPTIONS.map((s) => s.name),
];

/** 10_000_000 -> 10^7 (from 10^4 up); other numbers as JavaScript writes them, small ones as 1e-6. */
export function docNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e4) {
    const e = Math.round(Math.log10(a));
    if (10 ** e === a) return `${v < 0 ? '-' : ''}10^${e}`;
  }
  if (a !== 0 && a < 1e-3) return v.toExponential();
  return String(v);
}

function interval(min: number, max: number, minOpen = false, maxOpen = false): string {
  return `${minOpen ? '(' : '['}${docNumber(min)}, ${docNumber(max)}${maxOpen ? ')' : ']'}`;
}

const code = (s: string) => '`' + s + '`';
/** Table cells may not hold a bare '|'. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The argument shown after the option name, unless it only repeats the name or the kind. */
function shownArg(s: OptionSpec): string {
  const arg = 'arg' in s ? s.arg : undefined;
  if (!arg || arg === s.name || arg === s.kind || arg === 'spec') return '';
  return ' ' + arg;
}

export function valuesText(s: OptionSpec): string {
  if (s.docValues !== undefined) return s.docValues;
  switch (s.kind) {
    case 'int':
      return `integer ${docNumber(s.min)}..${docNumber(s.max)}`;
    case 'number':
      return interval(s.min, s.max, s.minOpen, s.maxOpen);
    case 'enum':
      return s.values.map(code).join(', ');
    case 'list':
      return `comma-separated numbers in ${interval(s.min, s.max, s.minOpen)}`;
    case 'matrix':
      return code('"a,b;c,d"');
    case 'seed':
      return 'int32 or any string';
    case 'string':
      return 'string';
    case 'flag':
      return 'flag';
  }
}

export function defaultText(s: OptionSpec): string {
  if (s.docDefault !== undefined) return s.docDefault;
  if (s.kind === 'flag') return 'off';
  if (!('default' in s) || s.default === undefined) return '';
  return typeof s.default === 'number' ? docNumber(s.default) : s.default;
}

function row(cells: string[]): string {
  return ('| ' + cells.map(cell).join(' | ') + ' |').replace(/\|  \|/g, '| |').replace(/\|  \|/g, '| |');
}

/**
 * The markdown table of one family's options. `full`: every option, output
 * options included; otherwise the shared options are one row pointing to the
 * README, where the full table of `run gaussian` documents them.
 */
export function optionsTable(options: readonly OptionSpec[], full: boolean): string {
  const own = full ? [...options, ...OUTPUT_OPTIONS] : options.filter((s) => !SHARED_OPTION_NAMES.includes(s.name));
  const lines = ['| option | values | default | meaning |', '|---|---|---|---|'];
  for (const s of own) lines.push(row([code(`--${s.name}${shownArg(s)}`), valuesText(s), defaultText(s), s.doc ?? s.help]));
  if (!full) {
    const shared = [...options, ...OUTPUT_OPTIONS].filter((s) => SHARED_OPTION_NAMES.includes(s.name));
    lines.push(row([shared.map((s) => code(`--${s.name}`)).join(', '), '', '', 'as for every family (the options of `run gaussian` in the README)']));
  }
  return lines.join('\n');
}

const MARKER = /(<!-- options:([a-z0-9-]+):start( full)? -->\n)([\s\S]*?)(<!-- options:\2:end -->)/g;

/** The markdown with every marked options table regenerated; throws on a marker for an unknown family. */
export function updateOptionTables(markdown: string, families: Record<string, { options: readonly OptionSpec[] }> = FAMILIES): string {
  return markdown.replace(MARKER, (_, start: string, name: string, full: string | undefined, _old: string, end: string) => {
    const family = families[name];
    if (!family) throw new Error(`options table for unknown family '${name}'; known: ${Object.keys(families).join(', ')}`);
    return `${start}${optionsTable(family.options, Boolean(full))}\n${end}`;
  });
}

/** The families whose tables a markdown text holds (to check every family is documented). */
export function documentedFamilies(markdown: string): string[] {
  return [...markdown.matchAll(MARKER)].map((m) => m[2]);
}
