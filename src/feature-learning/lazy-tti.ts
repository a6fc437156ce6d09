// lazyFeatureDmft(): the lazy (gamma = 0) discrete-time DMFT of the projected two-layer linear
// model at finite N, online SGD, P = infinity (spec feature-learning.md §4.2 (v) with gamma = 0,
// §4.4 last paragraph, §4.6 "lazy TTI DMFT"), using time-translation invariance: every response
// kernel is lower-triangular Toeplitz, so the whole solution costs O(M_eff n_T^2).
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { lazyTtiKernels } from '../engine/lazy-tti-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { stepExponent } from '../exponents.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkOptions, requiredNumber } from '../validate.js';
import { featureNodes, nodeSummary, spectrumParameters, type NodeSummary } from './mode-nodes.js';

/** Options of lazyFeatureDmft(). */
export interface LazyFeatureDmftOptions extends SpectrumOptions, RunControl {
  /** N, the number of random features: an integer >= 1, or Infinity (the lazy N = infinity dynamics). */
  modelSize: number;
  /** eta > 0, the learning rate (each mode contracts by (1 - eta lambda_k) per step at N = B = infinity). */
  learningRate: number;
  /**
   * B, fresh samples per step: Infinity (population gradient; exact DMFT), or an integer >= 1 with
   * the paper-level SGD noise of spec §4.2 (i) (variance lambda_k L / B; it omits an O(1/B) term that
   * exact Gaussian-feature simulations contain: about -5% at B = 4 at early times, spec §4.2 (iv), F10).
   */
  batchSize: number;
  /** Step counts at which the loss is recorded. */
  times: TimeGrid;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js' (identical bits). */
  engine?: EngineChoice;
}

/** Metadata of a lazyFeatureDmft() result. */
export interface LazyFeatureDmftMeta {
  solver: 'lazyFeatureDmft';
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  timeUnit: 'steps';
  parameters: Record<string, unknown>;
  /** Largest lag of the Toeplitz response kernels computed (2 x last step + 4). */
  lags: number;
  spectrum: NodeSummary;
  /** Finite B: (eta^2/B) sum_n K_N(n) over the lags computed; the noise feedback is stable when it is < 1. */
  noiseFeedback?: number;
  reconstruction: string;
}

/** Result of lazyFeatureDmft(). */
export interface LazyFeatureDmftResult {
  /** Step counts. */
  times: Float64Array;
  /** Test loss L = sum_k lambda_k E[v_k^2] (no factor 1/2). */
  loss: Float64Array;
  /** -t (L(t+1) - L(t-1)) / (2 L(t)) (0 at t = 0). */
  localExponent: Float64Array;
  /** The mean error response sum_k p_k phi_k(t) = sum_k lambda_k w*_k E[v_k(t)] at the requested steps. */
  meanOverlap: Float64Array;
  meta: LazyFeatureDmftMeta;
}

/** Most nodes (exact modes plus quadrature nodes). */
export const MAX_LAZY_DMFT_NODES = 20000;
/** Most node x lag^2 / 2 operations in one call. */
const MAX_WORK = 2e11;

const KEYS = [...SPECTRUM_KEYS, 'modelSize', 'learningRate', 'batchSize', 'times', 'engine', ...CONTROL_KEYS] as const;

const RECONSTRUCTION = 'feature-learning.md §4.2 (DMFT [D][V], reconstructed normalisation §1.7) at gamma = 0; the identity '
  + 'L(t) = sum_k p_k phi_k(2t) and the finite-B Volterra form with K_N are derived for this implementation [D] (see the TSDoc)';

