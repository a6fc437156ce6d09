// The finite list of nodes a solver iterates over (CONVENTIONS.md, "Tails"). A power law with
// many or infinitely many modes becomes: the first `headModes` modes exactly; the modes after
// them as a midpoint integral int_{K+1/2}^{M+1/2} dk (Euler-Maclaurin: error ~ F'(K+1/2)/24)
// evaluated by 8-point Gauss-Legendre on octave panels in log k; and beyond the point where
// lambda_k * horizon < 1e-7, one node that matches the tail's target power, its first moment in
// lambda and the sum of lambda^2 (noise injection), which is exact to first order in
// lambda * t there. Every dynamics here is linear in per-mode quantities that are smooth in k,
// so nodes carry aggregated target power and a multiplicity (modes represented).
import type { Spectrum } from './spectrum.js';
import { gaussLegendre } from './quadrature.js';

/** Nodes standing for the modes of a spectrum. */
export interface ModeSet {
  /** Eigenvalue of each node. */
  readonly eigenvalues: Float64Array;
  /** Target power summed over the modes each node stands for. */
  readonly targetPower: Float64Array;
  /** Number of modes each node stands for (1 for exact modes; real-valued for quadrature). */
  readonly multiplicity: Float64Array;
  /** Leading nodes that are single modes. */
  readonly exactModes: number;
  /** Gauss-Legendre nodes of the log-k quadrature. */
  readonly quadratureNodes: number;
  /** 1 when an analytic tail node is present. */
  readonly tailNodes: number;
  /** Number of modes represented (Infinity allowed). */
  readonly representedModes: number;
  /** Estimated absolute error of any mode sum of the loss (0 when every mode is exact). */
  readonly errorEstimate: number;
}

/** Below this value of lambda_k * horizon a mode counts as frozen (tail node). */
const FROZEN = 1e-7;
/** ln of the largest k the quadrature reaches (1e300). */
const MAX_LOG_K = 300 * Math.LN10;
/** Gauss-Legendre order per octave panel. */
const PANEL_ORDER = 8;

/** Optional controls of modeSet. */
export interface ModeSetOptions {
  /**
   * Mode positions k (real, any order) at which quadrature panels must end, so that no panel
   * straddles them: e.g. the k where eigenvalues cross spectral-shell boundaries
   * (src/shells/lazy-shells.ts), which makes per-shell sums as accurate as the whole sum. Positions
   * outside the quadrature range are ignored. Default: none (octave panels only).
   */
  readonly breakpoints?: ArrayLike<number>;
}

