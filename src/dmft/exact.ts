// exactFiniteSize(): the exact finite-size reference solver of linear / random-feature regression
// on P Gaussian samples (spec dmft-random-features.md §4, with §3 for the regimes, §6 for the
// bias-variance split and §9 for gradient descent), averaged over data seeds, in package units.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { eigenKernels } from '../engine/eigen-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { attachSerialisers } from '../result.js';
import { MAX_EXPLICIT_MODES, resolveSpectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkNumber, checkOptions, optionalNumber } from '../validate.js';
import { drawFeatures, seedSpectrum } from './exact-data.js';
import { seedTerms, type SeedTerms, type TermParameters } from './exact-terms.js';
import { checkTrainingNoise, type TrainingNoiseOptions } from './training-options.js';

/** Options of exactFiniteSize(). */
export interface ExactFiniteSizeOptions extends Omit<SpectrumOptions, 'headModes'>, TrainingNoiseOptions, RunControl {
  /** P, the number of training samples (integer >= 1). */
  dataSize: number;
  /**
   * N, the number of features = population eigenmodes the model spans (spec §2): the N modes of
   * largest eigenvalue. Default: all modes. Target power of the other modes acts as label noise
   * in training and adds a constant to the test loss (spec §2, "Optional extension").
   */
  modelSize?: number;
  /** eta_m: gradient descent with this learning rate instead of gradient flow; times are then steps. */
  learningRate?: number;
  /** Times t_m (flow) or step counts (descent); default log-spaced 1..10^4, 41 points. */
  times?: TimeGrid;
  /** Data sets averaged (default 20). */
  seeds?: number;
  /** Seed of the first data set; data set s uses seed + s (default 1). */
  seed?: number;
  /** Engine of the eigensolver: 'auto' (default), 'wasm-simd', 'wasm' or 'js' (identical bits). */
  engine?: EngineChoice;
}

/** The variance of spec §6, split by source. */
export interface ExactVarianceParts {
  /** Data part: teacher error of the actual predictors minus the bias. */
  data: Float64Array;
  /** Label noise (including target power outside the model's span). */
  labelNoise: Float64Array;
  /** Langevin noise. */
  thermal: Float64Array;
  /** Random initialisation. */
  initialisation: Float64Array;
}

/** Standard errors over data seeds (NaN for a single seed). */
export interface ExactStandardErrors {
  loss: Float64Array;
  trainLoss: Float64Array;
  /** Of bias + data variance (the per-seed teacher error). */
  teacher: Float64Array;
  labelNoise: Float64Array;
  thermal: Float64Array;
  initialisation: Float64Array;
}

/** The t -> infinity (n -> infinity) limit: ridge / posterior mean and Gibbs error (spec §3, §7(b)). */
export interface ExactEquilibrium {
  /** Test loss of the stationary state: the Gibbs error for flow with temperature > 0. */
  loss: number;
  trainLoss: number;
  bias: number;
  variance: number;
  varianceParts: { data: number; labelNoise: number; thermal: number; initialisation: number };
  /**
   * Error of the stationary mean predictor = ridge regression with ridge weightDecay (the
   * Bayes posterior-mean error when temperature > 0): bias + data + label-noise parts.
   */
  bayes: number;
  /** Thermal part: the posterior variance E_x[Sigma(x, x)] for flow (Infinity when not normalisable). */
  posteriorVariance: number;
  standardError: { loss: number; trainLoss: number; bayes: number };
}

/** Metadata of an exactFiniteSize() result. */
export interface ExactFiniteSizeMeta {
  solver: 'exactFiniteSize';
  conventions: string;
  /** How the spec's sum-loss variables map to the package's (spec, "Mapping to the package conventions"). */
  conversion: string;
  engine: EngineName;
  elapsedMs: number;
  timeUnit: 'time' | 'steps';
  /** 'covariance' (N <= P: N x N eigenproblem) or 'gram' (N > P: P x P, null space analytic). */
  form: 'covariance' | 'gram';
  parameters: Record<string, unknown>;
  /** Target power of the modes outside the model (included in bias and training noise). */
  outsidePower: number;
  generator: string;
}

