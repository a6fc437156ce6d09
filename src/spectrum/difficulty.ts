// Task difficulty of Bordelon, Atanasov & Pehlevan (2025) in the package's (alpha, beta):
// CONVENTIONS.md, "Spectrum and task".
import { checkNumber, checkOptions } from '../validate.js';

/** `hard` beta < 1; `easy` 1 < beta < 2 - 1/alpha; `super-easy` beta > 2 - 1/alpha. */
export type TaskDifficulty = 'hard' | 'easy' | 'super-easy';

/** Classification with the boundaries that produced it. */
export interface TaskClassification {
  readonly difficulty: TaskDifficulty;
  /** beta = 1: target at the edge of the RKHS of the initial kernel. */
  readonly hardBoundary: 1;
  /** beta = 2 - 1/alpha. */
  readonly superEasyBoundary: number;
  /** True when beta sits on a boundary (within 1e-12), where the class is the easier side's. */
  readonly onBoundary: boolean;
}

/**
 * Classifies a power-law task (CONVENTIONS.md): hard when beta < 1, easy when
 * 1 <= beta <= 2 - 1/alpha, super-easy above. On a boundary the easier class is returned and
 * `onBoundary` is set.
 * @example taskDifficulty({ alpha: 1.5, beta: 0.5 }).difficulty // 'hard'
 */
export function taskDifficulty(options: { alpha: number; beta: number }): TaskClassification {
  const given = checkOptions('taskDifficulty', options, ['alpha', 'beta']) as { alpha?: number; beta?: number };
  const alpha = checkNumber('alpha', given.alpha, { minimum: 1, exclusiveMinimum: true });
  const beta = checkNumber('beta', given.beta, { minimum: 0, exclusiveMinimum: true });
  const superEasyBoundary = 2 - 1 / alpha;
  const onBoundary = Math.abs(beta - 1) < 1e-12 || Math.abs(beta - superEasyBoundary) < 1e-12;
  const difficulty: TaskDifficulty = beta < 1 - 1e-12 ? 'hard' : beta <= superEasyBoundary - 1e-12 ? 'easy' : 'super-easy';
  return { difficulty, hardBoundary: 1, superEasyBoundary, onBoundary };
}
