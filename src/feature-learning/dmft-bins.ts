// Mode nodes of the feature-learning DMFT (spec feature-learning.md §4.6, "Mode binning" [I]):
// every M-side quantity of the DMFT depends on the mode k only through lambda_k and, affinely,
// through w*_k^2, so modes of (nearly) equal eigenvalue can be grouped into a node with a
// representative eigenvalue lambda_b, a count n_b and a target power s_b = sum lambda_k w*_k^2.
// A power law with more modes than `bins` nodes becomes: the leading modes exactly, then
// log-spaced bins in k (edges at half-integers, sums replaced by the midpoint integral
// int dk, lambda_b the count-weighted mean eigenvalue of the bin so that sum_k lambda_k, the
// diagonal of R_g, is exact), and for modes = Infinity a tail node beyond the frozen point
// (lambda_k * eta * steps < 1e-8) that matches the tail's sum lambda, sum lambda^2 and target power.
import type { Spectrum } from '../spectrum/spectrum.js';

/** Nodes standing for the modes of a spectrum. */
export interface DmftModes {
  /** Representative eigenvalue of each node. */
  readonly eigenvalues: Float64Array;
  /** Number of modes each node stands for (1 for exact modes; real-valued for bins). */
  readonly counts: Float64Array;
  /** Target power sum_k lambda_k w*_k^2 of the node's modes. */
  readonly targetPower: Float64Array;
  /** Leading nodes that are single modes. */
  readonly exactModes: number;
  /** Log-spaced bins (0 when every mode is exact). */
  readonly binnedNodes: number;
  /** 1 when a frozen-tail node is present (modes = Infinity). */
  readonly tailNodes: number;
}

/** lambda_k * horizon below which a mode counts as frozen (modes = Infinity only). */
const FROZEN = 1e-8;
/** Largest k the bins reach before the tail node. */
const MAX_K = 1e300;

/**
 * Nodes for `spectrum` with at most `bins` nodes (power laws; custom spectra are always exact),
 * for a run of gradient-flow length `horizon` = learningRate * steps.
 */
export function dmftModes(spectrum: Spectrum, bins: number, horizon: number): DmftModes {
  if (spectrum.kind === 'custom') {
    const count = spectrum.eigenvalues.length;
    return {
      eigenvalues: spectrum.eigenvalues.slice(), counts: new Float64Array(count).fill(1), targetPower: spectrum.targetPower.slice(),
      exactModes: count, binnedNodes: 0, tailNodes: 0,
    };
  }
  const { alpha, beta, modes, leadingEigenvalue, targetScale } = spectrum;
  const powerExponent = alpha * beta + 1;
  const eigenvalues: number[] = [];
  const counts: number[] = [];
  const targetPower: number[] = [];
  const exact = modes <= bins ? modes : exactHeadSize(modes, bins, horizon, spectrum.alpha, leadingEigenvalue);
  for (let k = 1; k <= exact; k++) {
    eigenvalues.push(leadingEigenvalue * k ** -alpha);
    counts.push(1);
    targetPower.push(targetScale * k ** -powerExponent);
  }
  let binnedNodes = 0;
  let tailNodes = 0;
  if (modes > exact) {
    const infinite = modes === Infinity;
    const start = exact + 0.5;
    const end = binsEnd(modes, start, horizon, alpha, leadingEigenvalue);
    const count = bins - exact - (infinite ? 1 : 0);
    const logStart = Math.log(start);
    const logRatio = Math.log(end / start);
    for (let i = 0; i < count; i++) {
      const low = Math.exp(logStart + logRatio * i / count);
      const high = i === count - 1 ? end : Math.exp(logStart + logRatio * (i + 1) / count);
      const width = high - low;
      if (!(width > 0)) continue;
      const firstMoment = leadingEigenvalue * integral(low, high, alpha);
      eigenvalues.push(firstMoment / width);
      counts.push(width);
      targetPower.push(targetScale * integral(low, high, powerExponent));
      binnedNodes++;
    }
    if (infinite) {
      // Tail beyond `end`: match sum lambda (R_g), sum lambda^2 (C_g, noise) and the target power.
      const first = leadingEigenvalue * integral(end, Infinity, alpha);
      const second = leadingEigenvalue ** 2 * integral(end, Infinity, 2 * alpha);
      const power = targetScale * integral(end, Infinity, powerExponent);
      if (first > 0 && second > 0) {
        eigenvalues.push(second / first);
        counts.push(first * first / second);
        targetPower.push(power);
        tailNodes = 1;
      }
    }
  }
  return {
    eigenvalues: Float64Array.from(eigenvalues), counts: Float64Array.from(counts), targetPower: Float64Array.from(targetPower),
    exactModes: exact, binnedNodes, tailNodes,
  };
}

/** Where the log bins end: M + 1/2, or (modes = Infinity) the frozen point, at least 2 start. */
function binsEnd(modes: number, start: number, horizon: number, alpha: number, leadingEigenvalue: number): number {
  if (modes !== Infinity) return modes + 0.5;
  const logFrozen = (Math.log(leadingEigenvalue) + Math.log(Math.max(horizon, Number.MIN_VALUE)) - Math.log(FROZEN)) / alpha;
  return Math.max(start * 2, Math.exp(Math.min(logFrozen, Math.log(MAX_K))));
}

/**
 * Exact leading modes: at least bins/4, and more until the first log bin is at least one mode wide
 * (narrower bins would split single modes; only possible when modes is a little above bins).
 */
function exactHeadSize(modes: number, bins: number, horizon: number, alpha: number, leadingEigenvalue: number): number {
  const tail = modes === Infinity ? 1 : 0;
  let head = Math.max(4, Math.ceil(bins / 4));
  for (; head < bins - tail - 1; head++) {
    const start = head + 0.5;
    const count = bins - head - tail;
    const end = binsEnd(modes, start, horizon, alpha, leadingEigenvalue);
    if (start * Math.expm1(Math.log(end / start) / count) >= 1) break;
  }
  return Math.min(modes, head);
}

/** int_from^to k^-exponent dk (to may be Infinity when exponent > 1), without cancellation. */
function integral(from: number, to: number, exponent: number): number {
  const shift = exponent - 1;
  const scale = from ** -shift;
  if (Math.abs(shift) < 1e-12) return Math.log(to / from);
  if (to === Infinity) return scale / shift;
  return scale * -Math.expm1(-shift * Math.log(to / from)) / shift;
}
