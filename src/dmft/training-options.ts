// The regularisation and noise options shared by the finite-data solvers (exactFiniteSize, dmft,
// dmftEquilibrium, ouLimit): weight decay, Langevin temperature, label noise, initial-weight
// variance, in package units (spec dmft-random-features.md "Mapping to the package conventions":
// weightDecay = gamma/P, temperature = T/P), and their one validation.
import { MAX_SCALE } from '../spectrum/spectrum.js';
import { optionalBoolean, optionalNumber } from '../validate.js';

/** Regularisation and noise of the training dynamics dw = -grad dt + sqrt(2 temperature) dB. */
export interface TrainingNoiseOptions {
  /** Ridge coefficient of the mean-loss objective, weightDecay = gamma / P (default 0). */
  weightDecay?: number;
  /** Langevin temperature T_m = T / P of dw = -grad dt + sqrt(2 T_m) dB (default 0). */
  temperature?: number;
  /** sigma^2, label-noise variance (default 0). */
  labelNoise?: number;
  /** sigma_0^2: w(0) ~ N(0, sigma_0^2 I) (default 0). */
  initVariance?: number;
  /** Report loss + labelNoise instead of the excess loss (default false). */
  includeNoise?: boolean;
}

/** The option names of TrainingNoiseOptions. */
export const TRAINING_NOISE_KEYS = ['weightDecay', 'temperature', 'labelNoise', 'initVariance', 'includeNoise'] as const;

/** Validated TrainingNoiseOptions with their defaults. */
export type TrainingNoise = Required<TrainingNoiseOptions>;

/** Checks the training-noise options (each a finite number from 0 to MAX_SCALE; ParameterError otherwise). */
export function checkTrainingNoise(given: TrainingNoiseOptions): TrainingNoise {
  const range = { minimum: 0, maximum: MAX_SCALE };
  return {
    weightDecay: optionalNumber('weightDecay', given.weightDecay, 0, range),
    temperature: optionalNumber('temperature', given.temperature, 0, range),
    labelNoise: optionalNumber('labelNoise', given.labelNoise, 0, range),
    initVariance: optionalNumber('initVariance', given.initVariance, 0, range),
    includeNoise: optionalBoolean('includeNoise', given.includeNoise, false),
  };
}
