// randomFeatures(): one entry point over every solver of the projected two-layer (random-feature)
// model of feature-learning.md — lazy closed form, Markovian N = B = Infinity flow (§1.8), exact
// Volterra recursion of lazy SGD (§3.7, §4.5), discrete DMFT (§4.2, §4.3), the N x M simulator
// (§1.4) and the feature-space solver (B = P = Infinity, finite N) — with Infinity allowed for
// modelSize, batchSize, dataSize and as a time (the plateau: §3.5 model, §3.6 data bottleneck).
import { Monitor, CONTROL_KEYS, type RunControl } from '../control.js';
import type { EngineChoice } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { lazy } from '../lazy/lazy.js';
import { attachSerialisers } from '../result.js';
import { resolveSpectrum, SPECTRUM_KEYS, type Spectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkChoice, checkNumber, checkOptions, optionalNumber } from '../validate.js';
import { featureLearningDmft, MAX_DMFT_STEPS } from './dmft.js';
import { featureSpaceDynamics } from './feature-space.js';
import { lazyFeatureDmft } from './lazy-tti.js';
import { markovFeatureLearning } from './markov.js';
import { simulateFeatureLearning } from './simulate.js';
import { dataBottleneck, modelBottleneck } from './theory-bottleneck.js';
import { volterraSgd } from './volterra.js';

/** Solvers randomFeatures() can dispatch to. */
export type RandomFeaturesMethod = 'auto' | 'lazy' | 'markov' | 'volterra' | 'dmft' | 'simulate' | 'feature-space';

/** Units of `times`: 'steps' (discrete steps of size learningRate) or 'time' (gradient-flow time tau = learningRate x steps). */
export type TimeUnit = 'steps' | 'time';

/** Options of randomFeatures(). */
export interface RandomFeaturesOptions extends Omit<SpectrumOptions, 'headModes'>, RunControl {
  /** N: an integer >= 1 or Infinity (default Infinity). */
  modelSize?: number;
  /** B, fresh samples per step (online): an integer >= 1 or Infinity (default Infinity: population gradient). */
  batchSize?: number;
  /** P, one fixed training set reused at every step: an integer >= 1 or Infinity (default Infinity: online). */
  dataSize?: number;
  /** gamma >= 0 (default 0: lazy). */
  featureLearning?: number;
  /**
   * eta > 0. Given: the discrete-time model with this step (flow-only solvers, i.e. 'markov', are its
   * eta -> 0 limit, noted in meta.notes). Absent: gradient flow (only 'lazy', 'markov' and
   * 'feature-space' solve it).
   */
  learningRate?: number;
  /**
   * Times at which the loss is returned, in `timeUnit`; increasing; the last may be Infinity (the
   * tau -> infinity plateau). Arrays, { from, to, count, spacing } or strings ('0,10,Infinity', 'log:1:1e4:41').
   */
  times: TimeGrid;
  /** Unit of `times` (default 'steps' with a learningRate, 'time' without). 'steps' needs a learningRate. */
  timeUnit?: TimeUnit;
  /** Solver (default 'auto': the rule documented at randomFeatures). */
  method?: RandomFeaturesMethod;
  /** Random methods ('simulate', 'feature-space'): independent runs averaged (defaults of those solvers). */
  seeds?: number;
  /** Random methods: seed of the first run (default 1). */
  seed?: number;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js' (passed to solvers that have engines). */
  engine?: EngineChoice;
}

/** Metadata of a randomFeatures() result. */
export interface RandomFeaturesMeta {
  solver: 'randomFeatures';
  /** The solver that ran. */
  method: Exclude<RandomFeaturesMethod, 'auto'>;
  /** Why (the auto rule's branch, or 'requested'). */
  methodReason: string;
  /** Unit of `times`. */
  timeUnit: TimeUnit;
  /** Unit the inner solver works in. */
  solverTimeUnit: TimeUnit;
  conventions: string;
  elapsedMs: number;
  parameters: Record<string, unknown>;
  /** Where the t = Infinity value came from, when times ends with Infinity. */
  plateau?: { loss: number; source: string };
  /** The inner solver's own meta. */
  inner: Record<string, unknown> | null;
  notes: string[];
}

