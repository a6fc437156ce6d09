// The closed forms of feature-learning.md §2–§3.9 (src/feature-learning/theory*.ts): Table 1 (check F4)
// against the spec's worked values and, independently, against [PPXP24]'s phase formulas in their own
// variables; continuity across the phase boundaries beta = 1 and beta = 2 - 1/alpha; chi(beta) and the
// level recursion (F3); the exact kappa-based bottlenecks against the spec's reference values (F5–F8)
// and against their power-law asymptotes; the crossover (F15); the classifier (F17); validation.
import { describe, expect, it } from 'vitest';
import {
  computeOptimal, dataBottleneck, featureLearningExponents, fromSobolevCircle, lazyRichCrossover, modelBottleneck, ParameterError,
  richExponentLevels, richTimeExponent, taskPhase, toPaquette2024,
} from '../helpers.js';
import { riemannZeta } from '../../src/feature-learning/theory-zeta.js';

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const lazy = (alpha: number, beta: number) => computeOptimal({ alpha, beta, featureLearning: 0 });
const rich = (alpha: number, beta: number) => computeOptimal({ alpha, beta, featureLearning: 1 });

/** The ParameterError thrown by `run`, checked to name `parameter`. */
function rejection(run: () => unknown, parameter: string): ParameterError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toBe(parameter);
    return error as ParameterError;
  }
  throw new Error(`expected a ParameterError naming ${parameter}`);
}

