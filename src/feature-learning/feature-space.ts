// featureSpaceDynamics(): the projected two-layer model of feature-learning.md with population
// gradients (B = P = Infinity) at finite N, solved exactly in the N-dimensional feature space.
// Given the projection A0 (§1.4) everything depends on A0 only through F = A0 Lambda A0^T / N and
// b = A0 Lambda w*, so one seed costs O(N^2 M) once and O(N^2) per step instead of the
// simulator's O(N M). Lazy (gamma = 0): closed form at every t by one eigendecomposition of F.
// Rich: the exact discrete steps of §1.3/§1.4, or the gradient flow (the finite-N analogue of the
// Markovian system of §1.8, derived here [D]) with an exponential integrator whose O(N^2) sweeps over
// the coupling matrix run in WebAssembly (assembly/feature-space.ts).
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, type RunControl } from '../control.js';
import { eigenKernels } from '../engine/eigen-kernels.js';
import { featureSpaceKernels, type FeatureSpaceKernels, type FeatureSpaceState } from '../engine/feature-space-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { Random } from '../random.js';
import { attachSerialisers } from '../result.js';
import { powerLaw, resolveSpectrum, SPECTRUM_KEYS, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkNumber, checkOptions, optionalNumber, requiredNumber } from '../validate.js';

/** Options of featureSpaceDynamics(). */
export interface FeatureSpaceOptions extends Omit<SpectrumOptions, 'headModes'>, RunControl {
  /** N, the number of learned features: an integer from 1 to MAX_FEATURE_SPACE_SIZE, below the number of modes. */
  modelSize: number;
  /** gamma >= 0, feature-learning strength (default 0: lazy). */
  featureLearning?: number;
  /**
   * eta > 0: discrete gradient descent (times are step counts, exactly the model the simulator runs
   * with batchSize Infinity). Absent: gradient flow (times are tau = eta x steps, eta -> 0).
   */
  learningRate?: number;
  /** Step counts (learningRate given) or gradient-flow times tau (learningRate absent). */
  times: TimeGrid;
  /** Independent projections A0 averaged (default 4; at least 1; the standard error needs 2). */
  seeds?: number;
  /** Seed of the first projection; run r uses seed + r, drawn as simulateFeatureLearning draws A0 (default 1). */
  seed?: number;
  /**
   * Rich gradient flow only: largest step as a fraction of tau (default 0.05) — the integrator's
   * accuracy knob; the step is also capped by the coupling stability limit (0.5 / (gamma rho)).
   */
  relativeStep?: number;
  /**
   * 'auto' (default), 'wasm-simd', 'wasm' or 'js': the engine of the N x N products, the eigensolver
   * and the rich flow's coupling sweeps (src/engine/feature-space-kernels.ts; same bits on every engine).
   */
  engine?: EngineChoice;
}

/** Metadata of a featureSpaceDynamics() result. */
export interface FeatureSpaceMeta {
  solver: 'featureSpaceDynamics';
  conventions: string;
  engine: EngineName;
  elapsedMs: number;
  /** 'steps' with a learning rate, 'time' (tau) for gradient flow. */
  timeUnit: 'steps' | 'time';
  /** 'closed-form' (lazy), 'steps' (rich discrete), 'exponential-midpoint' (rich flow). */
  integrator: 'closed-form' | 'steps' | 'exponential-midpoint';
  parameters: Record<string, unknown>;
  /** Mean over seeds of the least-squares plateau L0 - b.F^-1 b / N of each projection (the t -> infinity loss). */
  plateau: number;
  /** Integrator steps taken per seed (rich flow and discrete steps; 0 for the closed form). */
  integratorSteps: number;
  /** Seeds whose loss became non-finite (rich discrete steps beyond the stable learning rate). */
  divergedSeeds: number;
}

/** Result of featureSpaceDynamics(). */
export interface FeatureSpaceResult {
  /** The times requested (steps or tau, meta.timeUnit). */
  times: Float64Array;
  /** Mean over projections of the test loss L = sum_k lambda_k v_k^2 (no factor 1/2). */
  loss: Float64Array;
  /** Standard error of that mean over projections (NaN for one seed). */
  standardError: Float64Array;
  meta: FeatureSpaceMeta;
}

/** Largest N accepted (an N x N eigendecomposition per seed). */
export const MAX_FEATURE_SPACE_SIZE = 4096;
const MAX_MODES = 2 ** 24;
const MAX_WORK = 1e13;
/** Rich flow: the step is at most COUPLING_STEP / (gamma rho), inside the explicit midpoint rule's stability region for the coupling. */
const COUPLING_STEP = 0.5;