/** Result of randomFeatures(). */
export interface RandomFeaturesResult {
  /** Times in meta.timeUnit (discrete methods with timeUnit 'time': tau rounded to whole steps). */
  times: Float64Array;
  /** Test loss L = sum_k lambda_k v_k^2 (no factor 1/2); the mean over seeds for random methods. */
  loss: Float64Array;
  /** Standard error of the mean (random methods only). */
  standardError?: Float64Array;
  /** Train loss (data reuse: 'dmft', 'simulate'). */
  trainLoss?: Float64Array;
  /** Gradient-flow time tau of every entry (learningRate x steps for discrete models). */
  flowTime: Float64Array;
  /** Step count of every entry (only with a learningRate; tau / eta for flow solvers). */
  steps?: Float64Array;
  meta: RandomFeaturesMeta;
}

const KEYS = [...SPECTRUM_KEYS.filter((key) => key !== 'headModes'), 'modelSize', 'batchSize', 'dataSize', 'featureLearning', 'learningRate',
  'times', 'timeUnit', 'method', 'seeds', 'seed', 'engine', ...CONTROL_KEYS] as const;

/** Horizon (steps) above which auto prefers the simulator to the O(steps^3) DMFT when N or B is finite. */
export const AUTO_DMFT_STEPS = 1024;

const CONVENTIONS = 'CONVENTIONS.md and feature-learning.md §1: lambda_k = lambda_1 k^-alpha, p_k = c k^-(alpha beta + 1); '
  + 'L = sum_k lambda_k v_k^2 (no 1/2); steps t, gradient-flow time tau = eta t; compute C = N t';

interface Setup {
  spectrum: Spectrum;
  spectrumOptions: Record<string, unknown>;
  modelSize: number;
  batchSize: number;
  dataSize: number;
  featureLearning: number;
  learningRate?: number;
  timeUnit: TimeUnit;
  /** Finite requested times, in timeUnit. */
  finite: Float64Array;
  /** Whether the grid ends with Infinity. */
  plateau: boolean;
}

/**
 * Loss curve of the projected two-layer model (feature-learning.md §1) from the solver that fits
 * the parameters, with N, B, P and t allowed to be Infinity.
 *
 * Auto rule (meta.method, meta.methodReason):
 * - N = P = Infinity, gamma = 0: 'lazy' (closed form: gradient flow, or gradient descent with a
 *   learning rate; finite B: the exact SGD recursion, i.e. 'volterra' when a learning rate is given).
 * - N = B = P = Infinity, gamma > 0: 'markov' (§1.8; in steps it is the eta -> 0 limit).
 * - finite N, B = P = Infinity, finite modes: 'feature-space' (exact per projection at any horizon,
 *   averaged over seeds; see featureSpaceDynamics).
 * - finite N, gamma = 0, P = Infinity otherwise (finite B, or modes = Infinity): 'dmft', run as the
 *   lazy time-translation-invariant DMFT (lazyFeatureDmft, O(steps^2), any horizon).
 * - everything else (gamma > 0 with finite N and B, or finite P): 'dmft' (featureLearningDmft:
 *   deterministic, binned modes) up to AUTO_DMFT_STEPS steps, then 'simulate' (finite N and modes)
 *   — both need a learning rate.
 * Method 'dmft' always runs the lazy TTI solver when gamma = 0 and P = Infinity (meta.inner.solver).
 *
 * Time units: `timeUnit` 'steps' or 'time' (tau = eta x steps); every result carries both
 * (`steps`, `flowTime`) so that methods are comparable. Discrete solvers given times in tau evaluate
 * at round(tau/eta) steps.
 *
 * t = Infinity (last entry of times): the gradient-flow plateau, from closed forms:
 * N, P = Infinity: 0; finite N, P = Infinity: the model bottleneck kappa sum p/(lambda + kappa),
 * sum lambda/(lambda + kappa) = N (§3.5, lazy and rich alike; the deterministic equivalent, so the
 * finite-seed methods approach it only on average); N = Infinity, finite P: the data bottleneck (§3.6).
 * Both finite: ParameterError (the spec gives no closed form, §7 item 10). At finite B and eta the
 * online SGD noise adds an O(eta/B) excess that the plateau does not include.
 *
 * @example randomFeatures({ alpha: 2, beta: 0.5, modes: Infinity, featureLearning: 1, times: 'log:1:1e4:41' }) // markov
 * @example randomFeatures({ alpha: 2, beta: 0.5, modes: 4096, modelSize: 64, times: [1, 10, 100, Infinity] }).loss[3] // kappa formula
 */
