// A run file's header, checked before anything reads it: its config is
// resolved again as the options it came from, with the family's own
// validation, and must come back the same; `recorded` and `recordedSamples`
// must be what that config records. A header edited by hand or written by
// something else is refused naming the field (exit 2) instead of hanging a
// theory loop or crashing a reader. Only the header is looked at, so the
// check costs the same for a file of any size.
import type { OptionSpec } from '../config/spec.js';
import { rangeText, UsageError, type RawOptions } from '../config/validate.js';
import { recordedGenerations } from '../chain/generations.js';
import type { RunHeader } from '../results/types.js';
import type { Family } from './family.js';
import { FAMILIES, familyOf, type RunConfig } from './index.js';

/** The config field of an option: its name in camelCase (real-fraction: realFraction). */
export const camel = (option: string) => option.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

/** A value in a message: JSON, cut short. */
function shown(v: unknown): string {
  const s = v === undefined ? 'missing' : Number.isNaN(v) ? 'NaN' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** What a config field of this option's kind may hold, as JSON. */
function allowed(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'int':
      return `an integer in [${spec.min}, ${spec.max}]`;
    case 'number':
      return `a number in ${rangeText(spec.min, spec.max, spec.minOpen, spec.maxOpen)}`;
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'list':
      return `an array of numbers, each in ${rangeText(spec.min, spec.max, spec.minOpen)}`;
    case 'matrix':
      return 'a square matrix of numbers, row-major';
    case 'seed':
      return 'an int32 or a string';
    case 'string':
      return spec.docValues?.replaceAll('`', '') ?? 'a non-empty string';
    case 'flag':
      return 'true or false';
  }
}

function refuse(field: string, value: unknown, spec: OptionSpec): never {
  throw new UsageError(`config.${field}: ${shown(value)} is not allowed; expected ${allowed(spec)}`);
}

/** A field's value as its option, its JSON type checked (the option parser would take "12" for 12). */
function optionValue(spec: OptionSpec, field: string, v: unknown): RawOptions[string] {
  switch (spec.kind) {
    case 'int':
    case 'number':
      // JSON's 1e400 parses to Infinity, which no option takes
      if (typeof v !== 'number' || !Number.isFinite(v)) refuse(field, v, spec);
      return v;
    case 'list':
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) refuse(field, v, spec);
      return v as number[];
    case 'enum':
    case 'string':
      if (typeof v !== 'string') refuse(field, v, spec);
      return v;
    case 'seed':
      if (typeof v !== 'string' && typeof v !== 'number') refuse(field, v, spec);
      return String(v);
    case 'flag':
      if (typeof v !== 'boolean') refuse(field, v, spec);
      return v;
    case 'matrix':
      // no config holds a matrix as rows: the family's headerOptions writes it
      refuse(field, v, spec);
  }
}

/** The options `config` was resolved from: each option from its field (camelCase), the family's own where they differ. */
function optionsOf(family: Family<RunConfig>, config: Record<string, unknown>): RawOptions {
  const special = family.headerOptions?.(config) ?? {};
  const raw: RawOptions = {};
  for (const spec of family.options) {
    if (spec.name in special) raw[spec.name] = special[spec.name];
    else {
      const v = config[camel(spec.name)];
      // null: an option left out (realWeight, zipfA, ...); resolve gives null back, or the comparison names it
      if (v !== undefined && v !== null) raw[spec.name] = optionValue(spec, camel(spec.name), v);
    }
  }
  // policies without a real share write 0, which resolve refuses as an option
  if (raw.policy !== 'mix' && raw.policy !== 'fresh' && config.realFraction === 0) delete raw['real-fraction'];
  return raw;
}

/**
 * Equal as JSON; `close`: numbers within 1e-9 relative. Dividing by a sum
 * again moves each by that sum's rounding, up to K ulps for K terms (4e-12
 * for 10^5 probabilities of 1e-5); 1e-9 is what resolve allows a sum.
 */
function same(a: unknown, b: unknown, close: boolean): boolean {
  if (close && typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (close && a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], true));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The message of a UsageError from resolve, with its options named as the config's fields. */
function asFields(message: string, family: Family<RunConfig>): string {
  const names = new Set(family.options.map((s) => s.name));
  return message.replace(/--([a-z0-9]+(?:-[a-z0-9]+)*)/g, (whole, name: string) => (names.has(name) ? `config.${camel(name)}` : whole));
}

