// The one argv parser (the CLI's commands and `npm run bench`): argv -> raw
// option strings, by the option table. Values are checked later by
// parseOptions (validate.ts), which names the option and what is allowed.
//
//   --name value, --name=value     an option with a value; a value may start
//                                  with '-' (`--mu0 -1`), never with '--'
//   --flag                         a flag (kind 'flag'); `--flag=x` is refused
//   --help, -h                     help
//   --                             the rest are positionals
// An option given twice is an error (no option is repeatable): the last one
// winning silently hid typos in long command lines. An unknown name gets the
// nearest known one: `--replicate: unknown option; did you mean --replicates?`.
import type { OptionSpec } from './spec.js';
import { UsageError, unknownOption, type RawOptions } from './validate.js';

export interface ParsedArgv {
  /** Option values as written (strings; true for flags), by option name. */
  values: RawOptions;
  positionals: string[];
  help: boolean;
}

/** `seeHelp`: the help command named in errors, e.g. "collapse-bench run gaussian --help". */
export function parseArgv(table: readonly OptionSpec[], argv: readonly string[], seeHelp = '--help'): ParsedArgv {
  const specs = new Map(table.map((s) => [s.name, s]));
  const values: RawOptions = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-[\d.]/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`${arg}: unknown option (options are written --name); see ${seeHelp}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.get(name);
    if (!spec) throw unknownOption(name, table, seeHelp);
    if (Object.hasOwn(values, name)) throw new UsageError(`--${name} given twice; give it once`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name}: is a flag and takes no value (got '${arg.slice(eq + 1)}')`);
      values[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`--${name}: argument missing; expected --${name} ${argName(spec)}`);
      }
      i++;
    }
    values[name] = value;
  }
  return { values, positionals, help };
}

/** The placeholder of an option's value in help and messages: `<M>`, `<policy>`. */
export function argName(s: OptionSpec): string {
  return `<${('arg' in s && s.arg) || (s.kind === 'enum' ? s.name : s.kind)}>`;
}

/**
 * A command line `base` with the options of `extra` in place of its own
 * (appended): an option given twice is an error. In `base`, an option is a
 * flag when no value follows it.
 */
export function withOptions(base: readonly string[], extra: readonly string[]): string[] {
  const given = new Set(extra.filter((a) => a.startsWith('--')).map((a) => a.replace(/=.*/, '')));
  const out: string[] = [];
  for (let i = 0; i < base.length; i++) {
    const flag = !base[i].startsWith('--') || base[i + 1] === undefined || base[i + 1].startsWith('--');
    if (given.has(base[i])) i += flag ? 0 : 1;
    else out.push(base[i]);
  }
  return [...out, ...extra];
}
