// The rich time exponent chi(beta) of feature-learning.md §3.2 ([BAP25] Eq. (10)) and the level
// recursion that produces it, §3.3 ([BAP25] App. E, Fig. 11). Lazy (gamma = 0) keeps chi = beta.
import { checkNumber, checkOptions } from '../validate.js';
import { checkBeta } from './theory-checks.js';

/**
 * The multiplier m_beta = max(1, 2/(1 + beta)) of every rich time exponent except the model
 * bottleneck (feature-learning.md §3.2): the effective-time reparametrisation
 * tau_eff ~ tau^(2/(1+beta)) of a hard task; 1 for beta >= 1.
 */
export function richTimeMultiplier(beta: number): number {
  return Math.max(1, 2 / (1 + beta));
}

/**
 * chi(beta) = beta * max(1, 2/(1 + beta)) in L ~ tau^-chi for the rich model at N, B -> infinity
 * (feature-learning.md §0 and §3.2, [BAP25] Eq. (10) [P]): 2 beta/(1 + beta) for beta < 1, beta
 * above. chi > beta for beta < 1, chi(1) = 1, chi ~ 2 beta as beta -> 0.
 * @example richTimeExponent({ beta: 0.5 }) // 0.6666666666666666
 */
export function richTimeExponent(options: { beta: number }): number {
  const given = checkOptions('richTimeExponent', options, ['beta']);
  const beta = checkBeta(given.beta);
  return beta < 1 ? (2 * beta) / (1 + beta) : beta;
}

/**
 * The level recursion of feature-learning.md §3.3: chi_0 = beta (lazy), chi_(l+1) = beta (2 - chi_l),
 * for levels l = 0 .. `levels` (default 5). For beta < 1 it converges, alternating, to the fixed
 * point 2 beta/(1 + beta); level 1 is [BAP25] Eq. (59). The recursion applies to hard tasks only:
 * for beta >= 1 the boost saturates and chi = beta (§3.3), which is what this returns at every level.
 * @example richExponentLevels({ beta: 0.5, levels: 3 }) // Float64Array [0.5, 0.75, 0.625, 0.6875]
 */
export function richExponentLevels(options: { beta: number; levels?: number }): Float64Array {
  const given = checkOptions('richExponentLevels', options, ['beta', 'levels']);
  const beta = checkBeta(given.beta);
  const levels = given.levels === undefined ? 5 : checkNumber('levels', given.levels, { minimum: 0, maximum: 10_000, integer: true });
  const out = new Float64Array(levels + 1);
  out[0] = beta;
  for (let level = 1; level <= levels; level++) out[level] = beta < 1 ? beta * (2 - out[level - 1]) : beta;
  return out;
}