/**
 * Checks a header's config as `run` checks options, and returns its family.
 * `readData`: resolve as a run does, reading the data files the config names
 * (lm's corpus, vae's digits), so that their sizes are checked against the
 * header's (for a run that continues the file); otherwise the header's sizes are taken.
 */
export function checkHeaderConfig(config: unknown, readData = false): Family<RunConfig> {
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new UsageError(`config: ${shown(config)} is not a run's config (an object)`);
  const c = config as Record<string, unknown>;
  if (typeof c.family !== 'string' || !Object.hasOwn(FAMILIES, c.family)) throw new UsageError(`config.family: ${shown(c.family)} is not allowed; expected one of ${Object.keys(FAMILIES).join(', ')}`);
  const family = familyOf(c.family);
  let resolved: Record<string, unknown>;
  try {
    const raw = optionsOf(family, c);
    resolved = (readData || !family.resolveHeader ? family.resolve(raw) : family.resolveHeader(raw, c)).config as unknown as Record<string, unknown>;
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(asFields(e.message, family));
    throw e;
  }
  const specs = new Map(family.options.map((s) => [camel(s.name), s]));
  const close = new Set(family.normalised ?? []);
  for (const k of new Set([...Object.keys(resolved), ...Object.keys(c)])) {
    const mine = resolved[k];
    const theirs = c[k];
    if (same(theirs, mine, close.has(k))) continue;
    if (!(k in resolved)) throw new UsageError(`config.${k}: not a field of a ${family.name} config`);
    const spec = specs.get(k);
    if ((theirs === undefined || theirs === null) && spec) refuse(k, theirs, spec);
    throw new UsageError(`config.${k}: ${shown(theirs)} does not match the rest of the config, which gives ${shown(mine)}`);
  }
  return family;
}

/** `recorded` and `recordedSamples` as the (checked) config records them, the environment the table prints, and the facts the theory reads. */
function checkRecorded(header: RunHeader, family: Family<RunConfig>): void {
  const c = header.config as RunConfig;
  const recorded = recordedGenerations(c.generations, c.every);
  const h = header as unknown as Record<string, unknown>;
  const check = (field: string, want: number[], what: string) => {
    const got = h[field];
    if (!Array.isArray(got) || got.length !== want.length) {
      throw new UsageError(`${field}: ${Array.isArray(got) ? `${got.length} entries` : shown(got)}; expected ${want.length} numbers, ${what}`);
    }
    const i = want.findIndex((x, j) => got[j] !== x);
    if (i >= 0) throw new UsageError(`${field}[${i}]: ${shown(got[i])}; expected ${want[i]}, ${what}`);
  };
  check('recorded', recorded, `the generations config.generations ${c.generations} and config.every ${c.every} record`);
  check(
    'recordedSamples',
    recorded.map((n) => family.samplesAt(c, n)),
    'the training-set size of each recorded generation under the config',
  );
  // the table's second line prints these
  const env = h.environment as Record<string, unknown> | null;
  const envFields = ['runtime', 'runtimeVersion', 'engine', 'cpu', 'platform'];
  if (!env || typeof env !== 'object' || Array.isArray(env)) throw new UsageError(`environment: ${shown(env)}; expected an object (${envFields.join(', ')})`);
  for (const k of envFields) if (typeof env[k] !== 'string') throw new UsageError(`environment.${k}: ${shown(env[k])}; expected a string`);
  if (h.params !== undefined && h.params !== true) throw new UsageError(`params: ${shown(h.params)}; expected true or no params field`);
  if (!h.facts || typeof h.facts !== 'object' || Array.isArray(h.facts)) throw new UsageError(`facts: ${shown(h.facts)}; expected an object`);
  family.checkFacts?.(h.facts as Record<string, unknown>, c);
}

/**
 * The family of a run file's header, after checking its config, recorded
 * generations and sizes (the readers' `familyFor`, src/results/jsonl.ts);
 * UsageError naming the field otherwise.
 */
export function familyOfHeader(header: RunHeader, readData = false): Family<RunConfig> {
  const family = checkHeaderConfig(header.config, readData);
  checkRecorded(header, family);
  return family;
}
