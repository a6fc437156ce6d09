// The dynamical renormalised ridge kappa(s) of the DMFT (spec dmft-random-features.md §5, §7(b),
// §10 steps 1-2) in package units, kappa = s + weightDecay + (kappa/P) sum_k lambda_k/(lambda_k + kappa)
// (s conjugate to the package time t_m; kappa itself is unit-free across the conversion), over a
// compressed mode set: the leading modes exactly (all of them for N <= 1024), the rest of the model's
// N modes by Gauss-Legendre quadrature in log k on octave panels of the midpoint integral with the
// Euler-Maclaurin g'/24 endpoint terms as finite-difference node pairs (negative multiplicities
// allowed: every use is a linear mode sum), and modes with negligible
// eigenvalue as one node matching sum lambda and sum lambda^2 (spec §10 step 1). Real s: geometric
// bisection (§10 step 2); complex s: Newton with continuation (src/engine/dmft-kernels.ts).
import type { DmftModeKernels } from '../engine/dmft-kernels.js';
import { gaussLegendre } from '../spectrum/quadrature.js';
import type { Spectrum } from '../spectrum/spectrum.js';

/** The N modes of the model as quadrature nodes, plus the target power outside the model. */
export interface DmftModeSet {
  /** lambda_i of each node. */
  readonly eigenvalues: Float64Array;
  /** Number of modes node i stands for (1 for exact modes). */
  readonly multiplicity: Float64Array;
  /** Target power p = lambda w*^2 summed over the modes of node i. */
  readonly targetPower: Float64Array;
  /** N, the model's number of modes (Infinity allowed). */
  readonly modelModes: number;
  /** Target power of the modes outside the model (k > N): label noise in training, a floor in test (spec §2). */
  readonly outsidePower: number;
  /** Nodes that are single modes. */
  readonly exactModes: number;
  /** Gauss-Legendre nodes. */
  readonly quadratureNodes: number;
  /** 1 when the moment-matched tail node is present. */
  readonly tailNodes: number;
  /**
   * Estimated absolute error of a loss mode sum from the quadrature: the first uncorrected
   * Euler-Maclaurin term |g'''(K + 1/2)|/720 with |g'''| <= p(k)(alpha beta + 1 + 2 alpha)^3/k^3
   * (the g'/24 term is corrected by endpoint node pairs); 0 when every mode is exact.
   */
  readonly errorEstimate: number;
}

/** Controls of the compression (for convergence checks by refinement). */
export interface CompressionOptions {
  /** Leading modes kept exactly (default 256). */
  headModes?: number;
  /** Gauss-Legendre panels per octave of k (default 1; 2 halves the node spacing). */
  panelsPerOctave?: number;
}

const PANEL_ORDER = 8;
/** Models with at most this many modes are summed mode by mode (no quadrature). */
const EXACT_UP_TO = 1024;
/** Half-width of the finite-difference node pairs of the Euler-Maclaurin endpoint corrections. */
const CORRECTION_STEP = 0.25;
/** Quadrature reaches lambda_k < TAIL_RATIO * lambda_1 * min(N, P)^-alpha; beyond, one node. */
const TAIL_RATIO = 1e-16;
const MAX_LOG_K = 300 * Math.LN10;
/** Outside-model power: modes summed one by one before the integral takes over. */
const OUTSIDE_EXACT = 100_000;

/**
 * Compresses the model's N = `modelSize` leading modes of `spectrum` for the DMFT sums (spec §10
 * step 1) and sums the target power of the modes after them. Custom spectra are sorted by
 * decreasing eigenvalue and kept mode by mode.
 */