/**
 * Expected test loss of the lazy random-feature model (gamma = 0) at finite N from its discrete DMFT
 * (spec feature-learning.md §4.2 with gamma = 0, §4.4), online, P = infinity; a reconstruction [D][V].
 *
 * Method (O(M_eff n_T^2), memory O(M_eff n_T)). At gamma = 0, R_0 = eta S and every response is
 * causal Toeplitz, so each is a sequence over lags n: r_z (R_z = R_0 Y), h_k (H_k = (I + lambda_k R_z)^-1,
 * h_k(0) = 1), r_g = -(1/N) sum_k lambda_k h_k (R_g, with r_g(0) = -tr(Lambda)/N), p = r_g * (eta S) and
 * y = (I - P)^-1, all solved forward in the lag. phi_k(n) = sum_{j<=n} h_k(j) is the disorder-averaged
 * diagonal E[(I - eta M)^n]_kk of M = Lambda^(1/2) (A0^T A0/N) Lambda^(1/2) (the mean of v_k is w*_k phi_k(t)).
 * The correlation kernels C_z, C_g of §4.2 are not Toeplitz; instead the loss uses the identity [D]
 *   B = infinity:  L(t) = E[v0~^T (I - eta M)^(2t) v0~] = sum_k p_k phi_k(2t),
 * (off-diagonal averages vanish by the sign symmetry A0 -> A0 diag(+-1)), which is exactly what the
 * two-time formula L = sum_k lambda_k (mu_k^2 + Cov_k(t,t)) of §4.2 evaluates. With finite B and the
 * paper-level noise (E[G X G] -> Lambda X Lambda + Lambda tr(Lambda X)/B) the loss obeys the Volterra equation
 *   L(t) = sum_k p_k phi_k(2t) + (eta^2/B) sum_{s<t} K_N(t-1-s) L(s),
 *   K_N(n) = E tr[M^2 (I - eta M)^(2n)] = eta^-2 sum_k (h_k(2n+2) - h_k(2n+1)),
 * which reduces to the paper-level recursion of §3.7 (c_k = (1 - eta lambda_k)^2) at N = infinity.
 * modes: Infinity (or headModes < modes) uses the package's log-k mode compression, with the exact
 * tail trace in r_g(0). The O(M_eff n_T^2) loop runs in assembly/lazy-tti.ts (SIMD two-lane dot
 * products; the js engine runs its bit-identical twin, src/engine/lazy-tti-kernels.ts). Measured
 * (wasm-simd, 2-core machine): M = 128 nodes, last step 1000 (2006 lags) in 0.3 s, last step 2000 in 1.3 s;
 * the js engine is ~9x slower; the cost does not depend on N.
 *
 * @example lazyFeatureDmft({ alpha: 1.5, beta: 0.5, modes: 128, modelSize: 32, learningRate: 0.5, batchSize: Infinity, times: [20, 40, 59] })
 */
