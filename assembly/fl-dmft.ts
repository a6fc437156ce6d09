// Hot loop of the forward-in-time discrete DMFT of the projected two-layer model (spec
// feature-learning.md §4.2 (i), (iii), (vi) step 2; mode binning §4.6): at step t, for every mode
// (or bin) k, the row t of the unit lower-triangular response H_k = (I + lambda_k R_z)^-1 by
// forward substitution, H_k(t, .) = e_t - lambda_k sum_{u<t} R_z(t, u) H_k(u, .); the mean
// a_k(t) = (H_k 1)(t); the row t of Zhat_k = H_k [C_z / N + diag(shat_k^2)] H_k^T (shat^2 =
// s^2 / lambda^2, the SGD noise variance of §4.2 (i)/(iv) divided by lambda^2); and the
// accumulation of row t of C_g = sum_k [lambda_k p_k a_k a_k^T + n_k lambda_k^2 Zhat_k] and of
// R_g = -(1/N) sum_k n_k lambda_k H_k, returning sum_k [p_k a_k(t)^2 + n_k lambda_k Zhat_k(t, t)]
// (the loss L(t) = sum_k lambda_k (mu_k^2 + Cov_k(t, t)); Cov_k(t, t) = Zhat_k(t, t) because
// shat_k(t) is still 0 when this runs). Memory is the caller's; nothing is allocated.
//
// Layouts: `response` holds the packed lower triangles of H_k, mode after mode (modeStride =
// steps (steps + 1) / 2 values; row u starts at u (u + 1) / 2); `noise` and `means` hold shat_k^2
// and a_k as modes x steps rows; `correlation` is C_z and `secondCorrelation` R_z C_1 R_z^T (data
// reuse), steps x steps row-major (0: absent); `row` is R_z(t, 0..t-1) (online) or (R_z R_1)(t, .)
// (data reuse, §4.3); `scratch` holds steps values.
//
// Order of operations (mirrored by src/engine/fl-dmft-kernels.ts, so every engine gives the same
// bits): sums and dot products run two lanes (even and odd indices) added at the end, then the odd
// leftover term; row updates y += c x round once per element; no fused multiply-add.
import { laneDot } from './eigen';
import { axpy } from './vector';

@inline function get(buffer: usize, index: i32): f64 {
  return load<f64>(buffer + (<usize>index << 3));
}

@inline function set(buffer: usize, index: i32, value: f64): void {
  store<f64>(buffer + (<usize>index << 3), value);
}


/** Two-lane sum of `count` values. */
@inline function laneSum(x: usize, count: i32): f64 {
  const even = count & ~1;
  let lane0: f64 = 0;
  let lane1: f64 = 0;
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    let lanes = f64x2.splat(0);
    for (; k < even; k += 2) lanes = f64x2.add(lanes, v128.load(x + (<usize>k << 3)));
    lane0 = f64x2.extract_lane(lanes, 0);
    lane1 = f64x2.extract_lane(lanes, 1);
  } else {
    for (; k < even; k += 2) {
      lane0 += get(x, k);
      lane1 += get(x, k + 1);
    }
  }
  let sum = lane0 + lane1;
  if (count & 1) sum += get(x, even);
  return sum;
}

/**
 * One step t of the mode side of the DMFT for `modes` modes (see the file header). `row` is the row t
 * of the operator whose resolvent H_k is: R_z (online) or R_z R_1 (data reuse, spec §4.3). Source
 * of mode k: Q_k = correlationScale C + secondScale lambda_k D + diag(noise_k), with C = correlation
 * (0: absent) and D = secondCorrelation (0: absent). Writes row t of every H_k, means[k, t],
 * diagonal[k] = Zhat_k(t, t); adds into correlationRow sum_k [lambda_k p_k a_k(t) a_k + n_k
 * lambda_k^2 Zhat_k(t, .)], into potentialRow (if not 0) sum_k [p_k a_k(t) a_k + n_k lambda_k
 * Zhat_k(t, .)], into responseRow (when responseScale > 0) -responseScale sum_k n_k lambda_k
 * H_k(t, .), and into secondResponseRow (if not 0) -sum_k n_k lambda_k^2 H_k(t, .); returns
 * sum_k [p_k a_k(t)^2 + n_k lambda_k Zhat_k(t, t)]. sources = 0 declares Q_k = 0 (N = B = Infinity
 * online): Zhat_k = 0 is not computed.
 */
export function flDmftModes(
  t: i32, steps: i32, modes: i32, eigenvalues: usize, counts: usize, targetPower: usize,
  response: usize, noise: usize, means: usize, row: usize,
  correlation: usize, correlationScale: f64, secondCorrelation: usize, secondScale: f64, scratch: usize,
  correlationRow: usize, potentialRow: usize, responseRow: usize, responseScale: f64, secondResponseRow: usize, diagonal: usize,
  sources: i32,
): f64 {
  const modeStride = <usize>steps * <usize>(steps + 1) / 2;
  const length = t + 1;
  let loss: f64 = 0;
  for (let k = 0; k < modes; k++) {
    const lambda = get(eigenvalues, k);
    const count = get(counts, k);
    const power = get(targetPower, k);
    const base = response + ((<usize>k * modeStride) << 3);
    const current = base + ((<usize>t * <usize>(t + 1) / 2) << 3);
    memory.fill(current, 0, <usize>t << 3);
    set(current, t, 1);
    for (let u = 0; u < t; u++) {
      const c = -lambda * get(row, u);
      axpy(current, base + ((<usize>u * <usize>(u + 1) / 2) << 3), c, u + 1);
    }
    const mean = laneSum(current, length);
    const modeMeans = means + ((<usize>k * <usize>steps) << 3);
    set(modeMeans, t, mean);
    const modeNoise = noise + ((<usize>k * <usize>steps) << 3);
    const secondFactor = secondScale * lambda;
    for (let b = 0; sources != 0 && b <= t; b++) {
      const offset = (<usize>b * <usize>steps) << 3;
      const first = correlation != 0 ? correlationScale * laneDot(correlation + offset, current, length) : 0.0;
      const second = secondCorrelation != 0 ? secondFactor * laneDot(secondCorrelation + offset, current, length) : 0.0;
      set(scratch, b, (first + second) + get(modeNoise, b) * get(current, b));
    }
    const meanWeight = lambda * power * mean;
    const fluctuationWeight = count * (lambda * lambda);
    const potentialMean = power * mean;
    const potentialWeight = count * lambda;
    let zhat: f64 = 0;
    for (let s = 0; s <= t; s++) {
      zhat = sources != 0 ? laneDot(base + ((<usize>s * <usize>(s + 1) / 2) << 3), scratch, s + 1) : 0.0;
      const previous = get(modeMeans, s);
      set(correlationRow, s, get(correlationRow, s) + (meanWeight * previous + fluctuationWeight * zhat));
      if (potentialRow != 0) set(potentialRow, s, get(potentialRow, s) + (potentialMean * previous + potentialWeight * zhat));
    }
    if (responseScale > 0) axpy(responseRow, current, -(count * lambda) * responseScale, length);
    if (secondResponseRow != 0) axpy(secondResponseRow, current, -(count * (lambda * lambda)), length);
    set(diagonal, k, zhat);
    loss = loss + (power * (mean * mean) + (count * lambda) * zhat);
  }
  return loss;
}