const KEYS = [...SPECTRUM_KEYS.filter((key) => key !== 'headModes'), 'modelSize', 'featureLearning', 'learningRate', 'times', 'seeds', 'seed',
  'relativeStep', 'engine', ...CONTROL_KEYS] as const;

const CONVENTIONS = 'feature-learning.md §1.2-§1.4 (reconstructed normalisation [P~][I]) with B = P = Infinity (G = Lambda): '
  + 'A0 entries N(0,1); f = w.A psi / N; w(0) = 0; L = sum_k lambda_k v_k^2 (no 1/2). Reduced to the feature space: '
  + 'h = A0 Lambda v = b - F z, L = L0 - 2 z.b/N + z.F z/N, F = A0 Lambda A0^T/N, b = A0 Lambda w*';

/**
 * The projected two-layer model with population gradients (batchSize = dataSize = Infinity) at
 * finite N, exactly, for each of `seeds` projections A0 (drawn as simulateFeatureLearning draws
 * them, so the same seed gives the same A0), averaged with a standard error over projections.
 *
 * Reduction [D]: with F = A0 Lambda A0^T/N = U S U^T and b = A0 Lambda w*, the updates of spec §1.4
 * close on (w, Ã, z = Ã^T w) in the eigenbasis of F: h = b - S z, L = L0 - 2 z.b/N + z.S z/N.
 * - Lazy (gamma = 0): z_i(t) = (b_i/s_i)(1 - (1 - eta s_i)^t), or 1 - e^{-s_i tau} for gradient flow:
 *   L(t) = L_inf + sum_i (b_i^2/(N s_i)) (1 - eta s_i)^{2t}, L_inf = L0 - sum_i b_i^2/(N s_i).
 * - Rich, learningRate given: the exact steps Ã += (eta gamma/N) w h^T, w += eta Ã h, z = Ã^T w (O(N^2) each).
 * - Rich gradient flow: dz/dtau = (K + gamma q) h, dK/dtau = (gamma/N)(z h^T + h z^T), dq/dtau = 2 z.h/N,
 *   K = Ã^T Ã (K(0) = I), q = |w|^2/N — the finite-N form of §1.8 [D]. Writing e = z - S^-1 b, the
 *   stiff isotropic part -(1 + gamma q) S e is integrated exactly (exponential midpoint, q at the half
 *   step) and the coupling -gamma (K - I) S e explicitly; step min(relativeStep tau, 0.5/(gamma rho)),
 *   rho = max(1, z.S z/N) (the learned power, which bounds the coupling's rate). Two O(N^2) sweeps
 *   over J per step. Step-size error measured (alpha 2, beta 0.5, M 4096, tau up to 2e5/N): the
 *   losses move by <= 1.5e-4 relative when the step is quartered (N = 16, 64, 256).
 * The t -> infinity value is each projection's least-squares optimum (meta.plateau), whose
 * deterministic equivalent is the kappa formula of §3.5 (modelBottleneck).
 *
 * @example featureSpaceDynamics({ alpha: 2, beta: 0.5, modes: 2048, modelSize: 64, times: 'log:1:1e4:41' })
 */