export function compressModes(spectrum: Spectrum, modelSize: number, dataSize: number, options: CompressionOptions = {}): DmftModeSet {
  if (spectrum.kind === 'custom') {
    const count = spectrum.eigenvalues.length;
    const order = Array.from({ length: count }, (_, k) => k).sort((i, j) => spectrum.eigenvalues[j] - spectrum.eigenvalues[i] || i - j);
    const N = Math.min(modelSize, count);
    let outsidePower = 0;
    for (let k = count - 1; k >= N; k--) outsidePower += spectrum.targetPower[order[k]];
    return {
      eigenvalues: Float64Array.from(order.slice(0, N), (k) => spectrum.eigenvalues[k]),
      multiplicity: new Float64Array(N).fill(1),
      targetPower: Float64Array.from(order.slice(0, N), (k) => spectrum.targetPower[k]),
      modelModes: N, outsidePower, exactModes: N, quadratureNodes: 0, tailNodes: 0, errorEstimate: 0,
    };
  }
  const { alpha, beta, leadingEigenvalue, targetScale } = spectrum;
  const N = modelSize;
  const powerExponent = alpha * beta + 1;
  const headModes = Math.min(N, options.headModes ?? (N <= EXACT_UP_TO ? N : 256));
  const panels = options.panelsPerOctave ?? 1;
  const eigenvalues: number[] = [];
  const multiplicity: number[] = [];
  const targetPower: number[] = [];
  for (let k = 1; k <= headModes; k++) {
    eigenvalues.push(leadingEigenvalue * k ** -alpha);
    multiplicity.push(1);
    targetPower.push(targetScale * k ** -powerExponent);
  }
  let quadratureNodes = 0;
  let tailNodes = 0;
  if (N > headModes) {
    const start = headModes + 0.5;
    const end = N + 0.5;
    const logTail = Math.min(MAX_LOG_K, Math.log(Math.min(N, dataSize)) - Math.log(TAIL_RATIO) / alpha);
    const quadratureEnd = Math.max(start, Math.min(end, Math.exp(logTail)));
    const { nodes, weights } = gaussLegendre(PANEL_ORDER);
    const width = Math.LN2 / panels;
    for (let low = Math.log(start); low < Math.log(quadratureEnd) - 1e-14;) {
      const high = Math.min(low + width, Math.log(quadratureEnd));
      const half = (high - low) / 2;
      for (let i = 0; i < PANEL_ORDER; i++) {
        const k = Math.exp(low + half * (nodes[i] + 1));
        const weight = half * weights[i] * k; // dk = k d(ln k)
        eigenvalues.push(leadingEigenvalue * k ** -alpha);
        multiplicity.push(weight);
        targetPower.push(weight * targetScale * k ** -powerExponent);
        quadratureNodes++;
      }
      low = high;
    }
    // Euler-Maclaurin: sum_{k=K+1}^{M} g(k) = int_{K+1/2}^{M+1/2} g dk + [g'(K+1/2) - g'(M+1/2)]/24 + O(g'''),
    // each g'/24 as a node pair at x -/+ CORRECTION_STEP with multiplicities -/+ 1/(48 CORRECTION_STEP)
    const correct = (x: number, sign: number) => {
      for (const side of [1, -1]) {
        const k = x + side * CORRECTION_STEP;
        const weight = sign * side / (48 * CORRECTION_STEP);
        eigenvalues.push(leadingEigenvalue * k ** -alpha);
        multiplicity.push(weight);
        targetPower.push(weight * targetScale * k ** -powerExponent);
        quadratureNodes++;
      }
    };
    correct(start, 1);
    if (quadratureEnd >= end * (1 - 1e-12)) correct(end, -1);
    if (end > quadratureEnd * (1 + 1e-12)) {
      // one node with the tail's sum lambda, sum lambda^2 and target power: kappa-sums there are
      // sum lambda/kappa - sum lambda^2/kappa^2 + O(lambda^3), so this is exact to third order
      const from = quadratureEnd;
      const first = leadingEigenvalue * from ** (1 - alpha) * scaledIntegral(from, end, alpha);
      const second = leadingEigenvalue ** 2 * from ** (1 - 2 * alpha) * scaledIntegral(from, end, 2 * alpha);
      const power = targetScale * from ** (1 - powerExponent) * scaledIntegral(from, end, powerExponent);
      if (first > 0 && second > 0) {
        eigenvalues.push(second / first);
        multiplicity.push(first * first / second);
        targetPower.push(power);
        tailNodes = 1;
      }
    }
  }
  return {
    eigenvalues: Float64Array.from(eigenvalues),
    multiplicity: Float64Array.from(multiplicity),
    targetPower: Float64Array.from(targetPower),
    modelModes: N,
    outsidePower: outsidePowerOf(targetScale, powerExponent, N, spectrum.modes),
    exactModes: headModes, quadratureNodes, tailNodes,
    errorEstimate: N > headModes ? targetScale * (headModes + 0.5) ** -powerExponent * (powerExponent + 2 * alpha) ** 3 / (720 * (headModes + 0.5) ** 3) : 0,
  };
}

/** sum_{k = N+1}^{M} c k^-a: exact for the first OUTSIDE_EXACT terms, then the midpoint integral. */
function outsidePowerOf(scale: number, exponent: number, N: number, M: number): number {
  if (M <= N || scale === 0) return 0;
  const last = Math.min(M, N + OUTSIDE_EXACT);
  let sum = 0;
  for (let k = last; k > N; k--) sum += scale * k ** -exponent; // smallest first
  if (M > last) {
    const from = last + 0.5;
    sum += scale * from ** (1 - exponent) * scaledIntegral(from, M + 0.5, exponent);
  }
  return sum;
}

/** int_from^to k^-exponent dk / from^(1 - exponent), without cancellation (to may be Infinity when exponent > 1). */
function scaledIntegral(from: number, to: number, exponent: number): number {
  const shift = exponent - 1;
  if (Math.abs(shift) < 1e-12) return Math.log(to / from);
  if (to === Infinity) return 1 / shift;
  return -Math.expm1(-shift * Math.log(to / from)) / shift;
}

/** Sum of the multiplicities (N as represented; Infinity stays Infinity only through modelModes). */
function totalModes(modes: DmftModeSet): number {
  let sum = 0;
  for (let i = 0; i < modes.multiplicity.length; i++) sum += modes.multiplicity[i];
  return sum;
}

/**
 * kappa(s) for real s with z = s + weightDecay >= 0 (spec §10 step 2): the unique positive root of
 * g(kappa) = kappa - z - (kappa/P) sum m lambda/(lambda + kappa), by geometric bisection on
 * [1e-300, 10 (z + sum m lambda / P) + 1]; 0 when z = 0 and N <= P (no positive root: ridgeless
 * under-parametrised, spec §7(b)).
 */
