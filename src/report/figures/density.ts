// Densities of fitted models on a grid, and their contour lines. The
// exponential is passed in: the caller gives the kernels' deterministic `exp`
// (the js build of assembly/detmath.ts), so a figure's numbers are the same
// bits in every runtime; the rest is + - * / sqrt.
import type { ModelParams } from '../../results/types.js';
import type { ContourPoint } from './charts.js';

export type Exp = (x: number) => number;

const TWO_PI = 2 * Math.PI;

/** Evenly spaced points from a to b, `count` of them. */
export function grid(a: number, b: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => a + ((b - a) * i) / (count - 1));
}

/** A 2-D Gaussian mixture's density at (x, y), from --params (weights, means, covs). A singular component counts as 0. */
export function mixtureDensity2(p: ModelParams, exp: Exp): (x: number, y: number) => number {
  const w = p.weights as number[];
  const means = p.means as number[][];
  const covs = p.covs as number[][];
  const comps = w.map((wj, j) => {
    const [a, b, , d] = covs[j];
    const det = a * d - b * b;
    return { wj, mx: means[j][0], my: means[j][1], a, b, d, det, norm: det > 0 ? wj / (TWO_PI * Math.sqrt(det)) : 0 };
  });
  return (x, y) => {
    let s = 0;
    for (const c of comps) {
      if (c.norm === 0) continue;
      const dx = x - c.mx;
      const dy = y - c.my;
      // (dx, dy) Sigma^-1 (dx, dy)^T with Sigma^-1 = [d -b; -b a] / det
      const q = (c.d * dx * dx - 2 * c.b * dx * dy + c.a * dy * dy) / c.det;
      s += c.norm * exp(-0.5 * q);
    }
    return s;
  };
}

/** A 1-D Gaussian mixture's density at x (weights, means, covs of 1 x 1). */
export function mixtureDensity1(p: ModelParams, exp: Exp): (x: number) => number {
  const w = p.weights as number[];
  const means = p.means as number[][];
  const covs = p.covs as number[][];
  return (x) => {
    let s = 0;
    w.forEach((wj, j) => {
      const v = covs[j][0];
      if (!(v > 0)) return;
      const dx = x - means[j][0];
      s += (wj / Math.sqrt(TWO_PI * v)) * exp((-0.5 * dx * dx) / v);
    });
    return s;
  };
}

/**
 * The KDE of --params' centres with its bandwidth h (a Gaussian kernel of sd h
 * per coordinate, as the kernels' kdeLogDensity): the KDE of the first
 * centres only, an estimate of the whole KDE when the training set was larger.
 */
export function kdeDensity(p: ModelParams, exp: Exp): (x: number[]) => number {
  const h = p.bandwidth as number;
  const centres = p.centres as number[][];
  const m = centres.length;
  if (!(h > 0) || m === 0) return () => NaN;
  const d = centres[0].length;
  let scale = m;
  for (let a = 0; a < d; a++) scale *= Math.sqrt(TWO_PI) * h;
  const norm = 1 / scale;
  const c = 0.5 / (h * h);
  return (x) => {
    let s = 0;
    for (const ctr of centres) {
      let q = 0;
      for (let a = 0; a < d; a++) q += (x[a] - ctr[a]) * (x[a] - ctr[a]);
      s += exp(-c * q);
    }
    return norm * s;
  };
}

/**
 * Marching squares: the segments of the level set f = level over a grid
 * (values[j][i] at (xs[i], ys[j])), by linear interpolation along cell edges.
 * A saddle cell is split by its centre value.
 */
