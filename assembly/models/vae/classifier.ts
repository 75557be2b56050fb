// The digit classifier behind the class metrics: softmax regression
// (multinomial logistic regression), logits W x + b with W[C][D] row-major,
// trained once on the real training digits by Adam on minibatches (the
// update of train.ts). Its predictions on generated images give their class
// histogram, whose entropy falls when a chain loses classes (mode collapse).
import { ldf, stf, ldi } from "./../../platform";
import { dot, axpy } from "./../../reduce";
import { exp, log } from "./../../detmath";
import { sampleIndices } from "./../../distributions/subsample";
import { gatherRows } from "./net";
import { adamUpdate } from "./train";

/** logits[c] = b[c] + W_c . x for one image x of D pixels. */
function logitsOf(w: i32, C: i32, D: i32, x: i32, out: i32): void {
  const b = w + ((C * D) << 3);
  for (let c = 0; c < C; c++) stf(out + (c << 3), ldf(b + (c << 3)) + dot(x, w + ((c * D) << 3), D));
}

/**
 * Trains the classifier: weights and biases (C D + C doubles at w) start at
 * 0; `epochs` passes over the n labelled images (labels 0..C-1) of
 * column-major data in minibatches of B, each epoch in a uniform order drawn
 * into idx (n i32). g, m, v: C D + C doubles each; opt: Adam's six doubles
 * (lr, beta1, beta2, eps set; beta^t reset here); x: B D doubles; p: B C.
 * Returns the mean cross-entropy of the last epoch's minibatches.
 */
export function vaeClassifierTrain(w: i32, g: i32, m: i32, v: i32, opt: i32, rng: i32, data: i32, ld: i32, n: i32, labels: i32, C: i32, D: i32, B: i32, epochs: i32, idx: i32, x: i32, p: i32): f64 {
  const P = (C * D + C) | 0;
  for (let k = 0; k < P; k++) {
    stf(w + (k << 3), 0.0);
    stf(m + (k << 3), 0.0);
    stf(v + (k << 3), 0.0);
  }
  stf(opt + 32, 1.0);
  stf(opt + 40, 1.0);
  let lossSum: f64 = 0.0;
  let batches = 0;
  for (let e = 0; e < epochs; e++) {
    sampleIndices(rng, idx, n, n);
    lossSum = 0.0;
    batches = 0;
    for (let from = 0; from < n; from += B) {
      const nb = from + B <= n ? B : n - from;
      gatherRows(data, ld, D, idx, from, nb, x);
      for (let k = 0; k < P; k++) stf(g + (k << 3), 0.0);
      const inv = 1.0 / f64(nb);
      let loss: f64 = 0.0;
      for (let i = 0; i < nb; i++) {
        const xi = x + ((i * D) << 3);
        const pi = p + ((i * C) << 3);
        logitsOf(w, C, D, xi, pi);
        let mx = ldf(pi);
        for (let c = 1; c < C; c++) if (ldf(pi + (c << 3)) > mx) mx = ldf(pi + (c << 3));
        let s: f64 = 0.0;
        for (let c = 0; c < C; c++) {
          const ec = exp(ldf(pi + (c << 3)) - mx);
          stf(pi + (c << 3), ec);
          s += ec;
        }
        const y = ldi(labels + (ldi(idx + (((from + i) | 0) << 2)) << 2));
        loss += log(s) - log(ldf(pi + (y << 3)));
        // d loss / d logit_c = (softmax_c - 1[c = y]) / nb
        for (let c = 0; c < C; c++) {
          const d = ((ldf(pi + (c << 3)) / s) - (c == y ? 1.0 : 0.0)) * inv;
          axpy(g + ((c * D) << 3), d, xi, D);
          stf(g + (((C * D + c) | 0) << 3), ldf(g + (((C * D + c) | 0) << 3)) + d);
        }
      }
      adamUpdate(w, g, m, v, P, opt);
      lossSum += loss * inv;
      batches++;
    }
  }
  return batches > 0 ? lossSum / f64(batches) : 0.0;
}

/**
 * Classifies the n column-major images (x: D doubles of scratch, logits: C):
 * adds each image's class (the largest logit, the lowest class on ties) to
 * the counts hist[C] (doubles, zeroed here), and returns how many equal
 * labels[i] (0 when labels < 0).
 */
export function vaeClassify(w: i32, C: i32, D: i32, data: i32, ld: i32, n: i32, labels: i32, hist: i32, x: i32, logits: i32): i32 {
  for (let c = 0; c < C; c++) stf(hist + (c << 3), 0.0);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    gatherRows(data, ld, D, -1, i, 1, x);
    logitsOf(w, C, D, x, logits);
    let best = 0;
    for (let c = 1; c < C; c++) if (ldf(logits + (c << 3)) > ldf(logits + (best << 3))) best = c;
    stf(hist + (best << 3), ldf(hist + (best << 3)) + 1.0);
    if (labels >= 0 && ldi(labels + (i << 2)) == best) correct = (correct + 1) | 0;
  }
  return correct;
}

/** Entropy -sum p log p (nats) of the C counts at hist, p = count / total (0 log 0 = 0). */
export function countsEntropy(hist: i32, C: i32): f64 {
  let total: f64 = 0.0;
  for (let c = 0; c < C; c++) total += ldf(hist + (c << 3));
  let h: f64 = 0.0;
  for (let c = 0; c < C; c++) {
    const q = ldf(hist + (c << 3)) / total;
    if (q > 0.0) h -= q * log(q);
  }
  return h;
}
