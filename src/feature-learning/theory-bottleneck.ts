// Model and data bottlenecks of feature-learning.md: the exact kappa-based limits (§3.5, §3.6)
// and their power-law asymptotes. Model (tau -> infinity, online, P = infinity, lazy and rich):
// L = kappa sum p_k/(lambda_k + kappa) with sum lambda_k/(lambda_k + kappa) = N. Data (N = infinity,
// ridgeless, lazy and rich alike, §3.6): L = kappa^2 sum p_k/(lambda_k + kappa)^2 /
// [1 - (1/P) sum lambda_k^2/(lambda_k + kappa)^2] with sum lambda_k/(lambda_k + kappa) = P.
import { ParameterError } from '../errors.js';
import { modeSet, type ModeSet } from '../spectrum/modes.js';
import { resolveSpectrum, SPECTRUM_KEYS, type Spectrum, type SpectrumOptions } from '../spectrum/spectrum.js';
import { checkNumber, checkOptions } from '../validate.js';
import { riemannZeta } from './theory-zeta.js';

/** Options of modelBottleneck: a spectrum (default modes = Infinity) and the model size N. */
export interface ModelBottleneckOptions extends SpectrumOptions {
  /** N, number of learned features: a finite number >= 1, below the number of modes. */
  modelSize: number;
}

/** Options of dataBottleneck: a spectrum (default modes = Infinity) and the dataset size P. */
export interface DataBottleneckOptions extends SpectrumOptions {
  /** P, number of training samples: a finite number >= 1, below the number of modes. */
  dataSize: number;
}

/** The closed-form power-law asymptote of a bottleneck (power-law spectra only). */
export interface BottleneckAsymptote {
  /** kappa ~ lambda_1 [pi/(alpha sin(pi/alpha))/n]^alpha (§3.5, check F8). */
  readonly effectiveRidge: number;
  /** The asymptotic loss, evaluated at the asymptotic effective ridge. */
  readonly loss: number;
  /** The formula evaluated, as text. */
  readonly formula: string;
}

/** An exact bottleneck value with its asymptote. */
export interface BottleneckResult {
  /** The exact limit loss (mode sums over the spectrum; tails by quadrature, CONVENTIONS.md "Tails"). */
  readonly loss: number;
  /** kappa > 0 solving sum_k lambda_k/(lambda_k + kappa) = n (n = N or P). */
  readonly effectiveRidge: number;
  /** Exponent e of L ~ n^-e as n -> infinity (power laws; null for custom spectra). */
  readonly exponent: number | null;
  /** Power-law asymptote (power laws with modes = Infinity; null otherwise). */
  readonly asymptote: BottleneckAsymptote | null;
  readonly meta: {
    readonly parameters: Record<string, unknown>;
    /** Section of feature-learning.md implemented. */
    readonly source: string;
    readonly conventions: string;
    /** Modes represented by the sums (Infinity allowed). */
    readonly representedModes: number;
    /** Estimated absolute error of the loss sum from the log-k quadrature of the tail. */
    readonly errorEstimate: number;
  };
}

/** Result of modelBottleneck: adds the exponent the papers print. */
export interface ModelBottleneckResult extends BottleneckResult {
  /**
   * alpha min(2, beta), printed by [BAP25] Eqs. (8), (9), (12) and [BAP24]. The exact asymptote is
   * alpha min(1, beta) (`exponent`); they differ for beta > 1 (feature-learning.md §3.5, §7 item 2).
   */
  readonly printedExponent: number | null;
}

const CONVENTIONS = 'lambda_k = lambda_1 k^-alpha, p_k = lambda_k (w*_k)^2 = c k^-(alpha beta + 1); L = sum_k lambda_k v_k^2 (no factor 1/2); CONVENTIONS.md';

/**
 * The model bottleneck L_inf(N) = kappa sum_k p_k/(lambda_k + kappa), sum_k lambda_k/(lambda_k + kappa) = N
 * (feature-learning.md §3.5 [D][V]): the tau -> infinity loss of online training (P = infinity) with N
 * features, the same for lazy and rich models. Asymptote (modes = Infinity): c (kappa/lambda_1)^beta
 * pi/(alpha sin(pi beta)) ~ N^(-alpha beta) for beta < 1; c (kappa/lambda_1) ln(lambda_1/kappa)/alpha at
 * beta = 1; c (kappa/lambda_1) zeta(alpha(beta - 1) + 1) ~ N^-alpha for beta > 1. So L ~ N^(-alpha min(1, beta)),
 * not the printed N^(-alpha min(2, beta)) (§3.5 "Discrepancy").
 * @example modelBottleneck({ alpha: 2, beta: 0.5, modelSize: 512, modes: 1e7 }).loss // 4.80954e-3 (check F5)
 */
