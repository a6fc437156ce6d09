// The population (Ornstein-Uhlenbeck) limit of the DMFT of random-feature regression, in package
// units (spec dmft-random-features.md §7(a)): every mode an independent OU process of rate
// lambda_k + weightDecay; its loss curve with the bias-variance parts, the optimal stopping time
// from the stopping equation of §8 (solved numerically), and the continuum closed forms of §8.
import { CONTROL_KEYS, Monitor, now, type RunControl } from '../control.js';
import { ParameterError } from '../errors.js';
import { attachSerialisers } from '../result.js';
import { modeSet } from '../spectrum/modes.js';
import { MAX_SCALE, resolveSpectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { timeGrid, type TimeGrid } from '../time-grid.js';
import { checkNumber, checkOptions, optionalNumber } from '../validate.js';
import type { EarlyStoppingPoint } from './early-stopping.js';
import { checkTrainingNoise, type TrainingNoiseOptions } from './training-options.js';

/** Options of ouLimit(). */
export interface OuLimitOptions extends SpectrumOptions, TrainingNoiseOptions, RunControl {
  /** P, the number of training samples (a number > 0; only the label-noise variance depends on it). */
  dataSize: number;
  /** Times t_m (default log-spaced 1..10^4, 41 points). */
  times?: TimeGrid;
  /**
   * Interval [from, to] searched for the optimal stopping time (default: from the first positive
   * time of the grid to its last). `earlyStopping` is null when dL/dt does not change sign from
   * negative to positive inside it.
   */
  stoppingRange?: readonly [number, number];
}

/** Variance parts of the OU loss (the OU limit has no data variance: the bias is the whole teacher term). */
export interface OuVarianceParts {
  /** (sigma^2/P) sum_k lambda_k^2 (1 - e^(-r_k t))^2 / r_k^2. */
  labelNoise: Float64Array;
  /** temperature sum_k lambda_k (1 - e^(-2 r_k t)) / r_k. */
  thermal: Float64Array;
  /** sigma_0^2 sum_k lambda_k e^(-2 r_k t). */
  initialisation: Float64Array;
}

/** Continuum power-law closed forms of the optimal stopping point (spec §8), in package units. */
export interface OuContinuumStopping {
  /** t*_m = (1/(2 lambda_1)) (A p / (B q))^(alpha / (alpha beta + 1)) (see ouContinuumStopping). */
  time: number;
  /** L(t*) of the continuum curve. */
  loss: number;
  /** t* scales as (noise)^(-timeExponent): timeExponent = alpha / (alpha beta + 1). */
  timeExponent: number;
  /** L* scales as (noise)^lossExponent: lossExponent = alpha beta / (alpha beta + 1) (spec: (a_t - 1)/a_t). */
  lossExponent: number;
}

/** Metadata of an ouLimit() result. */
export interface OuLimitMeta {
  solver: 'ouLimit';
  conventions: string;
  /** Plain TypeScript sums (no kernel: O(nodes x times) exponentials). */
  engine: 'js';
  conversion: string;
  elapsedMs: number;
  parameters: Record<string, unknown>;
  spectrum: { kind: 'power-law' | 'custom'; representedModes: number; exactModes: number; quadratureNodes: number; tailNodes: number; errorEstimate: number };
  /** Which statements are reconstructions (spec "How sure each statement is"). */
  reconstruction: string;
}

/** Result of ouLimit(). */
export interface OuLimitResult {
  times: Float64Array;
  /** L^OU(t) = bias + variance (+ labelNoise with includeNoise). */
  loss: Float64Array;
  /** sum_k p_k [(lambda_k e^(-r_k t) + weightDecay) / r_k]^2, r_k = lambda_k + weightDecay. */
  bias: Float64Array;
  /** Sum of the variance parts. */
  variance: Float64Array;
  varianceParts: OuVarianceParts;
  /** Root of dL/dt = 0 (the stopping equation of spec §8) in stoppingRange, or null ("monotone"). */
  earlyStopping: EarlyStoppingPoint | null;
  /** Continuum closed forms (power law, infinitely many modes, weightDecay = initVariance = 0, some noise); else null. */
  continuum: OuContinuumStopping | null;
  /** t -> infinity: the loss the curve approaches (Infinity when the thermal variance grows without bound). */
  equilibrium: { loss: number; bias: number; variance: number };
  meta: OuLimitMeta;
}

const KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower', 'headModes',
  'dataSize', 'weightDecay', 'temperature', 'labelNoise', 'initVariance', 'times', 'includeNoise', 'stoppingRange', ...CONTROL_KEYS] as const;
