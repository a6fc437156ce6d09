// dmft(): typical-case learning curves of linear / random-feature regression on power-law (or
// custom) spectra from the DMFT of spec dmft-random-features.md §5-§7 and §10 (Laplace transforms
// on a Talbot contour), in package units: test and training loss with the bias-variance split,
// the t -> infinity equilibrium, local exponents and optionally the early-stopping minimum.
import { now } from '../control.js';
import { localExponents } from '../exponents.js';
import { attachSerialisers } from '../result.js';
import { timeGrid } from '../time-grid.js';
import { findEarlyStopping } from './early-stopping.js';
import { prepareDmft, resolveDmftOptions, type DmftEquilibrium, type DmftOptions, type DmftVarianceParts } from './solver.js';
import type { EngineName } from '../engine/types.js';

export type { DmftOptions, DmftEquilibrium, DmftVarianceParts, DmftCurves, DmftProblem } from './solver.js';

/** Metadata of a dmft() result. */
export interface DmftMeta {
  solver: 'dmft';
  conventions: string;
  /** How the spec's sum-loss variables map to the package's. */
  conversion: string;
  engine: EngineName;
  elapsedMs: number;
  /** 'steps' for gradient descent (learningRate), 'time' for flow. */
  timeUnit: 'time' | 'steps';
  /** '1-D' (isotropic teacher: Phi_m, Psi_m only) or '2-D' (product Talbot rule for the teacher part). */
  teacherTransform: '1-D' | '2-D';
  talbotNodes: number;
  /** Compressed mode set: exact modes, quadrature nodes, tail node, estimated absolute error of the loss from the quadrature. */
  compression: { exactModes: number; quadratureNodes: number; tailNodes: number; nodes: number; errorEstimate: number };
  /** Target power of the modes outside the model (in bias and training noise). */
  outsidePower: number;
  parameters: Record<string, unknown>;
  /** Reconstruction tags of the spec sections used. */
  reconstruction: string;
}

/** Result of dmft(). */
export interface DmftResult {
  times: Float64Array;
  /** Test loss L = 2 E_test (+ labelNoise with includeNoise). */
  loss: Float64Array;
  /** Training MSE = 2 E_train. */
  trainLoss: Float64Array;
  bias: Float64Array;
  variance: Float64Array;
  varianceParts: DmftVarianceParts<Float64Array>;
  equilibrium: DmftEquilibrium;
  /** -d ln loss / d ln t on the grid (NaN at t = 0 and for a single time). */
  localExponents: Float64Array;
  /** Minimum of the loss over the grid's range (null: monotone); only present when requested (else null). */
  earlyStopping: { time: number; loss: number } | null;
  meta: DmftMeta;
}

/** Times used when none are given (as exactFiniteSize()). */
const DEFAULT_TIMES = { from: 1, to: 1e4, count: 41, spacing: 'log' } as const;

/**
 * Typical-case (N, P -> infinity at fixed ratio) test and training loss of linear regression on N
 * Gaussian features psi ~ N(0, diag lambda) from P samples, trained by gradient flow on
 * (1/2P)|Psi w - y|^2 + (weightDecay/2)|w|^2 with Langevin noise sqrt(2 temperature) dB and
 * w(0) ~ N(0, initVariance I): the DMFT of spec dmft-random-features.md §5-§7 [R][V]
 * (a reconstruction of Kramp, Lindner & Helias 2026), the same quantities and field names as
 * exactFiniteSize(). With learningRate: gradient descent, times are step counts (spec §9: the same
 * kappa(s) at s(z) = (1 - z)/(eta z); learningRate x h_max < 2, with h_max the right edge of the
 * spectrum of G/P + weightDecay; modes above 1/learningRate oscillate).
 *
 * Method (spec §10): kappa(s) of kappa = s + weightDecay + (kappa/P) sum lambda/(lambda + kappa) on
 * a Talbot contour (talbotNodes nodes) by bisection on the real axis and Newton continuation;
 * isotropic teachers through the 1-D functionals Phi_m (§6), anisotropic ones through the 2-D
 * product rule (§5, thermal part always 1-D); bias by per-mode inversion of chi_k(s)(1 + gamma/s).
 * Power laws with many modes (or modes: Infinity) are compressed (exact head, log-k quadrature, tail node).
 *
 * Descent (spec §9) [R]: the coefficient of z^n of F(s(z))/(eta z) is inverted by the Talbot rule in
 * w (z = e^(-eta w), time eta (n + 1), s = (e^(eta w) - 1)/eta) for n >= 0.27 talbotNodes; with
 * oscillating modes (learningRate x h_max >= 1) by two Talbot contours, around Im eta w = 0 and
 * Im eta w = pi (src/dmft/descent-rule.ts), for n >= 0.54 talbotNodes while the oscillating part
 * (<= (learningRate h_max - 1)^n) exceeds e^-45; and by the trapezoid rule on a circle |z| = r < 1 for fewer steps.
 *
 * Conversion (spec, "Mapping"): t = t_m / P, gamma = P weightDecay, T = P temperature, eta = eta_m / P; loss = 2 E_test.
 *
 * @example
 * const r = dmft({ alpha: 1.5, beta: 0.5, modes: 300, dataSize: 150, times: 'log:1:1e5:41' });
 * // r.loss, r.bias, r.varianceParts.data, r.equilibrium.loss (ridgeless interpolant)
 */