export function randomFeatures(options: RandomFeaturesOptions): RandomFeaturesResult {
  const given = checkOptions('randomFeatures', options, KEYS) as unknown as RandomFeaturesOptions;
  const monitor = new Monitor(given, 1);
  const setup = validate(given);
  const requested = given.method === undefined ? 'auto' : checkChoice('method', given.method, ['auto', 'lazy', 'markov', 'volterra', 'dmft', 'simulate', 'feature-space'] as const);
  const { method, reason } = requested === 'auto' ? autoMethod(setup) : { method: requested, reason: 'requested' };
  checkApplicable(method, setup);
  const notes: string[] = [];
  const random = method === 'simulate' || method === 'feature-space';
  if (!random && (given.seeds !== undefined || given.seed !== undefined)) notes.push(`seeds/seed ignored: method '${method}' is deterministic`);

  const eta = setup.learningRate;
  const flowSolver = method === 'markov' || ((method === 'lazy' || method === 'feature-space') && eta === undefined);
  const solverTimeUnit: TimeUnit = flowSolver ? 'time' : 'steps';
  if (flowSolver && eta !== undefined) notes.push(`method '${method}' solves gradient flow: with learningRate ${eta} it is the eta -> 0 limit of the discrete model (tau = eta x steps)`);
  // Times in the solver's unit.
  let solverTimes: Float64Array;
  if (solverTimeUnit === setup.timeUnit) solverTimes = setup.finite;
  else if (solverTimeUnit === 'time') solverTimes = setup.finite.map((t) => t * (eta as number));
  else {
    const rounded = Array.from(setup.finite, (tau) => Math.round(tau / (eta as number)));
    solverTimes = Float64Array.from(rounded.filter((value, index) => index === 0 || value > rounded[index - 1]));
    if (solverTimes.length < setup.finite.length) notes.push('times in tau that round to the same step were merged');
  }

  const control = { signal: given.signal, onProgress: given.onProgress, timeLimit: given.timeLimit };
  const controlOptions = Object.fromEntries(Object.entries(control).filter(([, value]) => value !== undefined));
  const engineOption = given.engine === undefined ? {} : { engine: given.engine };
  const seedOptions = { ...(given.seeds !== undefined ? { seeds: given.seeds } : {}), ...(given.seed !== undefined ? { seed: given.seed } : {}) };
  const base = { ...setup.spectrumOptions, ...controlOptions };
  let loss: Float64Array<ArrayBufferLike> = new Float64Array(0);
  let standardError: Float64Array<ArrayBufferLike> | undefined;
  let trainLoss: Float64Array<ArrayBufferLike> | undefined;
  let inner: Record<string, unknown> | null = null;
  if (solverTimes.length > 0) {
    const times = solverTimes;
    let result: { loss: Float64Array; standardError?: Float64Array; trainLoss?: Float64Array; meta: object };
    switch (method) {
      case 'lazy':
        result = eta === undefined ? lazy({ ...base, ...engineOption, times })
          : setup.batchSize === Infinity ? lazy({ ...base, ...engineOption, optimizer: 'gd', learningRate: eta, times })
            : lazy({ ...base, ...engineOption, optimizer: 'sgd', learningRate: eta, batchSize: setup.batchSize, times });
        break;
      case 'markov':
        result = markovFeatureLearning({ ...base, ...engineOption, featureLearning: setup.featureLearning, times });
        break;
      case 'volterra':
        result = volterraSgd({ ...base, learningRate: eta as number, batchSize: setup.batchSize, times });
        break;
      case 'dmft':
        result = lazyTti(setup) ? lazyFeatureDmft({
          ...base, modelSize: setup.modelSize, learningRate: eta as number, batchSize: setup.batchSize, times,
        }) : featureLearningDmft({
          ...base, ...engineOption, modelSize: setup.modelSize, featureLearning: setup.featureLearning, learningRate: eta as number, times,
          ...(setup.dataSize === Infinity ? { batchSize: setup.batchSize } : { dataSize: setup.dataSize }),
        });
        break;
      case 'simulate':
        result = simulateFeatureLearning({
          ...base, ...engineOption, ...seedOptions, modelSize: setup.modelSize, featureLearning: setup.featureLearning, learningRate: eta as number, times,
          ...(setup.dataSize === Infinity ? { batchSize: setup.batchSize } : { dataSize: setup.dataSize }),
        });
        break;
      default:
        result = featureSpaceDynamics({
          ...base, ...engineOption, ...seedOptions, modelSize: setup.modelSize, featureLearning: setup.featureLearning,
          ...(eta === undefined ? {} : { learningRate: eta }), times,
        });
    }
    loss = result.loss;
    standardError = result.standardError;
    trainLoss = result.trainLoss;
    inner = result.meta as Record<string, unknown>;
  }

  // Assemble in the user's unit, then append the plateau.
  const count = solverTimes.length + (setup.plateau ? 1 : 0);
  const times = new Float64Array(count);
  const flowTime = new Float64Array(count);
  const steps = eta === undefined ? undefined : new Float64Array(count);
  for (let j = 0; j < solverTimes.length; j++) {
    const tau = solverTimeUnit === 'time' ? solverTimes[j] : solverTimes[j] * (eta as number);
    flowTime[j] = tau;
    if (steps) steps[j] = solverTimeUnit === 'steps' ? solverTimes[j] : tau / (eta as number);
    times[j] = setup.timeUnit === 'time' ? tau : (steps as Float64Array)[j];
  }
  let plateau: RandomFeaturesMeta['plateau'];
  const extend = (values: Float64Array<ArrayBufferLike> | undefined, last: number) => {
    if (!values) return undefined;
    const out = new Float64Array(count);
    out.set(values);
    out[count - 1] = last;
    return out;
  };
  if (setup.plateau) {
    plateau = plateauLoss(setup);
    times[count - 1] = Infinity;
    flowTime[count - 1] = Infinity;
    if (steps) steps[count - 1] = Infinity;
    loss = extend(loss, plateau.loss) as Float64Array;
    standardError = extend(standardError, NaN);
    trainLoss = extend(trainLoss, NaN);
    if (setup.modelSize !== Infinity && setup.batchSize !== Infinity && eta !== undefined) notes.push('the plateau is the gradient-flow (eta -> 0) value: finite B and eta add an O(eta/B) SGD-noise excess');
  }

  const result: RandomFeaturesResult = {
    times,
    loss,
    ...(standardError ? { standardError } : {}),
    ...(trainLoss ? { trainLoss } : {}),
    flowTime,
    ...(steps ? { steps } : {}),
    meta: {
      solver: 'randomFeatures',
      method,
      methodReason: reason,
      timeUnit: setup.timeUnit,
      solverTimeUnit,
      conventions: CONVENTIONS,
      elapsedMs: monitor.elapsed(),
      parameters: {
        ...setup.spectrumOptions, modelSize: setup.modelSize, batchSize: setup.batchSize, dataSize: setup.dataSize,
        featureLearning: setup.featureLearning, ...(eta !== undefined ? { learningRate: eta } : {}), ...(random ? seedOptions : {}),
      },
      ...(plateau ? { plateau } : {}),
      inner,
      notes,
    },
  };
  return attachSerialisers(result);
}