const DEFAULT_TIMES = { from: 1, to: 1e4, count: 41, spacing: 'log' } as const;
/**
 * Horizon multiplier of the mode quadrature: modes with lambda_k t < 1e-7 / HORIZON_FACTOR collapse
 * into modeSet's tail node, which matches their target power exactly but not sum lambda_k (needed
 * by the thermal and initialisation terms); pushing it this far makes that mismatch < 1e-15 relative.
 */
const HORIZON_FACTOR = 1e16;
/** Points of the log scan that brackets the stopping time. */
const SCAN_POINTS = 241;

interface OuSetup {
  eigenvalues: Float64Array;
  targetPower: Float64Array;
  multiplicity: Float64Array;
  dataSize: number;
  weightDecay: number;
  temperature: number;
  labelNoise: number;
  initVariance: number;
}

/** The loss parts at one time (package units, spec §7(a) times 2). */
function parts(run: OuSetup, t: number): { bias: number; labelNoise: number; thermal: number; initialisation: number; slope: number } {
  const { eigenvalues, targetPower, multiplicity, dataSize, weightDecay, temperature, labelNoise, initVariance } = run;
  let bias = 0, noise = 0, thermal = 0, init = 0, slope = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const lambda = eigenvalues[i];
    const rate = lambda + weightDecay;
    const decay = Math.exp(-rate * t);
    const filter = (lambda * decay + weightDecay) / rate; // bias filter F = e^(-rt) + gamma (1 - e^(-rt))/r
    const grown = -Math.expm1(-rate * t) / rate; // (1 - e^(-rt))/r -> t as r -> 0
    const grown2 = -Math.expm1(-2 * rate * t) / rate;
    const m = multiplicity[i];
    bias += targetPower[i] * filter * filter;
    noise += m * lambda * lambda * grown * grown;
    thermal += m * lambda * grown2;
    init += m * lambda * decay * decay;
    // dL/dt, term by term (spec §8: setting it to zero is the stopping equation)
    slope += -2 * targetPower[i] * lambda * decay * filter
      + (2 * labelNoise / dataSize) * m * lambda * lambda * grown * decay
      + 2 * temperature * m * lambda * decay * decay
      - 2 * initVariance * m * lambda * rate * decay * decay;
  }
  return { bias, labelNoise: (labelNoise / dataSize) * noise, thermal: temperature * thermal, initialisation: initVariance * init, slope };
}

const total = (p: ReturnType<typeof parts>) => p.bias + p.labelNoise + p.thermal + p.initialisation;

/**
 * The population (OU) limit of the DMFT (spec dmft-random-features.md §7(a), a reconstruction [R]
 * that reproduces the third-party formula of §1.2 [T]): dropping the memory kernel and the
 * collective noise, mode k relaxes at rate r_k = lambda_k + weightDecay (package time), and
 *
 *   L^OU(t) = sum_k { p_k [(lambda_k e^(-r_k t) + weightDecay)/r_k]^2 + initVariance lambda_k e^(-2 r_k t)
 *             + (labelNoise/P) lambda_k^2 (1 - e^(-r_k t))^2/r_k^2 + temperature lambda_k (1 - e^(-2 r_k t))/r_k },
 *
 * which is 2 E_test^OU of the spec with t = t_m/P, gamma = P weightDecay, T = P temperature. It is
 * the P -> infinity limit of the DMFT (kappa(s) -> s/P) and the leading order while P exceeds
 * the number of learned modes.
 *
 * Early stopping (spec §8): the optimal time solves dL/dt = 0, i.e. for temperature only
 * sum_k p_k lambda_k e^(-2 lambda_k t) = temperature sum_k lambda_k e^(-2 lambda_k t) and for label
 * noise only sum_k p_k lambda_k e^(-2 lambda_k t) = (labelNoise/P) sum_k lambda_k (e^(-lambda_k t) -
 * e^(-2 lambda_k t)); solved here in general (any mix of weight decay and noises) by a log scan of L
 * and bisection of dL/dt in the bracket of the scan minimum. A minimum less than 1e-6 (relative)
 * below both ends of the range is a plateau, reported as null (as findEarlyStopping).
 *
 * Spectrum: custom spectra mode by mode; power laws through the package mode set (exact head,
 * log-k Gauss-Legendre quadrature, analytic tail), so `modes: Infinity` is allowed;
 * meta.spectrum.errorEstimate bounds the quadrature error of the sums.
 *
 * @example
 * // teacher-student (alpha = 2, beta = 1/2), spec check D15 at P = 1000 in package units
 * const r = ouLimit({ alpha: 2, beta: 0.5, modes: 20000, dataSize: 1000, temperature: 1e-5, times: 'log:1e3:1e6:31' });
 * r.earlyStopping // { time: 25320 (= P x 25.32), loss: 7.846e-3 (= 2 x 3.923e-3) }
 */
