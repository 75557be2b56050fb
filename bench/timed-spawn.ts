// A child process run to its end with its wall time: bench:peers and
// bench:workers time whole processes this way.
import { spawn } from 'node:child_process';

export interface TimedRun {
  /** Seconds from spawn to exit. */
  wall: number;
  stdout: string;
  stderr: string;
  code: number | null;
}

export function timedSpawn(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ wall: (performance.now() - t0) / 1000, stdout, code, stderr }));
  });
}
