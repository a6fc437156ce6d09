// Spectral-shell coarse-graining (spec spectral-shells.md §4 and §9(i) step 1): per time, the
// shell energies E_s = sum_{i in s} a_i^2, dissipations D_s = 2 sum_{i in s} lambda_i a_i^2 and the
// log-moments G_s = 2 sum_{i in s} lambda_i a_i^2 ln lambda_i (for the frontier estimator lambda*_D,
// §6), over modes stored in shell order, so that every shell is a contiguous segment [start_s,
// start_{s+1}). Segment sums use the canonical order of sums.ts relative to the segment start
// (two lanes, blocks of SUM_BLOCK, lanes added last, odd leftover), so the SIMD and scalar builds
// and src/engine/shell-kernels.ts agree bit for bit. [R] reconstruction of arXiv:2512.10427.
import { SUM_BLOCK } from './sums';

/**
 * For each of `rows` times r and each of `shellCount` shells s writes E_s, D_s and G_s to
 * `energyOut`, `dissipationOut` and `logMomentOut` at r * shellCount + s. Row r reads energies at
 * `energies + r * modeCount`, eigenvalues and their logarithms at `+ r * eigenvalueStride` (0:
 * static eigenvalues) and the i32 segment starts (shellCount + 1 per row, ascending, within
 * [0, modeCount]) at `starts + r * startsStride` (0: the same segments every row). Allocates nothing.
 */
export function shellSums(
  eigenvalues: usize, logEigenvalues: usize, eigenvalueStride: i32,
  energies: usize, modeCount: i32,
  starts: usize, startsStride: i32, shellCount: i32, rows: i32,
  energyOut: usize, dissipationOut: usize, logMomentOut: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const eigenvalueRow = eigenvalues + (<usize>r * <usize>eigenvalueStride << 3);
    const logRow = logEigenvalues + (<usize>r * <usize>eigenvalueStride << 3);
    const energyRow = energies + (<usize>r * <usize>modeCount << 3);
    const startRow = starts + (<usize>r * <usize>startsStride << 2);
    const outRow = <usize>r * <usize>shellCount << 3;
    for (let s = 0; s < shellCount; s++) {
      const from = load<i32>(startRow + (<usize>s << 2));
      const to = load<i32>(startRow + (<usize>(s + 1) << 2));
      const even = from + ((to - from) & ~1);
      let energy: f64 = 0;
      let weighted: f64 = 0;
      let logWeighted: f64 = 0;
      let k = from;
      if (ASC_FEATURE_SIMD) {
        let totalEnergy = f64x2.splat(0);
        let totalWeighted = f64x2.splat(0);
        let totalLog = f64x2.splat(0);
        while (k < even) {
          const end = min(k + SUM_BLOCK, even);
          let blockEnergy = f64x2.splat(0);
          let blockWeighted = f64x2.splat(0);
          let blockLog = f64x2.splat(0);
          for (; k < end; k += 2) {
            const offset = <usize>k << 3;
            const value = v128.load(energyRow + offset);
            const product = f64x2.mul(v128.load(eigenvalueRow + offset), value);
            blockEnergy = f64x2.add(blockEnergy, value);
            blockWeighted = f64x2.add(blockWeighted, product);
            blockLog = f64x2.add(blockLog, f64x2.mul(product, v128.load(logRow + offset)));
          }
          totalEnergy = f64x2.add(totalEnergy, blockEnergy);
          totalWeighted = f64x2.add(totalWeighted, blockWeighted);
          totalLog = f64x2.add(totalLog, blockLog);
        }
        energy = f64x2.extract_lane(totalEnergy, 0) + f64x2.extract_lane(totalEnergy, 1);
        weighted = f64x2.extract_lane(totalWeighted, 0) + f64x2.extract_lane(totalWeighted, 1);
        logWeighted = f64x2.extract_lane(totalLog, 0) + f64x2.extract_lane(totalLog, 1);
      } else {
        let energy0: f64 = 0, energy1: f64 = 0;
        let weighted0: f64 = 0, weighted1: f64 = 0;
        let log0: f64 = 0, log1: f64 = 0;
        while (k < even) {
          const end = min(k + SUM_BLOCK, even);
          let blockEnergy0: f64 = 0, blockEnergy1: f64 = 0;
          let blockWeighted0: f64 = 0, blockWeighted1: f64 = 0;
          let blockLog0: f64 = 0, blockLog1: f64 = 0;
          for (; k < end; k += 2) {
            const offset = <usize>k << 3;
            const valueA = load<f64>(energyRow + offset);
            const valueB = load<f64>(energyRow + offset, 8);
            const productA = load<f64>(eigenvalueRow + offset) * valueA;
            const productB = load<f64>(eigenvalueRow + offset, 8) * valueB;
            blockEnergy0 += valueA; blockEnergy1 += valueB;
            blockWeighted0 += productA; blockWeighted1 += productB;
            blockLog0 += productA * load<f64>(logRow + offset);
            blockLog1 += productB * load<f64>(logRow + offset, 8);
          }
          energy0 += blockEnergy0; energy1 += blockEnergy1;
          weighted0 += blockWeighted0; weighted1 += blockWeighted1;
          log0 += blockLog0; log1 += blockLog1;
        }
        energy = energy0 + energy1;
        weighted = weighted0 + weighted1;
        logWeighted = log0 + log1;
      }
      if ((to - from) & 1) {
        const offset = <usize>even << 3;
        const value = load<f64>(energyRow + offset);
        const product = load<f64>(eigenvalueRow + offset) * value;
        energy += value;
        weighted += product;
        logWeighted += product * load<f64>(logRow + offset);
      }
      const at = outRow + (<usize>s << 3);
      store<f64>(energyOut + at, energy);
      store<f64>(dissipationOut + at, 2 * weighted);
      store<f64>(logMomentOut + at, 2 * logWeighted);
    }
  }
}

