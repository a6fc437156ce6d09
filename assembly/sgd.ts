// Exact second-moment recursion of online SGD on Gaussian features (CONVENTIONS.md, "Online
// SGD"): per mode, e_k <- a_k e_k + b_k (L + noise), L = sum_k e_k, where e_k = lambda_k E[v_k^2]
// is the modal error energy, a_k = (1 - eta lambda_k)^2 + eta^2 lambda_k^2 / B and
// b_k = m_k eta^2 lambda_k^2 / B (m_k the number of modes a quadrature node stands for).
// The new loss is summed in the same pass, in the canonical order of sums.ts.
import { SUM_BLOCK } from './sums';

/**
 * Advances `steps` steps in place and returns the loss after them. `loss` must be the canonical
 * sum of the current `energy` (pairSum). Allocates nothing.
 */
export function sgdSteps(
  decay: usize, injection: usize, energy: usize, modeCount: i32,
  steps: i32, noise: f64, loss: f64,
): f64 {
  const even = modeCount & ~1;
  const last = <usize>even << 3;
  for (let step = 0; step < steps; step++) {
    const drive = loss + noise;
    let total0: f64 = 0;
    let total1: f64 = 0;
    let k = 0;
    if (ASC_FEATURE_SIMD) {
      const driveVector = f64x2.splat(drive);
      let total = f64x2.splat(0);
      while (k < even) {
        const end = min(k + SUM_BLOCK, even);
        let block = f64x2.splat(0);
        for (; k < end; k += 2) {
          const offset = <usize>k << 3;
          const next = f64x2.add(
            f64x2.mul(v128.load(decay + offset), v128.load(energy + offset)),
            f64x2.mul(v128.load(injection + offset), driveVector),
          );
          v128.store(energy + offset, next);
          block = f64x2.add(block, next);
        }
        total = f64x2.add(total, block);
      }
      total0 = f64x2.extract_lane(total, 0);
      total1 = f64x2.extract_lane(total, 1);
    } else {
      while (k < even) {
        const end = min(k + SUM_BLOCK, even);
        let block0: f64 = 0;
        let block1: f64 = 0;
        for (; k < end; k += 2) {
          const offset = <usize>k << 3;
          const nextA = load<f64>(decay + offset) * load<f64>(energy + offset) + load<f64>(injection + offset) * drive;
          const nextB = load<f64>(decay + offset, 8) * load<f64>(energy + offset, 8) + load<f64>(injection + offset, 8) * drive;
          store<f64>(energy + offset, nextA);
          store<f64>(energy + offset, nextB, 8);
          block0 += nextA;
          block1 += nextB;
        }
        total0 += block0;
        total1 += block1;
      }
    }
    loss = total0 + total1;
    if (modeCount & 1) {
      const next = load<f64>(decay + last) * load<f64>(energy + last) + load<f64>(injection + last) * drive;
      store<f64>(energy + last, next);
      loss += next;
    }
  }
  return loss;
}
