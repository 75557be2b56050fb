// The one argv parser, decimal integers, "did you mean", the typed option
// helper and the bench's options (which use the same parser).
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { parseArgv } from '../src/config/argv.js';
import { decimalNumber, parseOption, parseOptions, parseTypedOptions, UsageError } from '../src/config/validate.js';
import { UsageError as BottomUsageError } from '../src/util/errors.js';
import { editDistance, nearestNames } from '../src/config/suggest.js';
import type { OptionSpec } from '../src/config/spec.js';
import { commonOptions, DEFAULT_BACKEND } from '../src/config/common.js';
import { simdSupported } from '../src/kernels/backend.js';
import { simdWasm } from '../build/kernel-artifacts.js';
import { BENCH_OPTIONS, parseOptions as parseBenchOptions, UsageError as BenchUsageError } from '../bench/options.js';
import { FAMILIES } from '../src/families/index.js';

const TABLE = [
  ...commonOptions({ generations: 10, replicates: 5 }),
  { name: 'samples', kind: 'int', min: 2, max: 100, default: 10, help: 'samples', arg: 'M' },
  { name: 'bias', kind: 'number', min: 0, max: 1, minOpen: true, default: 1, help: 'bias' },
  { name: 'mu0', kind: 'list', min: -10, max: 10, help: 'means' },
  { name: 'policy', kind: 'enum', values: ['replace', 'accumulate'], default: 'replace', help: 'policy' },
  { name: 'out', kind: 'string', help: 'file' },
  { name: 'quiet', kind: 'flag', help: 'quiet' },
] as const satisfies readonly OptionSpec[];

describe('one UsageError', () => {
  it('validate.ts and bench re-export the class of src/util/errors.ts', () => {
    expect(UsageError).toBe(BottomUsageError);
    expect(BenchUsageError).toBe(BottomUsageError);
  });
});

describe('parseArgv', () => {
  it('reads --name value, --name=value, flags, negative values, help and positionals', () => {
    const r = parseArgv(TABLE, ['pos', '--samples', '20', '--bias=0.5', '--mu0', '-1,2', '--quiet', '-h', '--', '--not-an-option']);
    expect(r).toEqual({ values: { samples: '20', bias: '0.5', mu0: '-1,2', quiet: true }, positionals: ['pos', '--not-an-option'], help: true });
  });

  it.each([
    [['--replicates', '5', '--replicates', '100'], /^--replicates given twice; give it once$/],
    [['--replicates=5', '--samples', '3', '--replicates', '5'], /^--replicates given twice/],
    [['--quiet', '--quiet'], /^--quiet given twice; give it once$/],
  ])('a repeated option %j is refused, naming it', (argv, message) => {
    expect(() => parseArgv(TABLE, argv)).toThrow(UsageError);
    expect(() => parseArgv(TABLE, argv)).toThrow(message);
  });

  it.each([
    [['--replicate', '5'], /^--replicate: unknown option; did you mean --replicates\?$/],
    [['--sample', '5'], /^--sample: unknown option; did you mean --samples\?$/],
    [['--geneartions', '5'], /did you mean --generations\?/],
    [['--polcy', 'x'], /did you mean --policy\?/],
    [['--rep', '5'], /did you mean --replicates\?/],
    [['--temperature', '2'], /^--temperature: unknown option; see --help$/],
    [['--samples'], /^--samples: argument missing; expected --samples <M>$/],
    [['--samples', '--quiet'], /^--samples: argument missing/],
    [['--quiet=yes'], /^--quiet: is a flag and takes no value/],
    [['-q'], /^-q: unknown option/],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgv(TABLE, argv)).toThrow(UsageError);
    expect(() => parseArgv(TABLE, argv)).toThrow(message);
  });

  it('names the help command it was given', () => {
    expect(() => parseArgv(TABLE, ['--zzz'], 'collapse-bench run gaussian --help')).toThrow(/--zzz: unknown option; see collapse-bench run gaussian --help/);
  });
});

describe('integers are decimal, numbers decimal with an optional exponent', () => {
  const spec = TABLE.find((s) => s.name === 'replicates')!;
  it.each(['0x10', '0b11', '0o7', ' 2', '2 ', '1e3', '2.0', '+3', '', 'Infinity', '1_000'])('--replicates %j: refused, naming the option and the range', (v) => {
    expect(() => parseOption(spec, v)).toThrow(UsageError);
    expect(() => parseOption(spec, v)).toThrow(`--replicates: ${JSON.stringify(v)} is not allowed; expected a decimal integer in [1, 1000000]`);
  });

  it('decimal integers pass, out of range says the range', () => {
    expect(parseOption(spec, '16')).toBe(16);
    expect(parseOption(spec, '007')).toBe(7);
    expect(() => parseOption(spec, '0')).toThrow('--replicates: "0" is not allowed; expected an integer in [1, 1000000]');
    expect(() => parseOption(spec, '-3')).toThrow(/an integer in \[1, 1000000\]/);
  });

  it('numbers accept decimal and exponent forms, not hex, binary, octal, Infinity or spaces', () => {
    for (const [text, v] of [['0.5', 0.5], ['1e-3', 0.001], ['-1.5E+2', -150], ['.5', 0.5], ['3.', 3]] as const) expect(decimalNumber(text)).toBe(v);
    for (const text of ['0x10', '0b11', '0o7', 'Infinity', '-Infinity', ' 1', '1 ', '', 'NaN', '1e', '+1', '1,5']) expect(decimalNumber(text)).toBeNaN();
    const bias = TABLE.find((s) => s.name === 'bias')!;
    expect(parseOption(bias, '5e-1')).toBe(0.5);
    expect(() => parseOption(bias, '0x1')).toThrow(/--bias: "0x1" is not allowed; expected a number in \(0, 1\]/);
    const mu0 = TABLE.find((s) => s.name === 'mu0')!;
    expect(parseOption(mu0, '1e0, -2')).toEqual([1, -2]);
    expect(() => parseOption(mu0, '1,0x2')).toThrow(/--mu0: "0x2" is not allowed; expected one number or a comma-separated list/);
  });

  it('numbers from the API pass as numbers', () => {
    expect(parseOption(spec, 3)).toBe(3);
    expect(() => parseOption(spec, 2.5)).toThrow(/an integer in/);
  });
});

