// Converters between the package's (alpha, beta) and the notations of the papers
// (CONVENTIONS.md, "Conversions to each paper's symbols").
import { ParameterError } from '../errors.js';
import { checkNumber, checkOptions } from '../validate.js';

/** The package's power-law exponents: capacity alpha (> 1) and source beta (> 0). */
export interface PowerLawExponents {
  readonly alpha: number;
  readonly beta: number;
}

/**
 * From Bordelon, Atanasov & Pehlevan 2024: eigenvalues k^-b, target power k^-a.
 * alpha = b, beta = (a - 1)/b.
 * @example fromBordelon2024({ a: 1.75, b: 1.5 }) // { alpha: 1.5, beta: 0.5 }
 */
export function fromBordelon2024(options: { a: number; b: number }): PowerLawExponents {
  const given = checkOptions('fromBordelon2024', options, ['a', 'b']);
  const b = checkNumber('b', given.b, { minimum: 1, exclusiveMinimum: true });
  const a = checkNumber('a', given.a, { minimum: 1, exclusiveMinimum: true });
  return checkResult('a', a, { alpha: b, beta: (a - 1) / b });
}

/** To Bordelon, Atanasov & Pehlevan 2024: a = alpha beta + 1, b = alpha. */
export function toBordelon2024(exponents: PowerLawExponents): { a: number; b: number } {
  const { alpha, beta } = checkExponents('toBordelon2024', exponents);
  return checkResult('beta', beta, { a: alpha * beta + 1, b: alpha });
}

/**
 * From Paquette et al. 2024 (alpha_P, beta_P): alpha = 2 alpha_P,
 * beta = (2 alpha_P + 2 beta_P - 1)/(2 alpha_P).
 * @example fromPaquette2024({ alphaP: 0.75, betaP: 0.125 }) // { alpha: 1.5, beta: 0.5 }
 */
export function fromPaquette2024(options: { alphaP: number; betaP: number }): PowerLawExponents {
  const given = checkOptions('fromPaquette2024', options, ['alphaP', 'betaP']);
  const alphaP = checkNumber('alphaP', given.alphaP, { minimum: 0.5, exclusiveMinimum: true });
  const betaP = checkNumber('betaP', given.betaP);
  const beta = (2 * alphaP + 2 * betaP - 1) / (2 * alphaP);
  checkNumber('betaP', betaP, { minimum: (1 - 2 * alphaP) / 2, exclusiveMinimum: true });
  return checkResult('alphaP', alphaP, { alpha: 2 * alphaP, beta });
}

/** To Paquette et al. 2024: alpha_P = alpha/2, beta_P = (alpha beta + 1 - alpha)/2. */
export function toPaquette2024(exponents: PowerLawExponents): { alphaP: number; betaP: number } {
  const { alpha, beta } = checkExponents('toPaquette2024', exponents);
  return checkResult('beta', beta, { alphaP: alpha / 2, betaP: (alpha * beta + 1 - alpha) / 2 });
}

/**
 * From Kramp, Lindner & Helias 2026 with the teacher drawn from the prior: alpha = 1 + alpha_K
 * and target power decaying like the eigenvalues (a_t = b), so beta = 1 - 1/alpha =
 * alpha_K/(1 + alpha_K).
 * @example fromKramp2026({ alphaK: 1 }) // { alpha: 2, beta: 0.5 }
 */
export function fromKramp2026(options: { alphaK: number }): PowerLawExponents {
  const given = checkOptions('fromKramp2026', options, ['alphaK']);
  const alphaK = checkNumber('alphaK', given.alphaK, { minimum: 0, exclusiveMinimum: true });
  return checkResult('alphaK', alphaK, { alpha: 1 + alphaK, beta: alphaK / (1 + alphaK) });
}

/** To Kramp, Lindner & Helias 2026: alpha_K = alpha - 1 (their teacher-from-prior has beta = 1 - 1/alpha). */
export function toKramp2026(exponents: PowerLawExponents): { alphaK: number; teacherFromPrior: boolean } {
  const { alpha, beta } = checkExponents('toKramp2026', exponents);
  return { alphaK: alpha - 1, teacherFromPrior: Math.abs(beta - (1 - 1 / alpha)) < 1e-12 };
}

function checkExponents(name: string, exponents: PowerLawExponents): PowerLawExponents {
  const given = checkOptions(name, exponents, ['alpha', 'beta']);
  return {
    alpha: checkNumber('alpha', given.alpha, { minimum: 1, exclusiveMinimum: true }),
    beta: checkNumber('beta', given.beta, { minimum: 0, exclusiveMinimum: true }),
  };
}

/** Refuses results that overflow or round to alpha <= 1, blaming `parameter`. */
function checkResult<T extends Record<string, number>>(parameter: string, value: number, result: T): T {
  const bad = Object.values(result).some((entry) => !Number.isFinite(entry)) || ('alpha' in result && !(result.alpha > 1)) || ('beta' in result && !(result.beta > 0));
  if (bad) throw new ParameterError(parameter, value, 'a value whose converted exponents are finite, with alpha > 1 and beta > 0');
  return result;
}
