// Spectra (CONVENTIONS.md, "Spectrum and task"): the power law lambda_k = lambda_1 k^-alpha,
// p_k = c k^-(alpha beta + 1), or any custom (eigenvalues, targetPower). Validation of the
// spectrum options every solver shares lives here.
import { ParameterError } from '../errors.js';
import { checkArray, checkNumber, checkOptions, optionalNumber } from '../validate.js';

/** Spectrum options accepted by every solver (flat, as on the command line). */
export interface SpectrumOptions {
  /** Capacity exponent alpha of lambda_k = lambda_1 k^-alpha (> 1; > 0 allowed with finite modes). */
  alpha?: number;
  /** Source exponent beta of p_k = c k^-(alpha beta + 1) (> 0). */
  beta?: number;
  /** Number of modes M: a positive integer or Infinity (default 1000). */
  modes?: number;
  /** lambda_1 (default 1). */
  leadingEigenvalue?: number;
  /** c, the target power of mode 1 (default 1). */
  targetScale?: number;
  /** Custom eigenvalues (positive, finite), instead of alpha/beta/modes. */
  eigenvalues?: ArrayLike<number>;
  /** Custom target power per mode (non-negative, finite), same length as eigenvalues. */
  targetPower?: ArrayLike<number>;
  /** Power laws: modes summed exactly before the log-k quadrature takes over (default 2048). */
  headModes?: number;
}

/** Option names of SpectrumOptions. */
export const SPECTRUM_KEYS = ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'eigenvalues', 'targetPower', 'headModes'] as const;

/** A validated power-law spectrum. */
export interface PowerLawSpectrum {
  readonly kind: 'power-law';
  readonly alpha: number;
  readonly beta: number;
  readonly modes: number;
  readonly leadingEigenvalue: number;
  readonly targetScale: number;
  readonly headModes: number;
}

/** A validated custom spectrum. */
export interface CustomSpectrum {
  readonly kind: 'custom';
  readonly eigenvalues: Float64Array;
  readonly targetPower: Float64Array;
}

export type Spectrum = PowerLawSpectrum | CustomSpectrum;

/** Largest number of explicitly listed modes (custom arrays, headModes): 2^27, 1 GiB of f64. */
export const MAX_EXPLICIT_MODES = 2 ** 27;
/** Largest target scale, target power and label noise: sums over 2^53 modes stay finite. */
export const MAX_SCALE = 1e250;
/** Default number of exactly summed leading modes of a power law. */
export const DEFAULT_HEAD_MODES = 2048;

/** Validates the spectrum part of a solver's options. */
export function resolveSpectrum(options: SpectrumOptions): Spectrum {
  const custom = options.eigenvalues !== undefined || options.targetPower !== undefined;
  if (custom) {
    for (const key of ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale', 'headModes'] as const) {
      if (options[key] !== undefined) {
        throw new ParameterError(key, options[key], 'absent when eigenvalues/targetPower are given',
          'a spectrum is either a power law (alpha, beta, modes) or custom (eigenvalues, targetPower)');
      }
    }
    const eigenvalues = checkArray('eigenvalues', options.eigenvalues, { minimum: 0, exclusiveMinimum: true }, { maximumLength: MAX_EXPLICIT_MODES });
    const targetPower = checkArray('targetPower', options.targetPower, { minimum: 0, maximum: MAX_SCALE }, { maximumLength: MAX_EXPLICIT_MODES });
    if (targetPower.length !== eigenvalues.length) {
      throw new ParameterError('targetPower', options.targetPower, `an array of the same length as eigenvalues (${eigenvalues.length})`);
    }
    return { kind: 'custom', eigenvalues, targetPower };
  }
  const modes = optionalNumber('modes', options.modes, 1000, { minimum: 1, integer: true, allowInfinity: true, maximum: Number.MAX_SAFE_INTEGER });
  const alpha = checkNumber('alpha', options.alpha ?? missing('alpha'),
    modes === Infinity ? { minimum: 1, exclusiveMinimum: true, maximum: 64 } : { minimum: 0, exclusiveMinimum: true, maximum: 64 });
  const beta = checkNumber('beta', options.beta ?? missing('beta'), { minimum: 0, exclusiveMinimum: true, maximum: 64 });
  const leadingEigenvalue = optionalNumber('leadingEigenvalue', options.leadingEigenvalue, 1, { minimum: 0, exclusiveMinimum: true });
  const targetScale = optionalNumber('targetScale', options.targetScale, 1, { minimum: 0, maximum: MAX_SCALE });
  const headModes = optionalNumber('headModes', options.headModes, DEFAULT_HEAD_MODES, { minimum: 16, maximum: MAX_EXPLICIT_MODES, integer: true });
  return { kind: 'power-law', alpha, beta, modes, leadingEigenvalue, targetScale, headModes };
}

function missing(parameter: string): never {
  throw new ParameterError(parameter, undefined, 'a number (power-law spectrum), or eigenvalues and targetPower (custom spectrum)');
}

/**
 * The eigenvalues and target powers of a finite power-law spectrum, mode by mode
 * (CONVENTIONS.md): lambda_k = lambda_1 k^-alpha, p_k = c k^-(alpha beta + 1), k = 1..M.
 * For M = Infinity use the solvers, which sum the tail by quadrature.
 * @example powerLaw({ alpha: 2, beta: 0.5, modes: 3 }).eigenvalues // Float64Array [1, 0.25, 0.111...]
 */
export function powerLaw(options: Pick<SpectrumOptions, 'alpha' | 'beta' | 'modes' | 'leadingEigenvalue' | 'targetScale'>): { eigenvalues: Float64Array; targetPower: Float64Array } {
  const given = checkOptions('powerLaw', options, ['alpha', 'beta', 'modes', 'leadingEigenvalue', 'targetScale']) as SpectrumOptions;
  const spectrum = resolveSpectrum(given) as PowerLawSpectrum;
  if (spectrum.modes > MAX_EXPLICIT_MODES) {
    throw new ParameterError('modes', spectrum.modes, `an integer from 1 to ${MAX_EXPLICIT_MODES} for an explicit list`,
      'solvers accept larger M and Infinity and sum the tail by quadrature');
  }
  const eigenvalues = new Float64Array(spectrum.modes);
  const targetPower = new Float64Array(spectrum.modes);
  const powerExponent = spectrum.alpha * spectrum.beta + 1;
  for (let k = 1; k <= spectrum.modes; k++) {
    eigenvalues[k - 1] = spectrum.leadingEigenvalue * k ** -spectrum.alpha;
    targetPower[k - 1] = spectrum.targetScale * k ** -powerExponent;
  }
  return { eigenvalues, targetPower };
}
