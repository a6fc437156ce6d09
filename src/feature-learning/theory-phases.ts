// Task classes and the phases of Paquette et al. 2024, feature-learning.md §2: hard / easy /
// super-easy of [BAP25] are Phases I / II / III of [PPXP24] for trace-class kernels (alpha > 1).
// The classification itself is taskDifficulty (src/spectrum/difficulty.ts), reused here.
import { taskDifficulty, type TaskClassification, type TaskDifficulty } from '../spectrum/difficulty.js';
import { toPaquette2024 } from '../spectrum/notation.js';
import { checkOptions } from '../validate.js';

/** [PPXP24]'s phase for alpha > 1 (Phases Ib, Ic, IVa, IVb need alpha < 1 and are excluded, §2). */
export type PaquettePhase = 'I' | 'II' | 'III';

/** A task's class in both papers' terms. */
export interface TaskPhase {
  /** [BAP25]'s class, from taskDifficulty (on a boundary the easier side). */
  readonly taskDifficulty: TaskClassification;
  /** [PPXP24]'s phase: I (2 beta_P < 1), II (1/2 < beta_P < alpha_P), III (beta_P > alpha_P). */
  readonly paquettePhase: PaquettePhase;
  /** [PPXP24]'s exponents: alpha_P = alpha/2, beta_P = (alpha beta + 1 - alpha)/2. */
  readonly paquette: { readonly alphaP: number; readonly betaP: number };
  /** RKHS norm sum_k (w*_k)^2 of the target is finite (beta > 1), [BAP25] Eq. (7), §2. */
  readonly finiteRkhsNorm: boolean;
}

const PHASE: Record<TaskDifficulty, PaquettePhase> = { hard: 'I', easy: 'II', 'super-easy': 'III' };

/**
 * Class and phase of a power-law task (feature-learning.md §2): hard beta < 1 = Phase I,
 * easy 1 < beta < 2 - 1/alpha = Phase II, super-easy beta > 2 - 1/alpha = Phase III.
 * @example taskPhase({ alpha: 2, beta: 1.25 }).paquettePhase // 'II'
 */
export function taskPhase(options: { alpha: number; beta: number }): TaskPhase {
  const given = checkOptions('taskPhase', options, ['alpha', 'beta']) as { alpha: number; beta: number };
  const classification = taskDifficulty({ alpha: given.alpha, beta: given.beta });
  return {
    taskDifficulty: classification,
    paquettePhase: PHASE[classification.difficulty],
    paquette: toPaquette2024({ alpha: given.alpha, beta: given.beta }),
    finiteRkhsNorm: given.beta > 1,
  };
}
