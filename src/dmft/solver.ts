// The DMFT of random-feature regression (spec dmft-random-features.md §5, §6, §7(b), §10) as a
// prepared problem: options are validated and the spectrum compressed once; evaluate(times)
// returns the typical-case test and training loss with the bias-variance split, equilibrium()
// the t -> infinity limit. Everything is in package units (CONVENTIONS.md): H = G/P + weightDecay,
// s conjugate to t_m, loss = 2 E_test, trainLoss = 2 E_train. With z = s + weightDecay:
//   A(s) = E Tr[Lambda (H + s)^-1] = P (kappa/z - 1),   B(s) = E Tr[G/P (H + s)^-1] = P (1 - z/kappa),
//   Phi_m(x) = L^-1[A/s^m](x),  Psi_m(x) = L^-1[B/s^m](x)  (spec §6; Psi is the G-weighted analogue),
// and for an anisotropic teacher the two-resolvent equivalent (spec §5) with q_i = 1/(kappa + lambda_i),
//   E Tr[Lambda R1 Omega R2] = kappa1 kappa2 D_p / (z1 z2 (1 - Q)),  E Tr[G/P R1 Omega R2] = D_p / (1 - Q),
//   D_p = sum p q1 q2,  Q = (1/P) sum m lambda^2 q1 q2,
// where the two-point sums are divided differences of one-point sums, e.g.
// D_p = [sum p q(kappa1) - sum p q(kappa2)] / (kappa2 - kappa1), so the 2-D rule costs O(M_T^2) per
// time on top of O(M_T N_c) mode sums. [R] spec §5-§6: a reconstruction; the G-weighted (training)
// forms are derived here from the same deterministic equivalents (Tr[G R1 Omega R2] via
// G R1 = I - z1 R1 and the kappa equation) and are checked against the exact solver (D11, D12).
// The null-space atom of A (weight P kappa_null at h = weightDecay, N > P) is split off exactly and
// enters the 1-D terms in closed form (no cancellation of its linear growth at late times).
// Gradient descent (spec §9): every transform is evaluated at s(z) = (1 - z)/(eta z) and the
// coefficient of z^n is inverted (Talbot rule in w = -ln(z)/eta, split into two contours when modes
// oscillate, or a circle |z| = r for few steps; src/dmft/descent-rule.ts).
import { checkBudget } from '../budget.js';
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { dmftKernels, NODE_SUMS, type DmftModeKernels } from '../engine/dmft-kernels.js';
import { resolveEngine } from '../engine/registry.js';
import type { EngineChoice, EngineName } from '../engine/types.js';
import { ParameterError } from '../errors.js';
import { resolveSpectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import type { TimeGrid } from '../time-grid.js';
import { checkNumber, checkOptions, optionalBoolean, optionalNumber } from '../validate.js';
import { compressModes, continueKappa, realKappa, staticKappa, type CompressionOptions, type DmftModeSet } from './kappa.js';
import { circleNodes, descentPoint, descentTalbotNodes, type DescentSegment } from './descent-rule.js';
import { productRule, talbotRule } from './talbot.js';
import { checkTrainingNoise, type TrainingNoiseOptions } from './training-options.js';

/** Options of dmft() and prepareDmft() (package units, CONVENTIONS.md). */
export interface DmftOptions extends Omit<SpectrumOptions, 'headModes'>, TrainingNoiseOptions, RunControl {
  /** P, the number of training samples (integer >= 1). */
  dataSize: number;
  /**
   * N, the number of features = the N population modes of largest eigenvalue (spec §2; default all
   * modes, Infinity allowed). Target power outside the model acts as label noise in training and a
   * constant in the test loss.
   */
  modelSize?: number;
  /**
   * Gradient descent with this learning rate (times are then step counts; spec §9 z-transform;
   * Langevin noise sqrt(2 learningRate temperature) per step, the unadjusted Langevin algorithm):
   * requires learningRate x h_max < 2 (h_max the right edge of the spectrum of G/P + weightDecay; >= 2
   * diverges). Between 1 and 2 the modes h > 1/learningRate oscillate (1 - learningRate h < 0).
   */
  learningRate?: number;
  /** Times t_m (default log-spaced 1..10^4, 41 points); used by dmft(), ignored by prepareDmft(). */
  times?: TimeGrid;
  /**
   * M_T, nodes of the Talbot contour (even, 8..64, default 48; spec §10 step 2). Round-off of the
   * rule grows like e^(0.17 M_T) x 1e-16 in 1-D and e^(0.34 M_T) x 1e-16 for the 2-D product rule
   * (anisotropic teacher): 24-48 nodes agree to ~1e-10, 64 nodes lose ~3e-7 in 2-D.
   */
  talbotNodes?: number;
  /** dmft(): also locate the early-stopping minimum (default false); ignored by prepareDmft(). */
  earlyStopping?: boolean;
  /** Engine of the mode sums: 'auto' (default), 'wasm-simd', 'wasm' or 'js'. */
  engine?: EngineChoice;
}

/** Variance parts of spec §6 (package units, like exactFiniteSize()). */
export interface DmftVarianceParts<T> {
  /** Teacher part of the 1/(1 - Q) correction: teacher error minus bias. */
  data: T;
  /** Label noise, including target power outside the model (spec §2). */
  labelNoise: T;
  /** Langevin noise: temperature Phi_1(2t). */
  thermal: T;
  /** Random initialisation: initVariance Phi_0(2t). */
  initialisation: T;
}

/** Curves at the requested times. */
export interface DmftCurves {
  /** Test loss L = 2 E_test (+ labelNoise with includeNoise). */
  loss: Float64Array;
  /** Training MSE (1/P)|Psi w - y|^2 = 2 E_train (no weight-decay penalty). */
  trainLoss: Float64Array;
  /** Error of the data-averaged predictor (spec §6), including the outside-model power. */
  bias: Float64Array;
  /** loss - bias (excess part). */
  variance: Float64Array;
  varianceParts: DmftVarianceParts<Float64Array>;
}

/** The t -> infinity limit (spec §7(b), §7(c)). */
export interface DmftEquilibrium {
  /** kappa_0, the static renormalised ridge (unit-free; 0 for weightDecay = 0 with N <= P). */
  kappa: number;
  /** gamma_2 = (1/P) sum lambda^2 / (lambda + kappa_0)^2 (N/P when kappa_0 = 0). */
  gamma2: number;
  /** Test loss at t -> infinity (Infinity when it grows without bound: temperature > 0, weightDecay = 0, N >= P). */
  loss: number;
  trainLoss: number;
  bias: number;
  variance: number;
  varianceParts: DmftVarianceParts<number>;
  /** Error of the stationary mean = ridge regression with ridge weightDecay = Bayes posterior-mean error. */
  ridgeLoss: number;
  /** Same as ridgeLoss (the field name of exactFiniteSize()'s equilibrium). */
  bayes: number;
  /**
   * Posterior variance E_x[Sigma(x, x)] = P temperature (kappa_0 / weightDecay - 1) (spec §7(b) [R][V]);
   * for Langevin descent the stationary variance T Tr[Lambda H^-1 (1 - learningRate H/2)^-1] instead (spec §9).
   */
  posteriorVariance: number;
  /** ridgeLoss + posteriorVariance: the error of a posterior sample (Langevin at equilibrium). */
  gibbsLoss: number;
  /** d loss / dt at late times for temperature > 0, weightDecay = 0, N > P: 2 T P kappa_0 (spec §7(c)); else 0. */
  lossGrowthRate: number;
}

/** A prepared DMFT problem. */
export interface DmftProblem {
  /** Curves at `times` (t_m >= 0, any order; Infinity gives the equilibrium values). */
  evaluate(times: Float64Array): DmftCurves;
  /** The t -> infinity limit (cheap: real kappa_0 only). */
  equilibrium(): DmftEquilibrium;
  /** Frees engine memory (idempotent). */
  dispose(): void;
  /** The compressed modes. */
  readonly modes: DmftModeSet;
  /** Validated parameters after defaults. */
  readonly parameters: DmftParameters;
  /** Engine of the mode sums. */
  readonly engine: EngineName;
  /** Whether the teacher is isotropic (omega_k constant): 1-D inversions only. */
  readonly isotropic: boolean;
  /** Parameters as reported in meta (spectrum included). */
  readonly described: Record<string, unknown>;
}

/** Validated physical parameters (package units). */
export interface DmftParameters {
  dataSize: number;
  modelSize: number;
  weightDecay: number;
  temperature: number;
  labelNoise: number;
  initVariance: number;
  includeNoise: boolean;
  talbotNodes: number;
  /** Gradient descent with this learning rate (times are steps); undefined: gradient flow. */
  learningRate: number | undefined;
}

/** Internal controls (tests): compression refinement and the teacher transform. */
export interface DmftInternalOptions extends CompressionOptions {
  /** 'auto' (default): 1-D for an isotropic teacher, 2-D otherwise; '2d' forces the product rule (Ward identity D8). */
  teacherTransform?: 'auto' | '2d';
  /**
   * Descent: smallest step count inverted by the Talbot rule in w (default ceil(DESCENT_TALBOT_RATIO M_T),
   * ceil(DESCENT_SPLIT_RATIO M_T) for the split rule); fewer steps use the circle.
   */
  descentTalbotSteps?: number;
  /** Descent: 'auto' (default): the split contour only with oscillating modes (learningRate h_max > 1); 'split' always. */
  descentRule?: 'auto' | 'split';
}

/** Option names of dmft(). */
export const DMFT_KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower',
  'dataSize', 'modelSize', 'weightDecay', 'temperature', 'labelNoise', 'initVariance', 'learningRate',
  'times', 'includeNoise', 'talbotNodes', 'earlyStopping', 'engine', ...CONTROL_KEYS] as const;