export function ouLimit(options: OuLimitOptions): OuLimitResult {
  const started = now();
  const given = checkOptions('ouLimit', options, KEYS) as unknown as OuLimitOptions;
  const spectrum = resolveSpectrum(given);
  const dataSize = checkNumber('dataSize', given.dataSize, { minimum: 0, exclusiveMinimum: true, maximum: MAX_SCALE });
  const { weightDecay, temperature, labelNoise, initVariance, includeNoise } = checkTrainingNoise(given);
  const times = timeGrid(given.times === undefined ? DEFAULT_TIMES : given.times);
  const positive = times.filter((t) => t > 0);
  let range: [number, number] | undefined;
  if (given.stoppingRange !== undefined) {
    const value = given.stoppingRange as unknown;
    if (!Array.isArray(value) || value.length !== 2) throw new ParameterError('stoppingRange', value, 'an array [from, to] with 0 < from < to');
    const from = checkNumber('stoppingRange[0]', value[0], { minimum: 0, exclusiveMinimum: true });
    range = [from, checkNumber('stoppingRange[1]', value[1], { minimum: from, exclusiveMinimum: true })];
  } else if (positive.length >= 2) {
    range = [positive[0], positive[positive.length - 1]];
  }
  const monitor = new Monitor(given, times.length + SCAN_POINTS);

  const horizon = Math.max(1, times[times.length - 1], range ? range[1] : 0) * HORIZON_FACTOR;
  const modes = modeSet(spectrum, horizon);
  const run: OuSetup = {
    eigenvalues: modes.eigenvalues, targetPower: modes.targetPower, multiplicity: modes.multiplicity,
    dataSize, weightDecay, temperature, labelNoise, initVariance,
  };

  const count = times.length;
  const bias = new Float64Array(count);
  const parts3 = { labelNoise: new Float64Array(count), thermal: new Float64Array(count), initialisation: new Float64Array(count) };
  const variance = new Float64Array(count);
  const loss = new Float64Array(count);
  const offset = includeNoise ? labelNoise : 0;
  for (let j = 0; j < count; j++) {
    const p = parts(run, times[j]);
    bias[j] = p.bias;
    parts3.labelNoise[j] = p.labelNoise;
    parts3.thermal[j] = p.thermal;
    parts3.initialisation[j] = p.initialisation;
    variance[j] = p.labelNoise + p.thermal + p.initialisation;
    loss[j] = p.bias + variance[j] + offset;
    if (j % 16 === 15) monitor.step(j + 1);
  }

  const earlyStopping = range ? stoppingPoint(run, range, offset, () => monitor.step(count + SCAN_POINTS / 2)) : null;
  monitor.step(count + SCAN_POINTS);

  // t -> infinity: every mode with r_k > 0 relaxes; with weightDecay = 0 the thermal part grows
  // without bound only for infinitely many modes (sum_k 1 diverges); finite mode sets saturate.
  const late = equilibriumParts(run);
  const result: OuLimitResult = {
    times, loss, bias, variance, varianceParts: parts3, earlyStopping,
    continuum: spectrum.kind === 'power-law' && spectrum.modes === Infinity && weightDecay === 0 && initVariance === 0 && (temperature > 0 || labelNoise > 0)
      ? ouContinuumStopping({ alpha: spectrum.alpha, beta: spectrum.beta, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale, dataSize, temperature, labelNoise })
      : null,
    equilibrium: { loss: late.bias + late.variance + offset, bias: late.bias, variance: late.variance },
    meta: {
      solver: 'ouLimit',
      engine: 'js',
      conventions: 'CONVENTIONS.md: L = sum_k lambda_k E[v_k^2] (MSE without 1/2)',
      conversion: 'spec dmft-random-features.md (sum loss): t = t_m / P, gamma = P weightDecay, T = P temperature, E_test = loss / 2',
      elapsedMs: now() - started,
      parameters: {
        ...(spectrum.kind === 'power-law'
          ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale }
          : { modes: spectrum.eigenvalues.length }),
        dataSize, weightDecay, temperature, labelNoise, initVariance, includeNoise, stoppingRange: range ?? null,
      },
      spectrum: {
        kind: spectrum.kind, representedModes: modes.representedModes, exactModes: modes.exactModes,
        quadratureNodes: modes.quadratureNodes, tailNodes: modes.tailNodes, errorEstimate: modes.errorEstimate,
      },
      reconstruction: 'spec §7(a) [R] (agrees with the third-party formula of §1.2 [T]); stopping equation and continuum forms §8 [R][V]',
    },
  };
  return attachSerialisers(result);
}

