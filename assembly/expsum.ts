// Exponential sums over modes x times: S0(t) = sum_k w0_k exp(-r_k t) and S1(t) = sum_k w1_k
// exp(-r_k t). Every closed-form loss of the lazy dynamics (CONVENTIONS.md, "Loss, time and
// optimisers": gradient flow, gradient descent, weight decay) and its time derivative is a pair
// of such sums; src/lazy/terms.ts builds the weights and rates.
// Rates must be ascending and non-negative: terms with r_k t > 746 are exactly 0 in f64, so each
// time sums only the leading modes below that bound (found by bisection) — the result is the
// same as the full sum, bit for bit.
import { vexp, vexpNormal } from './vexp';
import { SUM_BLOCK } from './sums';

/** exp(x) below this is +0 in binary64. */
const UNDERFLOW: f64 = 746.0;
/** exp(x) above this is a normal number (SIMD build: vexpNormal suffices). */
const NORMAL: f64 = 708.0;

/** Number of leading modes with rate * time <= 746 (rates ascending). */
export function activeModes(rates: usize, modeCount: i32, time: f64): i32 {
  return modesBelow(rates, modeCount, time, UNDERFLOW);
}

/** Number of leading modes with rate * time <= bound (rates ascending). */
function modesBelow(rates: usize, modeCount: i32, time: f64, bound: f64): i32 {
  if (time <= 0) return modeCount;
  const limit = bound / time;
  let low = 0;
  let high = modeCount;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (load<f64>(rates + (<usize>middle << 3)) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * For each of `timeCount` times, writes S0 to `out0` and S1 to `out1` (all arrays of f64).
 * `rates`, `weights0`, `weights1` hold `modeCount` values each. Allocates nothing.
 */
export function expSums(
  rates: usize, weights0: usize, weights1: usize, modeCount: i32,
  times: usize, timeCount: i32, out0: usize, out1: usize,
): void {
  for (let j = 0; j < timeCount; j++) {
    const time = load<f64>(times + (<usize>j << 3));
    let active = activeModes(rates, modeCount, time);
    // Round an odd count up (the extra term is exactly +0) so the last active term sits in its
    // lane as in the full sum: the result is then the full canonical sum bit for bit.
    if ((active & 1) && active < modeCount) active++;
    const even = active & ~1;
    const negativeTime = -time;
    let sum0: f64 = 0;
    let sum1: f64 = 0;
    let k = 0;
    if (ASC_FEATURE_SIMD) {
      const scale = f64x2.splat(negativeTime);
      const normal = modesBelow(rates, active, time, NORMAL) & ~1;
      let total0 = f64x2.splat(0);
      let total1 = f64x2.splat(0);
      while (k < even) {
        const end = min(k + SUM_BLOCK, even);
        let block0 = f64x2.splat(0);
        let block1 = f64x2.splat(0);
        // Two vectors per iteration so consecutive exps overlap; the sums still add in index
        // order (the canonical order of sums.ts). Modes below `normal` have normal exps.
        const normalEnd = min(end, normal);
        const pairs = normalEnd - ((normalEnd - k) & 3);
        for (; k < pairs; k += 4) {
          const offset = <usize>k << 3;
          const decayA = vexpNormal(f64x2.mul(v128.load(rates + offset), scale));
          const decayB = vexpNormal(f64x2.mul(v128.load(rates + offset, 16), scale));
          block0 = f64x2.add(block0, f64x2.mul(v128.load(weights0 + offset), decayA));
          block1 = f64x2.add(block1, f64x2.mul(v128.load(weights1 + offset), decayA));
          block0 = f64x2.add(block0, f64x2.mul(v128.load(weights0 + offset, 16), decayB));
          block1 = f64x2.add(block1, f64x2.mul(v128.load(weights1 + offset, 16), decayB));
        }
        for (; k < end; k += 2) {
          const offset = <usize>k << 3;
          const x = f64x2.mul(v128.load(rates + offset), scale);
          const decay = k < normalEnd ? vexpNormal(x) : vexp(x);
          block0 = f64x2.add(block0, f64x2.mul(v128.load(weights0 + offset), decay));
          block1 = f64x2.add(block1, f64x2.mul(v128.load(weights1 + offset), decay));
        }
        total0 = f64x2.add(total0, block0);
        total1 = f64x2.add(total1, block1);
      }
      sum0 = f64x2.extract_lane(total0, 0) + f64x2.extract_lane(total0, 1);
      sum1 = f64x2.extract_lane(total1, 0) + f64x2.extract_lane(total1, 1);
    } else {
      let total00: f64 = 0, total01: f64 = 0, total10: f64 = 0, total11: f64 = 0;
      while (k < even) {
        const end = min(k + SUM_BLOCK, even);
        let block00: f64 = 0, block01: f64 = 0, block10: f64 = 0, block11: f64 = 0;
        for (; k < end; k += 2) {
          const offset = <usize>k << 3;
          const decayA = Math.exp(load<f64>(rates + offset) * negativeTime);
          const decayB = Math.exp(load<f64>(rates + offset, 8) * negativeTime);
          block00 += load<f64>(weights0 + offset) * decayA;
          block01 += load<f64>(weights0 + offset, 8) * decayB;
          block10 += load<f64>(weights1 + offset) * decayA;
          block11 += load<f64>(weights1 + offset, 8) * decayB;
        }
        total00 += block00; total01 += block01;
        total10 += block10; total11 += block11;
      }
      sum0 = total00 + total01;
      sum1 = total10 + total11;
    }
    if (active & 1) {
      const offset = <usize>even << 3;
      const decay = Math.exp(load<f64>(rates + offset) * negativeTime);
      sum0 += load<f64>(weights0 + offset) * decay;
      sum1 += load<f64>(weights1 + offset) * decay;
    }
    store<f64>(out0 + (<usize>j << 3), sum0);
    store<f64>(out1 + (<usize>j << 3), sum1);
  }
}