function validate(given: RandomFeaturesOptions): Setup {
  const spectrum = resolveSpectrum(given);
  const spectrumOptions: Record<string, unknown> = {};
  for (const key of ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower'] as const) {
    if (given[key] !== undefined) spectrumOptions[key] = given[key];
  }
  // The resolved mode count (default 1000) is passed on explicitly: the bottleneck formulas default to Infinity.
  if (spectrum.kind === 'power-law') spectrumOptions.modes = spectrum.modes;
  const modelSize = optionalNumber('modelSize', given.modelSize, Infinity, { minimum: 1, integer: true, allowInfinity: true });
  const batchSize = optionalNumber('batchSize', given.batchSize, Infinity, { minimum: 1, integer: true, allowInfinity: true });
  const dataSize = optionalNumber('dataSize', given.dataSize, Infinity, { minimum: 1, integer: true, allowInfinity: true });
  if (dataSize !== Infinity && batchSize !== Infinity) {
    throw new ParameterError('batchSize', batchSize, 'Infinity (or absent) when dataSize is finite', 'the data-reuse model is full-batch gradient descent on the dataSize samples (spec §1.6)');
  }
  const featureLearning = optionalNumber('featureLearning', given.featureLearning, 0, { minimum: 0, maximum: 1e6 });
  const learningRate = given.learningRate === undefined ? undefined : checkNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  const timeUnit = given.timeUnit === undefined ? (learningRate === undefined ? 'time' : 'steps') : checkChoice('timeUnit', given.timeUnit, ['steps', 'time'] as const);
  if (timeUnit === 'steps' && learningRate === undefined) {
    throw new ParameterError('learningRate', undefined, "a number > 0 when timeUnit is 'steps'", "steps need a step size; or give times in gradient-flow time with timeUnit 'time'");
  }
  if (given.times === undefined) throw new ParameterError('times', undefined, `times in ${timeUnit} (required; the last may be Infinity)`);
  const { finite, plateau } = splitTimes(given.times, timeUnit === 'steps');
  return { spectrum, spectrumOptions, modelSize, batchSize, dataSize, featureLearning, learningRate, timeUnit, finite, plateau };
}

