// computeOptimalFrontier(): the compute-optimal envelope of the full dynamics (feature-learning.md
// §3.9, Fig. 4 test design of §5 [I], check F16): loss curves L(t, N) for a list of model sizes
// (randomFeatures), the envelope L*(C) = min_N L(C/N, N) with compute C = N t, its fitted slope
// with a standard error, beside the closed-form exponent of Table 1 (computeOptimal).
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import type { EngineChoice } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { fitPowerLaw, type PowerLawFit } from '../exponents.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkArray, checkNumber, checkOptions, optionalNumber } from '../validate.js';
import { randomFeatures, type RandomFeaturesMethod, type RandomFeaturesResult } from './random-features.js';
import { table1 } from './theory-compute.js';

/** Options of computeOptimalFrontier(). */
export interface ComputeOptimalFrontierOptions extends Omit<SpectrumOptions, 'headModes'>, RunControl {
  /** Model sizes N (at least 2 distinct finite integers >= 1), one loss curve each. */
  modelSizes: ArrayLike<number>;
  /** gamma >= 0 (default 0: lazy). */
  featureLearning?: number;
  /** eta: discrete model, compute C = N x steps. Absent: gradient flow, C = N x tau. */
  learningRate?: number;
  /** B (default Infinity). */
  batchSize?: number;
  /** P (default Infinity). */
  dataSize?: number;
  /**
   * Times of every curve (steps with a learningRate, tau without). Default: log-spaced from 0.1 tau
   * (1 step) to 4 N_max^e tau, e = the plateau-time exponent (alpha lazy, alpha (1 + beta)/2 rich
   * hard task, §3.5), 161 points.
   */
  times?: TimeGrid;
  /** Solver of each curve (default 'auto', see randomFeatures). */
  method?: RandomFeaturesMethod;
  /** Random methods: runs (projections) per curve. */
  seeds?: number;
  /** Random methods: seed of the first run. */
  seed?: number;
  /** Compute points of the envelope, log-spaced over the range the curves cover (default 241). */
  computePoints?: number;
  /**
   * Compute window of the fit. Default: where the minimising N is neither the smallest nor the
   * largest of modelSizes (so the envelope is a true minimum over N, not one boundary curve), and
   * C <= maxCompute.
   */
  window?: { from?: number; to?: number };
  /**
   * Largest compute budget needed (default: none). Each curve then stops at the first time of
   * `times` at or beyond maxCompute / N, so the costly large-N curves are not run to the long
   * times only the small N reach (and where they never minimise the loss). The envelope beyond
   * maxCompute is then built from the remaining curves only: fit below maxCompute.
   */
  maxCompute?: number;
  engine?: EngineChoice;
}

/** Result of computeOptimalFrontier(). */
export interface ComputeOptimalFrontierResult {
  /** The model sizes, ascending. */
  modelSizes: Float64Array;
  /** One loss curve per model size (randomFeatures results). */
  curves: RandomFeaturesResult[];
  /** Compute budgets C = N t (t in meta.timeUnit). */
  compute: Float64Array;
  /** L*(C) = min over modelSizes of L(C/N, N), log-log interpolated in t (NaN where no curve covers C/N). */
  envelope: Float64Array;
  /** The minimising N at each C. */
  optimalModelSize: Float64Array;
  /** Fit of L* ~ C^-r over the window: exponent r with its standard error. */
  fit: PowerLawFit & { from: number; to: number; decades: number };
  /** Table 1 (§3.9) for the same alpha, beta, gamma: r, and N* ~ C^a, t* ~ C^b. */
  theory: { lossExponent: number; modelSizeExponent: number; timeExponent: number; difficulty: string };
  /** fit.exponent - theory.lossExponent. */
  difference: number;
  meta: {
    solver: 'computeOptimalFrontier';
    timeUnit: 'steps' | 'time';
    elapsedMs: number;
    parameters: Record<string, unknown>;
    methods: string[];
    notes: string[];
  };
}

const KEYS = [...SPECTRUM_KEYS.filter((key) => key !== 'headModes'), 'modelSizes', 'featureLearning', 'learningRate', 'batchSize', 'dataSize',
  'times', 'method', 'seeds', 'seed', 'computePoints', 'window', 'maxCompute', 'engine', ...CONTROL_KEYS] as const;