/** Nodes for `spectrum` over times up to `horizon` (in units of 1/eigenvalue). */
export function modeSet(spectrum: Spectrum, horizon: number, options: ModeSetOptions = {}): ModeSet {
  if (spectrum.kind === 'custom') {
    const count = spectrum.eigenvalues.length;
    return {
      eigenvalues: spectrum.eigenvalues.slice(),
      targetPower: spectrum.targetPower.slice(),
      multiplicity: new Float64Array(count).fill(1),
      exactModes: count,
      quadratureNodes: 0,
      tailNodes: 0,
      representedModes: count,
      errorEstimate: 0,
    };
  }
  const { alpha, beta, modes, leadingEigenvalue, targetScale } = spectrum;
  const powerExponent = alpha * beta + 1;
  const exactModes = Math.min(modes, spectrum.headModes);
  const eigenvalueAt = (k: number) => leadingEigenvalue * k ** -alpha;
  const powerAt = (k: number) => targetScale * k ** -powerExponent;

  const head = exactHead(spectrum, exactModes);
  if (exactModes === modes) {
    return {
      eigenvalues: head.eigenvalues.slice(), targetPower: head.targetPower.slice(), multiplicity: head.multiplicity.slice(),
      exactModes, quadratureNodes: 0, tailNodes: 0, representedModes: modes, errorEstimate: 0,
    };
  }
  const eigenvalues: number[] = [];
  const targetPower: number[] = [];
  const multiplicity: number[] = [];

  // Midpoint integral from K + 1/2 to M + 1/2, split where modes freeze.
  const start = exactModes + 0.5;
  const end = modes + 0.5;
  // ln of the k where lambda_k * horizon = FROZEN, in logs so that lambda_1 * horizon cannot overflow; capped
  // at k = 1e300 (at most ~8000 quadrature nodes), beyond which the tail node takes over.
  const logFrozen = (Math.log(leadingEigenvalue) + Math.log(Math.max(horizon, Number.MIN_VALUE)) - Math.log(FROZEN)) / alpha;
  const frozenFrom = Math.max(start, Math.exp(Math.min(logFrozen, MAX_LOG_K)));
  const quadratureEnd = Math.min(end, frozenFrom);
  const { nodes, weights } = gaussLegendre(PANEL_ORDER);
  let quadratureNodes = 0;
  const cuts = options.breakpoints ? Array.from(options.breakpoints, Math.log).filter((x) => x > Math.log(start)).sort((a, b) => a - b) : [];
  let nextCut = 0;
  for (let low = Math.log(start); low < Math.log(quadratureEnd) - 1e-15;) {
    while (nextCut < cuts.length && cuts[nextCut] <= low + 1e-12) nextCut++;
    const high = Math.min(low + Math.LN2, Math.log(quadratureEnd), nextCut < cuts.length ? cuts[nextCut] : Infinity);
    const half = (high - low) / 2;
    for (let i = 0; i < PANEL_ORDER; i++) {
      const k = Math.exp(low + half * (nodes[i] + 1));
      const weight = half * weights[i] * k; // dk = k d(ln k)
      eigenvalues.push(eigenvalueAt(k));
      targetPower.push(weight * powerAt(k));
      multiplicity.push(weight);
      quadratureNodes++;
    }
    low = high;
  }

  let tailNodes = 0;
  if (end > quadratureEnd) {
    // Moments of the frozen tail: int k^-s dk, int k^-s lambda dk, int lambda^2 dk over [from, end].
    // Each integral is from^(1 - x) J(x) with J = O(1): the eigenvalue and multiplicity are formed from the J's
    // so that nothing overflows or underflows to 0/0 (lambda_1 and from^-alpha cancel in the multiplicity).
    const from = quadratureEnd;
    const power = targetScale * from ** (1 - powerExponent) * scaledIntegral(from, end, powerExponent);
    const ratio = scaledIntegral(from, end, powerExponent + alpha) / scaledIntegral(from, end, powerExponent);
    if (power > 0) {
      const eigenvalue = Math.max(Number.MIN_VALUE, Math.exp(Math.log(leadingEigenvalue) - alpha * Math.log(from) + Math.log(ratio)));
      eigenvalues.push(eigenvalue);
      targetPower.push(power);
      multiplicity.push(from * scaledIntegral(from, end, 2 * alpha) / (ratio * ratio));
      tailNodes = 1;
    }
  }
  // Euler-Maclaurin: |F'(K + 1/2)|/24 with |F'| <= p(k)(s + alpha)/k for every lazy dynamics.
  const errorEstimate = powerAt(start) * (powerExponent + alpha) / (24 * start);
  return {
    eigenvalues: concat(head.eigenvalues, eigenvalues),
    targetPower: concat(head.targetPower, targetPower),
    multiplicity: concat(head.multiplicity, multiplicity),
    exactModes, quadratureNodes, tailNodes, representedModes: modes, errorEstimate,
  };
}

function concat(head: Float64Array, rest: number[]): Float64Array {
  const out = new Float64Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}

/** The last exact head computed: repeated calls on one spectrum (a calculator) skip the powers. */
let lastHead: { key: string; eigenvalues: Float64Array; targetPower: Float64Array; multiplicity: Float64Array } | undefined;

function exactHead(spectrum: Spectrum & { kind: 'power-law' }, count: number) {
  const { alpha, beta, leadingEigenvalue, targetScale } = spectrum;
  const key = `${alpha},${beta},${leadingEigenvalue},${targetScale},${count}`;
  if (lastHead?.key === key) return lastHead;
  const powerExponent = alpha * beta + 1;
  const eigenvalues = new Float64Array(count);
  const targetPower = new Float64Array(count);
  for (let k = 1; k <= count; k++) {
    eigenvalues[k - 1] = leadingEigenvalue * k ** -alpha;
    targetPower[k - 1] = targetScale * k ** -powerExponent;
  }
  lastHead = { key, eigenvalues, targetPower, multiplicity: new Float64Array(count).fill(1) };
  return lastHead;
}

/** int_from^to k^-exponent dk / from^(1 - exponent) (to may be Infinity when exponent > 1), without cancellation. */
function scaledIntegral(from: number, to: number, exponent: number): number {
  const shift = exponent - 1;
  if (Math.abs(shift) < 1e-12) return Math.log(to / from);
  if (to === Infinity) return 1 / shift;
  return -Math.expm1(-shift * Math.log(to / from)) / shift;
}
