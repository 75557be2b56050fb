// Progress on stderr: one rewritten line on a terminal, a line every few
// seconds otherwise (logs, CI).
import type { Progress } from '../runner/run.js';

export function progressPrinter(label: string, enabled: boolean): { update(p: Progress): void; done(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let last = -Infinity;
  let shown = false;
  return {
    update(p: Progress) {
      if (!enabled) return;
      const t = p.elapsedMs;
      if (t - last < (tty ? 200 : 5000) && p.done < p.total) return;
      last = t;
      const eta = p.done > 0 ? ((t / p.done) * (p.total - p.done)) / 1000 : NaN;
      const text = `${label}: replicate ${p.done}/${p.total} (${((100 * p.done) / p.total).toFixed(0)}%), ${(t / 1000).toFixed(1)} s${Number.isFinite(eta) ? `, about ${eta.toFixed(1)} s left` : ''}`;
      process.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
      shown = true;
    },
    done() {
      if (enabled && tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}