describe('Table 1: compute-optimal exponents (feature-learning.md §3.9, check F4)', () => {
  it('reproduces the worked values of §3.9', () => {
    const cases: [number, number, number, number][] = [
      // alpha, beta, lazy r, rich r
      [2, 0.5, 1 / 3, 0.4], [2, 0.25, 1 / 6, 2 / 9], [1.5, 0.5, 0.3, 6 / 17], [3, 0.5, 0.375, 6 / 13],
    ];
    for (const [alpha, beta, lazyR, richR] of cases) {
      expect(Math.abs(lazy(alpha, beta).lossExponent - lazyR)).toBeLessThan(1e-12);
      expect(Math.abs(rich(alpha, beta).lossExponent - richR)).toBeLessThan(1e-12);
    }
    // The 4-digit table of §3.9.
    expect(rich(2, 0.25).lossExponent).toBeCloseTo(0.2222, 4);
    expect(rich(1.5, 0.5).lossExponent).toBeCloseTo(0.3529, 4);
    expect(rich(3, 0.5).lossExponent).toBeCloseTo(0.4615, 4);
    expect(lazy(2, 1.25).lossExponent).toBeCloseTo(0.7143, 4);
    expect(rich(2, 1.25).lossExponent).toBeCloseTo(0.7143, 4);
    expect(lazy(2, 2).lossExponent).toBe(0.75);
    expect(rich(2, 3).lossExponent).toBe(0.75);
    // CIFAR-5M (alpha ~ 2, beta ~ 0.075), §3.9 and §5 Fig. 6: 0.0500 and 0.0723.
    expect(lazy(2, 0.075).lossExponent).toBeCloseTo(0.05, 12);
    expect(rich(2, 0.075).lossExponent).toBeCloseTo(0.0723, 4);
  });

  it('hard rich equals alpha beta chi/(alpha beta + chi) with chi = 2 beta/(1 + beta)', () => {
    for (const alpha of [1.1, 1.5, 2, 3, 8]) {
      for (const beta of [0.01, 0.2, 0.5, 0.9]) {
        const chi = richTimeExponent({ beta });
        expect(relative(rich(alpha, beta).lossExponent, (alpha * beta * chi) / (alpha * beta + chi))).toBeLessThan(1e-14);
      }
    }
  });

  it('allocates the whole budget: N* tau* = C, and L at the optimum balances the two terms', () => {
    for (const alpha of [1.2, 2, 4]) {
      for (const beta of [0.3, 1.1, (1 + 2 - 1 / alpha) / 2, 2.5]) {
        for (const result of [lazy(alpha, beta), rich(alpha, beta)]) {
          expect(Math.abs(result.modelSizeExponent + result.timeExponent - 1)).toBeLessThan(1e-14);
          // hard lazy: tau^-beta = N^-(alpha beta); rich: tau^-chi = N^-(alpha beta); both = C^-r.
          if (result.taskDifficulty.difficulty === 'hard') {
            const chi = result.regime === 'rich' ? richTimeExponent({ beta }) : beta;
            expect(Math.abs(chi * result.timeExponent - result.lossExponent)).toBeLessThan(1e-14);
            expect(Math.abs(alpha * beta * result.modelSizeExponent - result.lossExponent)).toBeLessThan(1e-14);
          }
          if (result.taskDifficulty.difficulty === 'easy') {
            expect(Math.abs(beta * result.timeExponent - result.lossExponent)).toBeLessThan(1e-14);
            expect(Math.abs(result.modelSizeExponent + (1 - 1 / alpha) * result.timeExponent - result.lossExponent)).toBeLessThan(1e-14);
          }
        }
      }
    }
  });

  it('agrees with [PPXP24] Phases I–III written in their variables (alpha_P, beta_P)', () => {
    for (const alpha of [1.2, 2, 3.5]) {
      for (const beta of [0.2, 0.7, 1.2, (1 + 2 - 1 / alpha) / 2, 2.2, 4]) {
        const { alphaP, betaP } = toPaquette2024({ alpha, beta });
        const result = lazy(alpha, beta);
        if (2 * betaP < 1) {
          expect(result.paquettePhase).toBe('I');
          expect(Math.abs(result.modelSizeExponent - 1 / (2 * alphaP + 1))).toBeLessThan(1e-14);
          expect(Math.abs(result.lossExponent - (2 * alphaP + 2 * betaP - 1) / (2 * alphaP + 1))).toBeLessThan(1e-14);
        } else if (betaP < alphaP) {
          expect(result.paquettePhase).toBe('II');
          expect(Math.abs(result.modelSizeExponent - betaP / (alphaP + betaP))).toBeLessThan(1e-14);
          expect(Math.abs(result.lossExponent - (2 * alphaP + 2 * betaP - 1) / (2 * (alphaP + betaP)))).toBeLessThan(1e-14);
        } else {
          expect(result.paquettePhase).toBe('III');
          expect(result.modelSizeExponent).toBe(0.5);
          expect(Math.abs(result.lossExponent - (1 - 1 / (4 * alphaP)))).toBeLessThan(1e-14);
        }
      }
    }
  });

  it('is continuous at beta = 1 (alpha/(alpha+1)) and at beta = 2 - 1/alpha (1 - 1/(2 alpha))', () => {
    const keys = ['lossExponent', 'modelSizeExponent', 'timeExponent'] as const;
    for (const alpha of [1.05, 1.5, 2, 3, 10]) {
      for (const featureLearning of [0, 0.3]) {
        for (const boundary of [1, 2 - 1 / alpha]) {
          const below = computeOptimal({ alpha, beta: boundary - 1e-9, featureLearning });
          const above = computeOptimal({ alpha, beta: boundary + 1e-9, featureLearning });
          expect(below.taskDifficulty.difficulty).not.toBe(above.taskDifficulty.difficulty);
          for (const key of keys) expect(Math.abs(below[key] - above[key]), `${key} alpha ${alpha} at ${boundary}`).toBeLessThan(1e-8);
        }
        expect(computeOptimal({ alpha, beta: 1, featureLearning }).lossExponent).toBeCloseTo(alpha / (alpha + 1), 12);
        expect(computeOptimal({ alpha, beta: 2 - 1 / alpha, featureLearning }).lossExponent).toBeCloseTo(1 - 1 / (2 * alpha), 12);
      }
    }
  });

  it('feature learning improves only hard tasks', () => {
    for (const beta of [0.1, 0.5, 0.99]) expect(rich(2, beta).lossExponent).toBeGreaterThan(lazy(2, beta).lossExponent);
    for (const beta of [1, 1.25, 2, 3]) expect(rich(2, beta).lossExponent).toBe(lazy(2, beta).lossExponent);
  });

  it('evaluates C^a, C^b, C^-r at the compute budgets given', () => {
    const result = computeOptimal({ alpha: 2, beta: 0.5, featureLearning: 0, compute: [1, 1e6, 1e9] });
    expect(Array.from(result.compute!)).toEqual([1, 1e6, 1e9]);
    expect(relative(result.modelSizeScale![1], 100)).toBeLessThan(1e-14); // C^(1/3)
    expect(relative(result.timeScale![2], 1e6)).toBeLessThan(1e-14); // C^(2/3)
    expect(relative(result.lossScale![1], 1e-2)).toBeLessThan(1e-14); // C^(-1/3)
    expect(computeOptimal({ alpha: 2, beta: 0.5, featureLearning: 0, compute: 1e6 }).compute!.length).toBe(1);
    expect(computeOptimal({ alpha: 2, beta: 0.5, featureLearning: 0 }).compute).toBeUndefined();
  });
});

