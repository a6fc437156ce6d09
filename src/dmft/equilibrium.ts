// The t -> infinity limit of the DMFT without any time curve (spec dmft-random-features.md §7(b),
// §7(c)): ridge / Bayes posterior-mean error, posterior variance and Gibbs error from the static
// kappa_0 alone; and the mapping of a Gaussian-process prior and likelihood to weight decay and
// temperature (spec §3 (iv)), in package units.
import { ParameterError } from '../errors.js';
import { checkNumber, checkOptions } from '../validate.js';
import { compressModes } from './kappa.js';
import { checkDescent, DMFT_KEYS, equilibriumOf, resolveDmftOptions, type DmftEquilibrium, type DmftOptions } from './solver.js';

/**
 * The t -> infinity limit of dmft() (same options; times, talbotNodes, earlyStopping and engine are
 * accepted and ignored; learningRate is checked for stability): cheap, a real bisection for kappa_0 on the compressed spectrum
 * (spec §7(b) [S][R][V]). loss is Infinity where it grows without bound (temperature > 0,
 * weightDecay = 0, N >= P; lossGrowthRate gives the slope for N > P, spec §7(c)).
 * @example
 * dmftEquilibrium({ alpha: 1.5, beta: 1 / 3, modes: 300, dataSize: 150 }).kappa // 7.152351e-4 (spec D1)
 */
export function dmftEquilibrium(options: DmftOptions): DmftEquilibrium {
  const { spectrum, parameters } = resolveDmftOptions('dmftEquilibrium', options, DMFT_KEYS);
  const modes = compressModes(spectrum, parameters.modelSize, parameters.dataSize);
  checkDescent(modes, parameters); // descent converges to the same ridge solution when it converges
  return equilibriumOf(modes, parameters);
}

/** Options of gaussianProcessToDynamics(). */
export interface GaussianProcessOptions {
  /** Prior variance of each weight, w ~ N(0, priorVariance I) (prior kernel priorVariance K(x, x')). */
  priorVariance: number;
  /** Likelihood (observation) noise variance sigma^2 of the labels. */
  likelihoodNoise: number;
  /** P, the number of training samples. */
  dataSize: number;
}

/**
 * Weight decay and temperature (package units) whose Langevin equilibrium is the Bayesian
 * posterior of the Gaussian-process prior w ~ N(0, priorVariance I) with likelihood noise
 * variance likelihoodNoise (spec §3 (iv)): in the spec's sum-loss units T = sigma^2_lik and
 * gamma = sigma^2_lik / sigma^2_prior; converted (spec "Mapping") T_m = T / P, gamma_m = gamma / P.
 * For an NNGP prior w ~ N(0, (g_w/N) I) pass priorVariance = g_w / N.
 * @example gaussianProcessToDynamics({ priorVariance: 1, likelihoodNoise: 0.1, dataSize: 100 }) // { weightDecay: 0.001, temperature: 0.001 }
 */
export function gaussianProcessToDynamics(options: GaussianProcessOptions): { weightDecay: number; temperature: number } {
  const given = checkOptions('gaussianProcessToDynamics', options, ['priorVariance', 'likelihoodNoise', 'dataSize']) as unknown as GaussianProcessOptions;
  if (given.priorVariance === undefined) throw new ParameterError('priorVariance', undefined, 'a finite number > 0');
  const priorVariance = checkNumber('priorVariance', given.priorVariance, { minimum: 0, exclusiveMinimum: true });
  const likelihoodNoise = checkNumber('likelihoodNoise', given.likelihoodNoise, { minimum: 0, exclusiveMinimum: true });
  const dataSize = checkNumber('dataSize', given.dataSize, { minimum: 1, integer: true, maximum: 2 ** 26 });
  return { weightDecay: likelihoodNoise / priorVariance / dataSize, temperature: likelihoodNoise / dataSize };
}