/**
 * The numerical compute-optimal frontier (feature-learning.md §3.9 and Fig. 4 of §5 [I]): for each
 * N of `modelSizes`, L(t, N) from randomFeatures (same options otherwise); the envelope
 * L*(C) = min_N L(C/N, N) on a log grid of C = N t, each curve interpolated linearly in (ln t, ln L);
 * a least-squares fit ln L* = ln A - r ln C with its standard error (fitPowerLaw) over the window;
 * and Table 1's r for comparison. Compute is N x steps with a learningRate, N x tau without (the
 * same exponent at fixed eta). The envelope follows the smallest N at small C and the largest at
 * large C: only the interior window measures the frontier, so it is the default.
 * Expected (check F16): alpha = 2, beta = 0.5: r = 1/3 lazy, 0.40 rich — asymptotically; the rich
 * frontier converges slowly (§7 item 5), see the tests for what a given N range reaches (N = 16..256,
 * 4 projections, maxCompute 2e5: rich 0.377-0.407 over the default window across ten seed sets).
 * `maxCompute` cuts each curve at C = maxCompute (t = maxCompute / N), which keeps large-N rich
 * curves short: their cost is O(N^2) per integrator step.
 *
 * @example computeOptimalFrontier({ alpha: 2, beta: 0.5, modes: 4096, modelSizes: [16, 32, 64, 128, 256] }).fit.exponent // ≈ 0.33
 * @example computeOptimalFrontier({ alpha: 2, beta: 0.5, modes: 4096, modelSizes: [16, 23, 32, 45, 64, 91, 128, 181, 256], featureLearning: 1,
 *   seeds: 4, times: 'log:0.1:12500:241', maxCompute: 2e5 }).fit.exponent // ≈ 0.39
 */