export function featureSpaceDynamics(options: FeatureSpaceOptions): FeatureSpaceResult {
  checkOptions('featureSpaceDynamics', options, KEYS);
  const given = options;
  const spectrum = resolveSpectrum(given);
  if (spectrum.kind === 'power-law' && !(spectrum.modes <= MAX_MODES)) {
    throw new ParameterError('modes', spectrum.modes, `an integer from 1 to ${MAX_MODES}`, 'the projection A0 (N x M) is drawn explicitly');
  }
  const m = spectrum.kind === 'custom' ? spectrum.eigenvalues.length : spectrum.modes;
  const n = requiredNumber('modelSize', given.modelSize, { minimum: 1, maximum: MAX_FEATURE_SPACE_SIZE, integer: true });
  if (!(n < m)) throw new ParameterError('modelSize', n, `an integer below the number of modes (${m})`, 'with N >= M the features span every mode and the model has no bottleneck');
  const featureLearning = optionalNumber('featureLearning', given.featureLearning, 0, { minimum: 0, maximum: 1e6 });
  const discrete = given.learningRate !== undefined;
  const learningRate = discrete ? checkNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true }) : NaN;
  const seeds = optionalNumber('seeds', given.seeds, 4, { minimum: 1, integer: true, maximum: 1e6 });
  const seed = optionalNumber('seed', given.seed, 1, { minimum: 0, integer: true, maximum: 2 ** 52 });
  const relativeStep = optionalNumber('relativeStep', given.relativeStep, 0.05, { minimum: 1e-6, maximum: 1 });
  if (given.times === undefined) throw new ParameterError('times', undefined, discrete ? 'step counts (required)' : 'gradient-flow times tau (required)');
  const times = timeGrid(given.times, { steps: discrete });
  const engine = resolveEngine(given.engine);
  const rich = featureLearning > 0;
  checkBudget('modelSize', n, 8 * (2 * n * m + 4 * n * n + 8 * m), `the ${n} x ${m} projection and the ${n} x ${n} matrices`);
  const last = times[times.length - 1];
  const work = seeds * (n * n * m + 12 * n * n * n + (rich ? (discrete ? last * 3 * n * n : 8 * n * n * estimateFlowSteps(last, featureLearning, relativeStep)) : n * times.length));
  if (work > MAX_WORK) throw new ParameterError('seeds', seeds, `a value keeping seeds x (N^2 M + steps N^2) <= ${MAX_WORK}`, `it is ${work.toExponential(3)}`);

  const { eigenvalues, targetPower } = spectrum.kind === 'custom' ? spectrum : powerLaw({
    alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale,
  });
  let initialLoss = 0;
  for (let k = 0; k < m; k++) initialLoss += targetPower[k];
  // Row of Phi = A0 Lambda^1/2 / sqrt(N): F = Phi Phi^T, b/sqrt(N) = Phi (Lambda^1/2 w*) = Phi sqrt(p).
  const rootEigenvalues = eigenvalues.map(Math.sqrt);
  const rootPower = targetPower.map(Math.sqrt);
  const kernels = eigenKernels(engine);
  const monitor = new Monitor(given, seeds);
  const runs: Float64Array[] = [];
  let plateauSum = 0;
  let integratorSteps = 0;
  let divergedSeeds = 0;
  const projection = new Float64Array(n * m);
  const matrix = new Float64Array(n * n);
  const spectrumValues = new Float64Array(n);
  const field = new Float64Array(n);
  for (let run = 0; run < seeds; run++) {
    new Random(seed + run).fillNormals(projection, n * m);
    const scale = 1 / Math.sqrt(n);
    for (let i = 0; i < n; i++) {
      const row = i * m;
      let dot = 0;
      for (let k = 0; k < m; k++) {
        const entry = projection[row + k] * rootEigenvalues[k] * scale;
        projection[row + k] = entry;
        dot += entry * rootPower[k];
      }
      field[i] = dot; // b_i / sqrt(N) in the original basis
    }
    kernels.rowProducts(projection, n, projection, n, m, matrix);
    kernels.decompose(matrix, n, spectrumValues); // row i of matrix = eigenvector u_i
    // c_i = u_i . (b / sqrt N): the target's coordinates in the feature eigenbasis.
    const coordinates = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += matrix[i * n + j] * field[j];
      coordinates[i] = dot;
    }
    const s = Float64Array.from(spectrumValues, (value) => Math.max(value, 0));
    let learnable = 0;
    for (let i = 0; i < n; i++) if (s[i] > 0) learnable += (coordinates[i] * coordinates[i]) / s[i];
    const plateau = initialLoss - learnable;
    plateauSum += plateau;
    const loss = new Float64Array(times.length);
    if (!rich) {
      for (let j = 0; j < times.length; j++) {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          if (!(s[i] > 0)) continue;
          const decay = discrete ? (1 - learningRate * s[i]) ** times[j] : Math.exp(-s[i] * times[j]);
          sum += ((coordinates[i] * coordinates[i]) / s[i]) * decay * decay;
        }
        loss[j] = plateau + sum;
      }
    } else if (discrete) {
      integratorSteps = richSteps(n, s, coordinates, initialLoss, learningRate, featureLearning, times, loss, monitor, run);
    } else {
      integratorSteps = richFlow(n, s, coordinates, plateau, featureLearning, relativeStep, times, loss, monitor, run, featureSpaceKernels(engine));
    }
    if (!loss.every(Number.isFinite)) divergedSeeds++;
    runs.push(loss);
    monitor.step(run + 1);
  }
  const mean = new Float64Array(times.length);
  const standardError = new Float64Array(times.length);
  for (let j = 0; j < times.length; j++) {
    let sum = 0;
    for (const loss of runs) sum += loss[j];
    mean[j] = sum / seeds;
    let squares = 0;
    for (const loss of runs) squares += (loss[j] - mean[j]) ** 2;
    standardError[j] = seeds > 1 ? Math.sqrt(squares / (seeds - 1) / seeds) : NaN;
  }
  const result: FeatureSpaceResult = {
    times,
    loss: mean,
    standardError,
    meta: {
      solver: 'featureSpaceDynamics',
      conventions: CONVENTIONS,
      engine: engine.name,
      elapsedMs: monitor.elapsed(),
      timeUnit: discrete ? 'steps' : 'time',
      integrator: !rich ? 'closed-form' : discrete ? 'steps' : 'exponential-midpoint',
      parameters: {
        ...(spectrum.kind === 'power-law'
          ? { alpha: spectrum.alpha, beta: spectrum.beta, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale }
          : { spectrum: 'custom' }),
        modes: m, modelSize: n, featureLearning, ...(discrete ? { learningRate } : {}), batchSize: Infinity, dataSize: Infinity, seeds, seed,
        ...(rich && !discrete ? { relativeStep } : {}),
      },
      plateau: plateauSum / seeds,
      integratorSteps,
      divergedSeeds,
    },
  };
  return attachSerialisers(result);
}