/** Splits a grid whose last entry may be Infinity into its finite part (validated by timeGrid) and a flag. */
function splitTimes(times: TimeGrid, steps: boolean): { finite: Float64Array; plateau: boolean } {
  let list: unknown = times;
  if (typeof times === 'string' && !/^(log|linear):/.test(times)) {
    list = times.split(',').map((entry) => {
      const text = entry.trim().toLowerCase();
      return text === 'infinity' || text === 'inf' || text === '+infinity' ? Infinity : text === '' ? NaN : Number(text);
    });
  }
  if (Array.isArray(list) || ArrayBuffer.isView(list)) {
    const values = Array.from(list as ArrayLike<number>);
    const infinite = values.findIndex((value) => value === Infinity);
    if (infinite >= 0) {
      if (infinite !== values.length - 1) throw new ParameterError('times', times, 'increasing times with Infinity only as the last entry');
      const finite = values.slice(0, -1);
      return { finite: finite.length > 0 ? timeGrid(finite, { steps }) : new Float64Array(0), plateau: true };
    }
    return { finite: timeGrid(values, { steps }), plateau: false };
  }
  return { finite: timeGrid(times, { steps }), plateau: false };
}

function autoMethod(setup: Setup): { method: Exclude<RandomFeaturesMethod, 'auto'>; reason: string } {
  const { modelSize, batchSize, dataSize, featureLearning, learningRate, spectrum } = setup;
  const lastStep = learningRate === undefined ? Infinity
    : setup.timeUnit === 'steps' ? (setup.finite[setup.finite.length - 1] ?? 0) : (setup.finite[setup.finite.length - 1] ?? 0) / learningRate;
  if (modelSize === Infinity && dataSize === Infinity && featureLearning === 0) {
    if (batchSize === Infinity) return { method: 'lazy', reason: 'N = B = P = Infinity, gamma = 0: lazy closed form' };
    return { method: 'volterra', reason: 'N = P = Infinity, gamma = 0, finite B: exact Volterra recursion of lazy SGD (§3.7)' };
  }
  if (modelSize === Infinity && dataSize === Infinity && batchSize === Infinity) {
    return { method: 'markov', reason: 'N = B = P = Infinity, gamma > 0: Markovian gradient-flow system (§1.8)' };
  }
  const finiteModes = spectrum.kind === 'custom' || spectrum.modes !== Infinity;
  if (modelSize !== Infinity && batchSize === Infinity && dataSize === Infinity && finiteModes) {
    return { method: 'feature-space', reason: 'finite N, B = P = Infinity, finite modes: exact feature-space solver (any horizon, averaged over projections)' };
  }
  if (lazyTti(setup)) return { method: 'dmft', reason: 'finite N, gamma = 0, P = Infinity: lazy time-translation-invariant DMFT (§4.4, O(steps^2))' };
  if (lastStep <= AUTO_DMFT_STEPS || modelSize === Infinity || !finiteModes) {
    return { method: 'dmft', reason: `finite N, B or P: discrete DMFT (§4.2, §4.3)${lastStep > AUTO_DMFT_STEPS ? '' : ` (horizon <= ${AUTO_DMFT_STEPS} steps)`}` };
  }
  return { method: 'simulate', reason: `finite N and B or P beyond ${AUTO_DMFT_STEPS} steps: Monte-Carlo simulation (§1.4)` };
}

