// The worker threads a `run` command line will want, read from the raw
// arguments by the CLI's entry (bin.ts) before it imports the harness, so
// that they boot meanwhile (src/runner/thread-boot.ts). A guess that must
// never start threads a run does not want: 0 unless the command is `run` and
// --workers or --replicates is given (a family's own default replicates may
// be 1), and 0 with --resume (the file decides what is left) or --help. The
// real parser checks the options afterwards; a pool of another size starts anew.

/** The value of `--name V` or `--name=V` (the last one given), if any. */
function valueOf(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  argv.forEach((a, i) => {
    if (a === name) value = argv[i + 1];
    else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
  });
  return value;
}

/** Threads to boot early for this command line (`cores`: the default --workers). */
export function earlyThreadCount(argv: string[], cores: number): number {
  if (argv[0] !== 'run' || argv.some((a) => a === '--help' || a === '-h' || a === '--resume' || a.startsWith('--resume='))) return 0;
  const workers = valueOf(argv, '--workers');
  const replicates = valueOf(argv, '--replicates');
  if (workers === undefined && replicates === undefined) return 0;
  const count = (v: string | undefined, otherwise: number) => (v === undefined ? otherwise : /^[0-9]+$/.test(v) ? Number(v) : 0);
  const width = Math.min(count(workers, cores), count(replicates, Infinity), 64);
  return width >= 2 ? width - 1 : 0;
}
