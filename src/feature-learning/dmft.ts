// featureLearningDmft(): the discrete-time DMFT of the projected two-layer linear model of spec
// feature-learning.md §4 — online projected SGD at finite (or infinite) N and B and any gamma
// (§4.2), and full-batch gradient descent on P fixed samples (data reuse, §4.3) — solved forward in
// time (§4.2 (iii), §4.6), with mode binning for many or infinitely many modes (§4.6). The whole DMFT
// is a reconstruction of the spec [D][V], not the papers' displayed equations; its options mirror
// simulateFeatureLearning() (src/feature-learning/simulate.ts), the ground truth it is tested against.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { flDmftBytes, flDmftKernels } from '../engine/fl-dmft-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkChoice, checkNumber, checkOptions, optionalNumber, requiredNumber } from '../validate.js';
import { dmftModes } from './dmft-bins.js';
import { solveOnline } from './dmft-online.js';
import { solveReuse } from './dmft-reuse.js';

/** Options of featureLearningDmft(): those of simulateFeatureLearning(), with Infinity allowed for N, B, P and modes. */
export interface FeatureLearningDmftOptions extends Omit<SpectrumOptions, 'headModes'>, RunControl {
  /** N, the number of learned features: an integer >= 1, or Infinity (drops C_z / N and R_g, spec §4.2 (v)). */
  modelSize: number;
  /** eta, the step size (> 0). */
  learningRate: number;
  /** Step counts t = 0, 1, ... at which the losses are returned (at most MAX_DMFT_STEPS). */
  times: TimeGrid;
  /** gamma >= 0, the feature-learning strength (default 0: lazy). */
  featureLearning?: number;
  /** B, fresh samples per step (online; integer >= 1 or Infinity: no SGD noise). Required online, absent with finite dataSize. */
  batchSize?: number;
  /** P, one fixed training set reused every step (full-batch GD, spec §4.3), or Infinity (default): online. */
  dataSize?: number;
  /**
   * Online SGD noise variance of mode k (spec §4.2 (i), (iv)): 'exact' (default) the exact Gaussian
   * (lambda_k L + lambda_k^2 E v_k^2) / B; 'diagonal' the paper-level lambda_k L / B, which is O(1/B) low.
   */
  sgdNoise?: 'exact' | 'diagonal';
  /**
   * Power laws: most mode nodes (default 128). Spectra with more modes (or modes = Infinity) are
   * binned (spec §4.6): the leading bins/4 modes exactly, then log-spaced bins, then a tail node.
   */
  bins?: number;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** Metadata of a featureLearningDmft() result. */
export interface FeatureLearningDmftMeta {
  solver: 'featureLearningDmft';
  /** 'forward-in-time': one causal pass (spec §4.2 (iii)); no fixed-point sweeps. */
  method: 'forward-in-time';
  /** 'online' or 'data-reuse'. */
  variant: 'online' | 'data-reuse';
  /** Passes over the time grid (1: forward in time is exact, no iteration residual). */
  sweeps: number;
  /** Fixed-point residual max_t |Delta L(t)| (0: the forward solve has none). */
  residual: number;
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  timeUnit: 'steps';
  parameters: Record<string, unknown>;
  /** How the modes were represented. */
  modes: { nodes: number; exactModes: number; binnedNodes: number; tailNodes: number };
  /** Reconstruction tags of the spec for what this computes. */
  reconstruction: string;
  /**
   * Online only: set when the loss rises more than 10% above its running minimum, a sign that
   * the step size is near the stability limit, where the DMFT (a large-N mean) loses accuracy
   * (spec §4.6: the rich model's largest stable eta shrinks over time).
   */
  warnings: string[];
}

/** Result of featureLearningDmft(). */
export interface FeatureLearningDmftResult {
  /** The step counts requested. */
  times: Float64Array;
  /** Test loss L(t) = sum_k lambda_k E v_k(t)^2 (no factor 1/2). */
  loss: Float64Array;
  /** Data reuse only: train loss C_1(t, t) = E (1/P) sum_mu (f_mu - y_mu)^2. */
  trainLoss?: Float64Array;
  meta: FeatureLearningDmftMeta;
}

/** Most time points of one solve (cost grows as steps^3, memory as modes * steps^2 / 2). */
export const MAX_DMFT_STEPS = 8192;
/** Default number of mode nodes of a binned power law. */
export const DEFAULT_DMFT_BINS = 128;

const KEYS = [...SPECTRUM_KEYS.filter((key) => key !== 'headModes'), 'modelSize', 'learningRate', 'times', 'featureLearning',
  'batchSize', 'dataSize', 'sgdNoise', 'bins', 'engine', ...CONTROL_KEYS] as const;

const CONVENTIONS = 'feature-learning.md §1.2-§1.7 (reconstructed normalisation, as simulateFeatureLearning): lambda_k = lambda_1 k^-alpha, '
  + 'p_k = lambda_k w*_k^2 = c k^-(alpha beta + 1); A0 entries N(0,1); f = w.A psi / N; w(0) = 0; L = sum_k lambda_k v_k^2 (no 1/2); steps t';

/**
 * Loss curve of the projected two-layer model from its discrete-time DMFT (spec §4.2 online, §4.3
 * data reuse), solved forward in time in one causal pass. Deterministic; agrees with the mean of
 * simulateFeatureLearning() up to the DMFT's large-N, M, B (or P) corrections (spec §4.7).
 * Reconstruction [D] of spec §4 (tags in meta.reconstruction). Throws ParameterError('learningRate')
 * when the loss diverges (non-finite, or above 1e6 L(0)).
 *
 * @example featureLearningDmft({ alpha: 1.5, beta: 0.5, modes: 128, modelSize: 32, batchSize: Infinity, featureLearning: 1, learningRate: 0.25, times: [0, 5, 10, 20] })
 */
export function featureLearningDmft(options: FeatureLearningDmftOptions): FeatureLearningDmftResult {
  checkOptions('featureLearningDmft', options, KEYS);
  const given = options;
  const spectrum = resolveSpectrum(given);
  const modelSize = requiredNumber('modelSize', given.modelSize, { minimum: 1, integer: true, allowInfinity: true });
  const learningRate = requiredNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const featureLearning = optionalNumber('featureLearning', given.featureLearning, 0, { minimum: 0, maximum: 1e6 });
  const dataSize = optionalNumber('dataSize', given.dataSize, Infinity, { minimum: 1, integer: true, allowInfinity: true });
  const reuse = dataSize !== Infinity;
  let batchSize = Infinity;
  if (reuse) {
    if (given.batchSize !== undefined) {
      throw new ParameterError('batchSize', given.batchSize, 'absent when dataSize is finite',
        'the data-reuse variant is full-batch gradient descent on the dataSize samples (spec §4.3)');
    }
    if (given.sgdNoise !== undefined) {
      throw new ParameterError('sgdNoise', given.sgdNoise, 'absent when dataSize is finite', 'full-batch gradient descent has no SGD noise');
    }
  } else {
    if (given.batchSize === undefined) {
      throw new ParameterError('batchSize', undefined, 'an integer >= 1 or Infinity (required for online SGD, dataSize = Infinity)');
    }
    batchSize = checkNumber('batchSize', given.batchSize, { minimum: 1, integer: true, allowInfinity: true });
  }
  const sgdNoise = given.sgdNoise === undefined ? 'exact' : checkChoice('sgdNoise', given.sgdNoise, ['exact', 'diagonal'] as const);
  const bins = optionalNumber('bins', given.bins, DEFAULT_DMFT_BINS, { minimum: 16, maximum: 65536, integer: true });
  if (given.times === undefined) throw new ParameterError('times', undefined, 'step counts (an array, a grid spec or a string; required)');
  const times = timeGrid(given.times, { steps: true });
  const steps = times[times.length - 1] + 1;
  if (steps > MAX_DMFT_STEPS) {
    throw new ParameterError('times', given.times, `step counts up to ${MAX_DMFT_STEPS - 1}`, 'the DMFT stores steps x steps kernels and costs O(modes steps^3)');
  }
  const engine = resolveEngine(given.engine);
  const nodes = dmftModes(spectrum, bins, learningRate * steps);
  const nodeCount = nodes.eigenvalues.length;
  const finiteWidth = modelSize !== Infinity;
  const kernelBytes = flDmftBytes({ steps, modes: nodeCount, finiteWidth }) * (reuse ? 2 : 1);
  const timeTimeBytes = 8 * steps * steps * (reuse ? 18 : 10);
  checkBudget('times', given.times, timeTimeBytes, `the ${steps} x ${steps} time-time kernels`);
  checkBudget(spectrum.kind === 'custom' ? 'eigenvalues' : 'bins', spectrum.kind === 'custom' ? spectrum.eigenvalues : bins,
    kernelBytes + timeTimeBytes, `the ${nodeCount} packed ${steps} x ${steps} mode responses and the time-time kernels`);

  const stepWork = (t: number) => nodeCount * (t + 1) * (t + 1) * (finiteWidth ? 2 : 1) + 8 * (t + 1) * (t + 1);
  let total = 0;
  for (let t = 0; t < steps; t++) total += stepWork(t);
  const monitor = new Monitor(given, total);
  const kernels = flDmftKernels(engine);
  let lossCurve: Float64Array;
  let trainCurve: Float64Array | undefined;
  if (reuse) {
    const solved = solveReuse({ nodes, steps, modelSize, dataSize, learningRate, featureLearning }, kernels, monitor, stepWork);
    lossCurve = solved.loss;
    trainCurve = solved.trainLoss;
  } else {
    lossCurve = solveOnline({ nodes, steps, modelSize, batchSize, learningRate, featureLearning, sgdNoise }, kernels, monitor, stepWork);
  }
  const pick = (curve: Float64Array) => Float64Array.from(times, (t) => curve[t]);
  const warnings: string[] = [];
  if (!reuse) {
    let minimum = lossCurve[0];
    for (let t = 1; t < steps; t++) {
      if (lossCurve[t] > 1.1 * minimum) {
        warnings.push(`the loss rises from its minimum ${minimum.toPrecision(4)} to ${lossCurve[t].toPrecision(4)} at step ${t}: `
          + 'the learning rate may be near the stability limit, where the DMFT loses accuracy (spec §4.6)');
        break;
      }
      minimum = Math.min(minimum, lossCurve[t]);
    }
  }
  const result: FeatureLearningDmftResult = {
    times,
    loss: pick(lossCurve),
    ...(trainCurve ? { trainLoss: pick(trainCurve) } : {}),
    meta: {
      solver: 'featureLearningDmft',
      method: 'forward-in-time',
      variant: reuse ? 'data-reuse' : 'online',
      sweeps: 1,
      residual: 0,
      conventions: CONVENTIONS,
      engine: engine.name,
      elapsedMs: monitor.elapsed(),
      timeUnit: 'steps',
      parameters: {
        ...(spectrum.kind === 'power-law'
          ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale, bins }
          : { spectrum: 'custom', modes: spectrum.eigenvalues.length }),
        modelSize, featureLearning, learningRate, batchSize: reuse ? undefined : batchSize, dataSize, sgdNoise: reuse ? undefined : sgdNoise,
      },
      modes: { nodes: nodeCount, exactModes: nodes.exactModes, binnedNodes: nodes.binnedNodes, tailNodes: nodes.tailNodes },
      reconstruction: reuse
        ? 'feature-learning.md §4.3 data-reuse DMFT [D][V] with the N side of §4.2 (ii) [D]; normalisation §1.7 [I]; forward-in-time order §4.2 (iii) [D]'
        : `feature-learning.md §4.2 online DMFT [D][V]; ${sgdNoise === 'exact' ? 'exact-Gaussian SGD variance §4.2 (iv) [D][V]' : 'paper-level diagonal SGD variance §4.2 (i) [I]'}; `
          + `normalisation §1.7 [I]${nodes.binnedNodes > 0 ? '; mode binning §4.6 [I]' : ''}`,
      warnings,
    },
  };
  return attachSerialisers(result);
}