export function dmft(options: DmftOptions): DmftResult {
  const started = now();
  const { given } = resolveDmftOptions('dmft', options);
  const times = timeGrid(given.times === undefined ? DEFAULT_TIMES : given.times, { steps: given.learningRate !== undefined });
  const problem = prepareDmft(options);
  try {
    const curves = problem.evaluate(times);
    const equilibrium = problem.equilibrium();
    let earlyStopping: { time: number; loss: number } | null = null;
    if (given.earlyStopping === true) {
      const positive = Array.from(times).filter((t) => t > 0);
      if (positive.length >= 2) {
        // descent: the search's fractional times are rounded to whole steps
        const loss = problem.parameters.learningRate === undefined
          ? (grid: Float64Array) => problem.evaluate(grid).loss
          : (grid: Float64Array) => problem.evaluate(grid.map(Math.round)).loss;
        earlyStopping = findEarlyStopping(loss, positive[0], positive[positive.length - 1]);
        if (earlyStopping && problem.parameters.learningRate !== undefined) earlyStopping.time = Math.round(earlyStopping.time);
      }
    }
    const exponents = times.length >= 2 ? localExponents(times, curves.loss) : new Float64Array(times.length).fill(NaN);
    const result: DmftResult = {
      times,
      ...curves,
      equilibrium,
      localExponents: exponents,
      earlyStopping,
      meta: {
        solver: 'dmft',
        conventions: 'CONVENTIONS.md: L = sum_k lambda_k E[v_k^2] (MSE without 1/2); trainLoss = mean squared training residual; excess loss unless includeNoise',
        conversion: 'spec dmft-random-features.md (sum loss): t = t_m / P, gamma = P weightDecay, T = P temperature, s = P s_m, E_test = loss / 2, E_train = trainLoss / 2; kappa unchanged',
        engine: problem.engine,
        elapsedMs: now() - started,
        timeUnit: problem.parameters.learningRate === undefined ? 'time' : 'steps',
        teacherTransform: problem.isotropic ? '1-D' : '2-D',
        talbotNodes: problem.parameters.talbotNodes,
        compression: {
          exactModes: problem.modes.exactModes, quadratureNodes: problem.modes.quadratureNodes,
          tailNodes: problem.modes.tailNodes, nodes: problem.modes.eigenvalues.length, errorEstimate: problem.modes.errorEstimate,
        },
        outsidePower: problem.modes.outsidePower,
        parameters: { ...problem.described, earlyStopping: given.earlyStopping === true },
        reconstruction: 'spec §5 (kappa equation, two-resolvent 1/(1-Q)), §6 (Phi_m, bias-variance), §7(b) (static limit): [R][V]; training-loss forms derived from the same equivalents [R]'
          + (problem.parameters.learningRate === undefined ? '' : '; §9 gradient descent by the z-transform (Talbot rule in w = -ln z / eta, split around Im eta w = pi with oscillating modes, circle for few steps) [R]'),
      },
    };
    return attachSerialisers(result);
  } finally {
    problem.dispose();
  }
}