/** Validates the physical options (shared with dmftEquilibrium()). */
export function resolveDmftOptions(functionName: string, options: DmftOptions, keys: readonly string[] = DMFT_KEYS) {
  const given = checkOptions(functionName, options, keys) as unknown as DmftOptions;
  const spectrum = resolveSpectrum(given);
  const dataSize = checkNumber('dataSize', given.dataSize, { minimum: 1, integer: true, maximum: 2 ** 26 });
  const modeCount = spectrum.kind === 'custom' ? spectrum.eigenvalues.length : spectrum.modes;
  const modelSize = optionalNumber('modelSize', given.modelSize, modeCount,
    { minimum: 1, integer: true, maximum: modeCount, allowInfinity: modeCount === Infinity });
  const { weightDecay, temperature, labelNoise, initVariance, includeNoise } = checkTrainingNoise(given);
  const talbotNodes = optionalNumber('talbotNodes', given.talbotNodes, 48, { minimum: 8, maximum: 64, integer: true });
  if (talbotNodes % 2 !== 0) throw new ParameterError('talbotNodes', talbotNodes, 'an even integer from 8 to 64');
  const learningRate = given.learningRate === undefined ? undefined
    : checkNumber('learningRate', given.learningRate, { minimum: 0, exclusiveMinimum: true });
  optionalBoolean('earlyStopping', given.earlyStopping, false);
  if (spectrum.kind === 'custom' && spectrum.eigenvalues.length * 8 * 4 > 2 ** 30) {
    checkBudget('eigenvalues', spectrum.eigenvalues.length, spectrum.eigenvalues.length * 8 * 6, 'the sorted custom spectrum');
  }
  const parameters: DmftParameters = { dataSize, modelSize, weightDecay, temperature, labelNoise, initVariance, includeNoise, talbotNodes, learningRate };
  const described: Record<string, unknown> = {
    ...(spectrum.kind === 'power-law'
      ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale }
      : { modes: modeCount }),
    dataSize, modelSize, weightDecay, temperature, labelNoise, initVariance, includeNoise, talbotNodes,
    ...(learningRate !== undefined ? { learningRate } : {}),
  };
  return { given, spectrum, parameters, described };
}

/** Relative spread of omega_i = p_i / (m_i lambda_i) below which the teacher counts as isotropic. */
const ISOTROPY = 1e-12;
/**
 * Descent, fewer steps n < n0: trapezoid rule with max(CIRCLE_NODES, 7 n0) points on |z| = r = 10^(-2/n0)
 * (aliasing r^points <= 1e-14; round-off amplified by r^-n <= 1e2 in 1-D, 1e4 in 2-D).
 */
