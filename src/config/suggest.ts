// "Did you mean": the known names nearest to a mistyped one.

/** Optimal string alignment distance: Levenshtein plus swaps of two neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidates within edit distance 2 of `name` (1 for names of 3 letters or
 * fewer), or that start with it (a prefix of at least 2 letters), nearest first.
 */
export function nearestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const typed = name.toLowerCase();
  const limit = typed.length <= 3 ? 1 : 2;
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const dist = editDistance(typed, c.toLowerCase());
    if (dist <= limit) scored.push([c, dist]);
    else if (typed.length >= 2 && c.toLowerCase().startsWith(typed)) scored.push([c, limit + 1]);
  }
  return scored
    .sort((x, y) => x[1] - y[1])
    .slice(0, max)
    .map(([c]) => c);
}

/** "; did you mean X?" or "; did you mean X or Y?", or '' when nothing is near. */
export function didYouMean(name: string, candidates: Iterable<string>, prefix = ''): string {
  const near = nearestNames(name, candidates);
  if (!near.length) return '';
  const names = near.map((n) => prefix + n);
  return `; did you mean ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}?`;
}
