// Progress on stderr: one rewritten line on a terminal, a line every few
// seconds otherwise (logs, CI). It counts fractions of a replicate (the
// generation the chain has reached), so a run of few long replicates moves too.
// A sweep's share and time left come from its estimated work instead (cells
// differ in cost per replicate by orders of magnitude), at the pace of this
// session (the work a resumed sweep found done is not counted in the pace).
import type { Progress } from '../runner/run.js';

export function progressPrinter(label: string | (() => string), enabled: boolean): { update(p: Progress): void; done(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let last = -Infinity;
  let shown = false;
  return {
    update(p: Progress) {
      if (!enabled || p.total === 0) return;
      const t = p.elapsedMs;
      if (t - last < (tty ? 200 : 5000) && p.done < p.total) return;
      last = t;
      const { done, total, atStart } = p.work ?? { done: p.done + (p.partial ?? 0), total: p.total, atStart: 0 };
      const eta = done > atStart ? ((t / (done - atStart)) * (total - done)) / 1000 : NaN;
      const pct = (100 * done) / total;
      const share = `${pct.toFixed(pct < 10 ? 1 : 0)}%${p.work ? ' of the estimated work' : ''}`;
      const text = `${typeof label === 'string' ? label : label()}: replicate ${p.done}/${p.total} (${share}), ${(t / 1000).toFixed(1)} s${Number.isFinite(eta) ? `, about ${duration(eta)} left` : ''}`;
      process.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
      shown = true;
    },
    done() {
      if (enabled && tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Seconds as a reader takes them in: "42.0 s", "15 min", "3.5 h", "12 days", "24000 years" (a huge sweep's estimate was "755999999999.6 s"). */
export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds < 2 * 365.25 * 86400) return `${Math.round(seconds / 86400)} days`;
  return `${Math.round(seconds / (365.25 * 86400))} years`;
}