const CIRCLE_NODES = 128;
/** Descent: the Talbot rule in w is used once n + 1 > ratio x M_T (|Im eta w| < pi: one period strip of w). */
const DESCENT_TALBOT_RATIO = 0.27;
/** Split rule (oscillating modes): both contours in |Im eta w| < pi/2, n + 1 > 2 x 0.2645 (M_T - 1); with margin. */
const DESCENT_SPLIT_RATIO = 0.54;
/** weightDecay x t beyond which the transients (<= e^(-weightDecay t)) are negligible. */
const SETTLED = 45;
/** Below this relative distance of two kappas the two-point sums are summed directly. */
const CLOSE = 1e-2;

/**
 * Right edge h_max of the typical spectrum of H = G/P + weightDecay (spec §9, "estimate h_max from
 * the right edge of the spectral measure"): for real kappa < -lambda_1 the kappa equation gives
 * z(kappa) = kappa (1 - (1/P) sum m lambda/(lambda + kappa)), increasing from -infinity until
 * z'(kappa) = 1 - (1/P) sum m lambda^2/(lambda + kappa)^2 = 0 at the branch point kappa*; the
 * support of the spectral measure ends at s = z(kappa*) - weightDecay, so h_max = weightDecay - z(kappa*).
 */
export function spectralEdge(modes: DmftModeSet, dataSize: number, weightDecay: number): number {
  const kappa = edgeKappa(modes, dataSize);
  return weightDecay - zOfKappa(modes, dataSize, kappa);
}

/** z(kappa) = kappa (1 - (1/P) sum m lambda / (lambda + kappa)), the kappa equation solved for z. */
function zOfKappa(modes: DmftModeSet, dataSize: number, kappa: number): number {
  let sum = 0;
  for (let i = 0; i < modes.eigenvalues.length; i++) sum += modes.multiplicity[i] * modes.eigenvalues[i] / (modes.eigenvalues[i] + kappa);
  return kappa * (1 - sum / dataSize);
}

/** The branch point kappa* < -lambda_1 where z'(kappa) = 0 (right edge of the spectrum). */
function edgeKappa(modes: DmftModeSet, dataSize: number): number {
  const { eigenvalues, multiplicity } = modes;
  let largest = 0;
  let second = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    largest = Math.max(largest, eigenvalues[i]);
    second += Math.abs(multiplicity[i]) * eigenvalues[i] * eigenvalues[i];
  }
  const slope = (kappa: number) => {
    let sum = 0;
    for (let i = 0; i < eigenvalues.length; i++) sum += multiplicity[i] * eigenvalues[i] ** 2 / (eigenvalues[i] + kappa) ** 2;
    return 1 - sum / dataSize;
  };
  // z' > 0 below -lambda_1 - sqrt(sum m lambda^2 / P); z' -> -infinity at -lambda_1
  let low = -largest - Math.sqrt(second / dataSize) - largest * 1e-12 - 1e-300;
  let high = -largest * (1 + 1e-15);
  for (let iteration = 0; iteration < 200 && high - low > 1e-15 * Math.abs(low); iteration++) {
    const middle = (low + high) / 2;
    if (slope(middle) > 0) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Constants of Langevin descent (spec §9 thermal filter T (1 - rho^2n) / (h (1 - eta h / 2)), split as
 * T [(1 - rho^2n)/h + eta (1 - rho^2n)/(2 - eta h)]): the traces at s' = -2/eta, left of the spectrum,
 * C_A = E Tr[Lambda (2 - eta H)^-1] (all modes), its regular part (null-space atom excluded) and
 * C_B = E Tr[G/P (2 - eta H)^-1], from the real root kappa' < kappa* of z(kappa') = s' + weightDecay.
 */
export function descentThermalConstants(modes: DmftModeSet, parameters: DmftParameters, kappaNull: number): { full: number; regular: number; gram: number } {
  const eta = parameters.learningRate as number;
  const P = parameters.dataSize;
  const target = -2 / eta + parameters.weightDecay;
  const kappa = leftKappa(modes, P, target);
  // A(s') = P (kappa'/z' - 1); regular part P X/(1 - X), X = (1/P) sum m lambda^2 / ((lambda + kappa_null)(lambda + kappa'))
  let x = 0;
  for (let i = 0; i < modes.eigenvalues.length; i++) {
    const l = modes.eigenvalues[i];
    x += modes.multiplicity[i] * l * l / ((l + kappaNull) * (l + kappa));
  }
  x /= P;
  const full = P * (kappa / target - 1);
  const regular = P * x / (1 - x);
  const gram = P * (1 - target / kappa);
  return { full: -full / eta, regular: -regular / eta, gram: -gram / eta };
}

/**
 * Stability of gradient descent (spec §9): learningRate x h_max < 2, else the iteration diverges
 * (ParameterError naming learningRate, its value and the bound 2/h_max). Returns h_max (NaN for flow).
 * Between 1 and 2 the modes above 1/learningRate oscillate; prepareDmft() then uses the split rule.
 */
export function checkDescent(modes: DmftModeSet, parameters: DmftParameters): number {
  const eta = parameters.learningRate;
  if (eta === undefined) return NaN;
  const edge = spectralEdge(modes, parameters.dataSize, parameters.weightDecay);
  if (!(eta * edge < 2)) {
    throw new ParameterError('learningRate', eta, `a number < ${2 / edge} (2 / h_max, h_max = ${edge} the right edge of the spectrum of G/P + weightDecay)`,
      `learningRate x h_max = ${eta * edge} >= 2: gradient descent diverges`);
  }
  return edge;
}

/**
 * kappa at real z = s + weightDecay left of the spectrum (s < -h_max): the root of z(kappa) = z
 * below the branch point kappa* (z(kappa) increases from -infinity there), by bisection.
 */
