// The plain TypeScript engine: the same kernels as assembly/ (same loops, same canonical
// summation order), with the host's Math.exp. It runs where WebAssembly is missing or blocked by
// a content-security policy, and it is the oracle the WebAssembly kernels are tested against.
import type { Engine, ExpSumPlan, SgdRun } from './types.js';

/** Terms per block partial sum; equals SUM_BLOCK in assembly/sums.ts. */
export const SUM_BLOCK = 512;
/** exp(x) below this is +0 in binary64; equals UNDERFLOW in assembly/expsum.ts. */
const UNDERFLOW = 746;

/** Number of leading modes with rate * time <= 746 (rates ascending). */
export function activeModes(rates: Float64Array, time: number): number {
  if (time <= 0) return rates.length;
  const limit = UNDERFLOW / time;
  let low = 0;
  let high = rates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (rates[middle] <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Canonical sum (assembly/sums.ts): two lanes, blocks of SUM_BLOCK, lanes added last. */
export function pairSum(values: Float64Array): number {
  const count = values.length;
  const even = count & ~1;
  let total0 = 0;
  let total1 = 0;
  let k = 0;
  while (k < even) {
    const end = Math.min(k + SUM_BLOCK, even);
    let block0 = 0;
    let block1 = 0;
    for (; k < end; k += 2) {
      block0 += values[k];
      block1 += values[k + 1];
    }
    total0 += block0;
    total1 += block1;
  }
  let sum = total0 + total1;
  if (count & 1) sum += values[even];
  return sum;
}

function expSums(
  rates: Float64Array, weights0: Float64Array, weights1: Float64Array,
  times: Float64Array, out0: Float64Array, out1: Float64Array,
): void {
  for (let j = 0; j < times.length; j++) {
    const negativeTime = -times[j];
    let active = activeModes(rates, times[j]);
    if ((active & 1) && active < rates.length) active++; // as assembly/expsum.ts: the extra term is +0
    const even = active & ~1;
    let total00 = 0, total01 = 0, total10 = 0, total11 = 0;
    let k = 0;
    while (k < even) {
      const end = Math.min(k + SUM_BLOCK, even);
      let block00 = 0, block01 = 0, block10 = 0, block11 = 0;
      for (; k < end; k += 2) {
        const decayA = Math.exp(rates[k] * negativeTime);
        const decayB = Math.exp(rates[k + 1] * negativeTime);
        block00 += weights0[k] * decayA;
        block01 += weights0[k + 1] * decayB;
        block10 += weights1[k] * decayA;
        block11 += weights1[k + 1] * decayB;
      }
      total00 += block00; total01 += block01;
      total10 += block10; total11 += block11;
    }
    let sum0 = total00 + total01;
    let sum1 = total10 + total11;
    if (active & 1) {
      const decay = Math.exp(rates[even] * negativeTime);
      sum0 += weights0[even] * decay;
      sum1 += weights1[even] * decay;
    }
    out0[j] = sum0;
    out1[j] = sum1;
  }
}

/** Same loop as assembly/sgd.ts. */
function sgdSteps(decay: Float64Array, injection: Float64Array, energy: Float64Array, steps: number, noise: number, loss: number): number {
  const count = energy.length;
  const even = count & ~1;
  for (let step = 0; step < steps; step++) {
    const drive = loss + noise;
    let total0 = 0;
    let total1 = 0;
    let k = 0;
    while (k < even) {
      const end = Math.min(k + SUM_BLOCK, even);
      let block0 = 0;
      let block1 = 0;
      for (; k < end; k += 2) {
        const nextA = decay[k] * energy[k] + injection[k] * drive;
        const nextB = decay[k + 1] * energy[k + 1] + injection[k + 1] * drive;
        energy[k] = nextA;
        energy[k + 1] = nextB;
        block0 += nextA;
        block1 += nextB;
      }
      total0 += block0;
      total1 += block1;
    }
    loss = total0 + total1;
    if (count & 1) {
      const next = decay[even] * energy[even] + injection[even] * drive;
      energy[even] = next;
      loss += next;
    }
  }
  return loss;
}

/** The plain TypeScript engine. */
export const jsEngine: Engine = {
  name: 'js',
  prepareExpSums(rates, weights0, weights1): ExpSumPlan {
    const ownRates = rates.slice();
    const ownWeights0 = weights0.slice();
    const ownWeights1 = weights1.slice();
    return {
      evaluate: (times, out0, out1) => expSums(ownRates, ownWeights0, ownWeights1, times, out0, out1),
      dispose: () => {},
    };
  },
  startSgd(decay, injection, energy): SgdRun {
    const ownDecay = decay.slice();
    const ownInjection = injection.slice();
    const ownEnergy = energy.slice();
    let loss = pairSum(ownEnergy);
    return {
      get loss() { return loss; },
      advance(steps, noise) {
        loss = sgdSteps(ownDecay, ownInjection, ownEnergy, steps, noise, loss);
        return loss;
      },
      readEnergy(out) { out.set(ownEnergy); },
      dispose() {},
    };
  },
  pairSum,
  memoryBytes: () => 0,
};