describe('did you mean', () => {
  it('edit distance counts swaps of neighbours as one', () => {
    expect(editDistance('replicate', 'replicates')).toBe(1);
    expect(editDistance('gausian', 'gaussian')).toBe(1);
    expect(editDistance('sampels', 'samples')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('suggests within distance 2 or by prefix, nearest first, nothing when far', () => {
    expect(nearestNames('gausian', Object.keys(FAMILIES))).toEqual(['gaussian']);
    expect(nearestNames('regresion', Object.keys(FAMILIES))).toEqual(['regression']);
    expect(nearestNames('cat', Object.keys(FAMILIES))).toEqual(['categorical']);
    expect(nearestNames('nosuch', Object.keys(FAMILIES))).toEqual([]);
    expect(nearestNames('x', ['xy', 'xz'])).toEqual(['xy', 'xz']);
    expect(nearestNames('ab', ['abc', 'zzzz'])).toEqual(['abc']);
  });

  it('parseOptions (the API) suggests too', () => {
    expect(() => parseOptions(TABLE, { replicate: 5 })).toThrow(/--replicate: unknown option; did you mean --replicates\?/);
    expect(() => parseOptions(TABLE, { zzz: 5 })).toThrow(/--zzz: unknown option; allowed: --generations, /);
  });
});

describe('parseTypedOptions', () => {
  it('types the result from the table and fills defaults and absent flags', () => {
    const o = parseTypedOptions(TABLE, { samples: '20', policy: 'accumulate' });
    expectTypeOf(o.samples).toEqualTypeOf<number>();
    expectTypeOf(o.bias).toEqualTypeOf<number>();
    expectTypeOf(o.mu0).toEqualTypeOf<number[] | undefined>();
    expectTypeOf(o.policy).toEqualTypeOf<'replace' | 'accumulate'>();
    expectTypeOf(o.backend).toEqualTypeOf<'js' | 'wasm' | 'wasm-simd'>();
    expectTypeOf(o.seed).toEqualTypeOf<number | string>();
    expectTypeOf(o.out).toEqualTypeOf<string | undefined>();
    expectTypeOf(o.quiet).toEqualTypeOf<boolean>();
    expect(o).toEqual({ generations: 10, replicates: 5, every: 1, seed: 1, backend: 'wasm-simd', samples: 20, bias: 1, mu0: undefined, policy: 'accumulate', out: undefined, quiet: false });
  });
});

describe('bench options use the same parser', () => {
  it('parses, refuses with suggestions, and answers help', () => {
    const kernel = BENCH_OPTIONS.find((o) => o.name === 'only')!.values[0];
    expect(parseBenchOptions(['--quick', '--only', kernel])).toMatchObject({ quick: true, only: kernel, out: undefined });
    expect(parseBenchOptions(['--help'])).toBe('help');
    expect(() => parseBenchOptions(['--quik'])).toThrow(/--quik: unknown option; did you mean --quick\?/);
    expect(() => parseBenchOptions(['--only', 'nosuch'])).toThrow(/--only: "nosuch" is not allowed; expected one of /);
    expect(() => parseBenchOptions(['--out'])).toThrow(/--out: argument missing/);
    expect(() => parseBenchOptions(['extra'])).toThrow(UsageError);
    expect(parseBenchOptions(['--smoke'])).toMatchObject({ smoke: true, quick: false, warm: { rounds: 2 } });
    expect(() => parseBenchOptions(['--quick', '--smoke'])).toThrow(/--quick with --smoke: choose one/);
  });
});

describe('exit codes of main: only UsageError is bad input', () => {
  async function runMain(error: Error) {
    const { main } = await import('../src/cli/main.js');
    const spy = vi.spyOn(FAMILIES.gaussian, 'resolve').mockImplementation(() => {
      throw error;
    });
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await main(['run', 'gaussian', '--quiet']);
      return { code, message: err.mock.calls.map((c) => String(c[0])).join('\n') };
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  }

  it('UsageError: exit 2, one line', async () => {
    expect(await runMain(new UsageError('--x: bad'))).toEqual({ code: 2, message: 'collapse-bench: --x: bad' });
  });

  it('RangeError and other errors: exit 1, one line that points to DEBUG=1', async () => {
    for (const e of [new RangeError('index out of range'), new TypeError('oops')]) {
      const r = await runMain(e);
      expect(r.code).toBe(1);
      expect(r.message).toBe(`collapse-bench: ${e.message} (DEBUG=1 shows the stack)`);
    }
  });
});

describe('the default backend', () => {
  it('is wasm-simd where the engine has SIMD, and the probe says what validating the SIMD build says', () => {
    const build = Uint8Array.from(atob(simdWasm), (c) => c.charCodeAt(0));
    expect(simdSupported()).toBe(WebAssembly.validate(build));
    expect(DEFAULT_BACKEND).toBe(simdSupported() ? 'wasm-simd' : 'wasm');
    expect(DEFAULT_BACKEND).toBe('wasm-simd'); // Node 20 has SIMD
  });
});