/** Rough step count of the rich flow up to tau = last (for the work bound only). */
function estimateFlowSteps(last: number, featureLearning: number, relativeStep: number): number {
  return Math.log(Math.max(last, 1) / 1e-3) / relativeStep + last * featureLearning * 2 * 2;
}

/**
 * Exact discrete steps in the eigenbasis of F (orthogonal change of basis of the hidden units):
 * Ã += (eta gamma / N) w h^T, w += eta Ã h (old Ã), z = Ã^T w, h = c sqrt(N) - S z.
 * Coordinates are scaled so that b = sqrt(N) c. Returns the number of steps taken.
 */
function richSteps(n: number, s: Float64Array, coordinates: Float64Array, initialLoss: number, learningRate: number, featureLearning: number,
  times: Float64Array, loss: Float64Array, monitor: Monitor, run: number): number {
  const root = Math.sqrt(n);
  const b = coordinates.map((c) => c * root);
  const mixing = new Float64Array(n * n);
  for (let i = 0; i < n; i++) mixing[i * n + i] = 1;
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  const h = new Float64Array(n);
  const step = new Float64Array(n);
  const rate = (learningRate * featureLearning) / n;
  let record = 0;
  const last = times[times.length - 1];
  for (let t = 0; t <= last; t++) {
    if (t === times[record]) {
      let cross = 0;
      let quadratic = 0;
      for (let i = 0; i < n; i++) {
        cross += z[i] * b[i];
        quadratic += z[i] * s[i] * z[i];
      }
      loss[record] = initialLoss - (2 * cross) / n + quadratic / n;
      if (!Number.isFinite(loss[record])) {
        loss.fill(loss[record], record);
        return t;
      }
      if (++record === times.length) return t;
    }
    for (let i = 0; i < n; i++) h[i] = b[i] - s[i] * z[i];
    for (let i = 0; i < n; i++) {
      let dot = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) dot += mixing[row + j] * h[j];
      step[i] = learningRate * dot;
    }
    for (let i = 0; i < n; i++) {
      const factor = rate * w[i];
      if (factor === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) mixing[row + j] += factor * h[j];
    }
    for (let i = 0; i < n; i++) w[i] += step[i];
    z.fill(0);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      const row = i * n;
      for (let j = 0; j < n; j++) z[j] += mixing[row + j] * wi;
    }
    if ((t & 255) === 255) monitor.step(run + t / (last + 1));
  }
  return last;
}

/** (e^x - 1)/x, accurate near 0. */
function phi1(x: number): number {
  return Math.abs(x) < 1e-5 ? 1 + x / 2 + (x * x) / 6 : Math.expm1(x) / x;
}

/** z = S^-1 b + e and h = -S e; returns z.h. */
function residuals(n: number, s: Float64Array, optimum: Float64Array, error: Float64Array, z: Float64Array, h: Float64Array): number {
  let dot = 0;
  for (let i = 0; i < n; i++) {
    h[i] = -s[i] * error[i];
    z[i] = optimum[i] + error[i];
    dot += z[i] * h[i];
  }
  return dot;
}

