// lazy(): the lazy, infinite-width, infinite-data mode dynamics of CONVENTIONS.md — gradient
// flow, gradient descent and online SGD (exact second-moment recursion), with weight decay for
// flow and descent — on a power-law or custom spectrum, with M up to Infinity.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { resolveEngine } from '../engine/registry.js';
import type { Engine, EngineChoice, EngineName } from '../engine/types.js';
import { attachSerialisers } from '../result.js';
import { taskDifficulty, type TaskDifficulty } from '../spectrum/difficulty.js';
import { modeSet, type ModeSet } from '../spectrum/modes.js';
import { MAX_SCALE, resolveSpectrum, SPECTRUM_KEYS, type Spectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkChoice, checkNumber, checkOptions, optionalBoolean, optionalNumber } from '../validate.js';
import { closedForm, modalEnergies, type ExpTerms } from './closed-form.js';
import { runSgd, sgdStability } from './sgd.js';

/** The optimisers of the lazy dynamics. */
export type Optimizer = 'flow' | 'gd' | 'sgd';

/** Options of lazy(). */
export interface LazyOptions extends SpectrumOptions, RunControl {
  /** 'flow' (gradient flow, default), 'gd' (gradient descent) or 'sgd' (online SGD). */
  optimizer?: Optimizer;
  /** eta, required for 'gd' and 'sgd'. */
  learningRate?: number;
  /** B for 'sgd' (integer >= 1, or Infinity: no batch noise). */
  batchSize?: number;
  /** sigma^2, additive label-noise variance (default 0). Drives SGD noise; added to the loss only with includeNoise. */
  labelNoise?: number;
  /** Ridge coefficient of the objective (flow and gd; default 0). */
  weightDecay?: number;
  /** Report L + sigma^2 instead of the excess loss (default false). */
  includeNoise?: boolean;
  /** Times (flow) or step counts (gd, sgd); default log-spaced 1..10^4, 41 points. */
  times?: TimeGrid;
  /** Also return per-node error energies at every time (default false; bounded by the memory budget). */
  recordModes?: boolean;
  /** 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** Per-node error energies, when recordModes was set. */
export interface ModeRecord {
  /** Eigenvalue of each node. */
  eigenvalues: Float64Array;
  /** Modes each node stands for (1 for exact modes). */
  multiplicity: Float64Array;
  /** Error energy lambda v^2 summed over each node's modes: times.length rows of eigenvalues.length. */
  errors: Float64Array;
}

/** Metadata of a lazy() result. */
export interface LazyMeta {
  solver: 'lazy';
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  /** 'time' for gradient flow, 'steps' for gradient descent and SGD. */
  timeUnit: 'time' | 'steps';
  parameters: Record<string, unknown>;
  spectrum: {
    kind: 'power-law' | 'custom';
    representedModes: number;
    exactModes: number;
    quadratureNodes: number;
    tailNodes: number;
    /** Estimated absolute error of the mode sums (0 when every mode is summed exactly). */
    errorEstimate: number;
  };
  /** Power laws: the lazy exponent beta and the task class. */
  theory?: { lazyExponent: number; taskDifficulty: TaskDifficulty };
  /** SGD: sum_k eta lambda_k / (B (2 - eta lambda_k (1 + 1/B))), which must be < 1. */
  stabilitySum?: number;
}

/** Result of lazy(). */
export interface LazyResult {
  times: Float64Array;
  /** Test loss L = sum_k lambda_k v_k^2 (excess unless includeNoise). */
  loss: Float64Array;
  /** -d ln L_excess / d ln t (exact for flow and gd; central difference in steps for sgd). */
  localExponent: Float64Array;
  modes?: ModeRecord;
  meta: LazyMeta;
}

const LAZY_KEYS = [...SPECTRUM_KEYS, ...CONTROL_KEYS, 'optimizer', 'learningRate', 'batchSize', 'labelNoise',
  'weightDecay', 'includeNoise', 'times', 'recordModes', 'engine'] as const;

/** Times used when none are given. */
const DEFAULT_TIMES = { from: 1, to: 1e4, count: 41, spacing: 'log' } as const;

/** Validated options of lazy(). */
interface LazySetup {
  spectrum: Spectrum;
  optimizer: Optimizer;
  learningRate?: number;
  batchSize: number;
  labelNoise: number;
  weightDecay: number;
  includeNoise: boolean;
  times: Float64Array;
  recordModes: boolean;
  engine: Engine;
  modes: ModeSet;
}

function setup(options: LazyOptions): LazySetup {
  const given = checkOptions('lazy', options, LAZY_KEYS) as LazyOptions;
  const spectrum = resolveSpectrum(given);
  const optimizer = given.optimizer === undefined ? 'flow' : checkChoice('optimizer', given.optimizer, ['flow', 'gd', 'sgd'] as const);
  const discrete = optimizer !== 'flow';
  let learningRate: number | undefined;
  if (discrete) {
    if (given.learningRate === undefined) throw new ParameterError('learningRate', undefined, `a number > 0 (required for optimizer '${optimizer}')`);
    learningRate = checkNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  } else if (given.learningRate !== undefined) {
    throw new ParameterError('learningRate', given.learningRate, "absent for optimizer 'flow'", "use optimizer 'gd' for a finite learning rate");
  }
  let batchSize = Infinity;
  if (optimizer === 'sgd') {
    if (given.batchSize === undefined) throw new ParameterError('batchSize', undefined, "an integer >= 1 or Infinity (required for optimizer 'sgd')");
    batchSize = checkNumber('batchSize', given.batchSize, { minimum: 1, integer: true, allowInfinity: true });
  } else if (given.batchSize !== undefined) {
    throw new ParameterError('batchSize', given.batchSize, `absent for optimizer '${optimizer}'`, "batchSize applies to optimizer 'sgd'");
  }
  const labelNoise = optionalNumber('labelNoise', given.labelNoise, 0, { minimum: 0, maximum: MAX_SCALE });
  const weightDecay = optionalNumber('weightDecay', given.weightDecay, 0, { minimum: 0 });
  if (optimizer === 'sgd' && weightDecay > 0) {
    throw new ParameterError('weightDecay', weightDecay, "0 for optimizer 'sgd'", "the exact SGD recursion is implemented without weight decay; use 'flow' or 'gd'");
  }
  const includeNoise = optionalBoolean('includeNoise', given.includeNoise, false);
  const recordModes = optionalBoolean('recordModes', given.recordModes, false);
  const times = timeGrid(given.times === undefined ? DEFAULT_TIMES : given.times, { steps: discrete });
  const engine = resolveEngine(given.engine);
  // Refuse before allocating: the exact head alone (quadrature and tail add at most ~8000 nodes).
  const headNodes = spectrum.kind === 'custom' ? spectrum.eigenvalues.length : Math.min(spectrum.modes, spectrum.headModes);
  checkBudget(spectrum.kind === 'custom' ? 'eigenvalues' : 'headModes', spectrum.kind === 'custom' ? spectrum.eigenvalues : spectrum.headModes,
    headNodes * 8 * 12 + times.length * 8 * 8, 'the modes and times');
  if (recordModes) checkBudget('recordModes', true, times.length * headNodes * 8, `per-mode errors (${times.length} times x ${headNodes} nodes)`);
  const horizon = (times[times.length - 1] + (optimizer === 'sgd' ? 1 : 0)) * (learningRate ?? 1);
  const modes = modeSet(spectrum, horizon);
  const nodes = modes.eigenvalues.length;
  checkBudget(spectrum.kind === 'custom' ? 'eigenvalues' : 'headModes', spectrum.kind === 'custom' ? spectrum.eigenvalues : spectrum.headModes,
    nodes * 8 * 12 + times.length * 8 * 8, 'the modes and times');
  if (recordModes) checkBudget('recordModes', true, times.length * nodes * 8, `per-mode errors (${times.length} times x ${nodes} nodes)`);
  if (learningRate !== undefined) {
    let largest = 0;
    for (const eigenvalue of modes.eigenvalues) largest = Math.max(largest, eigenvalue);
    const product = learningRate * (largest + weightDecay);
    if (!(product < 2)) {
      throw new ParameterError('learningRate', learningRate, `a number < ${2 / (largest + weightDecay)} (2 / (largest eigenvalue + weightDecay))`,
        `learningRate x (largest eigenvalue ${largest} + weightDecay ${weightDecay}) = ${product} >= 2: the iteration diverges`);
    }
  }
  return { spectrum, optimizer, learningRate, batchSize, labelNoise, weightDecay, includeNoise, times, recordModes, engine, modes };
}

/**
 * Loss curve of the lazy, infinite-width, infinite-data dynamics (CONVENTIONS.md, "Loss, time and
 * optimisers"): L(t) = sum_k p_k e^{-2 lambda_k t} for gradient flow, its weight-decay and
 * gradient-descent closed forms, and the exact second-moment recursion of online SGD on Gaussian
 * features, d_k <- [(1 - eta lambda_k)^2 + eta^2 lambda_k^2/B] d_k + (eta^2/B) lambda_k (L + sigma^2).
 * Power laws with many or infinitely many modes are summed as exact head + log-k quadrature +
 * analytic tail (src/spectrum/modes.ts); meta.spectrum.errorEstimate bounds the difference.
 *
 * @example
 * await init();
 * const { times, loss } = lazy({ alpha: 1.5, beta: 0.5, modes: Infinity, times: 'log:1:1e6:7' });
 * // loss ~ Gamma(beta)/alpha * (2t)^-beta at large t
 */
export function lazy(options: LazyOptions): LazyResult {
  const started = now();
  const run = setup(options);
  const control = options as RunControl;
  const { times, modes, engine } = run;
  const nodes = modes.eigenvalues.length;
  const loss = new Float64Array(times.length);
  const localExponent = new Float64Array(times.length);
  const errors = run.recordModes ? new Float64Array(times.length * nodes) : undefined;
  let monitor: Monitor;
  let stabilitySum: number | undefined;

  if (run.optimizer === 'sgd') {
    const eta = run.learningRate as number;
    stabilitySum = sgdStability(modes.eigenvalues, modes.multiplicity, eta, run.batchSize);
    if (!(stabilitySum < 1)) {
      throw new ParameterError('learningRate', eta, `a smaller value for batchSize ${run.batchSize} (SGD stability needs sum_k eta lambda_k / (B (2 - eta lambda_k (1 + 1/B))) < 1)`,
        `the sum is ${stabilitySum}: the second moments diverge`);
    }
    const lastStep = times[times.length - 1] + 1;
    monitor = new Monitor(control, lastStep * nodes);
    runSgd(engine, modes, { learningRate: eta, batchSize: run.batchSize, labelNoise: run.labelNoise }, times, loss, localExponent, errors, monitor);
  } else {
    const form = closedForm(modes, run.weightDecay, run.learningRate);
    const terms = form.positive.rates.length + (form.alternating?.rates.length ?? 0);
    monitor = new Monitor(control, terms * times.length);
    const positive = evaluateSums(engine, form.positive, times, monitor, terms * times.length);
    const alternating = form.alternating ? evaluateSums(engine, form.alternating, times, monitor, terms * times.length, form.positive.rates.length * times.length) : null;
    for (let j = 0; j < times.length; j++) {
      const sign = alternating && times[j] % 2 === 1 ? -1 : 1;
      const value = form.constant + positive.sum0[j] + (alternating ? sign * alternating.sum0[j] : 0);
      const slope = positive.sum1[j] + (alternating ? sign * alternating.sum1[j] : 0);
      loss[j] = value;
      localExponent[j] = times[j] === 0 || value === 0 ? 0 : times[j] * slope / value;
      if (errors) modalEnergies(modes, run.weightDecay, run.learningRate, times[j], errors.subarray(j * nodes, (j + 1) * nodes));
    }
  }
  if (run.includeNoise) for (let j = 0; j < loss.length; j++) loss[j] += run.labelNoise;

  const spectrum = run.spectrum;
  const meta: LazyMeta = {
    solver: 'lazy',
    conventions: 'CONVENTIONS.md: L = sum_k lambda_k v_k^2 (MSE without 1/2); gd/sgd time = steps, t = eta * steps',
    engine: engine.name,
    elapsedMs: now() - started,
    timeUnit: run.optimizer === 'flow' ? 'time' : 'steps',
    parameters: {
      ...(spectrum.kind === 'power-law'
        ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale, headModes: spectrum.headModes }
        : { modes: spectrum.eigenvalues.length }),
      optimizer: run.optimizer,
      ...(run.learningRate !== undefined ? { learningRate: run.learningRate } : {}),
      ...(run.optimizer === 'sgd' ? { batchSize: run.batchSize } : {}),
      labelNoise: run.labelNoise,
      weightDecay: run.weightDecay,
      includeNoise: run.includeNoise,
    },
    spectrum: {
      kind: spectrum.kind,
      representedModes: modes.representedModes,
      exactModes: modes.exactModes,
      quadratureNodes: modes.quadratureNodes,
      tailNodes: modes.tailNodes,
      errorEstimate: modes.errorEstimate,
    },
    ...(spectrum.kind === 'power-law' && spectrum.alpha > 1
      ? { theory: { lazyExponent: spectrum.beta, taskDifficulty: taskDifficulty({ alpha: spectrum.alpha, beta: spectrum.beta }).difficulty } }
      : {}),
    ...(stabilitySum !== undefined ? { stabilitySum } : {}),
  };
  const result: LazyResult = { times, loss, localExponent, meta };
  if (errors) result.modes = { eigenvalues: modes.eigenvalues, multiplicity: modes.multiplicity, errors };
  return attachSerialisers(result);
}

/** Terms per kernel call: a few milliseconds of work between progress checks. */
const CHUNK_TERMS = 2 ** 22;

function evaluateSums(engine: Engine, terms: ExpTerms, times: Float64Array, monitor: Monitor, total: number, offset = 0) {
  const sum0 = new Float64Array(times.length);
  const sum1 = new Float64Array(times.length);
  const plan = engine.prepareExpSums(terms.rates, terms.weights0, terms.weights1);
  try {
    const perChunk = Math.max(1, Math.floor(CHUNK_TERMS / Math.max(1, terms.rates.length)));
    for (let start = 0; start < times.length; start += perChunk) {
      const end = Math.min(times.length, start + perChunk);
      plan.evaluate(times.subarray(start, end), sum0.subarray(start, end), sum1.subarray(start, end));
      monitor.step(Math.min(total, offset + end * terms.rates.length));
    }
  } finally {
    plan.dispose();
  }
  return { sum0, sum1 };
}