export function realKappa(modes: DmftModeSet, dataSize: number, z: number): number {
  const { eigenvalues, multiplicity } = modes;
  const P = dataSize;
  if (z === 0 && modes.modelModes <= P) return 0;
  let trace = 0;
  for (let i = 0; i < eigenvalues.length; i++) trace += multiplicity[i] * eigenvalues[i];
  const g = (kappa: number) => {
    let sum = 0;
    for (let i = 0; i < eigenvalues.length; i++) sum += multiplicity[i] * eigenvalues[i] / (eigenvalues[i] + kappa);
    return kappa - z - kappa * sum / P;
  };
  let low = 1e-300;
  let high = 10 * (z + trace / P) + 1;
  for (let iteration = 0; iteration < 400 && high > low * (1 + 1e-16); iteration++) {
    const middle = Math.sqrt(low * high);
    if (g(middle) > 0) high = middle;
    else low = middle;
  }
  return Math.sqrt(low * high);
}

/** The static order parameters (spec §7(b)). */
export interface StaticKappa {
  /** kappa_0 = kappa(s = 0). */
  kappa: number;
  /** gamma_2 = (1/P) sum lambda^2 / (lambda + kappa_0)^2. */
  gamma2: number;
  /** weightDecay / kappa_0, with its limit 1 - N/P at weightDecay = 0, N <= P. */
  ridgeRatio: number;
  /** N, the represented number of modes. */
  modes: number;
}

/** kappa_0, gamma_2 and weightDecay / kappa_0 (spec §5 eigenlearning form, §7(b)). */
export function staticKappa(modes: DmftModeSet, dataSize: number, weightDecay: number): StaticKappa {
  const kappa = realKappa(modes, dataSize, weightDecay);
  const { eigenvalues, multiplicity } = modes;
  let second = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const ratio = eigenvalues[i] / (eigenvalues[i] + kappa);
    second += multiplicity[i] * ratio * ratio;
  }
  const N = modes.modelModes === Infinity ? totalModes(modes) : modes.modelModes;
  const gamma2 = kappa === 0 ? N / dataSize : second / dataSize;
  const ridgeRatio = kappa === 0 ? 1 - N / dataSize : weightDecay / kappa;
  return { kappa, gamma2, ridgeRatio, modes: N };
}

/** Most Newton iterations per continuation step. */
const NEWTON_ITERATIONS = 60;
/** Deepest recursive halving of a continuation step before giving up. */
const MAX_DEPTH = 40;

/**
 * kappa at complex z_to = s_to + weightDecay by continuation from a known root kappa_from at
 * z_from (spec §10 step 2): Newton at the target from the known root; where it fails the path
 * (a straight line in z) is halved recursively. Steps longer than `maxRelativeStep` |z_from| are
 * split up front. Writes kappa to out[0], out[1].
 */
export function continueKappa(kernels: DmftModeKernels, fromRe: number, fromIm: number, kappaRe: number, kappaIm: number,
  toRe: number, toIm: number, out: Float64Array, maxRelativeStep = 0.5): void {
  const distance = Math.hypot(toRe - fromRe, toIm - fromIm);
  const steps = Math.min(64, Math.max(1, Math.ceil(distance / (maxRelativeStep * Math.max(Math.hypot(fromRe, fromIm), 1e-300)))));
  let zr = fromRe;
  let zi = fromIm;
  let kr = kappaRe;
  let ki = kappaIm;
  for (let step = 1; step <= steps; step++) {
    const nr = fromRe + (toRe - fromRe) * step / steps;
    const ni = fromIm + (toIm - fromIm) * step / steps;
    walk(kernels, zr, zi, kr, ki, nr, ni, out, 0);
    zr = nr;
    zi = ni;
    kr = out[0];
    ki = out[1];
  }
}

function walk(kernels: DmftModeKernels, fromRe: number, fromIm: number, kappaRe: number, kappaIm: number,
  toRe: number, toIm: number, out: Float64Array, depth: number): void {
  const iterations = kernels.newton(toRe, toIm, kappaRe, kappaIm, NEWTON_ITERATIONS, out);
  // accept a converged root that moved no further than the path length allows (stays on the branch)
  if (iterations >= 0 && Math.hypot(out[0] - kappaRe, out[1] - kappaIm) <= 4 * Math.hypot(toRe - fromRe, toIm - fromIm) + 0.5 * Math.hypot(kappaRe, kappaIm)) return;
  if (depth >= MAX_DEPTH) {
    throw new Error(`dmft: Newton continuation for kappa(s) failed near z = ${toRe} + ${toIm}i (spec §10 step 2)`);
  }
  const middleRe = (fromRe + toRe) / 2;
  const middleIm = (fromIm + toIm) / 2;
  walk(kernels, fromRe, fromIm, kappaRe, kappaIm, middleRe, middleIm, out, depth + 1);
  walk(kernels, middleRe, middleIm, out[0], out[1], toRe, toIm, out, depth + 1);
}
