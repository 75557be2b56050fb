// Ctrl-C for the commands that run simulations: the first stops after the
// current generation (what finished is kept), the second quits at once
// (every line already written is whole).

/** The exit code of a run stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** Listens for SIGINT until `dispose()`; `signal` aborts at the first Ctrl-C. */
export function interruptOnCtrlC(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write('\ninterrupt: stopping after the current generation (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