export function leftKappa(modes: DmftModeSet, dataSize: number, z: number): number {
  let high = edgeKappa(modes, dataSize);
  let trace = 0;
  for (let i = 0; i < modes.eigenvalues.length; i++) trace += Math.abs(modes.multiplicity[i]) * modes.eigenvalues[i];
  let low = z - 2 * trace / dataSize - Math.abs(z) - 1;
  for (let iteration = 0; iteration < 200 && high - low > 1e-15 * Math.abs(low); iteration++) {
    const middle = (low + high) / 2;
    if (zOfKappa(modes, dataSize, middle) < z) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * Equilibrium (t -> infinity) of the DMFT from the static kappa_0 (spec §7(b), (c)), package units:
 * bias = sum p (kappa_0/(lambda + kappa_0))^2 + outside; data = bias_model gamma_2/(1 - gamma_2);
 * label noise = sigma^2 gamma_2/(1 - gamma_2); thermal = P T (kappa_0/weightDecay - 1);
 * initialisation = sigma_0^2 P kappa_0 when weightDecay = 0 (the null space keeps its start).
 */
export function equilibriumOf(modes: DmftModeSet, parameters: DmftParameters): DmftEquilibrium {
  const { dataSize: P, weightDecay, temperature, labelNoise, initVariance, includeNoise } = parameters;
  const { kappa, gamma2, ridgeRatio } = staticKappa(modes, P, weightDecay);
  const trainingNoise = labelNoise + modes.outsidePower;
  let biasModel = 0;
  for (let i = 0; i < modes.eigenvalues.length; i++) {
    const ratio = kappa / (modes.eigenvalues[i] + kappa);
    biasModel += modes.targetPower[i] * ratio * ratio;
  }
  const amplification = gamma2 < 1 ? gamma2 / (1 - gamma2) : Infinity;
  const timesZero = (value: number, factor: number) => (value === 0 ? 0 : value * factor);
  const data = timesZero(biasModel, amplification);
  const labelPart = timesZero(trainingNoise, amplification);
  let thermal = 0;
  if (temperature > 0) thermal = ridgeRatio > 0 ? P * temperature * (1 / ridgeRatio - 1) : Infinity;
  // descent: the stationary variance T/(h (1 - eta h/2)) adds T eta Tr[Lambda (2 - eta H)^-1] (spec §9)
  const descent = temperature > 0 && parameters.learningRate !== undefined
    ? descentThermalConstants(modes, parameters, realKappa(modes, P, 0)) : undefined;
  if (descent) thermal += temperature * (parameters.learningRate as number) * descent.full;
  const initialisation = initVariance > 0 && weightDecay === 0 ? initVariance * P * kappa : 0;
  const bias = biasModel + modes.outsidePower;
  const ridgeLoss = bias + data + labelPart;
  const offset = includeNoise ? labelNoise : 0;
  const loss = ridgeLoss + thermal + initialisation + offset;
  // training: weightDecay^2 sum p q0^2/(1 - gamma2) = ratio^2 bias_model/(1 - gamma2); noise ratio^2 sigma^2/(1 - gamma2)
  const trainFactor = ridgeRatio === 0 ? 0 : (gamma2 < 1 ? ridgeRatio * ridgeRatio / (1 - gamma2) : Infinity);
  const trainLoss = timesZero(biasModel, trainFactor) + timesZero(trainingNoise, trainFactor)
    + (temperature > 0 ? temperature * P * (1 - ridgeRatio) : 0)
    + (descent ? temperature * (parameters.learningRate as number) * descent.gram : 0);
  return {
    kappa, gamma2, loss, trainLoss, bias, variance: loss - offset - bias,
    varianceParts: { data, labelNoise: labelPart, thermal, initialisation },
    ridgeLoss, bayes: ridgeLoss, posteriorVariance: thermal, gibbsLoss: ridgeLoss + thermal,
    lossGrowthRate: temperature > 0 && weightDecay === 0 && kappa > 0 ? 2 * temperature * P * kappa : 0,
  };
}

/** Per-abscissa node data: kappa and the one-point sums at each upper-half Talbot node. */
interface NodeData {
  /** Which rule made the nodes (continuation follows a node only within one rule). */
  kind: 'flow' | 'descent' | 'split' | 'circle';
  /** Number of upper-half nodes. */
  count: number;
  /** Weights W_u of f = 2 Re sum_u W_u F(s_u), interleaved (re, im). */
  weight: Float64Array;
  /** Interleaved (re, im) of s, z = s + weightDecay, kappa. */
  s: Float64Array;
  z: Float64Array;
  kappa: Float64Array;
  /** NODE_SUMS values per node (see DmftModeKernels.nodeSums). */
  sums: Float64Array;
  /** X = (1/P) sum m lambda^2 / ((lambda + kappa_null)(lambda + kappa)) per node (re, im). */
  regular: Float64Array;
}

/**
 * Validates `options` and prepares the DMFT (spec §10): spectrum compression, engine kernels.
 * With learningRate, times are step counts (gradient descent, spec §9, learningRate x h_max < 2). Call dispose() when done.
 * [R] spec §5-§7: reconstruction; see the file header for the formulas.
 */
export function prepareDmft(options: DmftOptions, internal: DmftInternalOptions = {}): DmftProblem {
  const prepared = now();
  const { spectrum, parameters, described } = resolveDmftOptions('dmft', options);
  const { dataSize: P, weightDecay: gamma, temperature, labelNoise, initVariance, includeNoise, learningRate } = parameters;
  const modes = compressModes(spectrum, parameters.modelSize, P, internal);
  const edge = checkDescent(modes, parameters);
  // oscillating modes (1 - eta h < 0 for h > 1/eta): the split contour (src/dmft/descent-rule.ts) up to
  // step count splitUpTo; beyond it the oscillating part of every coefficient, bounded by
  // (eta h_max - 1)^n, is below e^(-SETTLED) and the single contour around the real axis suffices
  // (the second contour's nodes would cluster near s = -2/eta, where every two-point sum is direct)
  const forceSplit = learningRate !== undefined && internal.descentRule === 'split';
  const split = learningRate !== undefined && (learningRate * edge > 1 || forceSplit);
  const splitUpTo = forceSplit ? Infinity : split ? SETTLED / -Math.log(Math.min(1, learningRate * edge - 1)) : -1;
  const singleTalbotSteps = internal.descentTalbotSteps ?? Math.ceil(DESCENT_TALBOT_RATIO * parameters.talbotNodes);
  const splitTalbotSteps = internal.descentTalbotSteps ?? Math.ceil(DESCENT_SPLIT_RATIO * parameters.talbotNodes);
  const descentTalbotSteps = split ? splitTalbotSteps : singleTalbotSteps;
  const circleSteps = Math.max(1, Math.min(descentTalbotSteps, 64));
  const circleRadius = 10 ** (-2 / circleSteps);
  const circlePoints = Math.max(CIRCLE_NODES, 8 * Math.ceil(7 * circleSteps / 8));
  // per-step decay of the slowest transient of descent, max |1 - eta h| over the spectrum [weightDecay, h_max]
  const descentDecay = learningRate === undefined ? NaN : -Math.log(Math.max(Math.abs(1 - learningRate * gamma), learningRate * edge - 1));
  if (modes.eigenvalues.length * 8 * 6 > 2 ** 30) {
    checkBudget('modelSize', parameters.modelSize, modes.eigenvalues.length * 8 * 6, 'the mode arrays');
  }
  const engine = resolveEngine(options.engine);
  const control: RunControl = { signal: options.signal, onProgress: options.onProgress, timeLimit: options.timeLimit };
  new Monitor(control, 1); // validates the controls up front
  const kernels: DmftModeKernels = dmftKernels(engine, modes.eigenvalues, modes.multiplicity, modes.targetPower, P);
  const rule = talbotRule(parameters.talbotNodes);
  const trainingNoise = labelNoise + modes.outsidePower;

  // isotropy: omega_i = p_i / (m_i lambda_i) constant
  let omegaMin = Infinity;
  let omegaMax = -Infinity;
  let power = 0;
  let trace = 0;
  for (let i = 0; i < modes.eigenvalues.length; i++) {
    const omega = modes.targetPower[i] / (modes.multiplicity[i] * modes.eigenvalues[i]);
    omegaMin = Math.min(omegaMin, omega);
    omegaMax = Math.max(omegaMax, omega);
    power += modes.targetPower[i];
    trace += modes.multiplicity[i] * modes.eigenvalues[i];
  }
  const isotropic = omegaMax - omegaMin <= ISOTROPY * Math.abs(omegaMax);
  const omega = isotropic ? (omegaMin + omegaMax) / 2 : NaN;
  const useTwoDimensional = !isotropic || internal.teacherTransform === '2d';
  // The spectrum of G/P does not depend on weightDecay: A(s) = E Tr[Lambda (H + s)^-1] is a function
  // of z = s + weightDecay with a pole P kappa_null / z, kappa_null = kappa(z = 0) (the Lambda-weight of
  // the null space of G, spec §7(c); 0 when N <= P). Subtracting it exactly,
  //   A = P kappa_null / z + P X / (1 - X),  X = (1/P) sum m lambda^2 / ((lambda + kappa_null)(lambda + kappa)),
  // (from the kappa equation at z and at 0) leaves a regular part for the Talbot rule, and the atom at
  // h = weightDecay enters every 1-D term in closed form: no cancellation of its linear growth at late times.
  const kappaNull = realKappa(modes, P, 0);
  const atom = P * kappaNull;
  const descentConstants = learningRate !== undefined && temperature > 0 ? descentThermalConstants(modes, parameters, kappaNull) : undefined;
  let disposed = false;

  /**
   * Upper-half inversion nodes of abscissa x, with f(x) = 2 Re sum_u W_u F(s_u):
   *  - flow: the Talbot rule in t = x, s_u = node_u / x, W_u = c_u / x (spec §10 step 2);
   *  - descent, x = steps n >= descentTalbotSteps: the Talbot rule in w at t = eta (n + 1) with
   *    s(w) = (e^(eta w) - 1)/eta (spec §9 z-transform with z = e^(-eta w): the coefficient of z^n of
   *    F(s(z))/(eta z) is (1/2 pi i) int F(s(w)) e^((n+1) eta w) dw), split into two contours when
   *    modes oscillate (src/dmft/descent-rule.ts);
   *  - descent, small n: the trapezoid rule on |z| = circleRadius with circlePoints points.
   */
  function nodesAt(x: number): { kind: NodeData['kind']; s: Float64Array; weight: Float64Array; segments: DescentSegment[] } {
    if (learningRate === undefined) {
      const count = rule.count;
      const sv = new Float64Array(2 * count);
      const weight = new Float64Array(2 * count);
      for (let j = 0; j < count; j++) {
        weight[2 * j] = rule.coefficientRe[j] / x;
        weight[2 * j + 1] = rule.coefficientIm[j] / x;
        sv[2 * j] = rule.nodeRe[j] / x;
        sv[2 * j + 1] = rule.nodeIm[j] / x;
      }
      return { kind: 'flow', s: sv, weight, segments: [{ start: 0, count, crossing: rule.crossing / x, left: false }] };
    }
    if (x > splitUpTo) {
      if (x >= singleTalbotSteps) return descentTalbotNodes(rule, learningRate, x, false);
    } else if (x >= splitTalbotSteps) {
      return descentTalbotNodes(rule, learningRate, x, true);
    }
    return circleNodes(learningRate, x, circleRadius, circlePoints);
  }

  /** kappa and sums at the upper-half nodes of each abscissa (ascending), by continuation. */
  function solveNodes(abscissae: number[], monitor: Monitor): NodeData[] {
    const out = new Float64Array(2);
    const result: NodeData[] = [];
    let previous: NodeData | undefined;
    let before: NodeData | undefined;
    let previousX = 0;
    for (let a = 0; a < abscissae.length; a++) {
      const x = abscissae[a];
      const nodes = nodesAt(x);
      const count = nodes.s.length / 2;
      const data: NodeData = {
        kind: nodes.kind, count, s: nodes.s, weight: nodes.weight, z: new Float64Array(2 * count), kappa: new Float64Array(2 * count),
        sums: new Float64Array(NODE_SUMS * count), regular: new Float64Array(2 * count),
      };
      for (let j = 0; j < count; j++) {
        data.z[2 * j] = data.s[2 * j] + gamma;
        data.z[2 * j + 1] = data.s[2 * j + 1];
      }
      if (previous && previous.kind === 'circle' && data.kind === 'circle') {
        data.kappa.set(previous.kappa); // the circle's nodes do not depend on n
      } else if (!previous || previous.kind !== data.kind) {
        // start on the real axis where the contour crosses it, walk outward node by node (spec §10 step 2);
        // the split rule's second contour crosses left of the spectrum (kappa below the branch point)
        for (const segment of nodes.segments) {
          let fromRe = segment.crossing + gamma;
          let fromIm = 0;
          let kr = segment.left ? leftKappa(modes, P, fromRe) : realKappa(modes, P, fromRe);
          let ki = 0;
          for (let j = segment.start; j < segment.start + segment.count; j++) {
            continueKappa(kernels, fromRe, fromIm, kr, ki, data.z[2 * j], data.z[2 * j + 1], out, 0.25);
            fromRe = data.z[2 * j];
            fromIm = data.z[2 * j + 1];
            kr = out[0];
            ki = out[1];
            data.kappa[2 * j] = kr;
            data.kappa[2 * j + 1] = ki;
          }
        }
      } else {
        // each node from the same node of the previous abscissa: t s (flow) or t w (descent) scales by
        // previousX / x, walked geometrically
        const ratio = learningRate === undefined ? previousX / x : (previousX + 1) / (x + 1);
        const substeps = Math.max(1, Math.ceil(Math.abs(Math.log(ratio)) / Math.log(1.5)));
        const time = learningRate === undefined ? previousX : learningRate * (previousX + 1);
        const secant = substeps === 1 && before !== undefined && before.kind === previous.kind;
        const point = new Float64Array(2);
        for (let j = 0; j < count; j++) {
          let kr = previous.kappa[2 * j];
          let ki = previous.kappa[2 * j + 1];
          let sr = previous.s[2 * j];
          let si = previous.s[2 * j + 1];
          if (secant && before) {
            // secant predictor from the node's two previous abscissae: kappa + (dkappa/ds)(s_new - s)
            const dsr = sr - before.s[2 * j];
            const dsi = si - before.s[2 * j + 1];
            const dkr = kr - before.kappa[2 * j];
            const dki = ki - before.kappa[2 * j + 1];
            const inverse = 1 / (dsr * dsr + dsi * dsi);
            const slopeR = (dkr * dsr + dki * dsi) * inverse;
            const slopeI = (dki * dsr - dkr * dsi) * inverse;
            const hr = data.s[2 * j] - sr;
            const hi = data.s[2 * j + 1] - si;
            const pr = kr + slopeR * hr - slopeI * hi;
            const pi = ki + slopeR * hi + slopeI * hr;
            if (Number.isFinite(pr) && Number.isFinite(pi)) {
              kr = pr;
              ki = pi;
            }
          }
          for (let step = 1; step <= substeps; step++) {
            const factor = ratio ** (step / substeps);
            let nr: number;
            let ni: number;
            if (step === substeps) {
              nr = data.s[2 * j];
              ni = data.s[2 * j + 1];
            } else if (learningRate === undefined) {
              nr = previous.s[2 * j] * factor;
              ni = previous.s[2 * j + 1] * factor;
            } else {
              // node j of the Talbot rule in w (split: j >= rule.count on the contour around Im eta w = pi)
              const node = j % rule.count;
              descentPoint(learningRate, learningRate * rule.nodeRe[node] / time * factor, learningRate * rule.nodeIm[node] / time * factor,
                j >= rule.count, point);
              nr = point[0];
              ni = point[1];
            }
            continueKappa(kernels, sr + gamma, si, kr, ki, nr + gamma, ni, out);
            kr = out[0];
            ki = out[1];
            sr = nr;
            si = ni;
          }
          data.kappa[2 * j] = kr;
          data.kappa[2 * j + 1] = ki;
        }
      }
      const sums = new Float64Array(NODE_SUMS);
      const pair = new Float64Array(4);
      for (let j = 0; j < count; j++) {
        kernels.nodeSums(data.kappa[2 * j], data.kappa[2 * j + 1], sums);
        data.sums.set(sums, NODE_SUMS * j);
        kernels.pairSums(kappaNull, 0, data.kappa[2 * j], data.kappa[2 * j + 1], pair);
        data.regular[2 * j] = pair[2] / P;
        data.regular[2 * j + 1] = pair[3] / P;
      }
      result.push(data);
      before = previous;
      previous = data;
      previousX = x;
      monitor.step(a + 1);
    }
    return result;
  }

  /** Phi_m of the regular part of A (weight 'A', null-space atom excluded) or Psi_m (weight 'B') at abscissa x. */
  function oneDimensional(data: NodeData, weight: 'A' | 'B' | 'YA' | 'YB', power: number): number {
    let total = 0;
    for (let j = 0; j < data.count; j++) {
      const kr = data.kappa[2 * j];
      const ki = data.kappa[2 * j + 1];
      const zr = data.z[2 * j];
      const zi = data.z[2 * j + 1];
      // A = P (kappa/z - 1), B = P (1 - z/kappa)
      let vr: number;
      let vi: number;
      if (weight === 'A' || weight === 'YA') {
        // regular part A - P kappa_null / z = P X/(1 - X) (the null-space atom is added in closed form)
        const xr = data.regular[2 * j];
        const xi = data.regular[2 * j + 1];
        const dr = 1 - xr;
        const inverse = P / (dr * dr + xi * xi);
        vr = (xr * dr - xi * xi) * inverse;
        vi = (xi * dr + xr * xi) * inverse;
        void zr;
        void zi;
      } else {
        const inverse = 1 / (kr * kr + ki * ki);
        vr = P * (1 - (zr * kr + zi * ki) * inverse);
        vi = -P * (zi * kr - zr * ki) * inverse;
      }
      const sr = data.s[2 * j];
      const si = data.s[2 * j + 1];
      if (weight === 'YA' || weight === 'YB') {
        // descent thermal part: Y(s) = [-s V(s) + 2 C] / (s (2 + eta s)), the transform of (1 - rho^n)/(2 - eta h)
        const eta = learningRate as number;
        const c = weight === 'YA' ? (descentConstants as { regular: number }).regular : (descentConstants as { gram: number }).gram;
        const nr = -(sr * vr - si * vi) + 2 * c;
        const ni = -(sr * vi + si * vr);
        const dr = sr * (2 + eta * sr) - si * (eta * si);
        const di = sr * (eta * si) + si * (2 + eta * sr);
        const inverse = 1 / (dr * dr + di * di);
        vr = (nr * dr + ni * di) * inverse;
        vi = (ni * dr - nr * di) * inverse;
      }
      // divide by s^power
      for (let p = 0; p < power; p++) {
        const inverse = 1 / (sr * sr + si * si);
        const nr = (vr * sr + vi * si) * inverse;
        const ni = (vi * sr - vr * si) * inverse;
        vr = nr;
        vi = ni;
      }
      total += data.weight[2 * j] * vr - data.weight[2 * j + 1] * vi;
    }
    return 2 * total;
  }

  /** Teacher parts of loss and trainLoss at time t by the 2-D product rule (spec §10 step 4, thermal excluded). */
  function twoDimensional(data: NodeData): [number, number] {
    const pair = new Float64Array(4);
    const [test, train] = productRule(data.count, data.weight, 2, (j, k, conjugate, out) => {
      const sign = conjugate ? -1 : 1;
      const k1r = data.kappa[2 * j], k1i = data.kappa[2 * j + 1];
      const k2r = data.kappa[2 * k], k2i = sign * data.kappa[2 * k + 1];
      const dr = k2r - k1r;
      const di = k2i - k1i;
      let dpr: number, dpi: number, qr: number, qi: number;
      if (!conjugate && j === k) {
        dpr = data.sums[NODE_SUMS * j + 6];
        dpi = data.sums[NODE_SUMS * j + 7];
        qr = data.sums[NODE_SUMS * j + 2] / P;
        qi = data.sums[NODE_SUMS * j + 3] / P;
      } else if (Math.hypot(dr, di) < CLOSE * Math.hypot(k1r, k1i)) {
        kernels.pairSums(k1r, k1i, k2r, k2i, pair);
        dpr = pair[0];
        dpi = pair[1];
        qr = pair[2] / P;
        qi = pair[3] / P;
      } else {
        // divided differences: [T(kappa1) - T(kappa2)] / (kappa2 - kappa1)
        const inverse = 1 / (dr * dr + di * di);
        const tp1r = data.sums[NODE_SUMS * j + 4], tp1i = data.sums[NODE_SUMS * j + 5];
        const tp2r = data.sums[NODE_SUMS * k + 4], tp2i = sign * data.sums[NODE_SUMS * k + 5];
        const tl1r = data.sums[NODE_SUMS * j + 8], tl1i = data.sums[NODE_SUMS * j + 9];
        const tl2r = data.sums[NODE_SUMS * k + 8], tl2i = sign * data.sums[NODE_SUMS * k + 9];
        const nr = tp1r - tp2r, ni = tp1i - tp2i;
        dpr = (nr * dr + ni * di) * inverse;
        dpi = (ni * dr - nr * di) * inverse;
        const lr = tl1r - tl2r, li = tl1i - tl2i;
        qr = (lr * dr + li * di) * inverse / P;
        qi = (li * dr - lr * di) * inverse / P;
      }
      // common = D_p / ((1 - Q) s1 s2)
      const s1r = data.s[2 * j], s1i = data.s[2 * j + 1];
      const s2r = data.s[2 * k], s2i = sign * data.s[2 * k + 1];
      const ar = (1 - qr) * (s1r * s2r - s1i * s2i) - (-qi) * (s1r * s2i + s1i * s2r);
      const ai = (1 - qr) * (s1r * s2i + s1i * s2r) + (-qi) * (s1r * s2r - s1i * s2i);
      const inverse = 1 / (ar * ar + ai * ai);
      const cr = (dpr * ar + dpi * ai) * inverse;
      const ci = (dpi * ar - dpr * ai) * inverse;
      // test: kappa1 kappa2 common; train: z1 z2 common
      const kkr = k1r * k2r - k1i * k2i, kki = k1r * k2i + k1i * k2r;
      out[0] = kkr * cr - kki * ci;
      out[1] = kkr * ci + kki * cr;
      const z1r = s1r + gamma, z2r = s2r + gamma;
      const zzr = z1r * z2r - s1i * s2i, zzi = z1r * s2i + s1i * z2r;
      out[2] = zzr * cr - zzi * ci;
      out[3] = zzr * ci + zzi * cr;
    });
    return [test, train];
  }

  /** Bias at time t: sum_i p_i f_i(t)^2, f_i = L^-1[kappa q_i / s](t) (per-mode inversion of chi_i (1 + gamma/s)). */
  function biasAt(data: NodeData, coefficients: Float64Array): number {
    for (let j = 0; j < data.count; j++) {
      // a_j = 2 W_j kappa_j / s_j
      const cr = data.weight[2 * j], ci = data.weight[2 * j + 1];
      const kr = data.kappa[2 * j], ki = data.kappa[2 * j + 1];
      const sr = data.s[2 * j], si = data.s[2 * j + 1];
      const nr = cr * kr - ci * ki;
      const ni = cr * ki + ci * kr;
      const inverse = 2 / (sr * sr + si * si);
      coefficients[2 * j] = (nr * sr + ni * si) * inverse;
      coefficients[2 * j + 1] = (ni * sr - nr * si) * inverse;
    }
    return kernels.biasSum(data.count, coefficients, data.kappa);
  }

  function evaluate(times: Float64Array): DmftCurves {
    if (disposed) throw new Error('dmft problem used after dispose()');
    const length = times.length;
    const curves: DmftCurves = {
      loss: new Float64Array(length), trainLoss: new Float64Array(length), bias: new Float64Array(length), variance: new Float64Array(length),
      varianceParts: { data: new Float64Array(length), labelNoise: new Float64Array(length), thermal: new Float64Array(length), initialisation: new Float64Array(length) },
    };
    // every eigenvalue of H is >= weightDecay: past weightDecay t = SETTLED (descent: past SETTLED / descentDecay
    // steps, which includes the oscillating modes' |1 - eta h|^n) the transients are below e^(-SETTLED)
    // relative and the curves equal their equilibrium (avoids the cancellation of gamma^2 (Phi_2(2t) - 2 Phi_2(t))
    // ~ gamma^2 t at huge gamma t, spec §10 pitfalls)
    const settled = (t: number) => t === Infinity || (gamma > 0 && (learningRate === undefined ? gamma * t : descentDecay * t) > SETTLED);
    const finite = new Set<number>();
    for (let j = 0; j < length; j++) {
      const t = times[j];
      if (!(t >= 0) || (learningRate !== undefined && t !== Infinity && !Number.isInteger(t))) {
        throw new ParameterError('times', t, learningRate === undefined ? 'numbers >= 0 (Infinity allowed)' : 'step counts: integers >= 0 (Infinity allowed)');
      }
      if (t > 0 && !settled(t)) {
        finite.add(t);
        finite.add(2 * t);
      }
    }
    const abscissae = Array.from(finite).sort((a, b) => a - b);
    const elapsed = now() - prepared;
    const monitor = new Monitor({ ...control, timeLimit: control.timeLimit === undefined ? undefined : Math.max(1e-9, control.timeLimit - elapsed) },
      abscissae.length + length);
    const nodes = solveNodes(abscissae, monitor);
    const index = new Map<number, number>(abscissae.map((x, a) => [x, a]));
    const coefficients = new Float64Array(2 * Math.max(2 * rule.count, circlePoints / 2));
    const offset = includeNoise ? labelNoise : 0;
    const equilibrium = times.some(settled) ? equilibriumOf(modes, parameters) : undefined;
    for (let j = 0; j < length; j++) {
      const t = times[j];
      let teacher: number, bias: number, label: number, thermal: number, init: number, train: number;
      if (t === 0) {
        teacher = power + modes.outsidePower;
        bias = teacher;
        label = 0;
        thermal = 0;
        init = initVariance * trace;
        train = power + initVariance * trace + trainingNoise;
      } else if (settled(t) && equilibrium) {
        curves.loss[j] = equilibrium.loss;
        curves.trainLoss[j] = equilibrium.trainLoss;
        curves.bias[j] = equilibrium.bias;
        curves.variance[j] = equilibrium.variance;
        curves.varianceParts.data[j] = equilibrium.varianceParts.data;
        curves.varianceParts.labelNoise[j] = equilibrium.varianceParts.labelNoise;
        curves.varianceParts.thermal[j] = equilibrium.varianceParts.thermal;
        curves.varianceParts.initialisation[j] = equilibrium.varianceParts.initialisation;
        continue;
      } else {
        const one = nodes[index.get(t) as number];
        const two = nodes[index.get(2 * t) as number];
        const phi = (data: NodeData, m: number) => oneDimensional(data, 'A', m);
        const psi = (data: NodeData, m: number) => oneDimensional(data, 'B', m);
        const phi1 = phi(one, 1), phi1Two = phi(two, 1);
        const psi1 = psi(one, 1), psi1Two = psi(two, 1);
        const phi0Two = phi(two, 0), psi0Two = psi(two, 0);
        // Phi_2(2t) - 2 Phi_2(t) and its G-weighted analogue (only with weight decay)
        const phi2 = gamma > 0 ? phi(two, 2) - 2 * phi(one, 2) : 0;
        const psi2 = gamma > 0 ? psi(two, 2) - 2 * psi(one, 2) : 0;
        // the null-space atom (weight P kappa_null at h = weightDecay): no label noise reaches it,
        // thermal (1 - e^(-2 gamma t))/gamma (2t at gamma = 0), initialisation e^(-2 gamma t), teacher kept (F = 1)
        const atomThermal = atom === 0 ? 0 : atom * (learningRate === undefined
          ? (gamma > 0 ? -Math.expm1(-2 * gamma * t) / gamma : 2 * t)
          : (gamma > 0 ? (1 - (1 - learningRate * gamma) ** (2 * t)) / gamma : 2 * t * learningRate));
        const atomDecay = atom === 0 ? 0 : atom * (learningRate === undefined ? Math.exp(-2 * gamma * t) : (1 - learningRate * gamma) ** (2 * t));
        label = trainingNoise > 0 ? trainingNoise / P * (2 * phi1 - phi1Two - gamma * phi2) : 0;
        // descent adds T eta (1 - rho^2n)/(2 - eta h) (spec §9); the atom's share is closed-form
        const descentThermal = descentConstants
          ? (learningRate as number) * (oneDimensional(two, 'YA', 0)
            + (atom === 0 ? 0 : atom * (1 - (1 - (learningRate as number) * gamma) ** (2 * t)) / (2 - (learningRate as number) * gamma)))
          : 0;
        const descentTrainThermal = descentConstants ? (learningRate as number) * oneDimensional(two, 'YB', 0) : 0;
        thermal = temperature > 0 ? temperature * (phi1Two + atomThermal + descentThermal) : 0;
        init = initVariance > 0 ? initVariance * (phi0Two + atomDecay) : 0;
        let trainTeacher: number;
        if (useTwoDimensional) {
          const [testPart, trainPart] = twoDimensional(one);
          teacher = testPart + modes.outsidePower;
          trainTeacher = trainPart;
        } else {
          teacher = omega * (phi0Two + 2 * gamma * (phi1Two - phi1) + gamma * gamma * phi2 + atom) + modes.outsidePower;
          trainTeacher = omega * (psi0Two + 2 * gamma * (psi1Two - psi1) + gamma * gamma * psi2);
        }
        train = trainTeacher
          + (initVariance > 0 ? initVariance * psi0Two : 0)
          + (trainingNoise > 0 ? trainingNoise / P * (P - psi1Two - gamma * psi2) : 0)
          + (temperature > 0 ? temperature * (psi1Two + descentTrainThermal) : 0);
        bias = biasAt(one, coefficients) + modes.outsidePower;
      }
      curves.loss[j] = teacher + label + thermal + init + offset;
      // the Talbot rules' round-off (~1e-11 of the starting value) can leave an interpolating model's
      // training loss slightly negative: such values are 0
      const startTrain = power + initVariance * trace + trainingNoise;
      curves.trainLoss[j] = train < 0 && train > -1e-8 * startTrain ? 0 : train;
      curves.bias[j] = bias;
      curves.variance[j] = teacher + label + thermal + init - bias;
      curves.varianceParts.data[j] = teacher - bias;
      curves.varianceParts.labelNoise[j] = label;
      curves.varianceParts.thermal[j] = thermal;
      curves.varianceParts.initialisation[j] = init;
      monitor.step(abscissae.length + j + 1);
    }
    return curves;
  }

  return {
    evaluate,
    equilibrium: () => equilibriumOf(modes, parameters),
    dispose() {
      if (!disposed) kernels.dispose();
      disposed = true;
    },
    modes, parameters, engine: engine.name, isotropic, described,
  };
}
