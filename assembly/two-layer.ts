// Hot loops of the exact N x N simulator of the projected two-layer linear model (spec
// feature-learning.md §1.4 online, §1.6 data reuse): the error vector v = w* - A0^T z / N and the
// test loss, the data gradient g = Psi^T Psi v / rows, the field h = A0 g and the fused N x N
// update of (Ã, w, z). Row-major matrices over caller memory; nothing is allocated.
//
// Order of operations (mirrored by src/engine/two-layer-kernels.ts, so every engine gives the
// same bits): a dot product or sum over an index runs two lanes (even and odd indices) that are
// added at the end, then the odd leftover term; no fused multiply-add; row updates v += c * a
// are applied row after row, each element rounded once per row.
import { laneDot } from './eigen';
import { axpy } from './vector';


/**
 * Two rows at once: y <- (y + c0 x0) + c1 x1, rounded exactly as two axpy calls in turn (the
 * intermediate is rounded), with one load and store of y instead of two.
 */
@inline function axpy2(y: usize, x0: usize, c0: f64, x1: usize, c1: f64, count: i32): void {
  const even = count & ~1;
  if (ASC_FEATURE_SIMD) {
    const factor0 = f64x2.splat(c0);
    const factor1 = f64x2.splat(c1);
    for (let k = 0; k < even; k += 2) {
      const offset = <usize>k << 3;
      const first = f64x2.add(v128.load(y + offset), f64x2.mul(factor0, v128.load(x0 + offset)));
      v128.store(y + offset, f64x2.add(first, f64x2.mul(factor1, v128.load(x1 + offset))));
    }
  } else {
    for (let k = 0; k < even; k += 2) {
      const offset = <usize>k << 3;
      const firstA = load<f64>(y + offset) + c0 * load<f64>(x0 + offset);
      const firstB = load<f64>(y + offset, 8) + c0 * load<f64>(x0 + offset, 8);
      store<f64>(y + offset, firstA + c1 * load<f64>(x1 + offset));
      store<f64>(y + offset, firstB + c1 * load<f64>(x1 + offset, 8), 8);
    }
  }
  if (count & 1) {
    const offset = <usize>even << 3;
    const first = load<f64>(y + offset) + c0 * load<f64>(x0 + offset);
    store<f64>(y + offset, first + c1 * load<f64>(x1 + offset));
  }
}

/**
 * Error vector and test loss (spec §1.2, §1.4 step 4): error = teacher - features^T combined / n,
 * with `features` the n x m projection A0 and `combined` z = Ã^T w; returns
 * L = sum_k eigenvalues_k error_k^2 (no factor 1/2). Cost O(nm).
 */
export function twoLayerError(
  features: usize, combined: usize, teacher: usize, eigenvalues: usize, error: usize, n: i32, m: i32,
): f64 {
  memory.copy(error, teacher, <usize>m << 3);
  const size = <f64>n;
  const rowBytes = <usize>m << 3;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const c0 = -(load<f64>(combined + (<usize>i << 3)) / size);
    const c1 = -(load<f64>(combined + (<usize>i << 3), 8) / size);
    const row = features + <usize>i * rowBytes;
    axpy2(error, row, c0, row + rowBytes, c1, m);
  }
  if (i < n) axpy(error, features + <usize>i * rowBytes, -(load<f64>(combined + (<usize>i << 3)) / size), m);
  // sum_k lambda_k v_k^2 in the two-lane order
  const even = m & ~1;
  let lane0: f64 = 0;
  let lane1: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let total = f64x2.splat(0);
    for (let k = 0; k < even; k += 2) {
      const offset = <usize>k << 3;
      const v = v128.load(error + offset);
      total = f64x2.add(total, f64x2.mul(v128.load(eigenvalues + offset), f64x2.mul(v, v)));
    }
    lane0 = f64x2.extract_lane(total, 0);
    lane1 = f64x2.extract_lane(total, 1);
  } else {
    for (let k = 0; k < even; k += 2) {
      const offset = <usize>k << 3;
      const a = load<f64>(error + offset);
      const b = load<f64>(error + offset, 8);
      lane0 += load<f64>(eigenvalues + offset) * (a * a);
      lane1 += load<f64>(eigenvalues + offset, 8) * (b * b);
    }
  }
  let loss = lane0 + lane1;
  if (m & 1) {
    const offset = <usize>even << 3;
    const a = load<f64>(error + offset);
    loss += load<f64>(eigenvalues + offset) * (a * a);
  }
  return loss;
}

/**
 * Data gradient g = G error with G = Psi^T Psi / rows (spec §1.3, §1.6), `data` the rows x m
 * matrix Psi of feature vectors psi_mu = Lambda^(1/2) z_mu. Writes the residuals
 * r_mu = psi_mu . error to `residual` and returns the train loss sum_mu r_mu^2 / rows = error^T G
 * error. rows = 0 means the population gradient (B = Infinity): g = eigenvalues * error, returns 0.
 */
export function twoLayerGradient(
  data: usize, rows: i32, error: usize, eigenvalues: usize, gradient: usize, residual: usize, m: i32,
): f64 {
  if (rows == 0) {
    for (let k = 0; k < m; k++) {
      const offset = <usize>k << 3;
      store<f64>(gradient + offset, load<f64>(eigenvalues + offset) * load<f64>(error + offset));
    }
    return 0;
  }
  memory.fill(gradient, 0, <usize>m << 3);
  const count = <f64>rows;
  const rowBytes = <usize>m << 3;
  let squares: f64 = 0;
  for (let mu = 0; mu < rows; mu++) {
    const row = data + <usize>mu * rowBytes;
    const r = laneDot(row, error, m);
    store<f64>(residual + (<usize>mu << 3), r);
    squares += r * r;
    axpy(gradient, row, r / count, m);
  }
  return squares / count;
}

/** field_i = features_i . gradient for the n rows of the n x m `features` (h = A0 g). */
export function twoLayerField(features: usize, gradient: usize, field: usize, n: i32, m: i32): void {
  const rowBytes = <usize>m << 3;
  for (let i = 0; i < n; i++) {
    store<f64>(field + (<usize>i << 3), laneDot(features + <usize>i * rowBytes, gradient, m));
  }
}

/**
 * One N x N update (spec §1.4), simultaneous in time: Ã <- Ã + featureRate w h^T,
 * w <- w + learningRate Ã h (old Ã), then combined <- Ã^T w (new Ã, new w), in one pass over Ã:
 * row i gives u_i = Ã_i . h, then is updated and added into z. featureRate = eta gamma / N.
 * mixing = 0 is the lazy model (Ã = I): w <- w + learningRate h, combined = w.
 */
export function twoLayerUpdate(
  mixing: usize, readout: usize, field: usize, combined: usize, n: i32, learningRate: f64, featureRate: f64,
): void {
  if (mixing == 0) {
    for (let i = 0; i < n; i++) {
      const offset = <usize>i << 3;
      const next = load<f64>(readout + offset) + learningRate * load<f64>(field + offset);
      store<f64>(readout + offset, next);
      store<f64>(combined + offset, next);
    }
    return;
  }
  memory.fill(combined, 0, <usize>n << 3);
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const row = mixing + <usize>i * rowBytes;
    const offset = <usize>i << 3;
    const old = load<f64>(readout + offset);
    const next = old + learningRate * laneDot(row, field, n);
    store<f64>(readout + offset, next);
    axpy(row, field, featureRate * old, n);
    axpy(combined, row, next, n);
  }
}