export function contourSegments(xs: number[], ys: number[], values: number[][], level: number, panel: string): Segment[] {
  const out: Segment[] = [];
  const at = (x0: number, v0: number, x1: number, v1: number) => x0 + ((level - v0) / (v1 - v0)) * (x1 - x0);
  for (let j = 0; j + 1 < ys.length; j++) {
    for (let i = 0; i + 1 < xs.length; i++) {
      const v = [values[j][i], values[j][i + 1], values[j + 1][i + 1], values[j + 1][i]]; // corners: bl, br, tr, tl
      if (!v.every(Number.isFinite)) continue;
      const [x0, x1, y0, y1] = [xs[i], xs[i + 1], ys[j], ys[j + 1]];
      // crossing points on the edges bottom, right, top, left
      const edge = [
        v[0] >= level !== v[1] >= level ? [at(x0, v[0], x1, v[1]), y0] : null,
        v[1] >= level !== v[2] >= level ? [x1, at(y0, v[1], y1, v[2])] : null,
        v[3] >= level !== v[2] >= level ? [at(x0, v[3], x1, v[2]), y1] : null,
        v[0] >= level !== v[3] >= level ? [x0, at(y0, v[0], y1, v[3])] : null,
      ];
      const hits = edge.map((e, k) => (e ? k : -1)).filter((k) => k >= 0);
      const seg = (a: number, b: number) => out.push({ panel, level, x: edge[a]![0], y: edge[a]![1], x2: edge[b]![0], y2: edge[b]![1] });
      if (hits.length === 2) seg(hits[0], hits[1]);
      else if (hits.length === 4) {
        // a saddle: the centre decides which corners join
        const centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
        if (centreAbove === v[0] >= level) (seg(0, 1), seg(2, 3));
        else (seg(0, 3), seg(1, 2));
      }
    }
  }
  return out;
}

/**
 * Segments joined into polylines, as points in order: neighbouring cells
 * compute a shared crossing from the same two corner values in the same
 * order, so its coordinates are the same bits and match exactly. One
 * polyline is one SVG path (a segment each would be ten times the bytes).
 */
export function joinSegments(segments: Segment[]): ContourPoint[] {
  const key = (x: number, y: number) => `${x},${y}`;
  const ends = new Map<string, number[]>();
  segments.forEach((s, i) => {
    for (const k of [key(s.x, s.y), key(s.x2, s.y2)]) {
      const list = ends.get(k);
      if (list) list.push(i);
      else ends.set(k, [i]);
    }
  });
  const used = new Uint8Array(segments.length);
  const out: ContourPoint[] = [];
  let line = 0;
  /** Walks from point (x, y) through unused segments, appending their far ends. */
  const walk = (x: number, y: number, into: [number, number][]) => {
    for (;;) {
      const next = (ends.get(key(x, y)) ?? []).find((i) => !used[i]);
      if (next === undefined) return;
      used[next] = 1;
      const s = segments[next];
      [x, y] = s.x === x && s.y === y ? [s.x2, s.y2] : [s.x, s.y];
      into.push([x, y]);
    }
  };
  segments.forEach((s, i) => {
    if (used[i]) return;
    used[i] = 1;
    const forward: [number, number][] = [];
    const backward: [number, number][] = [];
    walk(s.x2, s.y2, forward);
    walk(s.x, s.y, backward);
    const points = [...backward.reverse(), [s.x, s.y] as [number, number], [s.x2, s.y2] as [number, number], ...forward];
    points.forEach(([x, y], k) => out.push({ panel: s.panel, level: s.level, line, k, x, y }));
    line++;
  });
  return out;
}

/** Contour lines of f over [x0, x1] x [y0, y1] at the given levels, as polylines' points (line ids unique within the panel). */
export function contours(f: (x: number, y: number) => number, domain: [number, number, number, number], levels: number[], panel: string, cells = 60): ContourPoint[] {
  const xs = grid(domain[0], domain[1], cells + 1);
  const ys = grid(domain[2], domain[3], cells + 1);
  const values = ys.map((y) => xs.map((x) => f(x, y)));
  return joinSegments(levels.flatMap((level) => contourSegments(xs, ys, values, level, panel)));
}

/** One contour segment of a panel. */
export interface Segment {
  panel: string;
  level: number;
  x: number;
  y: number;
  x2: number;
  y2: number;
}

/** Contour levels for a set of panels: fractions of the first panel's peak (the original distribution), shared so panels compare. */
export function levelsFrom(f: (x: number, y: number) => number, domain: [number, number, number, number], fractions = [0.05, 0.15, 0.3, 0.5, 0.7, 0.9]): number[] {
  const xs = grid(domain[0], domain[1], 61);
  const ys = grid(domain[2], domain[3], 61);
  let peak = 0;
  for (const y of ys) for (const x of xs) peak = Math.max(peak, f(x, y));
  return peak > 0 ? fractions.map((q) => q * peak) : [];
}