/** Result of exactFiniteSize(). */
export interface ExactFiniteSizeResult {
  times: Float64Array;
  /** Expected test loss L = sum_k lambda_k E[(w*_k - w_k)^2] (+ labelNoise with includeNoise). */
  loss: Float64Array;
  /** Expected training MSE (1/P)|Psi w - y|^2 (no 1/2, no weight-decay penalty). */
  trainLoss: Float64Array;
  /** Error of the data-averaged predictor (spec §6), unbiased over seeds. */
  bias: Float64Array;
  /** loss - bias (excess part). */
  variance: Float64Array;
  varianceParts: ExactVarianceParts;
  standardError: ExactStandardErrors;
  equilibrium: ExactEquilibrium;
  meta: ExactFiniteSizeMeta;
}

const KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower',
  'dataSize', 'modelSize', 'weightDecay', 'temperature', 'labelNoise', 'initVariance', 'learningRate',
  'times', 'seeds', 'seed', 'includeNoise', 'engine', ...CONTROL_KEYS] as const;

/** Times used when none are given (as lazy()). */
const DEFAULT_TIMES = { from: 1, to: 1e4, count: 41, spacing: 'log' } as const;
/** Largest min(N, P): the size of the dense eigenproblem. */
export const MAX_EXACT_RANK = 4096;
/**
 * Most operations (cost model of setup()) one call may take: about two minutes with the
 * WebAssembly eigensolver, enough for 20 data sets at N = P = 1000 (about 5 s each, measured).
 */
const MAX_WORK = 4e11;

/** Running mean and squared deviations per time (Welford). */
class Accumulator {
  readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private count = 0;
  constructor(length: number) {
    this.mean = new Float64Array(length);
    this.m2 = new Float64Array(length);
  }
  /** Adds values[j] for every j (call once per seed). */
  add(values: Float64Array): void {
    this.count++;
    for (let j = 0; j < values.length; j++) {
      if (!Number.isFinite(values[j]) || !Number.isFinite(this.mean[j])) { // an unbounded equilibrium part
        this.mean[j] += values[j];
        this.m2[j] = NaN;
        continue;
      }
      const delta = values[j] - this.mean[j];
      this.mean[j] += delta / this.count;
      this.m2[j] += delta * (values[j] - this.mean[j]);
    }
  }
  /** Standard error of the mean (NaN for one seed; 0 where every seed gave the same value). */
  standardError(): Float64Array {
    const n = this.count;
    return this.m2.map((value) => (n < 2 ? NaN : Math.sqrt(Math.max(0, value) / (n - 1) / n)));
  }
}

interface ExactSetup {
  eigenvalues: Float64Array;
  /** w*_k^2 = p_k / lambda_k of the modelled modes. */
  teacher: Float64Array;
  targetPower: Float64Array;
  outsidePower: number;
  dataSize: number;
  parameters: TermParameters;
  labelNoise: number;
  times: Float64Array;
  seeds: number;
  seed: number;
  includeNoise: boolean;
  described: Record<string, unknown>;
}

