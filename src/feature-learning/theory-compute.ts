// Compute-optimal scaling, Table 1 of feature-learning.md (§0, §3.9 [P~][D], cross-checked against
// [PPXP24]): L*(C) ~ C^-r with compute C = N t at fixed B, balancing the two dominant terms of the
// loss; N*(C) ~ C^a and tau*(C) ~ C^b with a + b = 1. The spec gives no prefactors.
import { taskDifficulty, type TaskDifficulty } from '../spectrum/difficulty.js';

/** Exponents of one row of Table 1 (§3.9). */
export interface ComputeOptimalExponents {
  /** r in L*(C) ~ C^-r. */
  readonly lossExponent: number;
  /** a in N*(C) ~ C^a. */
  readonly modelSizeExponent: number;
  /** b in tau*(C) ~ C^b (equivalently steps at fixed learning rate). */
  readonly timeExponent: number;
  /** The two loss terms balanced at the optimum (§3.9). */
  readonly balancedTerms: readonly [string, string];
}

/**
 * Table 1 (§3.9) for alpha > 1, beta > 0 and gamma = featureLearning:
 * hard lazy: r = alpha beta/(alpha+1), N* ~ C^(1/(1+alpha)), tau* ~ C^(alpha/(1+alpha));
 * hard rich: r = 2 alpha beta/(alpha(1+beta)+2), N* ~ C^(2/(2+alpha(1+beta))), tau* ~ C^(alpha(1+beta)/(2+alpha(1+beta)));
 * easy: r = alpha beta/(alpha beta+1), N* ~ C^((alpha(beta-1)+1)/(alpha beta+1)), tau* ~ C^(alpha/(alpha beta+1));
 * super-easy: r = 1 - 1/(2 alpha), N* ~ tau* ~ C^(1/2). All continuous at beta = 1 and beta = 2 - 1/alpha.
 */
export function table1(alpha: number, beta: number, featureLearning: number): ComputeOptimalExponents & { readonly difficulty: TaskDifficulty } {
  const { difficulty } = taskDifficulty({ alpha, beta });
  if (difficulty === 'hard' && featureLearning > 0) {
    const d = 2 + alpha * (1 + beta);
    return { difficulty, lossExponent: (2 * alpha * beta) / (alpha * (1 + beta) + 2), modelSizeExponent: 2 / d, timeExponent: (alpha * (1 + beta)) / d, balancedTerms: ['tau^(-2 beta/(1+beta))', 'N^(-alpha beta)'] };
  }
  if (difficulty === 'hard') {
    return { difficulty, lossExponent: (alpha * beta) / (alpha + 1), modelSizeExponent: 1 / (1 + alpha), timeExponent: alpha / (1 + alpha), balancedTerms: ['tau^(-beta)', 'N^(-alpha beta)'] };
  }
  if (difficulty === 'easy') {
    const d = alpha * beta + 1;
    return { difficulty, lossExponent: (alpha * beta) / d, modelSizeExponent: (alpha * (beta - 1) + 1) / d, timeExponent: alpha / d, balancedTerms: ['tau^(-beta)', 'N^(-1) tau^(-(1-1/alpha))'] };
  }
  return { difficulty, lossExponent: 1 - 1 / (2 * alpha), modelSizeExponent: 0.5, timeExponent: 0.5, balancedTerms: ['N^(-1) tau^(-(1-1/alpha))', '(eta/B) tau^(-(2-1/alpha))'] };
}
