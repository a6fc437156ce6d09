// volterraSgd(): the exact N = infinity lazy online-SGD loss as the discrete Volterra equation of
// spec feature-learning.md §3.7 / §4.5 ([PPXP24]'s forcing/kernel form [P][D][V]):
//   L(t) = F(t) + (eta^2/B) sum_{s<t} K(t-1-s) L(s),  F(t) = sum_k lambda_k w*_k^2 c_k^t,
//   K(t) = sum_k lambda_k^2 c_k^t,  c_k = (1 - eta lambda_k)^2 + eta^2 lambda_k^2 / B,
// exact for Gaussian features (the O(1/B) term included), no label noise, time in steps.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { stepExponent } from '../exponents.js';
import { sgdStability } from '../lazy/sgd.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkChoice, checkOptions, requiredNumber } from '../validate.js';
import { featureNodes, nodeSummary, spectrumParameters, type NodeSummary } from './mode-nodes.js';

/** How the convolution of the Volterra equation is evaluated. */
export type VolterraMethod = 'recursion' | 'convolution';

/** Options of volterraSgd(). */
export interface VolterraSgdOptions extends SpectrumOptions, RunControl {
  /** eta > 0, the learning rate. */
  learningRate: number;
  /** B, fresh samples per step: an integer >= 1, or Infinity (no SGD noise: L = F). */
  batchSize: number;
  /** Step counts at which the loss is recorded. */
  times: TimeGrid;
  /**
   * 'recursion' (default): O(M_eff n_T); the convolution sum_s K(t-1-s) L(s) = sum_k lambda_k^2 z_k(t)
   * is carried by one accumulator per mode, z_k(t+1) = c_k z_k(t) + L(t).
   * 'convolution': O(n_T^2 + M_eff n_T); F and K are tabulated and the equation is solved by
   * forward substitution with the explicit sum (at most MAX_CONVOLUTION_STEPS steps).
   */
  method?: VolterraMethod;
}

/** Metadata of a volterraSgd() result. */
export interface VolterraSgdMeta {
  solver: 'volterraSgd';
  conventions: string;
  elapsedMs: number;
  timeUnit: 'steps';
  method: VolterraMethod;
  parameters: Record<string, unknown>;
  /** sum_k eta lambda_k / (B (2 - eta lambda_k (1 + 1/B))), < 1 for stability (spec §3.7). */
  stabilitySum: number;
  spectrum: NodeSummary;
}

/** Result of volterraSgd(). */
export interface VolterraSgdResult {
  /** Step counts. */
  times: Float64Array;
  /** Expected test loss E[L(t)] = sum_k lambda_k E[v_k(t)^2] (no factor 1/2). */
  loss: Float64Array;
  /** -t (L(t+1) - L(t-1)) / (2 L(t)), the local exponent in steps (0 at t = 0). */
  localExponent: Float64Array;
  /** The forcing F(t) = sum_k lambda_k w*_k^2 c_k^t at the requested steps. */
  forcing: Float64Array;
  /** The kernel K(t) = sum_k lambda_k^2 c_k^t at the requested steps. */
  kernel: Float64Array;
  meta: VolterraSgdMeta;
}

/** Most steps of the O(n_T^2) convolution method. */
export const MAX_CONVOLUTION_STEPS = 50000;
/** Most node-steps of the recursion in one call. */
const MAX_WORK = 1e12;

const KEYS = [...SPECTRUM_KEYS, 'learningRate', 'batchSize', 'times', 'method', ...CONTROL_KEYS] as const;

/**
 * Expected test loss of online SGD at N = infinity, lazy (gamma = 0), Gaussian features, from the
 * discrete Volterra equation of spec feature-learning.md §3.7 ([PPXP24] form; exact, [D][V]).
 * Equivalent to the second-moment recursion of CONVENTIONS.md with sigma^2 = 0
 * (lazy({ optimizer: 'sgd' })), computed here in forcing/kernel form. modes: Infinity and large M
 * use the package's mode compression (exact head + log-k quadrature + tail node, which matches
 * sum lambda^2 of the tail as the kernel needs).
 * Throws a ParameterError when the stability condition (eta/B) sum_k lambda_k/(2 - eta lambda_k (1 + 1/B)) < 1
 * fails (then the loss diverges).
 *
 * @example volterraSgd({ alpha: 2, beta: 2, modes: 20000, learningRate: 0.5, batchSize: 1, times: [1e4, 1e5] })
 */
