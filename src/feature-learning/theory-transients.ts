// Transient terms of the loss and the lazy->rich crossover, feature-learning.md §3.1, §3.2, §3.4,
// §3.7, §3.8. Only exponents (and the crossover's gamma scaling) are given by the spec; prefactors
// are omitted there, so none are returned here.
import { checkOptions } from '../validate.js';
import { checkBeta, checkFeatureLearning } from './theory-checks.js';
import { richTimeMultiplier } from './theory-time.js';

/** A term prefactor * n^-sizeExponent * tau^-timeExponent of the loss (prefactor not given). */
export interface TransientTerm {
  /** Exponent of 1/N (finite width) or of eta/B (SGD noise) in front of the term. */
  readonly sizeExponent: number;
  /** Exponent of 1/tau. */
  readonly timeExponent: number;
  /** Section of feature-learning.md and confidence tags. */
  readonly source: string;
}

/**
 * Finite-N transient N^-1 tau^-(1 - 1/alpha) m (feature-learning.md §3.1, §3.2, §3.8; [PPXP24]'s F_ac),
 * with m = 1 lazy and m = max(1, 2/(1 + beta)) rich ([P~]; the rich prefactor ||w*||_H^2 diverges
 * for beta < 1, so the rich hard-task term is heuristic, §7 item 4).
 */
export function finiteWidthTransient(alpha: number, beta: number, featureLearning: number): TransientTerm {
  const m = featureLearning > 0 ? richTimeMultiplier(beta) : 1;
  return { sizeExponent: 1, timeExponent: (1 - 1 / alpha) * m, source: 'feature-learning.md §3.8 [P~][D]; rich multiplier §3.2 [P~], not independently verified (§7 item 4)' };
}

/**
 * SGD transient (eta/B) tau^-(2 - 1/alpha) m (feature-learning.md §3.1, §3.2, §3.7; [PPXP24]'s K_pp):
 * it dominates the population term only for super-easy tasks. Lazy exponent [P][V]; rich multiplier [P~].
 */
export function sgdTransient(alpha: number, beta: number, featureLearning: number): TransientTerm {
  const m = featureLearning > 0 ? richTimeMultiplier(beta) : 1;
  return { sizeExponent: 1, timeExponent: (2 - 1 / alpha) * m, source: 'feature-learning.md §3.7 [P][D][V] (lazy); rich multiplier §3.2 [P~]' };
}

/** The lazy->rich crossover of a hard task (feature-learning.md §3.4 [D]). */
export interface LazyRichCrossover {
  /** True for hard tasks (beta < 1) with featureLearning > 0; otherwise the exponent never changes. */
  readonly applies: boolean;
  /**
   * tau_gamma = gamma^(-1/(1 - beta)) (unit prefactor: the spec gives only the scaling): before it
   * L ~ tau^-beta (lazy), after it L ~ gamma^(-beta/(1+beta)) tau^(-2 beta/(1+beta)).
   * Infinity when featureLearning = 0; null when the crossover does not apply (beta >= 1).
   */
  readonly time: number | null;
  /** Exponent of gamma in tau_gamma: -1/(1 - beta) (null for beta >= 1). */
  readonly timeScalingExponent: number | null;
  /** Exponent of gamma in the late-time amplitude: -beta/(1 + beta) (null for beta >= 1). */
  readonly amplitudeScalingExponent: number | null;
  /** Late-time exponent of tau: 2 beta/(1 + beta) for hard tasks, beta otherwise. */
  readonly lateTimeExponent: number;
  readonly source: string;
}

/**
 * The lazy->rich crossover (feature-learning.md §3.4 [D]; structure of [BAP25] App. E.2.1 [P]):
 * tau_gamma ~ gamma^(-1/(1-beta)), and afterwards L ~ gamma^(-beta/(1+beta)) tau^(-2beta/(1+beta)).
 * The gamma powers assume the package's feature update, linear in gamma (§1.7); if the paper's
 * carries gamma^2, replace gamma by gamma^2. The ratio of late amplitudes of two runs is
 * (gamma_1/gamma_2)^(-beta/(1+beta)): 2.154 for gamma = 0.1 against 1 at beta = 0.5 (check F15).
 * @example lazyRichCrossover({ beta: 0.5, featureLearning: 0.1 }).time // 100
 */
export function lazyRichCrossover(options: { beta: number; featureLearning: number }): LazyRichCrossover {
  const given = checkOptions('lazyRichCrossover', options, ['beta', 'featureLearning']);
  const beta = checkBeta(given.beta);
  const gamma = checkFeatureLearning(given.featureLearning);
  const source = 'feature-learning.md §3.4 [D]; gamma powers depend on the gamma normalisation (§1.7, §7 item 1)';
  if (beta >= 1) {
    return { applies: false, time: null, timeScalingExponent: null, amplitudeScalingExponent: null, lateTimeExponent: beta, source };
  }
  const timeScalingExponent = -1 / (1 - beta);
  return {
    applies: gamma > 0,
    time: gamma > 0 ? gamma ** timeScalingExponent : Infinity,
    timeScalingExponent,
    amplitudeScalingExponent: -beta / (1 + beta),
    lateTimeExponent: gamma > 0 ? (2 * beta) / (1 + beta) : beta,
    source,
  };
}