export function lazyFeatureDmft(options: LazyFeatureDmftOptions): LazyFeatureDmftResult {
  checkOptions('lazyFeatureDmft', options, KEYS);
  const given = options;
  const spectrum = resolveSpectrum(given);
  const modelSize = requiredNumber('modelSize', given.modelSize, { minimum: 1, integer: true, allowInfinity: true });
  const learningRate = requiredNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const batchSize = requiredNumber('batchSize', given.batchSize, { minimum: 1, integer: true, allowInfinity: true });
  if (given.times === undefined) throw new ParameterError('times', undefined, 'step counts (an array, a grid spec or a string; required)');
  const steps = timeGrid(given.times, { steps: true });
  const engine = resolveEngine(given.engine);
  const lastStep = steps[steps.length - 1] + 1; // L(t + 1) for the local exponent
  const lags = 2 * lastStep + 4;
  const nodes = featureNodes(spectrum, learningRate * lags, {
    headGiven: given.headModes !== undefined,
    defaultHead: spectrum.kind === 'power-law' && spectrum.modes <= 1024 ? 1024 : 128, maximumNodes: MAX_LAZY_DMFT_NODES, solver: 'lazyFeatureDmft',
  });
  const count = nodes.eigenvalues.length;
  if (count * lags * lags / 2 > MAX_WORK) {
    throw new ParameterError('times', given.times, `step counts keeping nodes x (2 x last step)^2 / 2 <= ${MAX_WORK}`,
      `${count} nodes, ${lags} lags: lower headModes or the last step`);
  }
  checkBudget('times', given.times, 8 * (count * (lags + 1) + 8 * (lags + 1) + 6 * steps.length), `the ${count} x ${lags + 1} response table`);
  let largest = 0;
  for (const eigenvalue of nodes.eigenvalues) largest = Math.max(largest, eigenvalue);
  if (!(learningRate * largest < 2)) {
    throw new ParameterError('learningRate', learningRate, `a number < ${2 / largest} (2 / largest eigenvalue)`, 'the mean dynamics diverge');
  }

  const inverseSize = modelSize === Infinity ? 0 : 1 / modelSize;
  const monitor = new Monitor(given, count * lags * lags / 2);
  const overlap = new Float64Array(lags + 1); // sum_b p_b phi_b(n)
  const secondDifference = new Float64Array(lags + 1); // sum_b mult_b (h_b(n) - h_b(n-1))
  const state = lazyTtiKernels(engine).start(count, lags);
  try {
    state.view('eigenvalues').set(nodes.eigenvalues);
    state.view('multiplicity').set(nodes.multiplicity);
    state.view('targetPower').set(nodes.targetPower);
    state.view('cumulative').fill(1);
    const responses = state.view('responses');
    for (let b = 0; b < count; b++) responses[b * (lags + 1)] = 1;
    let power = 0;
    for (let b = 0; b < count; b++) power += nodes.targetPower[b];
    state.view('overlap')[0] = power;
    state.view('rg')[0] = -nodes.trace * inverseSize;
    state.view('y')[0] = 1;
    const sums = state.view('sums');
    sums[0] = 1;
    sums[1] = -nodes.trace * inverseSize;
    // Chunks of ~2^24 multiply-adds between run-control checks.
    for (let from = 1; from <= lags;) {
      let to = from;
      let work = 0;
      while (to <= lags && (to === from || work < 2 ** 24)) work += count * to++;
      state.advance(from, to, learningRate, inverseSize);
      monitor.step(count * to * to / 2);
      from = to;
    }
    overlap.set(state.view('overlap'));
    secondDifference.set(state.view('difference'));
  } finally {
    state.dispose();
  }

  // L(t) = overlap(2t) + (eta^2/B) sum_{s<t} K_N(t-1-s) L(s), K_N(n) = secondDifference(2n+2) / eta^2.
  const lossSeries = new Float64Array(lastStep + 1);
  let noiseFeedback: number | undefined;
  if (batchSize === Infinity) {
    for (let t = 0; t <= lastStep; t++) lossSeries[t] = overlap[2 * t];
    if (!Number.isFinite(lossSeries[lastStep])) {
      throw new ParameterError('learningRate', learningRate, `a smaller value for modelSize ${modelSize}`,
        'the finite-N mean dynamics diverge (the kernel A0^T A0 / N has eigenvalues above 1)');
    }
  } else {
    const kernel = new Float64Array(lastStep + 1);
    noiseFeedback = 0;
    for (let n = 0; n <= lastStep; n++) {
      kernel[n] = secondDifference[2 * n + 2] / (learningRate * learningRate);
      noiseFeedback += kernel[n];
    }
    const noise = learningRate * learningRate / batchSize;
    noiseFeedback *= noise;
    for (let t = 0; t <= lastStep; t++) {
      let sum = 0;
      for (let s = 0; s < t; s++) sum += kernel[t - 1 - s] * lossSeries[s];
      lossSeries[t] = overlap[2 * t] + noise * sum;
    }
    if (!Number.isFinite(lossSeries[lastStep]) || noiseFeedback >= 1) {
      throw new ParameterError('learningRate', learningRate, `a smaller value for batchSize ${batchSize}`,
        `the SGD-noise feedback (eta^2/B) sum_n K_N(n) = ${noiseFeedback} is not below 1: the loss diverges`);
    }
  }
  monitor.step(count * lags * lags / 2);

  const loss = new Float64Array(steps.length);
  const localExponent = new Float64Array(steps.length);
  const meanOverlap = new Float64Array(steps.length);
  for (let j = 0; j < steps.length; j++) {
    const t = steps[j];
    loss[j] = lossSeries[t];
    meanOverlap[j] = overlap[t];
    localExponent[j] = t === 0 ? 0 : stepExponent(t, lossSeries[t - 1], loss[j], lossSeries[t + 1]);
  }

  const result: LazyFeatureDmftResult = {
    times: steps, loss, localExponent, meanOverlap,
    meta: {
      solver: 'lazyFeatureDmft',
      conventions: 'feature-learning.md §1.2-§1.7, §4.2: L = sum_k lambda_k E[v_k^2] (no 1/2), steps t, gamma = 0, P = Infinity',
      engine: engine.name,
      elapsedMs: monitor.elapsed(),
      timeUnit: 'steps',
      parameters: {
        ...spectrumParameters(spectrum),
        modelSize, learningRate, batchSize,
      },
      lags,
      spectrum: nodeSummary(nodes),
      ...(noiseFeedback !== undefined ? { noiseFeedback } : {}),
      reconstruction: RECONSTRUCTION,
    },
  };
  return attachSerialisers(result);
}