export function modelBottleneck(options: ModelBottleneckOptions): ModelBottleneckResult {
  const given = checkOptions('modelBottleneck', options, [...SPECTRUM_KEYS, 'modelSize']) as unknown as ModelBottleneckOptions;
  const { spectrum, nodes } = resolveNodes(given);
  const size = checkSize('modelSize', given.modelSize, nodes.representedModes);
  const kappa = effectiveRidge(nodes, size);
  let sum = 0;
  for (let i = 0; i < nodes.eigenvalues.length; i++) sum += nodes.targetPower[i] / (nodes.eigenvalues[i] + kappa);
  const power = spectrum.kind === 'power-law';
  return {
    loss: kappa * sum,
    effectiveRidge: kappa,
    exponent: power ? spectrum.alpha * Math.min(1, spectrum.beta) : null,
    printedExponent: power ? spectrum.alpha * Math.min(2, spectrum.beta) : null,
    asymptote: power && spectrum.modes === Infinity ? modelAsymptote(spectrum, size) : null,
    meta: meta(spectrum, nodes, 'feature-learning.md §3.5 (exact formula [D][V]; printed exponent [P])', size, 'modelSize'),
  };
}

/**
 * The data bottleneck (ridgeless kernel regression on P samples, N = infinity; feature-learning.md §3.6
 * [P][D][V]): L_inf(P) = kappa^2 sum p_k/(lambda_k + kappa)^2 / [1 - (1/P) sum lambda_k^2/(lambda_k + kappa)^2],
 * sum lambda_k/(lambda_k + kappa) = P. The rich model reaches exactly the same interpolant (§3.6).
 * Asymptote (modes = Infinity; derived here from the same integrals as §3.5, the denominator tends to
 * 1/alpha): c (kappa/lambda_1)^beta (1 - beta) pi/sin(pi beta) for beta < 2 (c kappa/lambda_1 at beta = 1);
 * c (kappa/lambda_1)^2 ln(lambda_1/kappa) at beta = 2; alpha c (kappa/lambda_1)^2 zeta(alpha(beta - 2) + 1)
 * for beta > 2. So L ~ P^(-alpha min(2, beta)).
 * @example dataBottleneck({ alpha: 2, beta: 1.5, dataSize: 1024, modes: 1e7 }).loss // 5.65290e-9 (check F7)
 */
export function dataBottleneck(options: DataBottleneckOptions): BottleneckResult {
  const given = checkOptions('dataBottleneck', options, [...SPECTRUM_KEYS, 'dataSize']) as unknown as DataBottleneckOptions;
  const { spectrum, nodes } = resolveNodes(given);
  const size = checkSize('dataSize', given.dataSize, nodes.representedModes);
  const kappa = effectiveRidge(nodes, size);
  let numerator = 0;
  let squares = 0;
  for (let i = 0; i < nodes.eigenvalues.length; i++) {
    const lambda = nodes.eigenvalues[i];
    const ratio = 1 / (lambda + kappa);
    numerator += nodes.targetPower[i] * ratio * ratio;
    squares += nodes.multiplicity[i] * lambda * lambda * ratio * ratio;
  }
  const power = spectrum.kind === 'power-law';
  return {
    loss: (kappa * kappa * numerator) / (1 - squares / size),
    effectiveRidge: kappa,
    exponent: power ? spectrum.alpha * Math.min(2, spectrum.beta) : null,
    asymptote: power && spectrum.modes === Infinity ? dataAsymptote(spectrum, size) : null,
    meta: meta(spectrum, nodes, 'feature-learning.md §3.6 ([P][D][V]; asymptote prefactor [D] here)', size, 'dataSize'),
  };
}

/**
 * kappa > 0 with sum_k m_k lambda_k/(lambda_k + kappa) = n over the nodes (multiplicity m_k): bracketed,
 * then bisected in ln kappa to a relative width of 1e-15 (the count is strictly decreasing in kappa).
 */
