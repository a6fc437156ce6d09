// Hot loop of the lazy time-translation-invariant DMFT (spec feature-learning.md §4.2 (v) with
// gamma = 0, §4.4; solver src/feature-learning/lazy-tti.ts): the causal Toeplitz responses
// h_b(n) = -lambda_b sum_{m=1..n} r_z(m) h_b(n - m) of every mode node, with the scalar kernels
// r_z, r_g, p, y advanced lag by lag. Caller memory only; nothing is allocated.
//
// Order of operations (mirrored by src/engine/lazy-tti-kernels.ts, so every engine gives the same
// bits): the convolution is a two-lane dot product (laneDot of assembly/eigen.ts) of r_z stored
// reversed (rzReversed[i] = r_z(lags - i)) against h_b(0..n-1); node sums and y(n) are plain
// sequential sums in index order.
import { laneDot } from './eigen';

/**
 * Advances lags n = from .. to - 1 (from >= 1). Buffers (f64): responses count x (lags + 1),
 * node-major (row b = h_b(0..lags)); eigenvalues, multiplicity, targetPower, cumulative (phi_b,
 * the running sum of h_b) of length count; rzReversed, rg, p, y, overlap, difference of length
 * lags + 1; sums = [sum_{m<n} y(m), sum_{m<n} r_g(m)]. Row 0 of every response, cumulative,
 * overlap(0), rg(0), y(0) and sums are set by the caller. Writes overlap(n) = sum_b p_b phi_b(n)
 * and difference(n) = sum_b mult_b (h_b(n) - h_b(n-1)).
 */
export function lazyTtiLags(
  responses: usize, count: i32, lags: i32, eigenvalues: usize, multiplicity: usize, targetPower: usize, cumulative: usize,
  rzReversed: usize, rg: usize, p: usize, y: usize, sums: usize, overlap: usize, difference: usize,
  learningRate: f64, inverseSize: f64, from: i32, to: i32,
): void {
  const stride = <usize>(lags + 1) << 3;
  let ySum = load<f64>(sums);
  let rgSum = load<f64>(sums, 8);
  for (let n = from; n < to; n++) {
    const lagOffset = <usize>n << 3;
    // r_z(n) = eta sum_{m<n} y(m), stored at index lags - n
    store<f64>(rzReversed + (<usize>(lags - n) << 3), learningRate * ySum);
    const window = rzReversed + (<usize>(lags - n) << 3);
    let reaction: f64 = 0;
    let overlapSum: f64 = 0;
    let differenceSum: f64 = 0;
    for (let b = 0; b < count; b++) {
      const row = responses + <usize>b * stride;
      const offset = <usize>b << 3;
      const eigenvalue = load<f64>(eigenvalues + offset);
      // sum_{j<n} r_z(n - j) h_b(j): rzReversed[lags - n + j] = r_z(n - j)
      const value = -eigenvalue * laneDot(window, row, n);
      store<f64>(row + lagOffset, value);
      const phi = load<f64>(cumulative + offset) + value;
      store<f64>(cumulative + offset, phi);
      const weight = load<f64>(multiplicity + offset);
      reaction += weight * eigenvalue * value;
      overlapSum += load<f64>(targetPower + offset) * phi;
      differenceSum += weight * (value - load<f64>(row + lagOffset - 8));
    }
    store<f64>(overlap + lagOffset, overlapSum);
    store<f64>(difference + lagOffset, differenceSum);
    const rgValue = -inverseSize * reaction;
    store<f64>(rg + lagOffset, rgValue);
    store<f64>(p + lagOffset, learningRate * rgSum);
    rgSum += rgValue;
    let next: f64 = 0;
    for (let m = 1; m <= n; m++) next += load<f64>(p + (<usize>m << 3)) * load<f64>(y + (<usize>(n - m) << 3));
    store<f64>(y + lagOffset, next);
    ySum += next;
  }
  store<f64>(sums, ySum);
  store<f64>(sums, rgSum, 8);
}