/** Limits t -> infinity of the parts (Infinity where a part grows without bound). */
function equilibriumParts(run: OuSetup): { bias: number; variance: number } {
  const { eigenvalues, targetPower, multiplicity, dataSize, weightDecay, temperature, labelNoise } = run;
  let bias = 0, noise = 0, thermal = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const lambda = eigenvalues[i];
    const rate = lambda + weightDecay;
    const filter = weightDecay / rate;
    bias += targetPower[i] * filter * filter;
    noise += multiplicity[i] * (lambda / rate) ** 2;
    thermal += multiplicity[i] * lambda / rate;
  }
  return { bias, variance: (labelNoise / dataSize) * noise + temperature * thermal };
}

/**
 * The interior minimum of the OU curve in `range`: log scan of L, then bisection of dL/dt = 0
 * between the neighbours of the scan minimum (where dL/dt < 0 on the left and > 0 on the right).
 */
function stoppingPoint(run: OuSetup, range: [number, number], offset: number, tick: () => void): EarlyStoppingPoint | null {
  const [from, to] = range;
  const step = Math.log(to / from) / (SCAN_POINTS - 1);
  const scanTimes = Array.from({ length: SCAN_POINTS }, (_, j) => (j === SCAN_POINTS - 1 ? to : from * Math.exp(j * step)));
  const values = scanTimes.map((t) => total(parts(run, t)));
  tick();
  let best = 0;
  for (let j = 1; j < SCAN_POINTS; j++) if (values[j] < values[best]) best = j;
  if (best === 0 || best === SCAN_POINTS - 1) return null;
  if (!(values[best] < (1 - 1e-6) * Math.min(values[0], values[SCAN_POINTS - 1]))) return null;
  let lo = Math.log(scanTimes[best - 1]);
  let hi = Math.log(scanTimes[best + 1]);
  if (parts(run, Math.exp(lo)).slope >= 0 || parts(run, Math.exp(hi)).slope <= 0) {
    // the derivative has no clean sign change (a minimum flat to round-off): keep the scan point
    return { time: scanTimes[best], loss: values[best] + offset };
  }
  for (let iteration = 0; iteration < 200 && hi - lo > 1e-13; iteration++) {
    const mid = (lo + hi) / 2;
    if (parts(run, Math.exp(mid)).slope < 0) lo = mid;
    else hi = mid;
  }
  const time = Math.exp((lo + hi) / 2);
  return { time, loss: total(parts(run, time)) + offset };
}