/**
 * Rich gradient flow in the eigenbasis of F, in the error e = z - S^-1 b (b = sqrt(N) c):
 * de/dtau = -(1 + gamma q) S e - gamma J S e, dJ/dtau = (z h^T + h z^T)/N, dq/dtau = 2 z.h/N,
 * h = -S e, K = I + gamma J. Exponential midpoint: predictor to tau + dtau/2 with q frozen at tau,
 * corrector over dtau with the isotropic rate at the half-step q and the coupling and the J, q
 * rates at the half-step state. The half-step J = J + (dtau/2N)(z0 h0^T + h0 z0^T) is never formed:
 * J_half h1 = J h1 + (dtau/2N)(z0 (h0.h1) + h0 (z0.h1)); and the step's update of J is applied in
 * the sweep that computes the next step's J h0 — two passes over J per step. Returns the number of steps.
 */
function richFlow(n: number, s: Float64Array, coordinates: Float64Array, plateau: number, featureLearning: number, relativeStep: number,
  times: Float64Array, loss: Float64Array, monitor: Monitor, run: number, kernels: FeatureSpaceKernels): number {
  const state = kernels.start(n);
  try {
    return richFlowSteps(n, s, coordinates, plateau, featureLearning, relativeStep, times, loss, monitor, run, state);
  } finally {
    state.dispose();
  }
}

function richFlowSteps(n: number, s: Float64Array, coordinates: Float64Array, plateau: number, featureLearning: number, relativeStep: number,
  times: Float64Array, loss: Float64Array, monitor: Monitor, run: number, state: FeatureSpaceState): number {
  const root = Math.sqrt(n);
  const optimum = new Float64Array(n); // S^-1 b
  for (let i = 0; i < n; i++) optimum[i] = s[i] > 0 ? (coordinates[i] * root) / s[i] : 0;
  const e = Float64Array.from(optimum, (value) => -value);
  // J (symmetric, lower triangle) lives in the engine's memory; these are views of its vectors
  const halfE = new Float64Array(n);
  const force = state.view('force');
  const z0 = state.view('z0');
  const h0 = state.view('h0');
  const z1 = state.view('z1');
  const h1 = state.view('h1');
  const gamma = featureLearning;
  let q = 0;
  let tau = 0;
  let steps = 0;
  let record = 0;
  let pending = 0; // factor of the update J += pending (z1 h1^T + h1 z1^T) not yet applied
  const last = times[times.length - 1];
  while (record < times.length) {
    if (times[record] <= tau * (1 + 1e-13)) {
      let quadratic = 0;
      for (let i = 0; i < n; i++) quadratic += s[i] * e[i] * e[i];
      loss[record] = plateau + quadratic / n;
      if (!Number.isFinite(loss[record])) {
        loss.fill(loss[record], record);
        return steps;
      }
      record++;
      continue;
    }
    let learned = 0;
    for (let i = 0; i < n; i++) {
      const zi = optimum[i] + e[i];
      learned += s[i] * zi * zi;
    }
    const rho = Math.max(1, learned / n);
    const dt = Math.min(Math.max(relativeStep * tau, 1e-3), COUPLING_STEP / (gamma * rho), times[record] - tau);
    // predictor: half step, isotropic rate at tau, force0 = gamma J h0
    const dq0 = (2 * residuals(n, s, optimum, e, z0, h0)) / n;
    state.sweep(pending, 'h0');
    const rate0 = 1 + gamma * q;
    for (let i = 0; i < n; i++) {
      const x = (-rate0 * s[i] * dt) / 2;
      halfE[i] = Math.exp(x) * e[i] + phi1(x) * (dt / 2) * gamma * force[i];
    }
    const halfQ = q + (dt / 2) * dq0;
    // corrector: full step with half-step rates, force1 = gamma J_half h1
    const dq1 = (2 * residuals(n, s, optimum, halfE, z1, h1)) / n;
    state.sweep(0, 'h1');
    let overlapH = 0;
    let overlapZ = 0;
    for (let i = 0; i < n; i++) {
      overlapH += h0[i] * h1[i];
      overlapZ += z0[i] * h1[i];
    }
    const half = dt / 2 / n;
    const rate1 = 1 + gamma * halfQ;
    for (let i = 0; i < n; i++) {
      const x = -rate1 * s[i] * dt;
      const coupled = gamma * (force[i] + half * (z0[i] * overlapH + h0[i] * overlapZ));
      e[i] = Math.exp(x) * e[i] + phi1(x) * dt * coupled;
    }
    pending = dt / n;
    q += dt * dq1;
    tau += dt;
    steps++;
    if ((steps & 63) === 63) monitor.step(run + Math.min(1, tau / last));
  }
  return steps;
}