function effectiveRidge(nodes: ModeSet, n: number): number {
  const count = (kappa: number) => {
    let sum = 0;
    for (let i = 0; i < nodes.eigenvalues.length; i++) sum += (nodes.multiplicity[i] * nodes.eigenvalues[i]) / (nodes.eigenvalues[i] + kappa);
    return sum;
  };
  let largest = 0;
  for (const lambda of nodes.eigenvalues) largest = Math.max(largest, lambda);
  let low = largest;
  let high = largest;
  while (count(low) < n) low /= 16;
  while (count(high) > n) high *= 16;
  for (let iteration = 0; iteration < 200 && high / low - 1 > 1e-15; iteration++) {
    const middle = Math.sqrt(low * high);
    if (count(middle) > n) low = middle;
    else high = middle;
  }
  return Math.sqrt(low * high);
}

/** kappa ~ lambda_1 [pi/(alpha sin(pi/alpha))/n]^alpha (feature-learning.md §3.5, check F8). */
function asymptoticRidge(alpha: number, leadingEigenvalue: number, n: number): number {
  return leadingEigenvalue * (Math.PI / (alpha * Math.sin(Math.PI / alpha)) / n) ** alpha;
}

function modelAsymptote(spectrum: Spectrum & { kind: 'power-law' }, n: number): BottleneckAsymptote {
  const { alpha, beta, leadingEigenvalue, targetScale } = spectrum;
  const kappa = asymptoticRidge(alpha, leadingEigenvalue, n);
  const x = kappa / leadingEigenvalue;
  if (beta < 1) return { effectiveRidge: kappa, loss: (targetScale * x ** beta * Math.PI) / (alpha * Math.sin(Math.PI * beta)), formula: 'c (kappa/lambda_1)^beta pi/(alpha sin(pi beta))' };
  if (beta === 1) return { effectiveRidge: kappa, loss: (targetScale * x * Math.log(1 / x)) / alpha, formula: 'c (kappa/lambda_1) ln(lambda_1/kappa)/alpha (leading logarithm)' };
  return { effectiveRidge: kappa, loss: targetScale * x * riemannZeta(alpha * (beta - 1) + 1), formula: 'c (kappa/lambda_1) zeta(alpha (beta - 1) + 1) = kappa ||y||_H^2' };
}

function dataAsymptote(spectrum: Spectrum & { kind: 'power-law' }, n: number): BottleneckAsymptote {
  const { alpha, beta, leadingEigenvalue, targetScale } = spectrum;
  const kappa = asymptoticRidge(alpha, leadingEigenvalue, n);
  const x = kappa / leadingEigenvalue;
  if (beta === 1) return { effectiveRidge: kappa, loss: targetScale * x, formula: 'c kappa/lambda_1' };
  if (beta < 2) return { effectiveRidge: kappa, loss: (targetScale * x ** beta * (1 - beta) * Math.PI) / Math.sin(Math.PI * beta), formula: 'c (kappa/lambda_1)^beta (1 - beta) pi/sin(pi beta)' };
  if (beta === 2) return { effectiveRidge: kappa, loss: targetScale * x * x * Math.log(1 / x), formula: 'c (kappa/lambda_1)^2 ln(lambda_1/kappa) (leading logarithm)' };
  return { effectiveRidge: kappa, loss: alpha * targetScale * x * x * riemannZeta(alpha * (beta - 2) + 1), formula: 'alpha c (kappa/lambda_1)^2 zeta(alpha (beta - 2) + 1)' };
}

/** Validates the spectrum (power laws default to modes = Infinity) and builds its nodes, without a time cut. */
function resolveNodes(given: SpectrumOptions): { spectrum: Spectrum; nodes: ModeSet } {
  const custom = given.eigenvalues !== undefined || given.targetPower !== undefined;
  const spectrum = resolveSpectrum(custom || given.modes !== undefined ? given : { ...given, modes: Infinity });
  // horizon = Infinity: the log-k quadrature runs to k = 1e300, so no tail node stands for unfrozen modes.
  return { spectrum, nodes: modeSet(spectrum, Infinity) };
}

function checkSize(parameter: string, value: unknown, modes: number): number {
  const size = checkNumber(parameter, value, { minimum: 1 });
  if (!(size < modes)) {
    throw new ParameterError(parameter, value, `a finite number >= 1 and < the number of modes (${modes})`, 'kappa > 0 needs fewer features or samples than modes');
  }
  return size;
}

function meta(spectrum: Spectrum, nodes: ModeSet, source: string, size: number, sizeName: string) {
  const parameters: Record<string, unknown> = spectrum.kind === 'power-law'
    ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale, headModes: spectrum.headModes }
    : { eigenvalues: spectrum.eigenvalues.length, targetPower: spectrum.targetPower.length };
  parameters[sizeName] = size;
  return { parameters, source, conventions: CONVENTIONS, representedModes: nodes.representedModes, errorEstimate: nodes.errorEstimate };
}
