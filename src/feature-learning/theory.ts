// The closed-form theory of feature-learning.md §2–§3 (Bordelon, Atanasov & Pehlevan 2025, with
// [BAP24] and [PPXP24]): exponents of every term of the loss, lazy (featureLearning = 0) and rich
// (> 0); Table 1 of compute-optimal exponents; exact kappa-based bottlenecks (theory-bottleneck.ts).
import { checkArray, checkOptions } from '../validate.js';
import { checkAlpha, checkBeta, checkFeatureLearning } from './theory-checks.js';
import { table1, type ComputeOptimalExponents } from './theory-compute.js';
import { taskPhase, type TaskPhase } from './theory-phases.js';
import { richTimeExponent, richTimeMultiplier } from './theory-time.js';
import { finiteWidthTransient, lazyRichCrossover, sgdTransient, type LazyRichCrossover, type TransientTerm } from './theory-transients.js';

export { richTimeExponent, richExponentLevels } from './theory-time.js';
export { taskPhase } from './theory-phases.js';
export type { TaskPhase, PaquettePhase } from './theory-phases.js';
export { modelBottleneck, dataBottleneck } from './theory-bottleneck.js';
export type { ModelBottleneckOptions, DataBottleneckOptions, BottleneckResult, ModelBottleneckResult, BottleneckAsymptote } from './theory-bottleneck.js';
export { lazyRichCrossover } from './theory-transients.js';
export type { LazyRichCrossover, TransientTerm } from './theory-transients.js';
export type { ComputeOptimalExponents } from './theory-compute.js';
export { fromSobolevCircle } from './theory-notation.js';

/** Options of featureLearningExponents and computeOptimal. */
export interface TheoryOptions {
  /** Capacity exponent alpha (> 1). */
  alpha: number;
  /** Source exponent beta (> 0). */
  beta: number;
  /** Feature-learning strength gamma (>= 0; 0 = lazy). Exponents are the same for every gamma > 0. */
  featureLearning: number;
}

/** Every closed-form exponent of the loss for one (alpha, beta, regime). */
export interface FeatureLearningExponents extends TaskPhase {
  readonly regime: 'lazy' | 'rich';
  /** chi in L ~ tau^-chi at N, B = infinity: beta lazy, chi(beta) = beta max(1, 2/(1+beta)) rich (§0, §3.2). */
  readonly timeExponent: number;
  /** beta, the lazy exponent (CONVENTIONS.md). */
  readonly lazyTimeExponent: number;
  /** chi(beta), the rich exponent ([BAP25] Eq. (10)). */
  readonly richTimeExponent: number;
  /** m = max(1, 2/(1+beta)) rich, 1 lazy: the factor on every time exponent except the bottleneck (§3.2). */
  readonly timeMultiplier: number;
  /** Exact model-bottleneck exponent alpha min(1, beta): L(tau -> inf, N) ~ N^-this (§3.5 [D][V]). */
  readonly modelExponent: number;
  /** The papers' printed alpha min(2, beta) (§3.5): differs from modelExponent for beta > 1. */
  readonly printedModelExponent: number;
  /** Data-bottleneck exponent alpha min(2, beta): L(tau -> inf, P) ~ P^-this, lazy and rich (§3.6). */
  readonly dataExponent: number;
  /** N^-1 tau^-(1-1/alpha) m (§3.8). */
  readonly finiteWidthTransient: TransientTerm;
  /** (eta/B) tau^-(2-1/alpha) m (§3.7). */
  readonly sgdTransient: TransientTerm;
  /** k*(tau) ~ tau^this, the mode being learned: chi/(alpha beta) (§3.2, [BAP25] Eq. (11)). */
  readonly learnedModeExponent: number;
  /** tau at which the model bottleneck is reached, ~ N^this: alpha lazy, alpha(1+beta)/2 rich hard (§3.5). */
  readonly plateauTimeExponent: number;
  /** The lazy->rich crossover (§3.4). */
  readonly crossover: LazyRichCrossover;
  /** Table 1 row (§3.9). */
  readonly computeOptimal: ComputeOptimalExponents;
  readonly meta: { readonly parameters: TheoryOptions; readonly source: string; readonly notes: readonly string[] };
}

const NOTES = [
  'Exponents only: feature-learning.md gives no prefactors for these terms (§3).',
  'Model bottleneck: the papers print N^-(alpha min(2,beta)); the exact asymptote of kappa sum p/(lambda+kappa) is N^-(alpha min(1,beta)) (§3.5, §7 item 2). Both are reported; they differ only for beta > 1, where no compute-optimal exponent changes.',
  'Rich transient exponents are recalled from [BAP25] App. F, not independently verified (§7 item 4).',
  'Crossover gamma powers assume a feature update linear in gamma (§1.7); with gamma^2 replace gamma by gamma^2.',
];

/**
 * The exponents of every term of L(tau, N, B) ≈ tau^-chi + N^-(alpha min(1,beta)) + N^-1 tau^-(1-1/alpha)m
 * + (eta/B) tau^-(2-1/alpha)m (feature-learning.md §3.1, §3.2, with the exact bottleneck of §3.5), the data
 * bottleneck (§3.6), the task class and [PPXP24] phase (§2), the crossover (§3.4) and Table 1 (§3.9).
 * Lazy when featureLearning = 0, rich when > 0.
 * @example featureLearningExponents({ alpha: 2, beta: 0.5, featureLearning: 1 }).timeExponent // 0.6666666666666666
 */
