// simulateFeatureLearning(): Monte-Carlo simulation of the projected two-layer linear model of
// spec feature-learning.md — the ground truth of the feature-learning theory. It runs the exact
// N x N reparametrised simulator of §1.4 (online SGD on fresh Gaussian batches, §1.3) or its
// data-reuse variant (full-batch gradient descent on one fixed set of P samples, §1.6),
// averaged over independent seeds with standard errors. The normalisation (§1.2, §1.3, §1.7:
// A0 with N(0,1) entries, predictor w.A psi / N, gamma entering linearly, w(0) = 0) is the spec's
// reconstruction [P~][I], not verified against the papers' displayed equations.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { resolveEngine } from '../engine/registry.js';
import { twoLayerKernels, type TwoLayerState } from '../engine/two-layer-kernels.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { attachSerialisers } from '../result.js';
import { powerLaw, resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkNumber, checkOptions, optionalNumber, requiredNumber } from '../validate.js';
import { Random } from '../random.js';

/** Options of simulateFeatureLearning(). */
export interface FeatureLearningSimulationOptions extends Omit<SpectrumOptions, 'headModes'>, RunControl {
  /** N, the number of learned features (rows of the projection A0): an integer from 1 to MAX_MODEL_SIZE. */
  modelSize: number;
  /** eta, the step size (> 0). The readout moves by eta A G v per step (spec §1.3). */
  learningRate: number;
  /** Step counts t = 0, 1, ... at which the losses are recorded (L(0) = sum_k p_k). */
  times: TimeGrid;
  /** gamma >= 0, the feature-learning strength (default 0: the lazy random-feature model, A = A0). */
  featureLearning?: number;
  /**
   * B, fresh samples per step of online SGD: an integer >= 1, or Infinity for the population
   * gradient G = Lambda (no SGD noise). Required when dataSize is Infinity; must be absent when
   * dataSize is finite (the data-reuse variant is full-batch gradient descent, spec §1.6).
   */
  batchSize?: number;
  /** P, the size of one fixed training set reused at every step, or Infinity (default): online. */
  dataSize?: number;
  /** Independent runs averaged (default 32; at least 2 for a standard error). */
  seeds?: number;
  /** Seed of the first run; run r uses seed + r (default 1). */
  seed?: number;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** Metadata of a simulateFeatureLearning() result. */
export interface FeatureLearningSimulationMeta {
  solver: 'simulateFeatureLearning';
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  timeUnit: 'steps';
  /** 'online' (fresh batches) or 'data-reuse' (one fixed set of dataSize samples). */
  variant: 'online' | 'data-reuse';
  parameters: Record<string, unknown>;
  generator: string;
  /** Runs whose test loss became non-finite (their later records are Infinity or NaN, and so is the mean). */
  divergedSeeds: number;
}

/** Result of simulateFeatureLearning(). */
export interface FeatureLearningSimulationResult {
  /** The step counts requested. */
  times: Float64Array;
  /** Mean over seeds of the test loss L = sum_k lambda_k v_k^2 = E_x[(f - y)^2], no factor 1/2. */
  loss: Float64Array;
  /** Standard error of that mean (sample standard deviation / sqrt(seeds)). */
  standardError: Float64Array;
  /** Data reuse only: mean train loss v^T G v = (1/P) sum_mu (f_mu - y_mu)^2, no factor 1/2. */
  trainLoss?: Float64Array;
  /** Data reuse only: standard error of trainLoss. */
  trainStandardError?: Float64Array;
  meta: FeatureLearningSimulationMeta;
}

/** Largest modelSize accepted (the memory budget usually binds first). */
export const MAX_MODEL_SIZE = 16384;
/** Largest number of modes of a simulation (the memory budget usually binds first). */
const MAX_SIMULATION_MODES = 2 ** 24;
/** Most multiply-adds one call may take (seeds x steps x per-step cost, plus generation). */
const MAX_WORK = 1e14;

const KEYS = [...SPECTRUM_KEYS.filter((key) => key !== 'headModes'), 'modelSize', 'learningRate', 'times', 'featureLearning',
  'batchSize', 'dataSize', 'seeds', 'seed', 'engine', ...CONTROL_KEYS] as const;

const CONVENTIONS = 'feature-learning.md §1.2-§1.7 (reconstructed normalisation): lambda_k = lambda_1 k^-alpha, '
  + 'p_k = lambda_k w*_k^2 = c k^-(alpha beta + 1); A0 entries N(0,1); f = w.A psi / N; w(0) = 0; '
  + 'L = sum_k lambda_k v_k^2 (no 1/2, identical to the package convention); steps t, gradient-flow time eta t';

const GENERATOR = 'xoshiro128** seeded by splitmix32, Box-Muller normals: the stream of src/random.ts (drawn in bulk by Random.fillNormals), generated in TypeScript for every engine. '
  + 'Run r uses Random(seed + r) and draws, in this order: A0 (N x M, row-major), then the P x M data set (data reuse), '
  + 'then each step\'s B x M batch (online, finite B); feature psi_k = sqrt(lambda_k) z_k';

/** Running mean and sum of squared deviations (Welford), per recorded time. */
class Moments {
  readonly mean: Float64Array;
  private readonly squares: Float64Array;
  private count = 0;
  constructor(length: number) {
    this.mean = new Float64Array(length);
    this.squares = new Float64Array(length);
  }
  add(values: Float64Array): void {
    this.count++;
    for (let j = 0; j < values.length; j++) {
      const delta = values[j] - this.mean[j];
      this.mean[j] += delta / this.count;
      this.squares[j] += delta * (values[j] - this.mean[j]);
    }
  }
  standardError(): Float64Array {
    return this.squares.map((value) => Math.sqrt(value / (this.count - 1) / this.count));
  }
}

/**
 * Simulates the projected two-layer linear model from w = 0, Ã = I and returns the mean test loss
 * (and, with finite dataSize, the train loss) over `seeds` runs at the requested steps.
 *
 * Per step (spec §1.4, with h computed as A0 (G v), identical to Phi r / B of §1.4 in exact
 * arithmetic and O(NM) instead of O(NMB)): v = w* - A0^T z / N, g = G v with G = Psi^T Psi / B
 * (online, fresh Psi each step; Lambda when B = Infinity) or Psi^T Psi / P (data reuse, fixed
 * Psi), h = A0 g, then Ã += (eta gamma / N) w h^T, w += eta Ã h (old Ã and w), z = Ã^T w.
 *
 * @example simulateFeatureLearning({ alpha: 1.5, beta: 0.5, modes: 128, modelSize: 32, batchSize: Infinity, featureLearning: 1, learningRate: 0.25, times: [0, 5, 10, 20], seeds: 32 })
 */
export function simulateFeatureLearning(options: FeatureLearningSimulationOptions): FeatureLearningSimulationResult {
  checkOptions('simulateFeatureLearning', options, KEYS);
  const given = options;
  const spectrum = resolveSpectrum(given);
  if (spectrum.kind === 'power-law' && spectrum.modes > MAX_SIMULATION_MODES) {
    throw new ParameterError('modes', spectrum.modes, `an integer from 1 to ${MAX_SIMULATION_MODES} for a simulation`,
      'the simulator stores the N x M projection explicitly');
  }
  const m = spectrum.kind === 'custom' ? spectrum.eigenvalues.length : spectrum.modes;
  const n = requiredNumber('modelSize', given.modelSize, { minimum: 1, maximum: MAX_MODEL_SIZE, integer: true });
  const learningRate = requiredNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const featureLearning = optionalNumber('featureLearning', given.featureLearning, 0, { minimum: 0, maximum: 1e6 });
  const dataSize = optionalNumber('dataSize', given.dataSize, Infinity, { minimum: 1, integer: true, allowInfinity: true, maximum: 2 ** 24 });
  const reuse = dataSize !== Infinity;
  let batchSize = Infinity;
  if (reuse) {
    if (given.batchSize !== undefined) {
      throw new ParameterError('batchSize', given.batchSize, 'absent when dataSize is finite',
        'the data-reuse variant is full-batch gradient descent on the dataSize samples (spec §1.6)');
    }
  } else {
    if (given.batchSize === undefined) {
      throw new ParameterError('batchSize', undefined, 'an integer >= 1 or Infinity (required for online SGD, dataSize = Infinity)');
    }
    batchSize = checkNumber('batchSize', given.batchSize, { minimum: 1, integer: true, allowInfinity: true, maximum: 2 ** 24 });
  }
  const seeds = optionalNumber('seeds', given.seeds, 32, { minimum: 2, integer: true, maximum: 1e7 });
  const seed = optionalNumber('seed', given.seed, 1, { minimum: 0, integer: true, maximum: 2 ** 52 });
  if (given.times === undefined) throw new ParameterError('times', undefined, 'step counts (an array, a grid spec or a string; required)');
  const steps = timeGrid(given.times, { steps: true });
  const engine = resolveEngine(given.engine);

  // Memory, refused before allocating: A0, Ã, the data rows, the per-mode and per-unit vectors, results.
  const rows = reuse ? dataSize : batchSize === Infinity ? 0 : batchSize;
  const rich = featureLearning > 0;
  const fixedBytes = 8 * (n * m + (rich ? n * n : 0) + 6 * m + 5 * n + 8 * steps.length);
  checkBudget('modelSize', n, fixedBytes, `the ${n} x ${m} projection${rich ? ` and the ${n} x ${n} feature matrix` : ''}`);
  checkBudget(reuse ? 'dataSize' : 'batchSize', rows, fixedBytes + 8 * rows * (m + 1), `the ${rows} x ${m} data matrix with the ${n} x ${m} projection`);
  const lastStep = steps[steps.length - 1];
  const work = seeds * ((lastStep + 1) * (2 * n * m + 2 * rows * m + (rich ? 3 * n * n : n) + (reuse || rows === 0 ? 0 : 10 * rows * m))
    + 10 * (n + (reuse ? rows : 0)) * m);
  if (work > MAX_WORK) {
    throw new ParameterError('seeds', seeds, `a value keeping seeds x steps x (2 N M + 2 rows M + 3 N^2) <= ${MAX_WORK}`, `it is ${work.toExponential(3)}`);
  }

  const { eigenvalues, targetPower } = spectrum.kind === 'custom' ? spectrum : powerLaw({
    alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale,
  });
  const scale = eigenvalues.map(Math.sqrt);
  const teacher = eigenvalues.map((eigenvalue, k) => Math.sqrt(targetPower[k] / eigenvalue));
  const featureRate = learningRate * featureLearning / n;
  const monitor = new Monitor(given, seeds * (lastStep + 1));
  const testMoments = new Moments(steps.length);
  const trainMoments = new Moments(steps.length);
  const testRun = new Float64Array(steps.length);
  const trainRun = new Float64Array(steps.length);
  let divergedSeeds = 0;

  const state: TwoLayerState = twoLayerKernels(engine).start({ modelSize: n, modes: m, rows, rich });
  try {
    state.view('teacher').set(teacher);
    state.view('eigenvalues').set(eigenvalues);
    for (let run = 0; run < seeds; run++) {
      const random = new Random(seed + run);
      random.fillNormals(state.view('features'), n * m);
      if (reuse) random.fillNormals(state.view('data'), rows * m, scale);
      state.view('readout').fill(0);
      state.view('combined').fill(0);
      if (rich) {
        const mixing = state.view('mixing');
        mixing.fill(0);
        for (let i = 0; i < n; i++) mixing[i * n + i] = 1;
      }
      let record = 0;
      for (let step = 0; step <= lastStep; step++) {
        const test = state.error();
        const train = reuse ? state.gradient() : NaN;
        if (!Number.isFinite(test)) {
          divergedSeeds++;
          for (; record < steps.length; record++) {
            testRun[record] = test;
            trainRun[record] = train;
          }
          break;
        }
        if (step === steps[record]) {
          testRun[record] = test;
          trainRun[record] = train;
          if (++record === steps.length) break;
        }
        if (!reuse) {
          if (rows > 0) random.fillNormals(state.view('data'), rows * m, scale);
          state.gradient();
        }
        state.field();
        state.update(learningRate, featureRate);
        if ((step & 15) === 15) monitor.step(run * (lastStep + 1) + step);
      }
      testMoments.add(testRun);
      if (reuse) trainMoments.add(trainRun);
      monitor.step((run + 1) * (lastStep + 1));
    }
  } finally {
    state.dispose();
  }

  const result: FeatureLearningSimulationResult = {
    times: steps,
    loss: testMoments.mean,
    standardError: testMoments.standardError(),
    ...(reuse ? { trainLoss: trainMoments.mean, trainStandardError: trainMoments.standardError() } : {}),
    meta: {
      solver: 'simulateFeatureLearning',
      conventions: CONVENTIONS,
      engine: engine.name,
      elapsedMs: monitor.elapsed(),
      timeUnit: 'steps',
      variant: reuse ? 'data-reuse' : 'online',
      parameters: {
        ...(spectrum.kind === 'power-law'
          ? { alpha: spectrum.alpha, beta: spectrum.beta, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale }
          : { spectrum: 'custom' }),
        modes: m, modelSize: n, featureLearning, learningRate, batchSize: reuse ? undefined : batchSize, dataSize, seeds, seed,
      },
      generator: GENERATOR,
      divergedSeeds,
    },
  };
  return attachSerialisers(result);
}