describe('chi(beta) and the level recursion (§3.2, §3.3, check F3)', () => {
  it('chi > beta for beta < 1, chi(1) = 1 = beta, chi = beta above, chi ~ 2 beta as beta -> 0', () => {
    for (const beta of [1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999999]) {
      expect(richTimeExponent({ beta })).toBeGreaterThan(beta);
      expect(richTimeExponent({ beta })).toBeLessThan(1);
    }
    expect(richTimeExponent({ beta: 1 })).toBe(1);
    for (const beta of [1.000001, 1.25, 2, 5]) expect(richTimeExponent({ beta })).toBe(beta);
    expect(relative(richTimeExponent({ beta: 1e-8 }), 2e-8)).toBeLessThan(1e-7);
    expect(Math.abs(richTimeExponent({ beta: 1 - 1e-12 }) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(richTimeExponent({ beta: 1 + 1e-12 }) - 1)).toBeLessThan(1e-11);
  });

  it('levels: beta = 0.5 gives 0.5, 0.75, 0.625, 0.6875, 0.65625, 0.671875 -> 2/3', () => {
    expect(Array.from(richExponentLevels({ beta: 0.5 }))).toEqual([0.5, 0.75, 0.625, 0.6875, 0.65625, 0.671875]);
    expect(Array.from(richExponentLevels({ beta: 0.25, levels: 2 }))).toEqual([0.25, 0.4375, 0.390625]);
    const far = (beta: number) => richExponentLevels({ beta, levels: 200 })[200];
    expect(Math.abs(far(0.5) - 2 / 3)).toBeLessThan(1e-12);
    expect(Math.abs(far(0.25) - 0.4)).toBeLessThan(1e-12);
    expect(far(0.75)).toBeCloseTo(0.857143, 6);
    for (const beta of [0.1, 0.4, 0.9]) {
      const levels = richExponentLevels({ beta, levels: 6 });
      expect(levels[1]).toBe(beta * (2 - beta)); // [BAP25] Eq. (59), level 1, over-estimates
      expect(levels[1]).toBeGreaterThan(richTimeExponent({ beta }));
      // Alternating around the fixed point.
      for (let l = 0; l < 6; l++) expect(Math.sign(levels[l] - richTimeExponent({ beta }))).toBe(l % 2 === 0 ? -1 : 1);
    }
    expect(Array.from(richExponentLevels({ beta: 1.5, levels: 2 }))).toEqual([1.5, 1.5, 1.5]);
  });
});

describe('featureLearningExponents (§0, §3.1–§3.8)', () => {
  it('lazy time exponent beta; rich chi(beta); the regime follows featureLearning', () => {
    const lazyHard = featureLearningExponents({ alpha: 2, beta: 0.5, featureLearning: 0 });
    const richHard = featureLearningExponents({ alpha: 2, beta: 0.5, featureLearning: 1e-3 });
    expect(lazyHard).toMatchObject({ regime: 'lazy', timeExponent: 0.5, timeMultiplier: 1, paquettePhase: 'I' });
    expect(richHard.regime).toBe('rich');
    expect(richHard.timeExponent).toBeCloseTo(2 / 3, 15);
    expect(richHard.timeMultiplier).toBeCloseTo(4 / 3, 15);
    // CIFAR-5M (§5 Fig. 6): lazy 0.075, rich 0.140.
    expect(featureLearningExponents({ alpha: 2, beta: 0.075, featureLearning: 1 }).timeExponent).toBeCloseTo(0.140, 3);
  });

  it('model bottleneck: exact alpha min(1, beta), printed alpha min(2, beta); data alpha min(2, beta)', () => {
    const easy = featureLearningExponents({ alpha: 2, beta: 1.5, featureLearning: 1 });
    expect(easy).toMatchObject({ modelExponent: 2, printedModelExponent: 3, dataExponent: 3 });
    const hard = featureLearningExponents({ alpha: 2, beta: 0.5, featureLearning: 0 });
    expect(hard).toMatchObject({ modelExponent: 1, printedModelExponent: 1, dataExponent: 1 });
    expect(featureLearningExponents({ alpha: 2, beta: 3, featureLearning: 0 }).dataExponent).toBe(4);
  });

  it('transients: N^-1 tau^-(1-1/alpha) m and (eta/B) tau^-(2-1/alpha) m; k*, plateau time', () => {
    const lazyHard = featureLearningExponents({ alpha: 3, beta: 0.5, featureLearning: 0 });
    expect(lazyHard.finiteWidthTransient.timeExponent).toBeCloseTo(2 / 3, 15);
    expect(lazyHard.sgdTransient.timeExponent).toBeCloseTo(5 / 3, 15);
    expect(lazyHard.learnedModeExponent).toBeCloseTo(1 / 3, 15);
    expect(lazyHard.plateauTimeExponent).toBe(3);
    const richHard = featureLearningExponents({ alpha: 3, beta: 0.5, featureLearning: 1 });
    expect(richHard.finiteWidthTransient.timeExponent).toBeCloseTo((2 / 3) * (4 / 3), 15);
    expect(richHard.sgdTransient.timeExponent).toBeCloseTo((5 / 3) * (4 / 3), 15);
    expect(richHard.learnedModeExponent).toBeCloseTo(2 / (3 * 1.5), 15); // 2/(alpha(1+beta)), [BAP25] Eq. (11)
    expect(richHard.plateauTimeExponent).toBeCloseTo(2.25, 15); // alpha(1+beta)/2
    // Super-easy: the SGD term decays slower than the population term (it dominates at late times).
    const superEasy = featureLearningExponents({ alpha: 2, beta: 2, featureLearning: 0 });
    expect(superEasy.sgdTransient.timeExponent).toBe(1.5);
    expect(superEasy.sgdTransient.timeExponent).toBeLessThan(superEasy.timeExponent);
  });

  it('every exponent is continuous across beta = 1 and beta = 2 - 1/alpha, lazy and rich', () => {
    const pick = (e: ReturnType<typeof featureLearningExponents>) => [
      e.timeExponent, e.modelExponent, e.printedModelExponent, e.dataExponent, e.finiteWidthTransient.timeExponent, e.sgdTransient.timeExponent,
      e.learnedModeExponent, e.plateauTimeExponent, e.computeOptimal.lossExponent, e.computeOptimal.modelSizeExponent, e.computeOptimal.timeExponent,
    ];
    for (const alpha of [1.1, 2, 5]) {
      for (const featureLearning of [0, 2]) {
        for (const boundary of [1, 2 - 1 / alpha]) {
          const below = pick(featureLearningExponents({ alpha, beta: boundary - 1e-10, featureLearning }));
          const above = pick(featureLearningExponents({ alpha, beta: boundary + 1e-10, featureLearning }));
          below.forEach((value, index) => expect(Math.abs(value - above[index]), `entry ${index}, alpha ${alpha}, beta ${boundary}`).toBeLessThan(1e-8));
        }
      }
    }
  });

  it('reports Table 1, the phase, the crossover and the sources', () => {
    const result = featureLearningExponents({ alpha: 2, beta: 0.5, featureLearning: 1 });
    expect(result.computeOptimal.lossExponent).toBeCloseTo(0.4, 14);
    expect(result.crossover.applies).toBe(true);
    expect(result.meta.source).toContain('feature-learning.md');
    expect(JSON.parse(JSON.stringify(result)).taskDifficulty.difficulty).toBe('hard');
  });
});

describe('task class and [PPXP24] phase (§2, check F17)', () => {
  it('alpha = 2: hard below 1, easy up to 1.5, super-easy above; alpha = 1.5: easy up to 4/3', () => {
    const phase = (alpha: number, beta: number) => taskPhase({ alpha, beta });
    expect(phase(2, 0.99)).toMatchObject({ paquettePhase: 'I', finiteRkhsNorm: false });
    expect(phase(2, 1.01).paquettePhase).toBe('II');
    expect(phase(2, 1.49).paquettePhase).toBe('II');
    expect(phase(2, 1.51).paquettePhase).toBe('III');
    expect(phase(1.5, 1.33).taskDifficulty.difficulty).toBe('easy');
    expect(phase(1.5, 1.34).taskDifficulty.difficulty).toBe('super-easy');
    expect(phase(1.5, 0.5).paquette).toEqual(toPaquette2024({ alpha: 1.5, beta: 0.5 }));
  });

  it('Sobolev targets on the circle (§5 Fig. 5): q_phi = 1 and q_y = 1, 1.5, 2 give beta = 0.5, 1, 1.5', () => {
    expect(fromSobolevCircle({ activationPower: 1, targetDecay: 1 })).toEqual({ alpha: 2, beta: 0.5 });
    expect(richTimeExponent({ beta: fromSobolevCircle({ activationPower: 1, targetDecay: 1 }).beta })).toBeCloseTo(0.667, 3);
    expect(fromSobolevCircle({ activationPower: 1, targetDecay: 1.5 }).beta).toBe(1);
    expect(fromSobolevCircle({ activationPower: 1, targetDecay: 2 }).beta).toBe(1.5);
    rejection(() => fromSobolevCircle({ activationPower: 0.5, targetDecay: 1 }), 'activationPower');
    rejection(() => fromSobolevCircle({ activationPower: 1, targetDecay: 0.5 }), 'targetDecay');
  });
});

describe('model and data bottlenecks (§3.5, §3.6, checks F5–F8)', () => {
  const SIZES = [64, 128, 256, 512, 1024];
  const slopes = (values: number[]) => values.slice(1).map((value, i) => Math.log(values[i] / value) / Math.LN2);

  it('F5: alpha = 2, beta = 0.5, M = 1e7, and kappa(512) = 9.39364e-6', () => {
    const expected = [3.79575e-2, 1.91267e-2, 9.60055e-3, 4.80954e-3, 2.40702e-3];
    const losses = SIZES.map((modelSize) => modelBottleneck({ alpha: 2, beta: 0.5, modelSize, modes: 1e7 }).loss);
    losses.forEach((loss, i) => expect(relative(loss, expected[i]), `N = ${SIZES[i]}`).toBeLessThan(1e-4));
    slopes(losses).forEach((slope, i) => expect(slope).toBeCloseTo([0.9888, 0.9944, 0.9972, 0.9987][i], 3));
    expect(relative(modelBottleneck({ alpha: 2, beta: 0.5, modelSize: 512, modes: 1e7 }).effectiveRidge, 9.39364e-6)).toBeLessThan(1e-5);
  });

  it('F6: beta = 1.5, the exponent tends to alpha min(1, beta) = 2, not the printed 3', () => {
    const expected = [9.53076e-4, 2.42940e-4, 6.13285e-5, 1.54067e-5, 3.86093e-6];
    const results = SIZES.map((modelSize) => modelBottleneck({ alpha: 2, beta: 1.5, modelSize, modes: 1e7 }));
    results.forEach((result, i) => expect(relative(result.loss, expected[i]), `N = ${SIZES[i]}`).toBeLessThan(1e-4));
    const local = slopes(results.map((result) => result.loss));
    local.forEach((slope, i) => expect(slope).toBeCloseTo([1.972, 1.986, 1.993, 1.9965][i], 3));
    expect(results[0]).toMatchObject({ exponent: 2, printedExponent: 3 });
  });

  it('F7: data bottleneck, beta = 1.5, exponent -> alpha min(2, beta) = 3; equals F5 at beta = 0.5', () => {
    const expected = [2.21632e-5, 2.83583e-6, 3.58645e-7, 4.50929e-8, 5.65290e-9];
    const losses = SIZES.map((dataSize) => dataBottleneck({ alpha: 2, beta: 1.5, dataSize, modes: 1e7 }).loss);
    losses.forEach((loss, i) => expect(relative(loss, expected[i]), `P = ${SIZES[i]}`).toBeLessThan(1e-4));
    const local = slopes(losses);
    expect(local[0]).toBeCloseTo(2.966, 2);
    expect(local[3]).toBeCloseTo(2.996, 2);
    expect(dataBottleneck({ alpha: 2, beta: 1.5, dataSize: 64 }).exponent).toBe(3);
    // beta = 1 - 1/alpha (constant w_k^2): L_inf(N) = L_inf(P) at N = P (Maloney et al., §3.6).
    for (const size of SIZES) {
      const model = modelBottleneck({ alpha: 2, beta: 0.5, modelSize: size, modes: 1e7 }).loss;
      expect(relative(dataBottleneck({ alpha: 2, beta: 0.5, dataSize: size, modes: 1e7 }).loss, model)).toBeLessThan(1e-12);
    }
  });

  it('F8: kappa asymptote 9.4124e-6 at N = 512, within 1% for N >= 256', () => {
    expect(relative(modelBottleneck({ alpha: 2, beta: 0.5, modelSize: 512 }).asymptote!.effectiveRidge, 9.4124e-6)).toBeLessThan(1e-5);
    for (const modelSize of [256, 512, 1024, 4096]) {
      const result = modelBottleneck({ alpha: 2, beta: 0.5, modelSize });
      expect(relative(result.asymptote!.effectiveRidge, result.effectiveRidge)).toBeLessThan(0.01);
    }
  });

  it('exact and asymptotic bottlenecks converge as the size grows (modes = Infinity)', () => {
    // Measured: |exact/asymptote - 1| falls by ~4 per factor 4 in size (it is O(1/n)); at n = 16384 it is
    // 6.1e-5 (alpha 2, beta 0.5), 1.5e-4 (model) and 1.8e-4 (data) at beta 1.5, 5.4e-4 (model, alpha 1.5,
    // beta 0.5), 2.9e-4 (data, beta 2.5).
    const cases: [number, number][] = [[2, 0.5], [2, 1.5], [1.5, 0.5], [3, 0.25], [2, 2.5]];
    for (const [alpha, beta] of cases) {
      for (const which of ['model', 'data'] as const) {
        const gap = (size: number) => {
          const result = which === 'model' ? modelBottleneck({ alpha, beta, modelSize: size }) : dataBottleneck({ alpha, beta, dataSize: size });
          return Math.abs(result.loss / result.asymptote!.loss - 1);
        };
        const gaps = [64, 256, 1024, 4096, 16384].map(gap);
        for (let i = 1; i < gaps.length; i++) expect(gaps[i], `${which} alpha ${alpha} beta ${beta}`).toBeLessThan(gaps[i - 1] / 2);
        expect(gaps[4]).toBeLessThan(1e-3);
      }
    }
    // On the log boundaries (model beta = 1, data beta = 2) the leading-log asymptote converges only like 1/ln n.
    const logGap = (size: number) => {
      const result = modelBottleneck({ alpha: 2, beta: 1, modelSize: size });
      return result.loss / result.asymptote!.loss - 1;
    };
    expect(logGap(65536)).toBeLessThan(logGap(1024));
    expect(logGap(65536)).toBeLessThan(0.06);
  });

  it('the asymptotes scale as N^-(alpha min(1, beta)) and P^-(alpha min(2, beta))', () => {
    for (const [alpha, beta] of [[2, 0.5], [2, 1.5], [3, 0.8], [1.5, 3]] as const) {
      const model = (n: number) => modelBottleneck({ alpha, beta, modelSize: n }).asymptote!.loss;
      const data = (n: number) => dataBottleneck({ alpha, beta, dataSize: n }).asymptote!.loss;
      expect(Math.log(model(1000) / model(2000)) / Math.LN2).toBeCloseTo(alpha * Math.min(1, beta), 10);
      expect(Math.log(data(1000) / data(2000)) / Math.LN2).toBeCloseTo(alpha * Math.min(2, beta), 10);
    }
  });

  it('scales with lambda_1 and c, accepts custom spectra, and uses zeta for beta > 1', () => {
    const base = modelBottleneck({ alpha: 2, beta: 1.5, modelSize: 100, modes: 5000 });
    const scaled = modelBottleneck({ alpha: 2, beta: 1.5, modelSize: 100, modes: 5000, leadingEigenvalue: 3, targetScale: 2 });
    expect(relative(scaled.loss, 2 * base.loss)).toBeLessThan(1e-10);
    expect(relative(scaled.effectiveRidge, 3 * base.effectiveRidge)).toBeLessThan(1e-10);
    const eigenvalues = Array.from({ length: 5000 }, (_, k) => (k + 1) ** -2);
    const targetPower = Array.from({ length: 5000 }, (_, k) => (k + 1) ** -4);
    const custom = modelBottleneck({ eigenvalues, targetPower, modelSize: 100 });
    // The power law sums modes beyond headModes = 2048 by log-k quadrature; the custom list mode by mode.
    expect(relative(custom.loss, base.loss)).toBeLessThan(1e-8);
    expect(custom).toMatchObject({ exponent: null, printedExponent: null, asymptote: null });
    expect(base.asymptote).toBeNull(); // finite modes: no asymptote
    expect(riemannZeta(2)).toBeCloseTo(Math.PI ** 2 / 6, 14);
    expect(riemannZeta(4)).toBeCloseTo(Math.PI ** 4 / 90, 14);
    expect(riemannZeta(1.75)).toBeCloseTo(1.96232, 5); // §6 F14: zeta(1.75) ~ 1.96
  });
});

describe('lazy->rich crossover (§3.4, check F15)', () => {
  it('tau_gamma = gamma^(-1/(1-beta)); the late amplitude ratio for gamma 0.1 vs 1 is 2.154 at beta = 0.5', () => {
    const crossover = lazyRichCrossover({ beta: 0.5, featureLearning: 0.1 });
    expect(crossover.time).toBeCloseTo(100, 10);
    expect(crossover.timeScalingExponent).toBe(-2);
    expect(crossover.lateTimeExponent).toBeCloseTo(2 / 3, 15);
    expect(0.1 ** crossover.amplitudeScalingExponent!).toBeCloseTo(2.154, 3);
    expect(lazyRichCrossover({ beta: 0.5, featureLearning: 0 })).toMatchObject({ applies: false, time: Infinity, lateTimeExponent: 0.5 });
    expect(lazyRichCrossover({ beta: 1.25, featureLearning: 1 })).toMatchObject({ applies: false, time: null, lateTimeExponent: 1.25 });
  });
});

describe('validation: ParameterError naming the option and its range', () => {
  it('rejects out-of-range and missing exponents and strengths', () => {
    expect(rejection(() => featureLearningExponents({ alpha: 1, beta: 0.5, featureLearning: 0 }), 'alpha').allowed).toBe('a finite number > 1');
    expect(rejection(() => computeOptimal({ alpha: 2, beta: 0, featureLearning: 0 }), 'beta').allowed).toBe('a finite number > 0');
    expect(rejection(() => computeOptimal({ alpha: 2, beta: 0.5, featureLearning: -1 }), 'featureLearning').allowed).toBe('a finite number >= 0');
    rejection(() => featureLearningExponents({ alpha: 2, beta: NaN, featureLearning: 0 }), 'beta');
    rejection(() => featureLearningExponents({ alpha: Infinity, beta: 0.5, featureLearning: 0 }), 'alpha');
    rejection(() => featureLearningExponents({ alpha: 2, beta: 0.5 } as never), 'featureLearning');
    rejection(() => computeOptimal({ alpha: 2, beta: 0.5, featureLearning: 0, compute: [1e6, -1] }), 'compute');
    rejection(() => richTimeExponent({ beta: -0.5 }), 'beta');
    rejection(() => richExponentLevels({ beta: 0.5, levels: 1.5 }), 'levels');
    rejection(() => lazyRichCrossover({ beta: 0.5, featureLearning: -0.1 }), 'featureLearning');
  });

  it('rejects unknown keys, suggesting the right one', () => {
    expect(rejection(() => featureLearningExponents({ alpha: 2, beta: 0.5, featureLearnin: 1 } as never), 'featureLearnin').message).toContain("did you mean 'featureLearning'");
    rejection(() => computeOptimal({ alpha: 2, beta: 0.5, featureLearning: 0, gamma: 1 } as never), 'gamma');
    rejection(() => modelBottleneck({ alpha: 2, beta: 0.5, modelSize: 10, dataSize: 10 } as never), 'dataSize');
    rejection(() => featureLearningExponents(null as never), 'options');
  });

  it('bottlenecks: sizes must be >= 1 and below the number of modes', () => {
    expect(rejection(() => modelBottleneck({ alpha: 2, beta: 0.5, modelSize: 1000, modes: 1000 }), 'modelSize').allowed).toContain('< the number of modes (1000)');
    rejection(() => dataBottleneck({ alpha: 2, beta: 0.5, dataSize: 0.5 }), 'dataSize');
    rejection(() => dataBottleneck({ alpha: 2, beta: 0.5, dataSize: Infinity }), 'dataSize');
    rejection(() => modelBottleneck({ alpha: 2, beta: 0.5 } as never), 'modelSize');
    rejection(() => modelBottleneck({ alpha: 0, beta: 0.5, modelSize: 4 }), 'alpha');
  });
});
