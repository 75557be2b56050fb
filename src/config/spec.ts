// Options as data: one table per command (and per family, in config/<family>.ts) gives each option's type, range or
// allowed values, default and help. The parser, the validator and `--help`
// all read it, so they cannot disagree.
export type OptionSpec = OptionKind & OptionDoc;

/**
 * Where the documentation tables (README.md, docs/*.md; npm run docs:options)
 * say more than --help: each replaces one generated column.
 */
export interface OptionDoc {
  /** The "meaning" column (default: help). */
  doc?: string;
  /** The "values" column (default: from the kind, range or values). */
  docValues?: string;
  /** The "default" column, for defaults that depend on other options (default: default). */
  docDefault?: string;
}

type OptionKind =
  | { name: string; kind: 'int'; min: number; max: number; default?: number; help: string; arg?: string }
  | { name: string; kind: 'number'; min: number; max: number; minOpen?: boolean; maxOpen?: boolean; default?: number; help: string; arg?: string }
  | { name: string; kind: 'enum'; values: readonly string[]; default?: string; help: string }
  | { name: string; kind: 'list'; min: number; max: number; minOpen?: boolean; default?: string; help: string; arg?: string }
  | { name: string; kind: 'matrix'; help: string; arg?: string }
  | { name: string; kind: 'seed'; default: string; help: string }
  | { name: string; kind: 'string'; help: string; arg?: string }
  | { name: string; kind: 'flag'; help: string };

/** Options of `collapse-bench show`. */
export const SHOW_OPTIONS: readonly OptionSpec[] = [{ name: 'json', kind: 'flag', help: 'print one JSON object instead of the table' }];

/** Options of `collapse-bench report`. */
export const REPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'string', help: 'directory for the SVG figures and index.html (made if missing)', arg: 'DIR' },
];
