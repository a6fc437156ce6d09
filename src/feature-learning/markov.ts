// markovFeatureLearning(): the exact N, B -> infinity gradient-flow dynamics of the projected
// two-layer linear model in Markovian form (spec feature-learning.md §1.8 [D][V]; structure of
// [BAP25] Eqs. (51)-(52), (55) [P]): error vector v, kernel spike J and isotropic boost q, with
// K = (1 + gamma q) I + gamma J. Integrated by the exponential midpoint rule on log-spaced steps
// (default) or RK4 with a fixed step. Time is gradient-flow time tau = eta * steps.
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { eigenKernels } from '../engine/eigen-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { attachSerialisers } from '../result.js';
import { taskDifficulty, type TaskDifficulty } from '../spectrum/difficulty.js';
import { resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkChoice, checkNumber, checkOptions, optionalNumber } from '../validate.js';
import {
  exponentialMidpointStep, markovLoss, markovLossRate, markovScratch, rateBound, rk4Step, type MarkovState,
} from './markov-step.js';
import { featureNodes, nodeSummary, spectrumParameters, type NodeSummary } from './mode-nodes.js';
import { richTimeExponent } from './theory-time.js';

/** Integrators of markovFeatureLearning(). */
export type MarkovIntegrator = 'exponential-midpoint' | 'rk4';