function setup(options: ExactFiniteSizeOptions): ExactSetup {
  const given = checkOptions('exactFiniteSize', options, KEYS) as unknown as ExactFiniteSizeOptions;
  const spectrum = resolveSpectrum(given);
  const dataSize = checkNumber('dataSize', given.dataSize, { minimum: 1, integer: true, maximum: 2 ** 26 });
  let allEigenvalues: Float64Array | undefined;
  let allTargetPower: Float64Array | undefined;
  let modeCount: number;
  if (spectrum.kind === 'custom') {
    modeCount = spectrum.eigenvalues.length;
    // the model spans the modes of largest eigenvalue (stable order among ties)
    const order = Array.from({ length: modeCount }, (_, k) => k).sort((i, j) => spectrum.eigenvalues[j] - spectrum.eigenvalues[i] || i - j);
    allEigenvalues = Float64Array.from(order, (k) => spectrum.eigenvalues[k]);
    allTargetPower = Float64Array.from(order, (k) => spectrum.targetPower[k]);
  } else {
    if (spectrum.modes > MAX_EXPLICIT_MODES) {
      throw new ParameterError('modes', spectrum.modes, `an integer <= ${MAX_EXPLICIT_MODES} for the exact finite-size solver`,
        'the outside-model target power is summed mode by mode');
    }
    modeCount = spectrum.modes;
  }
  const modelSize = optionalNumber('modelSize', given.modelSize, modeCount, { minimum: 1, integer: true, maximum: modeCount });
  const rank = Math.min(modelSize, dataSize);
  if (rank > MAX_EXACT_RANK) {
    throw new ParameterError(modelSize <= dataSize ? 'modelSize' : 'dataSize', modelSize <= dataSize ? modelSize : dataSize,
      `a value keeping min(modelSize, dataSize) <= ${MAX_EXACT_RANK}`, `the dense eigenproblem is min(N, P) = ${rank} wide`);
  }
  const learningRate = given.learningRate === undefined ? undefined
    : checkNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const seeds = optionalNumber('seeds', given.seeds, 20, { minimum: 1, integer: true, maximum: 1e6 });
  const seed = optionalNumber('seed', given.seed, 1, { minimum: 0, integer: true, maximum: 2 ** 52 });
  const { weightDecay, temperature, labelNoise, initVariance, includeNoise } = checkTrainingNoise(given);
  const times = timeGrid(given.times === undefined ? DEFAULT_TIMES : given.times, { steps: learningRate !== undefined });

  // refuse before allocating: features twice, basis and its scaled copies, r x r matrices, per-time sums
  const N = modelSize;
  const P = dataSize;
  const r = rank;
  const bytes = 8 * (2 * P * N + 4 * r * N + 5 * r * r + 4 * N * (times.length + 1) + 20 * (times.length + 1));
  checkBudget(N >= P ? 'modelSize' : 'dataSize', N >= P ? N : P, bytes, `the data set and its eigenbasis (P = ${P}, N = ${N})`);
  const perSeed = P * N * r + 10 * r ** 3 + 2 * r * r * N + (N > P ? r * N * P : 0) + (times.length + 1) * (2 * r * r + 2 * r * N);
  if (perSeed > MAX_WORK) {
    throw new ParameterError(N >= P ? 'modelSize' : 'dataSize', N >= P ? N : P, `a value keeping the work of one data set <= ${MAX_WORK} operations`, `it is ${perSeed.toExponential(2)}`);
  }
  if (perSeed * seeds > MAX_WORK) {
    throw new ParameterError('seeds', seeds, `a value keeping seeds x work per data set <= ${MAX_WORK} operations`, `one data set takes ${perSeed.toExponential(2)}`);
  }

  const eigenvalues = new Float64Array(N);
  const targetPower = new Float64Array(N);
  let outsidePower = 0;
  if (allEigenvalues && allTargetPower) {
    eigenvalues.set(allEigenvalues.subarray(0, N));
    targetPower.set(allTargetPower.subarray(0, N));
    for (let k = modeCount - 1; k >= N; k--) outsidePower += allTargetPower[k];
  } else if (spectrum.kind === 'power-law') {
    const exponent = spectrum.alpha * spectrum.beta + 1;
    for (let k = 1; k <= N; k++) {
      eigenvalues[k - 1] = spectrum.leadingEigenvalue * k ** -spectrum.alpha;
      targetPower[k - 1] = spectrum.targetScale * k ** -exponent;
    }
    for (let k = modeCount; k > N; k--) outsidePower += spectrum.targetScale * k ** -exponent; // smallest first
  }
  const teacher = eigenvalues.map((eigenvalue, k) => targetPower[k] / eigenvalue);
  const described: Record<string, unknown> = {
    ...(spectrum.kind === 'power-law'
      ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale }
      : { modes: modeCount }),
    dataSize, modelSize, weightDecay, temperature, labelNoise, initVariance,
    ...(learningRate !== undefined ? { learningRate } : {}),
    seeds, seed, includeNoise,
  };
  return {
    eigenvalues, teacher, targetPower, outsidePower, dataSize, labelNoise, times, seeds, seed, includeNoise, described,
    parameters: { dataSize, weightDecay, temperature, trainingNoise: labelNoise + outsidePower, initVariance, learningRate },
  };
}