/**
 * Logarithmic mean (x - y) / ln(x / y) of two non-negative numbers: 0 when either is 0, x when
 * they are equal; near x = y (ratio in (1/2, 2)) written as x w / log1p(w), w = y/x - 1, which has
 * no cancellation, elsewhere as (x - y) / (ln x - ln y), which has no underflow of y/x.
 */
// @ts-ignore: decorator
@inline
export function logarithmicMean(x: f64, y: f64): f64 {
  if (!(x > 0) || !(y > 0)) return 0;
  if (x == y) return x;
  const ratio = y / x;
  if (ratio > 0.5 && ratio < 2) {
    const w = ratio - 1;
    return x * (w / Math.log1p(w));
  }
  // Far from 1 the ratio may underflow or overflow: logs of each side instead.
  return (x - y) / (Math.log(x) - Math.log(y));
}

/**
 * Dissipation integrated over one time step per shell, mode by mode with the exponential rule
 * int_0^h d(t) dt = h L(d(0), d(h)), L the logarithmic mean, applied to each mode's dissipation
 * d_i = 2 lambda_i a_i^2 (static eigenvalues). Exact when every a_i^2 decays exponentially, as in
 * the lazy dynamics (spec §6), so the lazy shell balance closes to round-off; second order
 * otherwise, like the trapezoid rule of §9(i) step 2. A mode whose energy underflowed to 0
 * during the step is taken to have decayed at its own rate 2 lambda_i: it contributes a_i^2. Writes shellCount values to `out`; the
 * segments are as in shellSums (static). Plain running sum per segment (no SIMD: one log per mode
 * dominates and WebAssembly has no vector log). Allocates nothing.
 */
export function shellStepDissipation(
  eigenvalues: usize, energiesBefore: usize, energiesAfter: usize,
  starts: usize, shellCount: i32, interval: f64, out: usize,
): void {
  for (let s = 0; s < shellCount; s++) {
    const from = load<i32>(starts + (<usize>s << 2));
    const to = load<i32>(starts + (<usize>(s + 1) << 2));
    let sum: f64 = 0;
    for (let k = from; k < to; k++) {
      const offset = <usize>k << 3;
      const eigenvalue = load<f64>(eigenvalues + offset);
      const before = load<f64>(energiesBefore + offset);
      const after = load<f64>(energiesAfter + offset);
      // An energy that underflowed to 0 carries no rate: take the mode's own dissipative rate
      // 2 lambda, so it contributes its whole energy (int = a^2), as in the lazy dynamics.
      sum += after == 0 && before > 0 ? before / (2 * interval) : logarithmicMean(eigenvalue * before, eigenvalue * after);
    }
    store<f64>(out + (<usize>s << 3), 2 * interval * sum);
  }
}
