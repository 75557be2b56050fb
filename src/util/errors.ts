// Errors every layer may throw. Only UsageError means "bad input from the
// user": the CLI prints it as one line and exits with code 2 (bench: usage
// and exit 2). Anything else is a failure: exit 1, DEBUG=1 shows the stack.

/** Bad input from the user: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