/**
 * Exact expected test and training loss of linear regression on N Gaussian features
 * psi ~ N(0, diag lambda) from P samples with labels y = psi . w* + (outside-model target) + eps,
 * trained by gradient flow (or gradient descent with `learningRate`) on the package objective
 * (1/2P)|Psi w - y|^2 + (weightDecay/2)|w|^2 with Langevin noise sqrt(2 temperature) dB and
 * w(0) ~ N(0, initVariance I), averaged exactly over label noise, thermal noise, initialisation and
 * the teacher's signs, and over `seeds` sampled data sets (spec dmft-random-features.md §4, a
 * reconstruction [R][V]; §9 for descent).
 *
 * Method (spec §4 "Algorithm"): per data set, eigendecompose G/P = Psi^T Psi / P (N <= P) or the
 * Gram matrix Psi Psi^T / P (N > P; on the null space of G, H = weightDecay) with the package
 * eigensolver; every part is then a sum over eigenpairs of the filters e^(-ht), (1 - e^(-ht))/h,
 * (1 - e^(-2ht))/h (or their descent analogues (1 - eta h)^n, ...), O(r^2) per time.
 *
 * Conversion (spec, "Mapping to the package conventions"): the spec's sum-loss time, ridge and
 * temperature are t = t_m/P, gamma = P weightDecay, T = P temperature, learning rate eta = eta_m/P,
 * and its E_test, E_train carry a factor 1/2: loss = 2 E_test, trainLoss = 2 E_train.
 *
 * Bias-variance (spec §6): bias = sum_k p_k (E_data F_kk)^2 + outside power, with F the bias
 * filter e^(-Ht) + weightDecay H^-1 (1 - e^(-Ht)), estimated without bias over seeds as
 * mean^2 - variance/seeds (plain mean^2 for one seed); data variance = teacher error - bias;
 * labelNoise, thermal and initialisation parts are exact for each data set. The t -> infinity
 * limit is ridge regression with ridge weightDecay (flow, T = 0) and the Gibbs posterior with
 * prior w ~ N(0, (temperature/weightDecay) I) and likelihood variance P temperature (flow, T > 0).
 *
 * @example
 * await init();
 * const r = exactFiniteSize({ alpha: 1.5, beta: 0.5, modes: 300, dataSize: 150, times: [10, 100, 1000], seeds: 5 });
 * // r.loss, r.standardError.loss, r.equilibrium.loss (ridgeless min-norm interpolant)
 */
