// README.md and docs/*.md hold the options tables that `npm run docs:options`
// (scripts/docs-options.mjs) writes from the option tables: this fails when
// they differ, e.g. after an option, range, default or doc text changed.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { FAMILIES } from '../src/families/index.js';
import { documentedFamilies, docNumber, optionsTable, updateOptionTables, valuesText } from '../src/cli/options-doc.js';
import type { OptionSpec } from '../src/config/spec.js';

const root = new URL('..', import.meta.url);
const files = ['README.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = (f: string) => readFileSync(new URL(f, root), 'utf8');

describe('options tables in the docs', () => {
  it.each(files)('%s is what npm run docs:options writes', (file) => {
    const t = text(file);
    // toBe on the whole text shows the differing lines
    expect(updateOptionTables(t), `${file} is out of date: run npm run docs:options`).toBe(t);
  });

  it('every family has one table; the README has the full Gaussian one', () => {
    const documented = files.flatMap((f) => documentedFamilies(text(f)));
    expect(documented.sort()).toEqual(Object.keys(FAMILIES).sort());
    expect(text('README.md')).toContain('<!-- options:gaussian:start full -->');
    for (const name of Object.keys(FAMILIES)) {
      if (name !== 'gaussian') expect(documentedFamilies(text(`docs/${name}.md`))).toEqual([name]);
    }
  });

  it('every option of every family appears in its table', () => {
    for (const [name, family] of Object.entries(FAMILIES)) {
      const table = optionsTable(family.options, name === 'gaussian');
      for (const s of family.options) expect(table, `${name} --${s.name}`).toContain(`\`--${s.name}`);
    }
  });
});

describe('the generator', () => {
  const table: OptionSpec[] = [
    { name: 'samples', kind: 'int', min: 2, max: 10_000_000, default: 100, help: 'M, samples', arg: 'M' },
    { name: 'tol', kind: 'number', min: 0, max: 1e6, minOpen: true, default: 1e-6, help: 'tolerance', arg: 'tol' },
    { name: 'mode', kind: 'enum', values: ['a', 'b'], default: 'a', help: 'mode', doc: 'the mode, longer', docDefault: 'a (b with --x)' },
    { name: 'every', kind: 'int', min: 1, max: 1_000_000, default: 1, help: 'shared' },
  ];

  it('writes values, defaults and meaning from the specs, docs fields first, shared options in one row', () => {
    expect(optionsTable(table, false).split('\n')).toEqual([
      '| option | values | default | meaning |',
      '|---|---|---|---|',
      '| `--samples M` | integer 2..10^7 | 100 | M, samples |',
      '| `--tol` | (0, 10^6] | 1e-6 | tolerance |',
      '| `--mode` | `a`, `b` | a (b with --x) | the mode, longer |',
      '| `--every`, `--json`, `--out`, `--force`, `--resume`, `--quiet`, `--params`, `--report`, `--workers` | | | as for every family (the options of `run gaussian` in the README) |',
    ]);
    expect(optionsTable(table, true)).toContain('| `--every` | integer 1..10^6 | 1 | shared |');
    expect(optionsTable(table, true)).toContain('| `--out FILE.jsonl` |');
  });

  it('rewrites only between markers, and refuses an unknown family', () => {
    const md = 'intro\n<!-- options:x:start -->\nold table\n<!-- options:x:end -->\nafter\n';
    const out = updateOptionTables(md, { x: { options: table.slice(0, 1) } });
    expect(out).toBe('intro\n<!-- options:x:start -->\n| option | values | default | meaning |\n|---|---|---|---|\n| `--samples M` | integer 2..10^7 | 100 | M, samples |\n| `--json`, `--out`, `--force`, `--resume`, `--quiet`, `--params`, `--report`, `--workers` | | | as for every family (the options of `run gaussian` in the README) |\n<!-- options:x:end -->\nafter\n');
    expect(updateOptionTables(out, { x: { options: table.slice(0, 1) } })).toBe(out);
    expect(() => updateOptionTables(md, {})).toThrow(/unknown family 'x'/);
  });

  it('numbers: powers of ten from 10^4, small ones in exponent form; bars escaped', () => {
    expect([docNumber(10_000_000), docNumber(-1e6), docNumber(1000), docNumber(2.7), docNumber(1e-6), docNumber(0)]).toEqual(['10^7', '-10^6', '1000', '2.7', '1e-6', '0']);
    expect(valuesText({ name: 'l', kind: 'list', min: 0, max: 1, minOpen: true, help: '' })).toBe('comma-separated numbers in (0, 1]');
    expect(optionsTable([{ name: 's', kind: 'string', help: 'a | b' }], false)).toContain('a \\| b');
  });
});
