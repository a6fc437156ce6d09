// The mode nodes the feature-learning solvers of this folder iterate over (markov.ts, lazy-tti.ts,
// volterra.ts): exact modes, or the package's log-k quadrature compression of many or infinitely
// many modes (src/spectrum/modes.ts; spec feature-learning.md §4.6 "Mode binning").
import { ParameterError } from '../errors.js';
import { modeSet, type ModeSet } from '../spectrum/modes.js';
import type { Spectrum } from '../spectrum/spectrum.js';

/** Nodes plus the exact trace (sum of eigenvalues) of the modes they stand for. */
export interface FeatureNodes extends ModeSet {
  /**
   * sum_k lambda_k over all represented modes. The tail node of modeSet matches the target power,
   * its first lambda-moment and sum lambda^2, but not sum lambda; solvers whose equations contain
   * tr(Lambda)/N (the finite-N reaction term) add the difference as a correction.
   */
  readonly trace: number;
  /** sum_b multiplicity_b lambda_b over the nodes (equals trace unless a tail node is present). */
  readonly nodeTrace: number;
}

/**
 * Nodes of `spectrum` for dynamics up to `horizon` (time in units of 1/eigenvalue). For a power
 * law the exact head has `headModes` modes when the user gave it, otherwise min(modes,
 * `defaultHead`); at most `maximumNodes` nodes are accepted (ParameterError naming `modes` or
 * `headModes` otherwise).
 */
export function featureNodes(
  spectrum: Spectrum, horizon: number, options: { headGiven: boolean; defaultHead: number; maximumNodes: number; solver: string },
): FeatureNodes {
  let resolved = spectrum;
  if (spectrum.kind === 'power-law' && !options.headGiven) {
    resolved = { ...spectrum, headModes: Math.max(16, Math.min(spectrum.modes, options.defaultHead)) };
  }
  if (resolved.kind === 'custom' && resolved.eigenvalues.length > options.maximumNodes) {
    throw new ParameterError('eigenvalues', resolved.eigenvalues, `at most ${options.maximumNodes} modes for ${options.solver}`,
      'its cost grows faster than linearly in the number of modes; use a power law with modes: Infinity (log-k quadrature)');
  }
  if (resolved.kind === 'power-law' && Math.min(resolved.modes, resolved.headModes) > options.maximumNodes) {
    throw new ParameterError('headModes', resolved.headModes, `at most ${options.maximumNodes} exact modes for ${options.solver}`,
      'set headModes (e.g. 128): the remaining modes are then represented by log-k quadrature nodes');
  }
  const nodes = modeSet(resolved, horizon);
  if (nodes.eigenvalues.length > options.maximumNodes) {
    throw new ParameterError(options.headGiven ? 'headModes' : 'modes', options.headGiven ? (resolved as { headModes?: number }).headModes : (resolved as { modes?: number }).modes,
      `a spectrum represented by at most ${options.maximumNodes} nodes for ${options.solver}`,
      `it needs ${nodes.eigenvalues.length} nodes; lower headModes`);
  }
  let nodeTrace = 0;
  for (let i = 0; i < nodes.eigenvalues.length; i++) nodeTrace += nodes.multiplicity[i] * nodes.eigenvalues[i];
  let trace = nodeTrace;
  if (nodes.tailNodes > 0 && resolved.kind === 'power-law') {
    // Replace the tail node's sum lambda by the exact integral of lambda_1 k^-alpha over its range.
    const last = nodes.eigenvalues.length - 1;
    const { alpha, leadingEigenvalue, modes } = resolved;
    // The tail starts where the quadrature ended; recover it from the last quadrature node's end:
    // modeSet's tail covers [from, M + 1/2] with from^(1-alpha) known through its moments. Recompute
    // `from` as the k where the midpoint integral of the quadrature stopped: the sum of the
    // multiplicities of the non-tail nodes plus the head edge 1/2.
    let covered = 0.5;
    for (let i = 0; i < last; i++) covered += nodes.multiplicity[i];
    const end = modes + 0.5;
    const tailTrace = Math.abs(alpha - 1) < 1e-9
      ? leadingEigenvalue * Math.log(end / covered)
      : leadingEigenvalue * (covered ** (1 - alpha) - (end === Infinity ? 0 : end ** (1 - alpha))) / (alpha - 1);
    trace = nodeTrace - nodes.multiplicity[last] * nodes.eigenvalues[last] + tailTrace;
  }
  return { ...nodes, trace, nodeTrace };
}

/** The spectrum part of a result's meta.parameters. */
export function spectrumParameters(spectrum: Spectrum): Record<string, unknown> {
  return spectrum.kind === 'power-law'
    ? { alpha: spectrum.alpha, beta: spectrum.beta, modes: spectrum.modes, leadingEigenvalue: spectrum.leadingEigenvalue, targetScale: spectrum.targetScale }
    : { modes: spectrum.eigenvalues.length };
}

/** How a result's modes were represented (its meta.spectrum). */
export interface NodeSummary {
  representedModes: number;
  nodes: number;
  exactModes: number;
  quadratureNodes: number;
  tailNodes: number;
  /** Estimated absolute error of a lazy mode sum from the compression (0 when every mode is exact). */
  errorEstimate: number;
}

/** meta.spectrum of a result computed on `nodes`. */
export function nodeSummary(nodes: FeatureNodes): NodeSummary {
  return {
    representedModes: nodes.representedModes, nodes: nodes.eigenvalues.length, exactModes: nodes.exactModes,
    quadratureNodes: nodes.quadratureNodes, tailNodes: nodes.tailNodes, errorEstimate: nodes.errorEstimate,
  };
}