/** Options of markovFeatureLearning(). */
export interface MarkovFeatureLearningOptions extends SpectrumOptions, RunControl {
  /** gamma >= 0, the feature-learning strength (default 0, the lazy gradient flow, as in the package's other solvers). */
  featureLearning?: number;
  /** Gradient-flow times tau (>= 0, increasing) at which the loss is recorded. */
  times: TimeGrid;
  /** 'exponential-midpoint' (default; log-spaced steps) or 'rk4' (fixed step `stepSize`). */
  integrator?: MarkovIntegrator;
  /** Exponential midpoint: dtau = stepFraction * max(tau, 1/lambda_max) (default 0.03, spec §1.8). */
  stepFraction?: number;
  /** RK4: the fixed step dtau (default 1e-3). */
  stepSize?: number;
  /** Engine of the symmetric eigensolver: 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** Metadata of a markovFeatureLearning() result. */
export interface MarkovFeatureLearningMeta {
  solver: 'markovFeatureLearning';
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  timeUnit: 'time';
  integrator: MarkovIntegrator;
  /** Integration steps taken (one eigendecomposition each for the exponential midpoint rule with gamma > 0). */
  steps: number;
  parameters: Record<string, unknown>;
  /** Nodes integrated: exact modes plus log-k quadrature nodes (modes: Infinity or headModes < modes). */
  spectrum: NodeSummary;
  /** Power laws: the lazy exponent beta, the rich exponent chi(beta) and the task class. */
  theory?: { lazyExponent: number; richExponent: number; taskDifficulty: TaskDifficulty };
  reconstruction: string;
}

/** Result of markovFeatureLearning(). */
export interface MarkovFeatureLearningResult {
  /** Gradient-flow times tau. */
  times: Float64Array;
  /** Test loss L = sum_k lambda_k v_k^2 (no factor 1/2). */
  loss: Float64Array;
  /** -d ln L / d ln tau, from the exact derivative dL/dtau = -2 v^T Lambda K Lambda v. */
  localExponent: Float64Array;
  /** q = |w|^2 / N, the isotropic boost of the kernel (K = (1 + gamma q) I + gamma J). */
  boost: Float64Array;
  meta: MarkovFeatureLearningMeta;
}

/**
 * Most nodes accepted: the exponential midpoint rule costs one n x n eigendecomposition per step
 * (O(n^3)), RK4 O(n^2) per stage. Use modes: Infinity (or headModes) for larger spectra.
 */
export const MAX_MARKOV_NODES = 2000;
/** Power laws with at most this many modes are integrated mode by mode unless headModes is given. */
const MAX_EXACT_DEFAULT = 512;
/** Exact head of a larger power law when headModes is not given (the rest as log-k quadrature nodes). */
const DEFAULT_HEAD_MODES = 32;
/** Most RK4 steps one call may take. */
const MAX_RK4_STEPS = 1e8;

const KEYS = [...SPECTRUM_KEYS, 'featureLearning', 'times', 'integrator', 'stepFraction', 'stepSize', 'engine', ...CONTROL_KEYS] as const;

const RECONSTRUCTION = 'feature-learning.md §1.8 [D][V]: the N, B -> infinity limit of the reconstructed normalisation (§1.3, §1.7: '
  + 'gamma enters the feature update linearly); prefactors and the gamma dependence are reconstructions, exponents are not';

/**
 * Solves dv/dtau = -[(1 + gamma q) I + gamma J] Lambda v, dJ/dtau = Lambda v u^T + u v^T Lambda,
 * dq/dtau = 2 u^T Lambda v with u = w* - v, v(0) = w*, J(0) = 0, q(0) = 0 (spec feature-learning.md
 * §1.8 [D][V], a reconstruction: see meta.reconstruction), and returns L(tau) = sum_k lambda_k v_k^2.
 *
 * Method: exponential midpoint rule (spec §1.8) with steps dtau = stepFraction * max(tau, 1/lambda_max),
 * shortened to land on every requested time; one symmetric eigendecomposition per step (WASM
 * kernel of src/engine/eigen-kernels.ts), O(n^3). Or RK4 with a fixed step, O(n^2) per stage.
 * Cost per step (measured, wasm-simd, 2-core machine): 1.9 ms at 32 nodes, 14 ms at 128, 82 ms at
 * 256, 480 ms at 512 (O(n^3)); ~270 steps per 4.5 decades of tau at the default stepFraction.
 * Modes: power laws with M <= 512 are integrated mode by mode; larger or infinite ones are
 * represented by an exact head (headModes, default 32) plus log-k Gauss-Legendre nodes
 * (src/spectrum/modes.ts), at most MAX_MARKOV_NODES nodes in all. A node is an exact collapse of
 * degenerate modes (v stays parallel to w* inside a degenerate block, so only sum w*_k^2 matters),
 * and a Nystrom discretisation of the smooth k-dependence otherwise.
 *
 * @example markovFeatureLearning({ alpha: 1.5, beta: 0.5, modes: 64, featureLearning: 1, times: [1, 2, 4] })
 */
export function markovFeatureLearning(options: MarkovFeatureLearningOptions): MarkovFeatureLearningResult {
  checkOptions('markovFeatureLearning', options, KEYS);
  const given = options;
  const spectrum = resolveSpectrum(given);
  const featureLearning = optionalNumber('featureLearning', given.featureLearning, 0, { minimum: 0, maximum: 1e6 });
  if (given.times === undefined) throw new ParameterError('times', undefined, 'gradient-flow times (an array, a grid spec or a string; required)');
  const times = timeGrid(given.times);
  const integrator = given.integrator === undefined ? 'exponential-midpoint'
    : checkChoice('integrator', given.integrator, ['exponential-midpoint', 'rk4'] as const);
  if (integrator === 'rk4' && given.stepFraction !== undefined) {
    throw new ParameterError('stepFraction', given.stepFraction, "absent for integrator 'rk4'", 'rk4 uses the fixed step stepSize');
  }
  if (integrator === 'exponential-midpoint' && given.stepSize !== undefined) {
    throw new ParameterError('stepSize', given.stepSize, "absent for integrator 'exponential-midpoint'", 'it uses stepFraction');
  }
  const stepFraction = optionalNumber('stepFraction', given.stepFraction, 0.03, { minimum: 1e-6, maximum: 1 });
  const stepSize = optionalNumber('stepSize', given.stepSize, 1e-3, { minimum: 0, exclusiveMinimum: true });
  const engine = resolveEngine(given.engine);
  const horizon = times[times.length - 1];
  if (integrator === 'rk4' && horizon / stepSize > MAX_RK4_STEPS) {
    throw new ParameterError('stepSize', stepSize, `a step keeping the last time / stepSize <= ${MAX_RK4_STEPS}`,
      `it is ${(horizon / stepSize).toExponential(3)}; use the exponential midpoint integrator for long times`);
  }
  // Rich kernels are faster than lazy ones by (1 + gamma q + gamma |J|): freeze modes later.
  const nodes = featureNodes(spectrum, Math.max(horizon, 1) * 100 * Math.max(1, featureLearning), {
    headGiven: given.headModes !== undefined,
    defaultHead: spectrum.kind === 'power-law' && spectrum.modes <= MAX_EXACT_DEFAULT ? MAX_EXACT_DEFAULT : DEFAULT_HEAD_MODES,
    maximumNodes: MAX_MARKOV_NODES,
    solver: 'markovFeatureLearning',
  });
  const n = nodes.eigenvalues.length;
  // gamma = 0 with the exponential rule needs no n x n arrays (J does not act on v).
  const dense = featureLearning > 0 || integrator === 'rk4';
  checkBudget('modes', given.modes, 8 * ((dense ? 5 * n * n : 0) + 16 * n + 4 * times.length), `the ${n} x ${n} spike, symmetric form and eigenvectors`);

  const state: MarkovState = {
    n,
    eigenvalues: nodes.eigenvalues,
    roots: nodes.eigenvalues.map(Math.sqrt),
    teacher: nodes.eigenvalues.map((eigenvalue, b) => Math.sqrt(nodes.targetPower[b] / eigenvalue)),
    featureLearning,
    error: new Float64Array(n),
    spike: new Float64Array(dense ? n * n : 0),
    boost: 0,
  };
  state.error.set(state.teacher);
  let largest = 0;
  for (const eigenvalue of nodes.eigenvalues) largest = Math.max(largest, eigenvalue);
  const smallestStep = 1 / largest;
  const scratch = markovScratch(n, dense);
  const kernels = eigenKernels(engine);
  const estimatedSteps = integrator === 'rk4' ? Math.ceil(horizon / stepSize) + times.length
    : Math.ceil(Math.log1p(Math.max(horizon, smallestStep) / smallestStep) / Math.log1p(stepFraction) + 1 / stepFraction) + times.length;
  const monitor = new Monitor(given, estimatedSteps);

  const loss = new Float64Array(times.length);
  const localExponent = new Float64Array(times.length);
  const boost = new Float64Array(times.length);
  let tau = 0;
  let steps = 0;
  for (let j = 0; j < times.length; j++) {
    const target = times[j];
    while (tau < target) {
      const remaining = target - tau;
      let h: number;
      if (integrator === 'rk4') {
        h = Math.min(stepSize, remaining);
        const bound = rateBound(state);
        if (!(bound * h < 2.5)) {
          throw new ParameterError('stepSize', stepSize, `a step below ${(2.5 / bound).toPrecision(3)} at tau = ${tau.toPrecision(4)}`,
            `RK4 is unstable when dtau x (spectral radius of the kernel times Lambda, Gershgorin bound ${bound.toPrecision(4)}) exceeds ~2.5`);
        }
        rk4Step(state, h, scratch);
      } else {
        h = stepFraction * Math.max(tau, smallestStep);
        // Land exactly on the target, splitting the last stretch evenly rather than leaving a sliver.
        if (h >= remaining) h = remaining;
        else if (h > remaining / 1.5) h = remaining / 2;
        exponentialMidpointStep(state, h, kernels, scratch);
      }
      tau = h === remaining ? target : tau + h;
      steps++;
      monitor.step(steps); // each step is at least O(n^2): checking every step costs nothing
    }
    const value = markovLoss(state);
    if (!Number.isFinite(value)) {
      throw new ParameterError(integrator === 'rk4' ? 'stepSize' : 'stepFraction', integrator === 'rk4' ? stepSize : stepFraction,
        'a smaller step', `the loss became non-finite by tau = ${target}`);
    }
    loss[j] = value;
    boost[j] = state.boost;
    localExponent[j] = target === 0 || value === 0 ? 0 : -target * markovLossRate(state) / value;
  }
  monitor.step(estimatedSteps);

  const result: MarkovFeatureLearningResult = {
    times, loss, localExponent, boost,
    meta: {
      solver: 'markovFeatureLearning',
      conventions: 'feature-learning.md §1.8: L = sum_k lambda_k v_k^2 (no 1/2), gradient-flow time tau = eta * steps, N = B = Infinity',
      engine: engine.name,
      elapsedMs: monitor.elapsed(),
      timeUnit: 'time',
      integrator,
      steps,
      parameters: {
        ...spectrumParameters(spectrum),
        featureLearning,
        ...(integrator === 'rk4' ? { stepSize } : { stepFraction }),
      },
      spectrum: nodeSummary(nodes),
      ...(spectrum.kind === 'power-law' && spectrum.alpha > 1
        ? { theory: { lazyExponent: spectrum.beta, richExponent: richTimeExponent({ beta: spectrum.beta }), taskDifficulty: taskDifficulty({ alpha: spectrum.alpha, beta: spectrum.beta }).difficulty } }
        : {}),
      reconstruction: RECONSTRUCTION,
    },
  };
  return attachSerialisers(result);
}
