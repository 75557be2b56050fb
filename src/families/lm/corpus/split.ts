// The train / validation / test split, by document, deterministic.

export type Part = 'train' | 'validation' | 'test';

/**
 * The documents a run uses, and their parts. Of D documents (Brown: its files
 * in name order ca01..cr09; plain text: its paragraphs in order), a run with
 * --documents n uses documents floor(j D / n) for j = 0..n-1 (evenly spread,
 * so every Brown category is in a small run), and document j goes to
 * validation when j mod 10 = 8, to test when j mod 10 = 9, to train otherwise.
 */
export function chooseDocuments(total: number, n: number): { index: number; part: Part }[] {
  const out: { index: number; part: Part }[] = [];
  for (let j = 0; j < n; j++) {
    const r = j % 10;
    out.push({ index: Math.floor((j * total) / n), part: r === 8 ? 'validation' : r === 9 ? 'test' : 'train' });
  }
  return out;
}
