// Option checks shared by the closed forms of feature-learning.md §2–§3: capacity alpha > 1
// (trace class, §2), source beta > 0, feature-learning strength gamma >= 0 (0 = lazy).
import { checkNumber } from '../validate.js';

/** alpha: a finite number > 1 (non-trace-class kernels are excluded, feature-learning.md §2). */
export function checkAlpha(value: unknown): number {
  return checkNumber('alpha', value, { minimum: 1, exclusiveMinimum: true });
}

/** beta: a finite number > 0. */
export function checkBeta(value: unknown): number {
  return checkNumber('beta', value, { minimum: 0, exclusiveMinimum: true });
}

/** featureLearning (gamma of [BAP25], never weight decay): a finite number >= 0; 0 is lazy. */
export function checkFeatureLearning(value: unknown): number {
  return checkNumber('featureLearning', value, { minimum: 0 });
}