/** Options of ouContinuumStopping(). */
export interface OuContinuumOptions {
  alpha: number;
  beta: number;
  leadingEigenvalue?: number;
  targetScale?: number;
  /** P (only the label-noise variance depends on it). */
  dataSize: number;
  temperature?: number;
  labelNoise?: number;
}

/**
 * Continuum (infinitely many modes, sums as integrals over k) optimal stopping of the OU limit for
 * lambda_k = lambda_1 k^-alpha, p_k = c k^-(alpha beta + 1), no weight decay (spec §8 [R][V]).
 * With u = 2 lambda_1 t_m, a = alpha beta + 1, the continuum curve is
 *
 *   L(t) = A u^(-(a-1)/alpha) + B u^(1/alpha),
 *   A = (c/alpha) Gamma((a-1)/alpha),
 *   B = temperature Gamma(1 - 1/alpha) + (labelNoise/P) 2^(-1/alpha) Gamma(-1/alpha) (2^(1/alpha) - 2)/alpha,
 *
 * (the label-noise integral int_0^inf x^(-s-1) (1 - e^(-x))^2 dx = Gamma(-s)(2^s - 2), s = 1/alpha),
 * minimised in closed form: u* = [A (a-1) / B]^(alpha/a), L* = B u*^(1/alpha) a/(a-1). With
 * temperature only this is the spec's t* = (1/(2 P lambda_1)) [(P c_1/T) Gamma(1 + (a_t-1)/b) /
 * Gamma(1 - 1/b)]^(b/a_t) in package units; teacher-student (beta = 1 - 1/alpha, c = lambda_1):
 * t*_m = (1 - 1/alpha)/(2 temperature), independent of P. Scalings: t* ∝ B^(-alpha/a),
 * L* ∝ B^((a-1)/a) = (P/T)^(-alpha beta/(alpha beta + 1)) in the spec's units.
 */
export function ouContinuumStopping(options: OuContinuumOptions): OuContinuumStopping {
  const given = checkOptions('ouContinuumStopping', options, ['alpha', 'beta', 'leadingEigenvalue', 'targetScale', 'dataSize', 'temperature', 'labelNoise']) as unknown as OuContinuumOptions;
  const alpha = checkNumber('alpha', given.alpha, { minimum: 1, exclusiveMinimum: true, maximum: 64 });
  const beta = checkNumber('beta', given.beta, { minimum: 0, exclusiveMinimum: true, maximum: 64 });
  const leadingEigenvalue = optionalNumber('leadingEigenvalue', given.leadingEigenvalue, 1, { minimum: 0, exclusiveMinimum: true });
  const targetScale = optionalNumber('targetScale', given.targetScale, 1, { minimum: 0, exclusiveMinimum: true, maximum: MAX_SCALE });
  const dataSize = checkNumber('dataSize', given.dataSize, { minimum: 0, exclusiveMinimum: true, maximum: MAX_SCALE });
  const temperature = optionalNumber('temperature', given.temperature, 0, { minimum: 0, maximum: MAX_SCALE });
  const labelNoise = optionalNumber('labelNoise', given.labelNoise, 0, { minimum: 0, maximum: MAX_SCALE });
  if (!(temperature > 0 || labelNoise > 0)) {
    throw new ParameterError('temperature', temperature, 'a number > 0, or labelNoise > 0', 'without noise the loss decreases monotonically');
  }
  const a = alpha * beta + 1;
  const s = 1 / alpha;
  const A = (targetScale / alpha) * gamma(beta);
  // the label-noise term is written in (lambda_1 t) = u/2: C (u/2)^s = C 2^-s u^s
  const B = temperature * gamma(1 - s) + (labelNoise / dataSize) * 2 ** -s * gamma(-s) * (2 ** s - 2) / alpha;
  const u = (A * (a - 1) / B) ** (alpha / a);
  return {
    time: u / (2 * leadingEigenvalue),
    loss: B * u ** s * a / (a - 1),
    timeExponent: alpha / a,
    lossExponent: (a - 1) / a,
  };
}

/** Gamma(x) for real x > -1, x != 0 (Lanczos, g = 7, n = 9; relative error ~1e-15), with reflection below 1/2. */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < g + 2; i++) sum += c[i] / (z + i);
  const t = z + g + 0.5;
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * sum;
}
