// A few images per recorded generation (ReplicateRecord.images), stored
// compactly: grey levels in [0, 1] quantised to bytes, base64 (a JSONL line
// of 8 images of 14x14 per generation grows by about 2 KB per generation).
// Pure: btoa and atob are globals in Node and in browsers.
import type { SampleImages } from './types.js';

/** The byte of a grey level: round(255 g), g clamped to [0, 1] (NaN -> 0). */
export function greyByte(g: number): number {
  return g > 0 ? (g < 1 ? Math.round(255 * g) : 255) : 0;
}

/**
 * The first `count` images of column-major data (pixel a of image i at
 * data[a ld + i], a = row width + column), quantised and encoded.
 */
export function encodeImages(data: Float64Array, ld: number, count: number, width: number, height: number): SampleImages {
  const D = width * height;
  let bin = '';
  for (let i = 0; i < count; i++) {
    const bytes = new Array<number>(D);
    for (let a = 0; a < D; a++) bytes[a] = greyByte(data[a * ld + i]);
    bin += String.fromCharCode(...bytes);
  }
  return { width, height, count, grey: btoa(bin) };
}

/** The bytes of a SampleImages: count x height x width, image after image, row after row. */
export function decodeImages(s: SampleImages): Uint8Array {
  const bin = atob(s.grey);
  if (bin.length !== s.count * s.width * s.height) throw new Error(`sample images: ${bin.length} bytes, expected ${s.count} x ${s.height} x ${s.width}`);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
