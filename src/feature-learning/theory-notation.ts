// The Sobolev-target bookkeeping of feature-learning.md §2 and §5 (Fig. 5): target
// y(theta) = sum_k k^-q_y cos(k theta) and NTK lambda_k ~ k^-(2 q_phi) for a ReLU^q_phi activation
// give alpha = 2 q_phi and beta = (2 q_y - 1)/(2 q_phi) ([P~]; bookkeeping [I]). The paper notations
// of CONVENTIONS.md live in src/spectrum/notation.ts; this mapping is specific to [BAP25].
import { ParameterError } from '../errors.js';
import type { PowerLawExponents } from '../spectrum/notation.js';
import { checkNumber, checkOptions } from '../validate.js';

/**
 * (alpha, beta) of a Sobolev-type target on the circle (feature-learning.md §2, §5 Fig. 5):
 * alpha = 2 activationPower, beta = (2 targetDecay - 1)/(2 activationPower).
 * `activationPower` is q_phi (> 1/2, so that alpha > 1); `targetDecay` is q_y (> 1/2, so that beta > 0).
 * @example fromSobolevCircle({ activationPower: 1, targetDecay: 1 }) // { alpha: 2, beta: 0.5 }
 */
export function fromSobolevCircle(options: { activationPower: number; targetDecay: number }): PowerLawExponents {
  const given = checkOptions('fromSobolevCircle', options, ['activationPower', 'targetDecay']);
  const activationPower = checkNumber('activationPower', given.activationPower, { minimum: 0.5, exclusiveMinimum: true });
  const targetDecay = checkNumber('targetDecay', given.targetDecay, { minimum: 0.5, exclusiveMinimum: true });
  const alpha = 2 * activationPower;
  const beta = (2 * targetDecay - 1) / (2 * activationPower);
  if (!(alpha > 1 && Number.isFinite(alpha) && beta > 0 && Number.isFinite(beta))) {
    throw new ParameterError('targetDecay', targetDecay, 'values whose converted exponents are finite, with alpha > 1 and beta > 0');
  }
  return { alpha, beta };
}