export function exactFiniteSize(options: ExactFiniteSizeOptions): ExactFiniteSizeResult {
  const started = now();
  const run = setup(options);
  const engine = resolveEngine(options.engine);
  const kernels = eigenKernels(engine);
  const monitor = new Monitor(options, run.seeds);
  const { eigenvalues, teacher, targetPower, times, seeds, parameters } = run;
  const N = eigenvalues.length;
  const P = run.dataSize;
  const count = times.length + 1; // the last entry is t = Infinity
  const grid = new Float64Array(count);
  grid.set(times);
  grid[times.length] = Infinity;

  const names = ['loss', 'trainLoss', 'teacher', 'labelNoise', 'thermal', 'initialisation'] as const;
  const sums = Object.fromEntries(names.map((name) => [name, new Accumulator(count)])) as Record<typeof names[number], Accumulator>;
  const bayesSum = new Accumulator(1);
  const values = Object.fromEntries(names.map((name) => [name, new Float64Array(count)])) as Record<typeof names[number], Float64Array>;
  const diagonalMean = new Float64Array(count * N);
  const diagonalM2 = new Float64Array(count * N);
  const terms: SeedTerms = { teacher: 0, labelNoise: 0, thermal: 0, initialisation: 0, trainLoss: 0 };
  const noiseOffset = run.includeNoise ? run.labelNoise : 0;

  for (let s = 0; s < seeds; s++) {
    const features = drawFeatures(run.seed + s, eigenvalues, P);
    const spectrum = seedSpectrum(kernels, features, P, eigenvalues, teacher);
    monitor.step(s + 0.5);
    if (parameters.learningRate !== undefined) {
      const largest = spectrum.covariance[0] + parameters.weightDecay;
      if (!(parameters.learningRate * largest < 2)) {
        throw new ParameterError('learningRate', parameters.learningRate, `a number < ${2 / largest} (2 / largest eigenvalue of G/P + weightDecay for data seed ${run.seed + s})`,
          `learningRate x ${largest} >= 2: gradient descent diverges`);
      }
    }
    const r = spectrum.rank;
    const scratch = new Float64Array(r);
    for (let j = 0; j < count; j++) {
      const nullFilter = seedTerms(spectrum, parameters, grid[j], scratch, terms);
      values.teacher[j] = terms.teacher + run.outsidePower;
      values.labelNoise[j] = terms.labelNoise;
      values.thermal[j] = terms.thermal;
      values.initialisation[j] = terms.initialisation;
      values.trainLoss[j] = terms.trainLoss;
      values.loss[j] = values.teacher[j] + terms.labelNoise + terms.thermal + terms.initialisation + noiseOffset;
      // diagonal of the bias filter in the mode basis, for the bias of the averaged predictor
      const base = j * N;
      for (let k = 0; k < N; k++) {
        let value = nullFilter * spectrum.nullDiagonal[k];
        for (let i = 0; i < r; i++) value += spectrum.weights[i * N + k] * scratch[i];
        const delta = value - diagonalMean[base + k];
        diagonalMean[base + k] += delta / (s + 1);
        diagonalM2[base + k] += delta * (value - diagonalMean[base + k]);
      }
    }
    for (const name of names) sums[name].add(values[name]);
    bayesSum.add(Float64Array.of(values.teacher[count - 1] + values.labelNoise[count - 1]));
    monitor.step(s + 1);
  }

  const bias = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    let value = run.outsidePower;
    for (let k = 0; k < N; k++) {
      const mean = diagonalMean[j * N + k];
      const correction = seeds > 1 ? diagonalM2[j * N + k] / (seeds - 1) / seeds : 0;
      value += targetPower[k] * (mean * mean - correction);
    }
    bias[j] = value;
  }
  const mean = (name: typeof names[number]) => sums[name].mean;
  const errors = Object.fromEntries(names.map((name) => [name, sums[name].standardError()])) as Record<typeof names[number], Float64Array>;
  const head = (array: Float64Array) => array.slice(0, times.length);
  const last = count - 1;
  const loss = mean('loss');
  const variance = loss.map((value, j) => value - noiseOffset - bias[j]);
  const data = mean('teacher').map((value, j) => value - bias[j]);
  const equilibrium: ExactEquilibrium = {
    loss: loss[last],
    trainLoss: mean('trainLoss')[last],
    bias: bias[last],
    variance: variance[last],
    varianceParts: { data: data[last], labelNoise: mean('labelNoise')[last], thermal: mean('thermal')[last], initialisation: mean('initialisation')[last] },
    bayes: bayesSum.mean[0],
    posteriorVariance: mean('thermal')[last],
    standardError: { loss: errors.loss[last], trainLoss: errors.trainLoss[last], bayes: bayesSum.standardError()[0] },
  };
  const result: ExactFiniteSizeResult = {
    times,
    loss: head(loss),
    trainLoss: head(mean('trainLoss')),
    bias: head(bias),
    variance: head(variance),
    varianceParts: { data: head(data), labelNoise: head(mean('labelNoise')), thermal: head(mean('thermal')), initialisation: head(mean('initialisation')) },
    standardError: {
      loss: head(errors.loss), trainLoss: head(errors.trainLoss), teacher: head(errors.teacher),
      labelNoise: head(errors.labelNoise), thermal: head(errors.thermal), initialisation: head(errors.initialisation),
    },
    equilibrium,
    meta: {
      solver: 'exactFiniteSize',
      conventions: 'CONVENTIONS.md: L = sum_k lambda_k E[v_k^2] (MSE without 1/2); trainLoss = mean squared training residual; descent time = steps, t = eta * steps',
      conversion: 'spec dmft-random-features.md (sum loss): t = t_m / P, gamma = P weightDecay, T = P temperature, eta = eta_m / P, E_test = loss / 2, E_train = trainLoss / 2',
      engine: engine.name,
      elapsedMs: now() - started,
      timeUnit: parameters.learningRate === undefined ? 'time' : 'steps',
      form: N > P ? 'gram' : 'covariance',
      parameters: run.described,
      outsidePower: run.outsidePower,
      generator: 'xoshiro128** seeded by splitmix32, Box-Muller normals (src/random.ts); data set s from seed + s, drawn sample by sample',
    },
  };
  return attachSerialisers(result);
}