export function featureLearningExponents(options: TheoryOptions): FeatureLearningExponents {
  const { alpha, beta, featureLearning } = checkTheoryOptions('featureLearningExponents', options, []);
  const rich = featureLearning > 0;
  const richExponent = richTimeExponent({ beta });
  const timeExponent = rich ? richExponent : beta;
  const { difficulty: _difficulty, ...row } = table1(alpha, beta, featureLearning);
  return {
    ...taskPhase({ alpha, beta }),
    regime: rich ? 'rich' : 'lazy',
    timeExponent,
    lazyTimeExponent: beta,
    richTimeExponent: richExponent,
    timeMultiplier: rich ? richTimeMultiplier(beta) : 1,
    modelExponent: alpha * Math.min(1, beta),
    printedModelExponent: alpha * Math.min(2, beta),
    dataExponent: alpha * Math.min(2, beta),
    finiteWidthTransient: finiteWidthTransient(alpha, beta, featureLearning),
    sgdTransient: sgdTransient(alpha, beta, featureLearning),
    learnedModeExponent: timeExponent / (alpha * beta),
    plateauTimeExponent: rich && beta < 1 ? (alpha * (1 + beta)) / 2 : alpha,
    crossover: lazyRichCrossover({ beta, featureLearning }),
    computeOptimal: row,
    meta: { parameters: { alpha, beta, featureLearning }, source: 'feature-learning.md §0, §2, §3.1–§3.9', notes: NOTES },
  };
}

/** Options of computeOptimal. */
export interface ComputeOptimalOptions extends TheoryOptions {
  /** Compute budgets C = N t (numbers > 0, finite): adds C^a, C^b and C^-r at each. */
  compute?: number | ArrayLike<number>;
}

/** Table 1 row plus, when `compute` is given, the scalings evaluated there. */
export interface ComputeOptimalResult extends ComputeOptimalExponents, TaskPhase {
  readonly regime: 'lazy' | 'rich';
  /** r for gamma = 0 and for gamma > 0 (equal unless the task is hard). */
  readonly lazyLossExponent: number;
  readonly richLossExponent: number;
  /** The compute budgets given. */
  readonly compute?: Float64Array;
  /** C^a: N*(C) up to a constant factor that the spec does not give. */
  readonly modelSizeScale?: Float64Array;
  /** C^b: tau*(C) up to a constant factor that the spec does not give. */
  readonly timeScale?: Float64Array;
  /** C^-r: L*(C) up to a constant factor that the spec does not give. */
  readonly lossScale?: Float64Array;
  readonly meta: { readonly parameters: TheoryOptions; readonly source: string; readonly notes: readonly string[] };
}

/**
 * Compute-optimal exponents, Table 1 of feature-learning.md (§0, §3.9): L*(C) ~ C^-r, N*(C) ~ C^a,
 * tau*(C) ~ C^b with C = N t. feature-learning.md gives no prefactors, so with `compute` the result holds
 * the pure powers C^a, C^b, C^-r (`...Scale`), i.e. N*, tau*, L* up to constants; the numerical frontier
 * min_N L(C/N, N) needs a solver of the full dynamics (not part of this closed form).
 * @example computeOptimal({ alpha: 2, beta: 0.5, featureLearning: 1 }).lossExponent // 0.4
 */
export function computeOptimal(options: ComputeOptimalOptions): ComputeOptimalResult {
  const { alpha, beta, featureLearning } = checkTheoryOptions('computeOptimal', options, ['compute']);
  const { difficulty: _difficulty, ...row } = table1(alpha, beta, featureLearning);
  const given = options as ComputeOptimalOptions;
  const result: Record<string, unknown> = {
    ...row,
    ...taskPhase({ alpha, beta }),
    regime: featureLearning > 0 ? 'rich' : 'lazy',
    lazyLossExponent: table1(alpha, beta, 0).lossExponent,
    richLossExponent: table1(alpha, beta, 1).lossExponent,
  };
  if (given.compute !== undefined) {
    const compute = checkArray('compute', typeof given.compute === 'number' ? [given.compute] : given.compute, { minimum: 0, exclusiveMinimum: true });
    result.compute = compute;
    result.modelSizeScale = compute.map((c) => c ** row.modelSizeExponent);
    result.timeScale = compute.map((c) => c ** row.timeExponent);
    result.lossScale = compute.map((c) => c ** -row.lossExponent);
  }
  result.meta = {
    parameters: { alpha, beta, featureLearning },
    source: 'feature-learning.md §0 Table 1, §3.9 [P~][D]; cross-checked against [PPXP24] Phases I–III',
    notes: [
      'Compute C = N t at fixed batch size (C ∝ N tau at fixed learning rate).',
      'No prefactors are given by the spec: modelSizeScale, timeScale and lossScale are C^a, C^b, C^-r with unit constants.',
      'The numerical compute-optimal frontier of the full dynamics belongs to a separate solver.',
    ],
  };
  return result as unknown as ComputeOptimalResult;
}

function checkTheoryOptions(name: string, options: unknown, extra: string[]): TheoryOptions {
  const given = checkOptions(name, options, ['alpha', 'beta', 'featureLearning', ...extra]);
  return { alpha: checkAlpha(given.alpha), beta: checkBeta(given.beta), featureLearning: checkFeatureLearning(given.featureLearning) };
}