function checkApplicable(method: Exclude<RandomFeaturesMethod, 'auto'>, setup: Setup): void {
  const { modelSize, batchSize, dataSize, featureLearning, learningRate } = setup;
  const need = (condition: boolean, parameter: string, value: unknown, allowed: string) => {
    if (!condition) throw new ParameterError(parameter, value, `${allowed} for method '${method}'`);
  };
  switch (method) {
    case 'lazy':
      need(modelSize === Infinity, 'modelSize', modelSize, 'Infinity');
      need(dataSize === Infinity, 'dataSize', dataSize, 'Infinity');
      need(featureLearning === 0, 'featureLearning', featureLearning, "0 (use method 'markov' for gamma > 0)");
      need(batchSize === Infinity || learningRate !== undefined, 'learningRate', learningRate, 'a number > 0 with finite batchSize');
      break;
    case 'markov':
      need(modelSize === Infinity, 'modelSize', modelSize, 'Infinity');
      need(batchSize === Infinity, 'batchSize', batchSize, 'Infinity');
      need(dataSize === Infinity, 'dataSize', dataSize, 'Infinity');
      break;
    case 'volterra':
      need(modelSize === Infinity, 'modelSize', modelSize, 'Infinity');
      need(dataSize === Infinity, 'dataSize', dataSize, 'Infinity');
      need(featureLearning === 0, 'featureLearning', featureLearning, '0');
      need(learningRate !== undefined, 'learningRate', learningRate, 'a number > 0');
      break;
    case 'dmft':
      need(learningRate !== undefined, 'learningRate', learningRate, 'a number > 0');
      if (learningRate !== undefined && !lazyTti(setup)) {
        const last = setup.finite[setup.finite.length - 1] ?? 0;
        const lastStep = setup.timeUnit === 'steps' ? last : last / learningRate;
        need(lastStep < MAX_DMFT_STEPS, 'times', lastStep, `at most ${MAX_DMFT_STEPS - 1} steps`);
      }
      break;
    case 'simulate':
      need(modelSize !== Infinity, 'modelSize', modelSize, 'a finite integer');
      need(learningRate !== undefined, 'learningRate', learningRate, 'a number > 0');
      break;
    default:
      need(modelSize !== Infinity, 'modelSize', modelSize, 'a finite integer');
      need(batchSize === Infinity, 'batchSize', batchSize, 'Infinity');
      need(dataSize === Infinity, 'dataSize', dataSize, 'Infinity');
  }
}

/** Method 'dmft' runs the lazy TTI DMFT (lazyFeatureDmft) for gamma = 0 online, the full discrete DMFT otherwise. */
function lazyTti(setup: Setup): boolean {
  return setup.featureLearning === 0 && setup.dataSize === Infinity;
}

/** The t -> infinity loss from the closed forms (§3.5, §3.6). */
function plateauLoss(setup: Setup): { loss: number; source: string } {
  const { modelSize, dataSize, spectrumOptions } = setup;
  if (modelSize === Infinity && dataSize === Infinity) return { loss: 0, source: 'N = P = Infinity: the target is learned completely (no label noise)' };
  if (modelSize !== Infinity && dataSize !== Infinity) {
    throw new ParameterError('times', Infinity, 'finite times when both modelSize and dataSize are finite',
      'the finite-(N, P) asymptote has no closed form in the spec (feature-learning.md §7 item 10); use a long finite time');
  }
  if (modelSize !== Infinity) {
    const result = modelBottleneck({ ...spectrumOptions, modelSize } as never);
    return { loss: result.loss, source: 'model bottleneck kappa sum p/(lambda + kappa), sum lambda/(lambda + kappa) = N (feature-learning.md §3.5; lazy and rich)' };
  }
  const result = dataBottleneck({ ...spectrumOptions, dataSize } as never);
  return { loss: result.loss, source: 'data bottleneck, ridgeless kernel regression on P samples (feature-learning.md §3.6; lazy and rich)' };
}
