// Online SGD on Gaussian features through the exact second-moment recursion (CONVENTIONS.md,
// "Online SGD"), run by the engine's sgdSteps kernel in chunks, recording the loss only at the
// requested steps (and at their neighbours, for the central-difference local exponent).
import type { Monitor } from '../control.js';
import type { Engine } from '../engine/types.js';
import { stepExponent } from '../exponents.js';
import type { ModeSet } from '../spectrum/modes.js';

/** SGD hyper-parameters. */
export interface SgdParameters {
  learningRate: number;
  batchSize: number;
  labelNoise: number;
}

/**
 * sum_k eta lambda_k / (B (2 - eta lambda_k (1 + 1/B))) over all modes. The recursion
 * e <- diag(a) e + b (1^T e) is stable exactly when every a_k < 1 and 1^T (1 - a)^-1 b < 1,
 * which is this sum < 1 (Infinity when some a_k >= 1).
 */
export function sgdStability(eigenvalues: Float64Array, multiplicity: Float64Array | undefined, learningRate: number, batchSize: number): number {
  let sum = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const step = learningRate * eigenvalues[i];
    const margin = 2 - step * (1 + 1 / batchSize);
    if (!(margin > 0)) return Infinity;
    sum += (multiplicity ? multiplicity[i] : 1) * step / (batchSize * margin);
  }
  return sum;
}

/** Kernel work per chunk (modes x steps) between progress checks: a few milliseconds. */
const CHUNK_WORK = 2 ** 22;

/**
 * Fills `loss`, `localExponent` and (if given) `errors` at the step counts `steps` (strictly
 * increasing integers). The local exponent is -n (L(n+1) - L(n-1)) / (2 L(n)).
 */
export function runSgd(
  engine: Engine, modes: ModeSet, parameters: SgdParameters, steps: Float64Array,
  loss: Float64Array, localExponent: Float64Array, errors: Float64Array | undefined, monitor: Monitor,
): void {
  const { learningRate, batchSize, labelNoise } = parameters;
  const count = modes.eigenvalues.length;
  const decay = new Float64Array(count);
  const injection = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const step = learningRate * modes.eigenvalues[i];
    const noise = batchSize === Infinity ? 0 : step * step / batchSize;
    decay[i] = (1 - step) ** 2 + noise;
    injection[i] = modes.multiplicity[i] * noise;
  }
  const run = engine.startSgd(decay, injection, modes.targetPower);
  const chunk = Math.max(1, Math.floor(CHUNK_WORK / Math.max(1, count)));
  // Losses at the steps landed on, kept for the last few steps: requests come in increasing
  // order and look back at most two steps (n - 1 after n + 1 of the previous request).
  const recent = new Map<number, number>([[0, run.loss]]);
  let current = 0;
  const advanceTo = (target: number): number => {
    while (current < target) {
      const steps = Math.min(chunk, target - current);
      run.advance(steps, labelNoise);
      current += steps;
      recent.set(current, run.loss);
      for (const key of recent.keys()) if (key < current - 2) recent.delete(key);
      monitor.step(current * count);
    }
    const value = recent.get(target);
    if (value === undefined) throw new Error(`internal: loss at step ${target} was not kept`);
    return value;
  };
  try {
    for (let j = 0; j < steps.length; j++) {
      const n = steps[j];
      const before = n > 0 ? advanceTo(n - 1) : 0;
      loss[j] = advanceTo(n);
      if (errors) run.readEnergy(errors.subarray(j * count, (j + 1) * count));
      const after = advanceTo(n + 1);
      localExponent[j] = stepExponent(n, before, loss[j], after);
    }
    monitor.step(current * count);
  } finally {
    run.dispose();
  }
}