export function computeOptimalFrontier(options: ComputeOptimalFrontierOptions): ComputeOptimalFrontierResult {
  const given = checkOptions('computeOptimalFrontier', options, KEYS) as unknown as ComputeOptimalFrontierOptions;
  const monitor = new Monitor(given, 1);
  const spectrum = resolveSpectrum(given);
  if (spectrum.kind !== 'power-law') throw new ParameterError('eigenvalues', given.eigenvalues, 'absent: the frontier is compared with Table 1, which needs a power law (alpha, beta)');
  if (given.modelSizes === undefined) throw new ParameterError('modelSizes', undefined, 'an array of at least 2 distinct integers >= 1 (required)');
  const sizes = Float64Array.from(new Set(checkArray('modelSizes', given.modelSizes, { minimum: 1, integer: true }, { minimumLength: 2, maximumLength: 64 }))).sort();
  if (sizes.length < 2) throw new ParameterError('modelSizes', given.modelSizes, 'at least 2 distinct model sizes');
  const featureLearning = optionalNumber('featureLearning', given.featureLearning, 0, { minimum: 0, maximum: 1e6 });
  const learningRate = given.learningRate === undefined ? undefined : checkNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const computePoints = optionalNumber('computePoints', given.computePoints, 241, { minimum: 8, maximum: 100000, integer: true });
  const window = given.window === undefined ? {} : checkOptions('computeOptimalFrontier window', given.window, ['from', 'to']) as { from?: number; to?: number };
  const timeUnit = learningRate === undefined ? 'time' : 'steps';
  let times = given.times;
  if (times === undefined) {
    const { alpha, beta, leadingEigenvalue } = spectrum;
    const exponent = featureLearning > 0 && beta < 1 ? (alpha * (1 + beta)) / 2 : alpha;
    const horizon = (4 * sizes[sizes.length - 1] ** exponent) / leadingEigenvalue;
    times = learningRate === undefined ? { from: 0.1, to: horizon, count: 161, spacing: 'log' } : { from: 1, to: Math.ceil(horizon / learningRate), count: 161, spacing: 'log' };
  }
  const maxCompute = given.maxCompute === undefined ? Infinity : checkNumber('maxCompute', given.maxCompute, { minimum: 0, exclusiveMinimum: true });
  const grid = timeGrid(times, { steps: timeUnit === 'steps' });
  const { modelSizes: _sizes, computePoints: _points, window: _window, maxCompute: _maxCompute, ...rest } = given;
  const curves: RandomFeaturesResult[] = [];
  for (const modelSize of sizes) {
    let end = grid.findIndex((t) => t * modelSize >= maxCompute);
    end = end < 0 ? grid.length : end + 1;
    curves.push(randomFeatures({ ...rest, times: grid.subarray(0, end), modelSize, timeUnit } as never));
    monitor.step(0);
  }

  // Compute range covered by some curve at positive t.
  let low = Infinity;
  let high = 0;
  curves.forEach((curve, index) => {
    for (let j = 0; j < curve.times.length; j++) {
      const t = curve.times[j];
      if (t > 0 && Number.isFinite(t) && curve.loss[j] > 0) {
        low = Math.min(low, sizes[index] * t);
        high = Math.max(high, sizes[index] * t);
      }
    }
  });
  if (!(high > low)) throw new ParameterError('times', times, 'at least two positive finite times');
  const compute = new Float64Array(computePoints);
  const envelope = new Float64Array(computePoints).fill(NaN);
  const optimalModelSize = new Float64Array(computePoints).fill(NaN);
  for (let c = 0; c < computePoints; c++) {
    compute[c] = Math.exp(Math.log(low) + ((Math.log(high) - Math.log(low)) * c) / (computePoints - 1));
    curves.forEach((curve, index) => {
      const value = interpolate(curve, compute[c] / sizes[index]);
      if (value > 0 && !(value >= envelope[c])) {
        envelope[c] = value;
        optimalModelSize[c] = sizes[index];
      }
    });
  }
  // Default window: interior minimisers only.
  let from = window.from;
  let to = window.to;
  if (from === undefined || to === undefined) {
    let first = -1;
    let last = -1;
    for (let c = 0; c < computePoints; c++) {
      const n = optimalModelSize[c];
      if (n > sizes[0] && n < sizes[sizes.length - 1]) {
        if (first < 0) first = c;
        last = c;
      }
    }
    if (first < 0 || last <= first) {
      throw new ParameterError('modelSizes', given.modelSizes, 'sizes whose curves cross (no compute budget is minimised by an interior model size)',
        'extend the times or the range of model sizes, or give window');
    }
    from ??= compute[first];
    to ??= Math.min(compute[last], maxCompute);
  }
  const fit = fitPowerLaw(compute, envelope.map((value) => (Number.isFinite(value) ? value : 0)), { from, to });
  const theory = table1(spectrum.alpha, spectrum.beta, featureLearning);
  const notes = [
    'Compute C = N x t with t in steps (learningRate given) or gradient-flow time tau; the exponent is the same at fixed eta.',
    'The fit window defaults to compute budgets whose minimising N is interior to modelSizes.',
  ];
  const result: ComputeOptimalFrontierResult = {
    modelSizes: sizes,
    curves,
    compute,
    envelope,
    optimalModelSize,
    fit: { ...fit, from, to, decades: Math.log10(to / from) },
    theory: { lossExponent: theory.lossExponent, modelSizeExponent: theory.modelSizeExponent, timeExponent: theory.timeExponent, difficulty: theory.difficulty },
    difference: fit.exponent - theory.lossExponent,
    meta: {
      solver: 'computeOptimalFrontier',
      timeUnit,
      elapsedMs: monitor.elapsed(),
      parameters: { ...curves[0].meta.parameters, modelSizes: Array.from(sizes), computePoints, ...(maxCompute < Infinity ? { maxCompute } : {}) },
      methods: [...new Set(curves.map((curve) => curve.meta.method))],
      notes,
    },
  };
  return attachSerialisers(result);
}

/** L(t) of a curve at time t, linear in (ln t, ln L) between grid points; NaN outside the positive finite grid. */
function interpolate(curve: RandomFeaturesResult, t: number): number {
  const { times, loss } = curve;
  let lowIndex = -1;
  for (let j = 0; j < times.length; j++) {
    if (!(times[j] > 0) || !Number.isFinite(times[j])) continue;
    if (times[j] <= t) lowIndex = j;
    else {
      if (lowIndex < 0) return times[j] === t ? loss[j] : NaN;
      const x0 = Math.log(times[lowIndex]);
      const x1 = Math.log(times[j]);
      const fraction = (Math.log(t) - x0) / (x1 - x0);
      return Math.exp(Math.log(loss[lowIndex]) * (1 - fraction) + Math.log(loss[j]) * fraction);
    }
  }
  return lowIndex >= 0 && times[lowIndex] === t ? loss[lowIndex] : NaN;
}
