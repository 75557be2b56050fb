// One validator for every option table: it names the option, the bad value
// and what is allowed. Values may come as strings (the CLI) or typed (the API).
import type { OptionSpec } from './spec.js';
import { UsageError } from '../util/errors.js';
import { didYouMean } from './suggest.js';

export { UsageError };

export type RawOptions = Record<string, string | number | boolean | number[] | undefined>;
export type ParsedValue = number | string | boolean | number[] | number[][] | undefined;

function fail(spec: OptionSpec, value: unknown, allowed: string): never {
  throw new UsageError(`--${spec.name}: ${JSON.stringify(value)} is not allowed; expected ${allowed}`);
}

/** `[min, max]`, `(min, max]`, ...: a range as messages write it. */
export function rangeText(min: number, max: number, minOpen = false, maxOpen = false): string {
  return `${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
}

/** Decimal digits, an optional minus sign: no sign '+', spaces, exponent, point, 0x/0b/0o. */
const DECIMAL_INTEGER = /^-?\d+$/;
/** A decimal number with an optional exponent; no hex/binary/octal, Infinity, spaces or '+'. */
const DECIMAL_NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number as the command line writes it: decimal, with an optional point and
 * exponent (`0.5`, `-1`, `1e-3`); NaN for anything else (`0x10`, `Infinity`,
 * ` 2`, `+3`, ''). Numbers from the API pass through.
 */
export function decimalNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  return typeof raw === 'string' && DECIMAL_NUMBER.test(raw) ? Number(raw) : NaN;
}

function toNumber(spec: OptionSpec, raw: unknown, allowed: string): number {
  const v = decimalNumber(raw);
  if (!Number.isFinite(v)) fail(spec, raw, allowed);
  return v;
}

function checkRange(spec: OptionSpec, raw: unknown, v: number, min: number, max: number, minOpen = false, maxOpen = false): void {
  const low = minOpen ? v <= min : v < min;
  const high = maxOpen ? v >= max : v > max;
  if (low || high) fail(spec, raw, `a number in ${rangeText(min, max, minOpen, maxOpen)}`);
}

/** Parses and checks one option; undefined stays undefined (the default applies later). */
export function parseOption(spec: OptionSpec, raw: unknown): ParsedValue {
  if (raw === undefined) return undefined;
  switch (spec.kind) {
    case 'int': {
      // written in decimal digits: 0x10, 1e3, 2.0, +3 and ' 2' are refused
      if (typeof raw === 'string' && !DECIMAL_INTEGER.test(raw)) fail(spec, raw, `a decimal integer in [${spec.min}, ${spec.max}]`);
      const allowed = `an integer in [${spec.min}, ${spec.max}]`;
      const v = toNumber(spec, raw, allowed);
      if (!Number.isInteger(v) || v < spec.min || v > spec.max) fail(spec, raw, allowed);
      return v;
    }
    case 'number': {
      const v = toNumber(spec, raw, `a number in ${rangeText(spec.min, spec.max, spec.minOpen, spec.maxOpen)}`);
      checkRange(spec, raw, v, spec.min, spec.max, spec.minOpen, spec.maxOpen);
      return v;
    }
    case 'enum':
      if (typeof raw !== 'string' || !spec.values.includes(raw)) fail(spec, raw, `one of ${spec.values.join(', ')}`);
      return raw;
    case 'list': {
      const allowed = `one number or a comma-separated list, each in ${rangeText(spec.min, spec.max, spec.minOpen)}`;
      const parts = Array.isArray(raw) ? raw : String(raw).split(',');
      if (parts.length === 0) fail(spec, raw, allowed);
      return parts.map((p) => {
        const v = toNumber(spec, typeof p === 'number' ? p : String(p).trim(), allowed);
        if ((spec.minOpen ? v <= spec.min : v < spec.min) || v > spec.max) fail(spec, raw, allowed);
        return v;
      });
    }
    case 'matrix': {
      const allowed = 'a square matrix of finite numbers, rows split by ";" and entries by ","';
      const rows = String(raw).split(';').map((r) => r.split(',').map((x) => toNumber(spec, x.trim(), allowed)));
      if (rows.some((r) => r.length !== rows.length)) fail(spec, raw, allowed);
      return rows;
    }
    case 'seed': {
      const s = String(raw);
      if (s.length > 1000) fail(spec, s.slice(0, 20) + '...', 'a seed of at most 1000 characters');
      // an int32 written as digits is a numeric seed; anything else is a string key
      return /^-?\d{1,10}$/.test(s) && Number(s) === (Number(s) | 0) ? Number(s) : s;
    }
    case 'string':
      if (typeof raw !== 'string' || raw === '') fail(spec, raw, 'a non-empty string');
      return raw;
    case 'flag':
      if (typeof raw !== 'boolean') fail(spec, raw, 'no value (it is a flag)');
      return raw;
  }
}

/** Parses every option of `table` in `raw`; unknown names are errors. */
export function parseOptions(table: readonly OptionSpec[], raw: RawOptions): Record<string, ParsedValue> {
  const known = new Map(table.map((s) => [s.name, s]));
  for (const name of Object.keys(raw)) {
    if (!known.has(name) && raw[name] !== undefined) throw unknownOption(name, table);
  }
  const out: Record<string, ParsedValue> = {};
  for (const spec of table) {
    const value = parseOption(spec, raw[spec.name]);
    const fallback = 'default' in spec && spec.default !== undefined ? parseOption(spec, spec.default) : undefined;
    out[spec.name] = value === undefined ? fallback : value;
  }
  return out;
}

/** `--name: unknown option; did you mean --nearest?` (or the list of options when nothing is near). */
export function unknownOption(name: string, table: readonly OptionSpec[], seeHelp?: string): UsageError {
  const names = table.map((s) => s.name);
  const hint = didYouMean(name, names, '--') || (seeHelp ? `; see ${seeHelp}` : `; allowed: ${names.map((n) => '--' + n).join(', ')}`);
  return new UsageError(`--${name}: unknown option${hint}`);
}

// Typed options: the parsed object's type inferred from the table. A table
// written `[...] as const satisfies readonly OptionSpec[]` gives each option
// its type (int/number: number, enum: the union of its values, list: number[],
// matrix: number[][], seed: number | string, string: string, flag: boolean),
// `| undefined` where it has no default.

type KindValue<S> = S extends { kind: 'int' | 'number' }
  ? number
  : S extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : S extends { kind: 'list' }
      ? number[]
      : S extends { kind: 'matrix' }
        ? number[][]
        : S extends { kind: 'seed' }
          ? number | string
          : S extends { kind: 'string' }
            ? string
            : S extends { kind: 'flag' }
              ? boolean
              : never;

type OptionValue<S> = S extends { kind: 'flag' } | { default: number | string } ? KindValue<S> : KindValue<S> | undefined;

/** The parsed options of a table, by name. */
export type TypedOptions<T extends readonly OptionSpec[]> = { [S in T[number] as S['name']]: OptionValue<S> };

/** parseOptions with the result typed from the table; absent flags are false. */
export function parseTypedOptions<const T extends readonly OptionSpec[]>(table: T, raw: RawOptions): TypedOptions<T> {
  const out = parseOptions(table, raw);
  for (const s of table) if (s.kind === 'flag') out[s.name] ??= false;
  return out as TypedOptions<T>;
}