export function volterraSgd(options: VolterraSgdOptions): VolterraSgdResult {
  checkOptions('volterraSgd', options, KEYS);
  const given = options;
  const spectrum = resolveSpectrum(given);
  const learningRate = requiredNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const batchSize = requiredNumber('batchSize', given.batchSize, { minimum: 1, integer: true, allowInfinity: true });
  if (given.times === undefined) throw new ParameterError('times', undefined, 'step counts (an array, a grid spec or a string; required)');
  const steps = timeGrid(given.times, { steps: true });
  const method = given.method === undefined ? 'recursion' : checkChoice('method', given.method, ['recursion', 'convolution'] as const);
  const lastStep = steps[steps.length - 1] + 1; // one more for the local exponent's L(t + 1)
  if (method === 'convolution' && lastStep > MAX_CONVOLUTION_STEPS) {
    throw new ParameterError('times', given.times, `step counts below ${MAX_CONVOLUTION_STEPS} for method 'convolution' (O(n_T^2))`,
      "use method 'recursion' (O(modes x steps))");
  }
  const nodes = featureNodes(spectrum, learningRate * (lastStep + 1), {
    headGiven: given.headModes !== undefined, defaultHead: 2048, maximumNodes: 2 ** 24, solver: 'volterraSgd',
  });
  const count = nodes.eigenvalues.length;
  if (method === 'recursion' && count * lastStep > MAX_WORK) {
    throw new ParameterError('times', given.times, `step counts keeping nodes x steps <= ${MAX_WORK}`, `${count} nodes`);
  }
  checkBudget('times', given.times, 8 * (4 * count + (method === 'convolution' ? 3 * lastStep : 0) + 6 * steps.length), 'the per-mode state and tables');

  const noise = batchSize === Infinity ? 0 : learningRate * learningRate / batchSize;
  const contraction = new Float64Array(count);
  let largest = 0;
  for (let b = 0; b < count; b++) {
    const step = learningRate * nodes.eigenvalues[b];
    contraction[b] = (1 - step) ** 2 + (batchSize === Infinity ? 0 : step * step / batchSize);
    largest = Math.max(largest, nodes.eigenvalues[b]);
  }
  const stabilitySum = sgdStability(nodes.eigenvalues, nodes.multiplicity, learningRate, batchSize);
  if (!(stabilitySum < 1) || !(learningRate * largest < 2)) {
    throw new ParameterError('learningRate', learningRate,
      `a smaller value for batchSize ${batchSize} (stability needs (eta/B) sum_k lambda_k / (2 - eta lambda_k (1 + 1/B)) < 1 and eta lambda_max < 2)`,
      `the sum is ${stabilitySum}: the loss diverges`);
  }
  // Kernel weight per node: multiplicity * lambda^2 (the tail node matches sum lambda^2 by construction).
  const kernelWeight = new Float64Array(count);
  for (let b = 0; b < count; b++) kernelWeight[b] = nodes.multiplicity[b] * nodes.eigenvalues[b] ** 2;

  const monitor = new Monitor(given, lastStep);
  const record = new Map<number, number>();
  const wanted = new Set<number>();
  for (const step of steps) {
    wanted.add(step);
    wanted.add(step + 1);
    if (step > 0) wanted.add(step - 1);
  }

  if (method === 'recursion') {
    const forcingState = nodes.targetPower.slice();
    const accumulator = new Float64Array(count);
    for (let t = 0; t <= lastStep; t++) {
      let forcing = 0;
      let convolution = 0;
      for (let b = 0; b < count; b++) {
        forcing += forcingState[b];
        convolution += kernelWeight[b] * accumulator[b];
      }
      const loss = forcing + noise * convolution;
      if (wanted.has(t)) record.set(t, loss);
      if (t === lastStep) break;
      for (let b = 0; b < count; b++) {
        forcingState[b] *= contraction[b];
        accumulator[b] = contraction[b] * accumulator[b] + loss;
      }
      if ((t & 1023) === 1023) monitor.step(t);
    }
  } else {
    const forcing = new Float64Array(lastStep + 1);
    const kernel = new Float64Array(lastStep + 1);
    const power = new Float64Array(count).fill(1);
    for (let t = 0; t <= lastStep; t++) {
      let f = 0;
      let k = 0;
      for (let b = 0; b < count; b++) {
        f += nodes.targetPower[b] * power[b];
        k += kernelWeight[b] * power[b];
        power[b] *= contraction[b];
      }
      forcing[t] = f;
      kernel[t] = k;
    }
    const loss = new Float64Array(lastStep + 1);
    for (let t = 0; t <= lastStep; t++) {
      let sum = 0;
      for (let s = 0; s < t; s++) sum += kernel[t - 1 - s] * loss[s];
      loss[t] = forcing[t] + noise * sum;
      if (wanted.has(t)) record.set(t, loss[t]);
      if ((t & 255) === 255) monitor.step(t);
    }
  }
  monitor.step(lastStep);

  const loss = new Float64Array(steps.length);
  const localExponent = new Float64Array(steps.length);
  const forcing = new Float64Array(steps.length);
  const kernel = new Float64Array(steps.length);
  for (let j = 0; j < steps.length; j++) {
    const t = steps[j];
    loss[j] = record.get(t) as number;
    localExponent[j] = t === 0 ? 0 : stepExponent(t, record.get(t - 1) as number, loss[j], record.get(t + 1) as number);
    let f = 0;
    let k = 0;
    for (let b = 0; b < count; b++) {
      const factor = contraction[b] ** t;
      f += nodes.targetPower[b] * factor;
      k += kernelWeight[b] * factor;
    }
    forcing[j] = f;
    kernel[j] = k;
  }

  const result: VolterraSgdResult = {
    times: steps, loss, localExponent, forcing, kernel,
    meta: {
      solver: 'volterraSgd',
      conventions: 'feature-learning.md §3.7: L = sum_k lambda_k E[v_k^2] (no 1/2), steps t, N = Infinity, gamma = 0, Gaussian features, no label noise',
      elapsedMs: monitor.elapsed(),
      timeUnit: 'steps',
      method,
      parameters: {
        ...spectrumParameters(spectrum),
        learningRate, batchSize,
      },
      stabilitySum,
      spectrum: nodeSummary(nodes),
    },
  };
  return attachSerialisers(result);
}
